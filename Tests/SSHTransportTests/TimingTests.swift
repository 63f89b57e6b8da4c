import DeviceLab
import Foundation
import SSHTransport
import Synchronization
import Testing

/// Tests that assert a time bound or a scheduling property run one after another, so they do
/// not load the 2-core machine for each other.
@Suite("timing-sensitive: hangs and 200 parallel sessions", .serialized, .tags(.integration))
struct TimingTests {
    static let devices = DeviceLabOptions(devices: [.init("r1", platform: .ciscoIOS), .init("host1", platform: .linux)])

    @Test("a device that hangs mid-output times out within the operation timeout + 1 s (exec)")
    func hangExec() async throws {
        try await DeviceLab.withLab(Self.devices) { lab in
            let r1 = try lab.device("r1")
            try lab.setBehaviour(device: "r1", .hang(afterLines: 5))
            let timeout = Duration.seconds(2)
            let options = try LabSupport.options(LabSupport.knownHosts(lab, r1), operationTimeout: timeout)
            let clock = ContinuousClock()
            var elapsed = Duration.zero
            let error = await LabSupport.transportError {
                try await LabSupport.withSession(lab, r1, options: options) { session in
                    let start = clock.now
                    defer { elapsed = clock.now - start }
                    _ = try await session.exec("show running-config")
                }
            }
            #expect(error?.code == .timeout)
            #expect(error?.message.contains("127.0.0.1:\(r1.port)") == true)
            #expect(elapsed >= timeout)
            #expect(elapsed <= timeout + .seconds(1), "timed out after \(elapsed)")
            print("hang (exec): timeout \(timeout), error after \(elapsed)")
        }
    }

    @Test("a device that hangs mid-output times out within the operation timeout + 1 s (shell), and the session is closed after")
    func hangShell() async throws {
        try await DeviceLab.withLab(Self.devices) { lab in
            let r1 = try lab.device("r1")
            let timeout = Duration.seconds(2)
            let options = try LabSupport.options(LabSupport.knownHosts(lab, r1), operationTimeout: timeout)
            let clock = ContinuousClock()
            try await LabSupport.withSession(lab, r1, options: options) { session in
                try await session.withShell(ShellOptions(setupCommands: ["terminal length 0"])) { shell in
                    try await shell.enable(secret: lab.enableSecret)
                    try lab.setBehaviour(device: "r1", .hang(afterLines: 3))
                    let start = clock.now
                    let error = await LabSupport.transportError { _ = try await shell.run("show running-config") }
                    let elapsed = clock.now - start
                    #expect(error?.code == .timeout)
                    #expect(elapsed >= timeout)
                    #expect(elapsed <= timeout + .seconds(1), "timed out after \(elapsed)")
                    print("hang (shell): timeout \(timeout), error after \(elapsed)")
                    let after = await LabSupport.transportError { _ = try await session.exec("show version") }
                    #expect(after?.code == .sessionClosed)
                }
            }
        }
    }

    @Test("200 parallel sessions all complete with the right output, while a trivial task keeps ticking (no starvation)")
    func twoHundredSessions() async throws {
        let names = (1...8).map { "r\($0)" }
        try await DeviceLab.withLab(DeviceLabOptions(devices: names.map { .init($0, platform: .ciscoIOS) })) { lab in
            let knownHostsPath = "\(lab.directory)/known_hosts-all"
            try lab.devices.map { lab.knownHostsLines(for: $0) }.joined().write(toFile: knownHostsPath, atomically: true, encoding: .utf8)
            let options = SSHOptions(knownHosts: KnownHosts(path: knownHostsPath), connectTimeout: .seconds(120), operationTimeout: .seconds(120))
            var expected: [String: [UInt8]] = [:]
            for name in names { expected[name] = Array(try lab.config(device: name).utf8) }
            let devices = lab.devices
            let credentials = LabSupport.key(lab)
            // One pool thread per session, so all 200 are connected at the same time (none waits for a thread).
            let client = SSHClient(threads: 200)
            let counter = InFlightCounter()

            // The heartbeat: a trivial task on the cooperative pool that records the longest gap between ticks.
            let stop = Atomic<Bool>(false)
            let clock = ContinuousClock()
            let started = clock.now
            async let heartbeat: (ticks: Int, maxGap: Duration) = {
                var ticks = 0
                var maxGap = Duration.zero
                var last = clock.now
                while !stop.load(ordering: .acquiring) {
                    try? await Task.sleep(for: .milliseconds(10))
                    let now = clock.now
                    maxGap = max(maxGap, now - last)
                    last = now
                    ticks += 1
                }
                return (ticks, maxGap)
            }()

            let outcomes = await withTaskGroup(of: (String, Result<ExecResult, any Error>).self) { group in
                for index in 0..<200 {
                    let device = devices[index % devices.count]
                    group.addTask {
                        do {
                            let result = try await client.withSession(
                                to: SSHEndpoint(host: device.host, port: device.port), credentials: credentials, options: options
                            ) { session in
                                counter.enter()
                                defer { counter.leave() }
                                return try await session.exec("show running-config")
                            }
                            return (device.name, .success(result))
                        } catch {
                            return (device.name, .failure(error))
                        }
                    }
                }
                var all: [(String, Result<ExecResult, any Error>)] = []
                for await outcome in group { all.append(outcome) }
                return all
            }
            let wall = clock.now - started
            stop.store(true, ordering: .releasing)
            let beat = await heartbeat
            try await client.shutdown()

            #expect(outcomes.count == 200)
            var failures: [String] = []
            for (name, outcome) in outcomes {
                switch outcome {
                case .success(let result):
                    if result.stdout != expected[name] || result.exitStatus != 0 { failures.append("\(name): wrong output") }
                case .failure(let error):
                    failures.append("\(name): \(error)")
                }
            }
            #expect(failures.isEmpty, "\(failures.count) failed, first: \(failures.prefix(3))")
            // While 200 sessions ran, the heartbeat kept ticking: its longest gap stays far below the run time.
            #expect(beat.maxGap < .seconds(1), "heartbeat max gap \(beat.maxGap) during \(wall)")
            #expect(beat.ticks > 10)
            print("200 parallel sessions: wall \(wall), at most \(counter.maximum) connected at once, heartbeat ticks \(beat.ticks), max gap \(beat.maxGap)")
        }
    }
}

/// Counts sessions inside their body and remembers the most at once.
final class InFlightCounter: Sendable {
    private let current = Atomic<Int>(0)
    private let peak = Atomic<Int>(0)

    func enter() {
        let now = current.add(1, ordering: .relaxed).newValue
        _ = peak.max(now, ordering: .relaxed)
    }

    func leave() {
        current.subtract(1, ordering: .relaxed)
    }

    var maximum: Int { peak.load(ordering: .relaxed) }
}
