import Baselines
import ConfigDiff
import Foundation
import Logging
import SSHTransport
import Synchronization
import Testing

@testable import DriftWatch

/// A transport that answers from a script: each capture takes the next step (or the last one).
final class ScriptedTransport: DeviceTransport {
    enum Step: Sendable {
        case answer(String)
        case fail(SSHTransportError.Code)
        case hang
        /// Answers after 150 ms, counting captures in flight.
        case slow(String)
    }

    let steps: [Step]
    let calls = Mutex(0)
    let inFlight = Mutex((now: 0, most: 0))

    init(_ steps: [Step]) { self.steps = steps }

    func capture(_ target: CaptureTarget, hints: CollectionHints, logger: Logger) async throws -> RawCapture {
        let index = calls.withLock { count in
            count += 1
            return count - 1
        }
        switch steps[min(index, steps.count - 1)] {
        case .answer(let text):
            return RawCapture(sections: [RawCapture.Section(name: "show running-config", text: text)], sectioned: false)
        case .fail(let code):
            throw SSHTransportError(
                code, endpoint: SSHEndpoint(host: target.host, port: target.port), message: "scripted \(code)")
        case .slow(let text):
            inFlight.withLock { value in
                value.now += 1
                value.most = max(value.most, value.now)
            }
            defer { inFlight.withLock { $0.now -= 1 } }
            try await Task.sleep(for: .milliseconds(150))
            if target.device == "bad" {
                throw SSHTransportError(.authenticationFailed, endpoint: nil, message: "scripted refusal")
            }
            return RawCapture(sections: [RawCapture.Section(name: "show running-config", text: text)], sectioned: false)
        case .hang:
            try await Task.sleep(for: .seconds(60))
            throw SSHTransportError(.protocolError, endpoint: nil, message: "not cancelled")
        }
    }
}

/// Collector behaviour a real server cannot produce on demand: retry policy, the hard time
/// limit, credential references, incomplete captures.
@Suite struct CollectorScriptedTests {
    static let config =
        "hostname r1\n!\ninterface Gi0/1\n description x\n!\nsnmp-server community CANARY-SCRIPT-1 RO\nend\n"

    static func collector(
        _ transport: ScriptedTransport,
        credentials: CredentialReference = CredentialReference(username: "u", passwordEnv: "PW"),
        timeLimit: Duration = .seconds(10)
    ) throws -> (Collector, URL) {
        let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
            "dw-scripted-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent(".driftwatch"), withIntermediateDirectories: true)
        let configuration = DriftWatchConfiguration(
            file: folder.appendingPathComponent("driftwatch.yaml").path, folder: folder,
            defaults: CollectionDefaults(timeout: .seconds(2), timeLimit: timeLimit),
            devices: [DeviceEntry(name: "r1", host: "192.0.2.1", platform: "cisco_ios", credentials: credentials)])
        let context = try OneShotContext.open(configuration: configuration, catalog: try ProfileCatalog())
        let collector = context.collector(
            transport: transport, options: CollectorOptions(maxAttempts: 3, initialBackoff: .milliseconds(10)),
            environment: ["PW": "pw"], logger: CollectorWorld.logger)
        return (collector, folder)
    }

    @Test func transientFailuresAreRetried() async throws {
        let transport = ScriptedTransport([.fail(.connectionFailed), .fail(.connectionLost), .answer(Self.config)])
        let (collector, folder) = try Self.collector(transport)
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = await collector.collect(try collector.configuration.device(named: "r1"), trigger: .manual)
        #expect(result.result == .ok)
        #expect(result.attempts == 3)
        #expect(result.snapshot != nil)
        #expect(result.normalized?.text.contains("CANARY-SCRIPT-1") == false)
    }

    @Test(arguments: [
        (SSHTransportError.Code.authenticationFailed, CollectionResult.authFailed),
        (.hostKeyChanged, .hostKeyChanged), (.hostKeyUnknown, .hostKeyUnknown), (.outputTooLarge, .error),
    ])
    func permanentFailuresAreNotRetried(code: SSHTransportError.Code, expected: CollectionResult) async throws {
        let transport = ScriptedTransport([.fail(code), .answer(Self.config)])
        let (collector, folder) = try Self.collector(transport)
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = await collector.collect(try collector.configuration.device(named: "r1"), trigger: .manual)
        #expect(result.result == expected)
        #expect(result.attempts == 1)
        let runs = try await collector.store.collectionRuns(device: "r1", limit: 5)
        #expect(runs.first?.result == expected)
    }

    @Test func retriesStopAfterMaxAttempts() async throws {
        let transport = ScriptedTransport([.fail(.connectionFailed)])
        let (collector, folder) = try Self.collector(transport)
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = await collector.collect(try collector.configuration.device(named: "r1"), trigger: .manual)
        #expect(result.result == .unreachable)
        #expect(result.attempts == 3)
    }

    @Test func hardTimeLimit() async throws {
        let transport = ScriptedTransport([.hang])
        let (collector, folder) = try Self.collector(transport, timeLimit: .milliseconds(700))
        defer { try? FileManager.default.removeItem(at: folder) }
        let clock = ContinuousClock()
        let start = clock.now
        let result = await collector.collect(try collector.configuration.device(named: "r1"), trigger: .manual)
        #expect(result.result == .timeout)
        #expect(start.duration(to: clock.now) < .seconds(5))
    }

    @Test func missingCredentialNamesTheKey() async throws {
        let transport = ScriptedTransport([.answer(Self.config)])
        let (collector, folder) = try Self.collector(
            transport, credentials: CredentialReference(username: "u", passwordEnv: "NOT_SET_ANYWHERE"))
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = await collector.collect(try collector.configuration.device(named: "r1"), trigger: .manual)
        #expect(result.result == .error)
        #expect(result.message?.contains("devices[r1].credentials.password_env") == true)
        #expect(result.message?.contains("NOT_SET_ANYWHERE") == true)
        #expect(transport.calls.withLock { $0 } == 0)
    }

    @Test func incompleteCaptureIsRejected() async throws {
        let transport = ScriptedTransport([.answer(Self.config), .answer("hostname r1\n!\ninterface Gi0/1\n")])
        let (collector, folder) = try Self.collector(transport)
        defer { try? FileManager.default.removeItem(at: folder) }
        let device = try collector.configuration.device(named: "r1")
        #expect(await collector.collect(device, trigger: .manual).result == .ok)
        let second = await collector.collect(device, trigger: .manual)
        #expect(second.result == .incomplete)
        #expect(second.snapshot == nil)
    }
}

/// Keeps every log line (message and metadata) for assertions.
final class RecordedLogs: Sendable {
    let lines = Mutex<[String]>([])

    struct Handler: LogHandler {
        let sink: RecordedLogs
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(
            level: Logger.Level, message: Logger.Message, metadata explicit: Logger.Metadata?, source: String,
            file: String, function: String, line: UInt
        ) {
            let all = self.metadata.merging(explicit ?? [:]) { $1 }
            let text =
                "\(level) \(message) "
                + all.keys.sorted().map { "\($0)=\(all[$0].map { "\($0)" } ?? "")" }.joined(separator: " ")
            sink.lines.withLock { $0.append(text) }
        }
    }

    var logger: Logger {
        var logger = Logger(label: "driftwatch.tests.recorded", factory: { _ in Handler(sink: self) })
        logger.logLevel = .trace
        return logger
    }
}

extension CollectorScriptedTests {
    @Test func checkConcurrencyIsBoundedAndFailuresAreIsolated() async throws {
        let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
            "dw-scripted-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let names = ["a", "b", "bad", "c", "d", "e"]
        let configuration = DriftWatchConfiguration(
            file: folder.appendingPathComponent("driftwatch.yaml").path, folder: folder,
            defaults: CollectionDefaults(timeout: .seconds(2), timeLimit: .seconds(10), concurrency: 2),
            devices: names.map {
                DeviceEntry(
                    name: $0, host: "192.0.2.1", platform: "cisco_ios",
                    credentials: CredentialReference(username: "u", passwordEnv: "PW"))
            })
        let transport = ScriptedTransport([.slow(Self.config)])
        let context = try OneShotContext.open(configuration: configuration, catalog: try ProfileCatalog())
        let check = try context.driftCheck(
            transport: transport, environment: ["PW": "pw"], logger: CollectorWorld.logger)
        let report = await check.run(configuration.devices)
        #expect(report.devices.map(\.device) == names)
        #expect(report.devices.map(\.collection) == [.ok, .ok, .authFailed, .ok, .ok, .ok])
        #expect(transport.inFlight.withLock { $0.most } == 2)
        #expect(report.exitCode == 2)
        #expect(report.summary.unbaselined == 5 && report.summary.failed == 1)
    }

    @Test func logsCarryDeviceMetadataAndNoSecret() async throws {
        let transport = ScriptedTransport([.fail(.connectionFailed), .answer(Self.config)])
        let (base, folder) = try Self.collector(transport)
        defer { try? FileManager.default.removeItem(at: folder) }
        let logs = RecordedLogs()
        let collector = Collector(
            configuration: base.configuration, catalog: base.catalog, masker: base.masker, store: base.store,
            transport: transport, options: base.options, environment: ["PW": "pw"], logger: logs.logger)
        let check = DriftCheck(
            collector: collector,
            evaluator: DriftEvaluator(
                baselines: BaselineStoreForTests.empty(folder), catalog: base.catalog, standards: []),
            schedule: MaintenanceSchedule(windows: []), logger: logs.logger)
        let result = await check.run(collector.configuration.devices)
        #expect(result.devices.first?.collection == .ok)
        let lines = logs.lines.withLock { $0 }
        #expect(
            lines.contains {
                $0.contains("collection succeeded") && $0.contains("device.name=r1")
                    && $0.contains("device.platform=cisco_ios")
            })
        #expect(lines.contains { $0.contains("retrying") })
        #expect(!lines.contains { $0.contains("CANARY-SCRIPT-1") || $0.contains("pw") && $0.contains("password") })
    }
}

/// An empty baseline store in a test folder.
enum BaselineStoreForTests {
    static func empty(_ folder: URL) -> BaselineStore {
        BaselineStore(root: folder.appendingPathComponent("baselines"))
    }
}
