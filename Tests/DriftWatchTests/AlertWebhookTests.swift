import AsyncHTTPClient
import Baselines
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

@testable import DriftWatch

/// Webhooks through the outbox against a real HTTP server on loopback (Hummingbird): the JSON
/// body, the HMAC-SHA256 signature a receiver can verify, the bearer token, a 5xx retried and a
/// 4xx failed for good with the server's words.
@Suite struct AlertWebhookTests {
    typealias S = AlertSamples

    final class Received: Sendable {
        struct Call: Sendable {
            var path: String
            var body: String
            var signature: String?
            var authorization: String?
            var messageID: String?
        }

        let calls = Mutex<[Call]>([])
        let flakyCount = Mutex(0)
    }

    func router(_ received: Received) -> Router<BasicRequestContext> {
        let router = Router()
        @Sendable func record(_ request: Request) async throws -> Received.Call {
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            let call = Received.Call(
                path: request.uri.path, body: String(buffer: body),
                signature: request.headers[HTTPField.Name("X-DriftWatch-Signature")!],
                authorization: request.headers[.authorization],
                messageID: request.headers[HTTPField.Name("X-DriftWatch-Message-Id")!])
            received.calls.withLock { $0.append(call) }
            return call
        }
        router.post("hook") { request, _ -> HTTPResponse.Status in
            _ = try await record(request)
            return .ok
        }
        router.post("flaky") { request, _ -> HTTPResponse.Status in
            _ = try await record(request)
            let count = received.flakyCount.withLock { count -> Int in
                count += 1
                return count
            }
            return count == 1 ? .serviceUnavailable : .noContent
        }
        router.post("gone") { request, _ -> Response in
            _ = try await record(request)
            return Response(status: .gone, body: ResponseBody(byteBuffer: ByteBuffer(string: "hook removed")))
        }
        return router
    }

    @Test func webhookBodiesAreSignedRetriedAndFailedThroughTheOutbox() async throws {
        let received = Received()
        let app = Application(
            router: router(received), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let base = "http://127.0.0.1:\(port)"
            let fixture = try StateFixture()
            defer { fixture.remove() }
            let configuration = DriftWatchConfiguration(
                file: "driftwatch.yaml", folder: fixture.folder,
                alerts: AlertSettings(webhooks: [
                    WebhookSettings(url: "\(base)/hook", tokenEnv: "HOOK_TOKEN", secretEnv: "HOOK_SECRET"),
                    WebhookSettings(url: "\(base)/flaky", secretEnv: "HOOK_SECRET"),
                    WebhookSettings(url: "\(base)/gone"),
                ]),
                devices: [DeviceEntry(name: "r1", host: "127.0.0.1", platform: "cisco_ios")])
            let environment = ["HOOK_SECRET": "hook-signing-secret", "HOOK_TOKEN": "hook-bearer-token"]
            let components = try #require(
                try buildAlerting(
                    configuration: configuration, store: fixture.store,
                    baselines: BaselineStoreFixture.empty(fixture.folder), environment: environment,
                    logger: Logger(label: "test")))
            let check = DeviceCheck(
                device: "r1", platform: "cisco_ios", state: .drifted, collection: .ok, message: nil, snapshotID: 42,
                attempts: 1, durationMilliseconds: 5, baselineVersion: 7, inMaintenance: false,
                delta: S.facts().delta, remediation: S.facts().remediation, findings: [], hint: nil)
            await components.alerting.deviceChecked(
                check, device: configuration.devices[0], trigger: .poll, changedBy: nil, at: Date())
            let queued = try await fixture.store.outboxMessages(statuses: [.pending])
            #expect(queued.map(\.channel) == ["webhook", "webhook", "webhook"])

            let sender = OutboxSender(
                store: fixture.store, configuration: configuration, environment: environment,
                policy: RetryPolicy(initialDelaySeconds: 0, maximumDelaySeconds: 0, maximumAttempts: 5),
                wakeup: OutboxWakeup(), logger: Logger(label: "test"))
            let http = HTTPClient(eventLoopGroupProvider: .singleton)
            let attempts = await sender.deliverDue(http: http)
            try await http.shutdown()
            #expect(attempts == 4)  // hook, flaky (503), gone (410), flaky again (204)

            let calls = received.calls.withLock { $0 }
            let hook = try #require(calls.first { $0.path == "/hook" })
            let stored = try #require(queued.first { $0.recipients == ["\(base)/hook"] })
            #expect(hook.body == stored.body)
            #expect(hook.messageID == stored.messageID)
            #expect(hook.authorization == "Bearer hook-bearer-token")
            // What a receiver does: HMAC-SHA256 of the raw body with the shared secret.
            let expected = HMAC<SHA256>.authenticationCode(
                for: Data(hook.body.utf8), using: SymmetricKey(data: Data("hook-signing-secret".utf8)))
            #expect(hook.signature == "sha256=" + expected.map { String(format: "%02x", $0) }.joined())
            let json = try #require(try JSONSerialization.jsonObject(with: Data(hook.body.utf8)) as? [String: Any])
            #expect(json["event"] as? String == "opened")
            #expect((json["alert"] as? [String: Any])?["device"] as? String == "r1")
            #expect(calls.first { $0.path == "/gone" }?.signature == nil)
            #expect(calls.filter { $0.path == "/flaky" }.count == 2)
            #expect(calls.allSatisfy { !$0.body.contains("hook-signing-secret") && !$0.body.contains("hook-bearer-token") })

            let all = try await fixture.store.outboxMessages(statuses: Set(OutboxStatus.allCases))
            let byPath = Dictionary(uniqueKeysWithValues: all.map { ($0.recipients[0].replacingOccurrences(of: base, with: ""), $0) })
            #expect(byPath["/hook"]?.status == .sent)
            #expect(byPath["/flaky"]?.status == .sent)
            #expect(byPath["/flaky"]?.attempts == 2)
            #expect(byPath["/gone"]?.status == .failed)
            #expect(byPath["/gone"]?.lastError?.contains("HTTP 410") == true)
            #expect(byPath["/gone"]?.lastError?.contains("hook removed") == true)
            for message in all { #expect(!(message.lastError ?? "").contains("hook-signing-secret")) }
        }
    }

    @Test func aMissingSecretVariableIsAConfigurationErrorAtStartup() throws {
        let fixture = try StateFixture()
        defer { fixture.remove() }
        let configuration = DriftWatchConfiguration(
            file: "driftwatch.yaml", folder: fixture.folder,
            alerts: AlertSettings(webhooks: [WebhookSettings(url: "http://127.0.0.1:9/x", secretEnv: "NOT_SET_HOOK")]))
        #expect {
            _ = try buildAlerting(
                configuration: configuration, store: fixture.store, baselines: BaselineStoreFixture.empty(fixture.folder),
                environment: [:], logger: Logger(label: "test"))
        } throws: { error in
            (error as? DriftWatchError)?.code == .invalidConfiguration
                && "\(error)".contains("NOT_SET_HOOK") && "\(error)".contains("secret_env")
        }
        #expect(
            try buildAlerting(
                configuration: DriftWatchConfiguration(file: "x", folder: fixture.folder), store: fixture.store,
                baselines: BaselineStoreFixture.empty(fixture.folder), environment: [:], logger: Logger(label: "test"))
                == nil)
    }

    @Test func webhookSecretKeysAreReadFromTheConfiguration() throws {
        let yaml = """
            alerts:
              webhooks:
                - { url: "https://hooks.example.net/x", secret_env: HOOK_SECRET, token_file: /run/secrets/token }
            devices: []
            """
        let configuration = try ConfigurationLoader().parse(yaml, file: "driftwatch.yaml", folder: URL(fileURLWithPath: "/tmp"))
        let hook = try #require(configuration.alerts?.webhooks.first)
        #expect(hook.secretEnv == "HOOK_SECRET")
        #expect(hook.tokenFile == "/run/secrets/token")
        #expect(throws: DriftWatchError.self) {
            try ConfigurationLoader().parse(
                "alerts:\n  webhooks:\n    - { url: \"https://h.example.net\", secret: inline }\ndevices: []\n",
                file: "driftwatch.yaml", folder: URL(fileURLWithPath: "/tmp"))
        }
    }
}

/// An empty baseline folder.
enum BaselineStoreFixture {
    static func empty(_ folder: URL) -> Baselines.BaselineStore {
        Baselines.BaselineStore(root: folder.appendingPathComponent("baselines"))
    }
}
