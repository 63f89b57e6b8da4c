import DeviceLab
import Foundation
import SSHTransport
import Synchronization
import Testing

@Suite("many sessions at once", .tags(.integration))
struct ScaleTests {
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
            let client = SSHClient(threads: 64)

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
                            ) { try await $0.exec("show running-config") }
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
            print("200 parallel sessions: wall \(wall), heartbeat ticks \(beat.ticks), max gap \(beat.maxGap)")
        }
    }
}
