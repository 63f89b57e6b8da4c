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
    }

    let steps: [Step]
    let calls = Mutex(0)

    init(_ steps: [Step]) { self.steps = steps }

    func capture(_ target: CaptureTarget, hints: CollectionHints, logger: Logger) async throws -> RawCapture {
        let index = calls.withLock { count in
            count += 1
            return count - 1
        }
        switch steps[min(index, steps.count - 1)] {
        case .answer(let text): return RawCapture(sections: [RawCapture.Section(name: "show running-config", text: text)], sectioned: false)
        case .fail(let code): throw SSHTransportError(code, endpoint: SSHEndpoint(host: target.host, port: target.port), message: "scripted \(code)")
        case .hang:
            try await Task.sleep(for: .seconds(60))
            throw SSHTransportError(.protocolError, endpoint: nil, message: "not cancelled")
        }
    }
}

/// Collector behaviour a real server cannot produce on demand: retry policy, the hard time
/// limit, credential references, incomplete captures.
@Suite struct CollectorScriptedTests {
    static let config = "hostname r1\n!\ninterface Gi0/1\n description x\n!\nsnmp-server community CANARY-SCRIPT-1 RO\nend\n"

    static func collector(
        _ transport: ScriptedTransport, credentials: CredentialReference = CredentialReference(username: "u", passwordEnv: "PW"),
        timeLimit: Duration = .seconds(10)
    ) throws -> (Collector, URL) {
        let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("dw-scripted-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent(".driftwatch"), withIntermediateDirectories: true)
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
        let (collector, folder) = try Self.collector(transport, credentials: CredentialReference(username: "u", passwordEnv: "NOT_SET_ANYWHERE"))
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
