import ConfigDiff
import Foundation
import Testing

@testable import DriftWatch

/// The lifecycle as a value: every transition and the no-ops, without I/O.
@Suite struct AlertLifecycleTests {
    let lifecycle = AlertLifecycle(unreachableThreshold: 3, reminderAfter: .seconds(3600))
    typealias S = AlertSamples

    func drift(_ current: Alert?, _ facts: DriftFacts, maintenance: Bool = false,
               admission: AlertLifecycle.Admission = .individual, at seconds: Double = 0) -> AlertLifecycle.Decision? {
        lifecycle.decide(
            current, .driftObserved(facts, inMaintenance: maintenance, admission: admission), device: "r1",
            kind: .drift, key: "drift", at: S.at(seconds))
    }

    func event(_ current: Alert?, _ event: AlertLifecycle.Event, kind: AlertKind = .drift, at seconds: Double)
        -> AlertLifecycle.Decision?
    {
        lifecycle.decide(current, event, device: "r1", kind: kind, key: "drift", at: S.at(seconds))
    }

    /// Opens r1's drift alert and returns it as stored.
    func opened() throws -> Alert {
        let decision = try #require(drift(nil, S.facts()))
        return S.stored(decision.alert)
    }

    @Test func firstDriftOpensWithOneOpeningNotice() throws {
        let decision = try #require(drift(nil, S.facts()))
        #expect(decision.notices == [.opened])
        #expect(decision.alert.status == .open)
        #expect(decision.alert.kind == .drift)
        let details = AlertDetails(json: decision.alert.details)
        #expect(details.notified)
        #expect(details.hash == S.facts().contentHash)
        #expect(details.drift?.delta.addedLines == 1)
        #expect(details.hold == nil)
    }

    @Test func sameDriftAgainIsANoOp() throws {
        let alert = try opened()
        // Same content, later, another snapshot id and trigger: still the same drift.
        #expect(drift(alert, S.facts(snapshot: 43, trigger: "syslog", at: S.at(300)), at: 300) == nil)
    }

    @Test func changedDriftIsAnUpdateOfTheSameAlert() throws {
        let alert = try opened()
        let decision = try #require(drift(alert, S.facts(added: ["description changed", "shutdown"]), at: 60))
        #expect(decision.notices == [.updated])
        #expect(decision.alert.id == alert.id)
        #expect(decision.alert.updatedAt == S.at(60))
        #expect(AlertDetails(json: decision.alert.details).drift?.delta.addedLines == 2)
        // And the new drift seen again is a no-op.
        #expect(drift(S.stored(decision.alert), S.facts(added: ["description changed", "shutdown"]), at: 120) == nil)
    }

    @Test func aChangedFindingAloneIsAnUpdate() throws {
        let alert = try opened()
        let finding = DeviceCheck.Finding(standard: "base", rule: "ntp", severity: "high", path: [], message: "ntp missing")
        #expect(drift(alert, S.facts(findings: [finding]), at: 60)?.notices == [.updated])
    }

    @Test func reminderIsDueOnlyAfterReminderAfterAndRepeats() throws {
        let alert = try opened()
        #expect(event(alert, .reminderDue, at: 3599) == nil)
        let first = try #require(event(alert, .reminderDue, at: 3600))
        #expect(first.notices == [.reminded])
        let reminded = first.alert
        #expect(AlertDetails(json: reminded.details).reminders == 1)
        #expect(event(reminded, .reminderDue, at: 3600 + 1800) == nil)
        #expect(event(reminded, .reminderDue, at: 7200)?.notices == [.reminded])
    }

    @Test func noRemindersWithoutReminderAfter() throws {
        let quiet = AlertLifecycle()
        let alert = try opened()
        #expect(quiet.decide(alert, .reminderDue, device: "r1", kind: .drift, key: "drift", at: S.at(86400 * 30)) == nil)
    }

    @Test func acknowledgementStopsRemindersAndIsAudited() throws {
        let alert = try opened()
        let decision = try #require(event(alert, .acknowledged(by: "alice"), at: 10))
        #expect(decision.notices.isEmpty)
        #expect(decision.alert.status == .acknowledged)
        #expect(decision.alert.acknowledgedBy == "alice")
        #expect(decision.audit?.actor == "alice")
        #expect(decision.audit?.action == "alert.ack")
        #expect(decision.audit?.details["alert"] == "1")
        #expect(event(decision.alert, .reminderDue, at: 86400) == nil)
        // Acknowledging twice changes nothing.
        #expect(event(decision.alert, .acknowledged(by: "bob"), at: 20) == nil)
        // An acknowledged alert still gets updates and resolves.
        #expect(drift(decision.alert, S.facts(added: ["x"]), at: 30)?.notices == [.updated])
        #expect(event(decision.alert, .cleanObserved(baselineVersion: 7), at: 40)?.notices == [.resolved])
    }

    @Test func revertResolvesWithItsReason() throws {
        let alert = try opened()
        let decision = try #require(event(alert, .cleanObserved(baselineVersion: 7), at: 90))
        #expect(decision.notices == [.resolved])
        #expect(decision.alert.status == .resolved)
        #expect(decision.alert.resolvedAt == S.at(90))
        #expect(AlertDetails(json: decision.alert.details).resolution == AlertResolution(kind: .reverted, version: 7))
    }

    @Test func approvalResolvesNamingTheApprover() throws {
        let alert = try opened()
        let approval = AlertLifecycle.Approval(version: 8, approver: "alice", reason: "CHG-42 done", ticket: "CHG-42")
        let decision = try #require(event(alert, .baselineApproved(approval), at: 90))
        #expect(decision.notices == [.resolved])
        let resolution = AlertDetails(json: decision.alert.details).resolution
        #expect(resolution?.kind == .approved)
        #expect(resolution?.version == 8)
        #expect(resolution?.approver == "alice")
        #expect(resolution?.reason == "CHG-42 done")
    }

    @Test func eventsWithoutAnAlertOrOnAResolvedOneDoNothing() throws {
        #expect(event(nil, .cleanObserved(baselineVersion: 7), at: 0) == nil)
        #expect(event(nil, .reminderDue, at: 0) == nil)
        #expect(event(nil, .acknowledged(by: "alice"), at: 0) == nil)
        #expect(event(nil, .maintenanceClosed(admission: .individual), at: 0) == nil)
        #expect(event(nil, .digestSent, at: 0) == nil)
        #expect(event(nil, .conditionCleared, kind: .unreachable, at: 0) == nil)
        let resolved = try #require(event(try opened(), .cleanObserved(baselineVersion: 7), at: 1)).alert
        #expect(drift(resolved, S.facts(added: ["y"]), at: 2) == nil)
        #expect(event(resolved, .acknowledged(by: "alice"), at: 2) == nil)
        #expect(event(resolved, .reminderDue, at: 99999) == nil)
        // Not held: a maintenance close or a digest changes nothing.
        #expect(event(try opened(), .maintenanceClosed(admission: .individual), at: 5) == nil)
        #expect(event(try opened(), .digestSent, at: 5) == nil)
    }

    @Test func driftInsideMaintenanceIsHeldThenSentWhenTheWindowCloses() throws {
        let decision = try #require(drift(nil, S.facts(), maintenance: true))
        #expect(decision.notices.isEmpty)
        let held = S.stored(decision.alert)
        #expect(AlertDetails(json: held.details).hold == .maintenance)
        #expect(!AlertDetails(json: held.details).notified)
        // Same drift still inside the window: nothing; no reminder for a held alert.
        #expect(drift(held, S.facts(), maintenance: true, at: 60) == nil)
        #expect(event(held, .reminderDue, at: 7200) == nil)
        // The window closes: the opening email goes out.
        let released = try #require(event(held, .maintenanceClosed(admission: .individual), at: 3600))
        #expect(released.notices == [.opened])
        #expect(AlertDetails(json: released.alert.details).hold == nil)
        #expect(AlertDetails(json: released.alert.details).notified)
    }

    @Test func aCheckAfterTheWindowAlsoReleasesTheHeldOpening() throws {
        let held = S.stored(try #require(drift(nil, S.facts(), maintenance: true)).alert)
        #expect(drift(held, S.facts(), maintenance: false, at: 4000)?.notices == [.opened])
    }

    @Test func driftApprovedOrRevertedInsideTheWindowSendsNothing() throws {
        let held = S.stored(try #require(drift(nil, S.facts(), maintenance: true)).alert)
        let approval = AlertLifecycle.Approval(version: 8, approver: "alice", reason: "planned")
        let decision = try #require(event(held, .baselineApproved(approval), at: 600))
        #expect(decision.notices.isEmpty)
        #expect(decision.alert.status == .resolved)
        #expect(event(held, .cleanObserved(baselineVersion: 7), at: 600)?.notices == [])
    }

    @Test func aChangeOfAnAnnouncedDriftInsideAWindowIsHeldAsAnUpdate() throws {
        let alert = try opened()
        let decision = try #require(drift(alert, S.facts(added: ["z"]), maintenance: true, at: 60))
        #expect(decision.notices.isEmpty)
        let held = S.stored(decision.alert)
        #expect(event(held, .maintenanceClosed(admission: .individual), at: 3600)?.notices == [.updated])
    }

    @Test func digestAdmissionOpensWithoutAnEmailUntilTheDigestIsSent() throws {
        let decision = try #require(drift(nil, S.facts(), admission: .digest(batch: 1234)))
        #expect(decision.notices.isEmpty)
        let member = S.stored(decision.alert)
        let details = AlertDetails(json: member.details)
        #expect(details.hold == .digest)
        #expect(details.digestBatch == 1234)
        #expect(event(member, .reminderDue, at: 7200) == nil)
        // Reverted before the digest went out: silent.
        #expect(event(member, .cleanObserved(baselineVersion: 7), at: 10)?.notices == [])
        let sent = try #require(event(member, .digestSent, at: 60))
        #expect(sent.notices.isEmpty)
        #expect(AlertDetails(json: sent.alert.details).notified)
        #expect(AlertDetails(json: sent.alert.details).hold == nil)
        // After the digest the alert behaves as any other.
        #expect(event(sent.alert, .cleanObserved(baselineVersion: 7), at: 90)?.notices == [.resolved])
        #expect(event(sent.alert, .reminderDue, at: 60 + 3600)?.notices == [.reminded])
    }

    @Test func unreachableOpensAtTheThresholdAndResolvesOnSuccess() throws {
        func failed(_ current: Alert?, _ count: Int) -> AlertLifecycle.Decision? {
            lifecycle.decide(
                current, .conditionObserved(consecutive: count, message: "r1 (127.0.0.1:1): connection refused"),
                device: "r1", kind: .unreachable, key: "condition", at: S.at(Double(count)))
        }
        #expect(failed(nil, 1) == nil)
        #expect(failed(nil, 2) == nil)
        let opened = try #require(failed(nil, 3))
        #expect(opened.notices == [.opened])
        #expect(AlertDetails(json: opened.alert.details).failures == 3)
        let alert = S.stored(opened.alert)
        // More failures: counted, no email.
        let fourth = try #require(failed(alert, 4))
        #expect(fourth.notices.isEmpty)
        #expect(failed(S.stored(fourth.alert), 4) == nil)
        let cleared = try #require(
            lifecycle.decide(alert, .conditionCleared, device: "r1", kind: .unreachable, key: "condition", at: S.at(9)))
        #expect(cleared.notices == [.resolved])
        #expect(AlertDetails(json: cleared.alert.details).resolution?.kind == .recovered)
    }

    @Test(arguments: [AlertKind.authFailed, .stale])
    func authFailedAndStaleOpenAtOnce(kind: AlertKind) throws {
        let decision = try #require(
            lifecycle.decide(
                nil, .conditionObserved(consecutive: 1, message: "refused"), device: "r1", kind: kind, key: "condition",
                at: S.t0))
        #expect(decision.notices == [.opened])
        #expect(
            lifecycle.decide(
                S.stored(decision.alert), .conditionObserved(consecutive: 1, message: "refused"), device: "r1",
                kind: kind, key: "condition", at: S.at(60)) == nil)
    }

    @Test(arguments: [AlertKind.hostKeyChanged, .verifyFailed])
    func securityAlertsOpenAndTellAgainWhenTheConditionChanges(kind: AlertKind) throws {
        func observe(_ current: Alert?, _ message: String) -> AlertLifecycle.Decision? {
            lifecycle.decide(
                current, .conditionObserved(consecutive: 1, message: message), device: "r1", kind: kind,
                key: "condition", at: S.t0)
        }
        let opened = try #require(observe(nil, "presented SHA256:aaa"))
        #expect(opened.notices == [.opened])
        let alert = S.stored(opened.alert)
        #expect(observe(alert, "presented SHA256:aaa") == nil)
        #expect(observe(alert, "presented SHA256:bbb")?.notices == [.updated])
    }
}
