import Baselines
import ConfigDiff
import Foundation
import Logging
import Testing

@testable import DriftWatch

/// AlertCenter on a real SQLite store and a real baseline folder: what each check writes to the
/// alerts and the outbox, digests, maintenance holds, reminders and crash recovery.
@Suite struct AlertCenterTests {
    typealias S = AlertSamples

    /// A store, a baseline folder with r1 v7 approved by alice, and an AlertCenter over them.
    struct Rig {
        let fixture: StateFixture
        let baselines: BaselineStore
        let center: AlertCenter
        let wakeup: OutboxWakeup
        var store: SQLiteStateStore { fixture.store }

        init(
            devices: [String] = ["r1"], digest: DigestSettings? = nil, reminderAfter: Duration? = nil,
            windows: [MaintenanceWindow] = []
        ) throws {
            fixture = try StateFixture()
            baselines = BaselineStore(root: fixture.folder.appendingPathComponent("baselines"))
            for version in 1...8 {
                _ = try baselines.approve(
                    device: "r1", config: "hostname r1\nntp server 192.0.2.\(version)\n",
                    draft: ApprovalDraft(
                        approver: version == 8 ? "bob" : "alice", reason: "change \(version)", ticket: "CHG-\(version)",
                        source: ApprovalSource(.file, "r1.cfg"), platform: "cisco_ios"), expectedHead: version - 1)
            }
            let configuration = DriftWatchConfiguration(
                file: "driftwatch.yaml", folder: fixture.folder,
                alerts: AlertSettings(
                    email: EmailSettings(smtpHost: "127.0.0.1", from: "driftwatch@example.net", to: ["oncall@example.net"]),
                    reminderAfter: reminderAfter, digest: digest),
                devices: devices.map { DeviceEntry(name: $0, host: "127.0.0.1", platform: "cisco_ios", groups: ["core"]) },
                maintenanceWindows: windows)
            wakeup = OutboxWakeup()
            center = AlertCenter(
                configuration: configuration, store: fixture.store, baselines: baselines,
                composer: AlertEmailComposer(configuration: configuration),
                lifecycle: AlertLifecycle(reminderAfter: reminderAfter), wakeup: wakeup, verifyInterval: nil,
                logger: Logger(label: "test"))
        }

        func entry(_ name: String) -> DeviceEntry {
            DeviceEntry(name: name, host: "127.0.0.1", platform: "cisco_ios", groups: ["core"])
        }

        func check(
            _ state: DeviceStatus, facts: DriftFacts? = nil, version: Int? = 7, collection: CollectionResult = .ok,
            maintenance: Bool = false, message: String? = nil, at seconds: Double, trigger: CollectionTrigger = .poll,
            changedBy: String? = nil
        ) async {
            await check(
                "r1", state, facts: facts, version: version, collection: collection, maintenance: maintenance,
                message: message, at: seconds, trigger: trigger, changedBy: changedBy)
        }

        func check(
            _ device: String, _ state: DeviceStatus, facts: DriftFacts? = nil, version: Int? = 7,
            collection: CollectionResult = .ok, maintenance: Bool = false, message: String? = nil,
            at seconds: Double, trigger: CollectionTrigger = .poll, changedBy: String? = nil
        ) async {
            let check = DeviceCheck(
                device: device, platform: "cisco_ios", state: state, collection: collection, message: message,
                snapshotID: facts?.snapshotID, attempts: 1, durationMilliseconds: 5, baselineVersion: version,
                inMaintenance: maintenance, delta: facts?.delta, remediation: facts?.remediation ?? [],
                findings: facts?.findings ?? [], hint: nil)
            await center.deviceChecked(check, device: entry(device), trigger: trigger, changedBy: changedBy, at: S.at(seconds))
        }

        func outbox() async throws -> [OutboxMessage] {
            try await store.outboxMessages(statuses: Set(OutboxStatus.allCases))
        }

        func emails() async throws -> [OutboxMessage] { try await outbox().filter { $0.channel == "email" } }

        func remove() { fixture.remove() }
    }

    @Test func driftOpensUpdatesDedupsAndResolvesByRevert() async throws {
        let rig = try Rig()
        defer { rig.remove() }
        await rig.check(.drifted, facts: S.facts(changedBy: "bob"), at: 0, trigger: .syslog, changedBy: "bob")
        var emails = try await rig.emails()
        #expect(emails.count == 1)
        let alert = try #require(try await rig.store.alerts(includeResolved: false).first)
        let id = try #require(alert.id)
        #expect(emails[0].alertID == id)
        #expect(emails[0].subject == "[DriftWatch] DRIFT r1: +1 \u{2212}1 lines vs baseline v7")
        #expect(emails[0].messageID.hasPrefix("<alert-\(id).1."))
        #expect(emails[0].body.contains("driftwatch alerts ack \(id) --as NAME"))
        #expect(emails[0].body.contains("alice"))  // v7's approver
        #expect(alert.messageIDRoot?.hasPrefix("<driftwatch.r1.") == true)
        #expect(AlertDetails(json: alert.details).pending.isEmpty)

        // The same drift on the next polls: nothing more.
        await rig.check(.drifted, facts: S.facts(snapshot: 43), at: 300)
        await rig.check(.drifted, facts: S.facts(snapshot: 43), at: 600)
        #expect(try await rig.emails().count == 1)

        // A changed drift updates the same alert.
        await rig.check(.drifted, facts: S.facts(added: ["a", "b"]), at: 900)
        emails = try await rig.emails()
        #expect(emails.count == 2)
        #expect(emails[1].subject == "[DriftWatch] UPDATED r1: +2 \u{2212}1 lines vs baseline v7")
        #expect(emails[1].alertID == id)
        #expect(try await rig.store.alerts(includeResolved: true).count == 1)

        // Back to v7: resolved, with an email saying so.
        await rig.check(.clean, at: 1200)
        emails = try await rig.emails()
        #expect(emails.count == 3)
        #expect(emails[2].subject == "[DriftWatch] RESOLVED r1: back to baseline v7")
        #expect(try await rig.store.alert(id: id)?.status == .resolved)
        // Clean again: nothing.
        await rig.check(.clean, at: 1500)
        #expect(try await rig.emails().count == 3)
        // All three thread under one root and have distinct ids.
        #expect(Set(emails.map(\.messageID)).count == 3)
        let root = try #require(alert.messageIDRoot)
        for email in emails { #expect(email.body.contains("In-Reply-To: \(root)") || email.body.contains(root)) }
    }

    @Test func approvalOfANewBaselineResolvesNamingTheApprover() async throws {
        let rig = try Rig()
        defer { rig.remove() }
        await rig.check(.drifted, facts: S.facts(), at: 0)
        // The approval re-check: clean against v8 (approved by bob).
        await rig.check(.clean, version: 8, at: 60, trigger: .approval)
        let emails = try await rig.emails()
        #expect(emails.count == 2)
        #expect(emails[1].subject == "[DriftWatch] RESOLVED r1: new baseline v8 approved by bob")
        #expect(emails[1].body.contains("change 8"))
        let alert = try #require(try await rig.store.alerts(includeResolved: true).first)
        #expect(AlertDetails(json: alert.details).resolution?.kind == .approved)
    }

    @Test func aDriftAfterResolutionOpensANewAlert() async throws {
        let rig = try Rig()
        defer { rig.remove() }
        await rig.check(.drifted, facts: S.facts(), at: 0)
        await rig.check(.clean, at: 60)
        await rig.check(.drifted, facts: S.facts(), at: 120)
        let alerts = try await rig.store.alerts(includeResolved: true)
        #expect(alerts.count == 2)
        #expect(try await rig.emails().map(\.subject).filter { $0.hasPrefix("[DriftWatch] DRIFT") }.count == 2)
    }

    @Test func massChangeGivesIndividualEmailsUpToTheThresholdThenOneDigest() async throws {
        let devices = (1...6).map { "sw-\($0)" }
        let rig = try Rig(devices: devices, digest: DigestSettings(threshold: 3, window: .seconds(60)))
        defer { rig.remove() }
        for (index, device) in devices.enumerated() {
            await rig.check(device, .drifted, facts: S.facts(added: ["x \(index)"]), at: Double(index))
        }
        var emails = try await rig.emails()
        #expect(emails.map(\.subject).allSatisfy { $0.hasPrefix("[DriftWatch] DRIFT sw-") })
        #expect(emails.count == 2)  // threshold − 1
        #expect(try await rig.store.alerts(includeResolved: false).count == 6)
        // Inside the window: no digest yet.
        await rig.center.tick(now: S.at(30))
        #expect(try await rig.emails().count == 2)
        // The batch started at the third opening (t = 2 s); it closes at 62 s.
        await rig.center.tick(now: S.at(62))
        emails = try await rig.emails()
        #expect(emails.count == 3)
        let digest = emails[2]
        #expect(digest.subject == "[DriftWatch] DIGEST 4 devices drifted")
        for device in devices.suffix(4) { #expect(digest.body.contains("\(device):")) }
        for device in devices.prefix(2) { #expect(!digest.body.contains("\(device):")) }
        // Once only; members are now ordinary open alerts.
        await rig.center.tick(now: S.at(200))
        #expect(try await rig.emails().count == 3)
        for alert in try await rig.store.alerts(includeResolved: false) {
            #expect(AlertDetails(json: alert.details).notified)
            #expect(AlertDetails(json: alert.details).hold == nil)
        }
        // A single drift later, outside any burst, is emailed at once.
        await rig.check("sw-1", .drifted, facts: S.facts(added: ["later"]), at: 400)
        #expect(try await rig.emails().last?.subject.hasPrefix("[DriftWatch] UPDATED sw-1") == true)
    }

    @Test func driftInAMaintenanceWindowIsSentWhenTheWindowClosesIfStillThere() async throws {
        // S.t0 is 2026-09-21 (a Monday) 14:13:20 UTC; the window is every day 14:00–15:00.
        let window = MaintenanceWindow(groups: ["core"], every: "day", from: "14:00", to: "15:00")
        let rig = try Rig(devices: ["r1", "r2"], windows: [window])
        defer { rig.remove() }
        #expect(MaintenanceSchedule(windows: [window]).contains(S.t0, device: "r1", groups: ["core"]))
        await rig.check("r1", .drifted, facts: S.facts(), maintenance: true, at: 0)
        await rig.check("r2", .drifted, facts: S.facts(), maintenance: true, at: 0)
        #expect(try await rig.emails().isEmpty)
        let held = try await rig.store.alerts(includeResolved: false)
        #expect(held.count == 2)
        #expect(held.allSatisfy { AlertDetails(json: $0.details).hold == .maintenance })
        // r2 is approved inside the window: its alert resolves without any email.
        await rig.check("r2", .clean, version: 8, maintenance: true, at: 600)
        await rig.center.tick(now: S.at(1200))  // still inside
        #expect(try await rig.emails().isEmpty)
        await rig.center.tick(now: S.at(47 * 60))  // 15:00:20: closed
        let emails = try await rig.emails()
        #expect(emails.map(\.subject) == ["[DriftWatch] DRIFT r1: +1 \u{2212}1 lines vs baseline v7"])
        await rig.center.tick(now: S.at(50 * 60))
        #expect(try await rig.emails().count == 1)
    }

    @Test func remindersUntilAcknowledged() async throws {
        let rig = try Rig(reminderAfter: .seconds(3600))
        defer { rig.remove() }
        await rig.check(.drifted, facts: S.facts(), at: 0)
        let id = try #require(try await rig.store.alerts(includeResolved: false).first?.id)
        await rig.center.tick(now: S.at(1800))
        #expect(try await rig.emails().count == 1)
        await rig.center.tick(now: S.at(3601))
        #expect(try await rig.emails().last?.subject.hasPrefix("[DriftWatch] REMINDER r1: drift open since") == true)
        await rig.center.tick(now: S.at(3700))
        #expect(try await rig.emails().count == 2)
        _ = try await rig.store.acknowledgeAlert(id: id, by: "alice", at: S.at(3800))
        await rig.center.tick(now: S.at(10 * 3600))
        #expect(try await rig.emails().count == 2)
        #expect(try await rig.store.auditRecords(since: nil).contains { $0.action == "alert.ack" && $0.actor == "alice" })
    }

    @Test func collectionFailuresOpenSeparateAlertsAndRecover() async throws {
        let rig = try Rig()
        defer { rig.remove() }
        for attempt in 1...4 {
            try await rig.store.saveDeviceState(
                DeviceState(device: "r1", status: .unreachable, since: S.t0, consecutiveFailures: attempt))
            await rig.check(
                .unreachable, collection: .unreachable, message: "r1 (127.0.0.1:22): connection refused",
                at: Double(attempt) * 60)
            #expect(try await rig.emails().count == (attempt >= 3 ? 1 : 0))
        }
        await rig.check(.drifted, collection: .authFailed, message: "r1: authentication failed", at: 400)
        await rig.check(.drifted, collection: .hostKeyChanged, message: "r1: host key changed: presented SHA256:abc", at: 500)
        var subjects = try await rig.emails().map(\.subject)
        #expect(subjects == [
            "[DriftWatch] UNREACHABLE r1: 3 collections in a row failed",
            "[DriftWatch] AUTH FAILED r1: the device refused the credentials",
            "[DriftWatch] SECURITY r1: host key changed",
        ])
        #expect(try await rig.emails()[0].body.contains("connection refused"))
        // A good collection clears all three, each with its own email.
        await rig.check(.clean, at: 600)
        subjects = try await rig.emails().map(\.subject)
        #expect(subjects.count == 6)
        #expect(subjects.suffix(3).allSatisfy { $0.hasPrefix("[DriftWatch] RESOLVED r1:") })
        #expect(try await rig.store.alerts(includeResolved: false).isEmpty)
    }

    @Test func noticesLeftPendingByACrashAreEnqueuedByTheNextTick() async throws {
        let rig = try Rig()
        defer { rig.remove() }
        // The first transaction of an opening, as if the process died before the second.
        var details = AlertDetails()
        details.drift = S.facts()
        details.hash = details.drift?.contentHash
        details.notified = true
        details.pending = [.opened]
        let pendingJSON = details.json
        _ = try await rig.store.updateAlert(device: "r1", kind: .drift, key: AlertCenter.driftKey) { _ in
            AlertUpdate(alert: Alert(device: "r1", kind: .drift, key: AlertCenter.driftKey, openedAt: S.t0, details: pendingJSON))
        }
        #expect(try await rig.emails().isEmpty)
        await rig.center.tick(now: S.at(5))
        let emails = try await rig.emails()
        #expect(emails.count == 1)
        #expect(emails[0].subject.hasPrefix("[DriftWatch] DRIFT r1"))
        await rig.center.tick(now: S.at(10))
        #expect(try await rig.emails().count == 1)
    }

    @Test func aFailedBaselineVerifyOpensASecurityAlert() async throws {
        let rig = try Rig()
        defer { rig.remove() }
        let issue = VerificationIssue(
            scope: .baseline, subject: "r1", version: 3, kind: .edited, file: "baselines/devices/r1/v3.cfg",
            message: "the content differs from what was approved")
        await rig.center.baselinesVerified([issue], at: S.t0)
        await rig.center.baselinesVerified([issue], at: S.at(60))
        #expect(try await rig.emails().map(\.subject) == ["[DriftWatch] SECURITY r1: baseline verify failed"])
        await rig.center.baselinesVerified([], at: S.at(120))
        #expect(try await rig.emails().last?.subject == "[DriftWatch] RESOLVED r1: baseline verify passes again")
    }

    /// The signal is kept for the next waiter: the wait returns at once instead of after its
    /// hour (the time limit fails the test otherwise).
    @Test(.timeLimit(.minutes(1))) func enqueueingWakesTheSender() async throws {
        let rig = try Rig()
        defer { rig.remove() }
        await rig.check(.drifted, facts: S.facts(), at: 0)
        await rig.wakeup.wait(timeout: .seconds(3600))
    }
}
