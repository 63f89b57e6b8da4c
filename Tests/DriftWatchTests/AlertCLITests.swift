import Baselines
import DeviceLab
import Foundation
import Logging
import Testing

@testable import DriftWatch

/// `driftwatch alerts list | ack | outbox` as a user runs them: the real binary on a real state
/// database that AlertCenter wrote.
@Suite struct AlertCLITests {
    typealias S = AlertSamples

    /// A workspace whose state database holds a drift alert on r1 (emailed, pending delivery).
    static func workspaceWithAlert() async throws -> (BaselineCLITests.Workspace, Int64) {
        let workspace = try BaselineCLITests.Workspace()
        let yaml = BaselineCLITests.configuration + """

            alerts:
              email:
                smtp: { host: 127.0.0.1, port: 2525, starttls: false }
                from: driftwatch@example.net
                to: [oncall@example.net]
            """
        try Data(yaml.utf8).write(to: workspace.folder.appendingPathComponent("driftwatch.yaml"))
        let configuration = try ConfigurationLoader().load(path: workspace.path("driftwatch.yaml"))
        let store = try SQLiteStateStore(path: workspace.path(".driftwatch/state.sqlite"))
        let center = AlertCenter(
            configuration: configuration, store: store, baselines: BaselineStore(root: configuration.baselinesFolder),
            composer: AlertEmailComposer(configuration: configuration), lifecycle: AlertLifecycle(),
            wakeup: OutboxWakeup(), verifyInterval: nil, logger: Logger(label: "test"))
        let facts = S.facts(added: ["description changed", "shutdown"])
        let check = DeviceCheck(
            device: "r1", platform: "cisco_ios", state: .drifted, collection: .ok, message: nil, snapshotID: 42,
            attempts: 1, durationMilliseconds: 5, baselineVersion: 7, inMaintenance: false, delta: facts.delta,
            remediation: facts.remediation, findings: [], hint: nil)
        await center.deviceChecked(check, device: try configuration.device(named: "r1"), trigger: .poll, changedBy: nil, at: Date())
        let id = try #require(try await store.alerts(includeResolved: false).first?.id)
        return (workspace, id)
    }

    @Test func listShowsTheOpenAlertAsTextAndJSON() async throws {
        let (workspace, id) = try await Self.workspaceWithAlert()
        let text = try await BaselineCLITests.run(["alerts", "list"], in: workspace)
        #expect(text.status == 0, "\(text.error)")
        #expect(text.output.contains("\(id)\tr1\tdrift\topen"))
        #expect(text.output.contains("+2 -1 lines vs v7"))
        let json = try await BaselineCLITests.run(["alerts", "list", "--json"], in: workspace)
        #expect(json.status == 0, "\(json.error)")
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [[String: Any]])
        #expect(rows.count == 1)
        #expect(rows[0]["id"] as? Int == Int(id))
        #expect(rows[0]["device"] as? String == "r1")
        #expect(rows[0]["status"] as? String == "open")
        #expect(rows[0]["added"] as? Int == 2)
        #expect(rows[0]["baselineVersion"] as? Int == 7)
    }

    @Test func ackRefusesWithoutATerminalThenAcknowledgesWithYesAndAudits() async throws {
        let (workspace, id) = try await Self.workspaceWithAlert()
        let refused = try await BaselineCLITests.run(["alerts", "ack", String(id), "--as", "alice"], in: workspace)
        #expect(refused.status == 2)
        #expect(refused.error.contains("--yes"))
        let store = try SQLiteStateStore(path: workspace.path(".driftwatch/state.sqlite"))
        #expect(try await store.alert(id: id)?.status == .open)

        let done = try await BaselineCLITests.run(["alerts", "ack", String(id), "--as", "alice", "--yes"], in: workspace)
        #expect(done.status == 0, "\(done.error)")
        #expect(done.output.contains("acknowledged alert \(id)"))
        let alert = try #require(try await store.alert(id: id))
        #expect(alert.status == .acknowledged)
        #expect(alert.acknowledgedBy == "alice")
        let audit = try await store.auditRecords(since: nil)
        #expect(audit.contains { $0.action == "alert.ack" && $0.actor == "alice" && $0.details["alert"] == String(id) })
        let list = try await BaselineCLITests.run(["alerts", "list"], in: workspace)
        #expect(list.output.contains("acknowledged by alice"))

        let unknown = try await BaselineCLITests.run(["alerts", "ack", "999", "--as", "alice", "--yes"], in: workspace)
        #expect(unknown.status == 2)
        #expect(unknown.error.contains("there is no alert 999"))
    }

    @Test func outboxShowsPendingAndFailedMessages() async throws {
        let (workspace, _) = try await Self.workspaceWithAlert()
        let store = try SQLiteStateStore(path: workspace.path(".driftwatch/state.sqlite"))
        let text = try await BaselineCLITests.run(["alerts", "outbox"], in: workspace)
        #expect(text.status == 0, "\(text.error)")
        #expect(text.output.contains("pending"))
        #expect(text.output.contains("[DriftWatch] DRIFT r1"))
        let message = try #require(try await store.outboxMessages(statuses: [.pending]).first)
        try await store.markFailed(
            messageID: message.id, error: "SMTP 550: 5.1.1 no such user", permanent: true, at: Date(), policy: RetryPolicy())
        let json = try await BaselineCLITests.run(["alerts", "outbox", "--json"], in: workspace)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [[String: Any]])
        #expect(rows.count == 1)
        #expect(rows[0]["status"] as? String == "failed")
        #expect(rows[0]["lastError"] as? String == "SMTP 550: 5.1.1 no such user")
        #expect(rows[0]["messageId"] as? String == message.messageID)
        let again = try await BaselineCLITests.run(["alerts", "outbox"], in: workspace)
        #expect(again.output.contains("last error: SMTP 550: 5.1.1 no such user"))
    }
}
