import Foundation
import GRDB
import Testing

@testable import DriftWatch

@Suite struct StateAlertTests {
    struct Refused: Error {}
    struct Missing: Error {}

    func draft(_ subject: String, id: String? = nil) -> OutboxDraft {
        OutboxDraft(recipients: ["oncall@example.net"], subject: subject, body: "body of \(subject)", messageID: id)
    }

    func rows(_ store: SQLiteStateStore) async throws -> (alerts: Int, outbox: Int, audit: Int) {
        try await store.pool.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM alerts") ?? -1,
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox") ?? -1,
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_log") ?? -1
            )
        }
    }

    @Test func alertAndItsMessagesAreWrittenTogether() async throws {
        let fixture = try StateFixture()
        defer { fixture.remove() }
        let store = fixture.store
        let now = StateFixture.time(0)
        let first = try await store.updateAlert(device: "r1", kind: .drift, key: "k1") { current in
            guard current == nil else { throw Refused() }
            return AlertUpdate(
                alert: Alert(device: "r1", kind: .drift, key: "k1", openedAt: now),
                messages: [draft("opened"), draft("copy for webhook")])
        }
        let opened = try #require(first)
        #expect(opened.alert.id != nil)
        #expect(opened.messages.count == 2)
        #expect(opened.alert.messageIDRoot == opened.messages.first?.messageID)
        #expect(Set(opened.messages.map(\.messageID)).count == 2)
        #expect(opened.messages.allSatisfy { $0.alertID == opened.alert.id && $0.status == .pending })

        // The same key again: the decision sees the open alert and updates it.
        let second = try await store.updateAlert(device: "r1", kind: .drift, key: "k1") { current in
            guard var alert = current else { throw Missing() }
            alert.updatedAt = now.addingTimeInterval(60)
            alert.details = "{\"added\":2}"
            return AlertUpdate(alert: alert, messages: [draft("updated")])
        }
        let updated = try #require(second)
        #expect(updated.alert.id == opened.alert.id)
        #expect(updated.alert.messageIDRoot == opened.alert.messageIDRoot)
        #expect(try await store.alert(id: try #require(opened.alert.id))?.details == "{\"added\":2}")
        #expect(try await rows(store) == (1, 3, 0))

        // Nothing to do: nothing written.
        let nothing = try await store.updateAlert(device: "r1", kind: .drift, key: "k1") { _ in nil }
        #expect(nothing == nil)
        #expect(try await rows(store) == (1, 3, 0))
    }

    @Test func aFailureInsideTheTransactionLeavesNeitherAlertNorMessage() async throws {
        let fixture = try StateFixture()
        defer { fixture.remove() }
        let store = fixture.store
        let now = StateFixture.time(0)
        // The decision throws.
        await #expect(throws: Refused.self) {
            try await store.updateAlert(device: "r1", kind: .drift, key: "k") { _ in throw Refused() }
        }
        // The alert row is written, then the second message fails (duplicate Message-ID).
        await #expect {
            try await store.updateAlert(device: "r1", kind: .drift, key: "k") { _ in
                AlertUpdate(
                    alert: Alert(device: "r1", kind: .drift, key: "k", openedAt: now),
                    messages: [draft("one", id: "<same@x>"), draft("two", id: "<same@x>")],
                    audit: AuditEntry(actor: "driftwatch", action: "alert.open", target: "r1"))
            }
        } throws: { ($0 as? StateStoreError)?.code == .conflict }
        #expect(try await rows(store) == (0, 0, 0))
        #expect(try await store.alerts(includeResolved: true).isEmpty)
        // A second open alert for the same key is refused too.
        _ = try await store.updateAlert(device: "r1", kind: .drift, key: "k") { _ in
            AlertUpdate(alert: Alert(device: "r1", kind: .drift, key: "k", openedAt: now))
        }
        await #expect {
            try await store.updateAlert(device: "r1", kind: .drift, key: "k") { _ in
                AlertUpdate(alert: Alert(device: "r1", kind: .drift, key: "k", openedAt: now), messages: [draft("dup")])
            }
        } throws: { ($0 as? StateStoreError)?.code == .conflict }
        #expect(try await rows(store) == (1, 0, 0))
    }

    @Test func acknowledgeAndResolve() async throws {
        let fixture = try StateFixture()
        defer { fixture.remove() }
        let store = fixture.store
        let now = StateFixture.time(0)
        let first = try await store.updateAlert(device: "r1", kind: .hostKeyChanged, key: "SHA256:new") { _ in
            AlertUpdate(alert: Alert(device: "r1", kind: .hostKeyChanged, key: "SHA256:new", openedAt: now))
        }
        let opened = try #require(first)
        let id = try #require(opened.alert.id)
        let acked = try await store.acknowledgeAlert(id: id, by: "alice", at: now.addingTimeInterval(5))
        #expect(acked.status == .acknowledged && acked.acknowledgedBy == "alice")
        let audit = try await store.auditRecords(since: nil)
        #expect(audit.map(\.action) == ["alert.ack"])
        #expect(audit.first?.details["alert"] == String(id))
        _ = try await store.updateAlert(device: "r1", kind: .hostKeyChanged, key: "SHA256:new") { current in
            guard var alert = current else { throw Missing() }
            alert.status = .resolved
            alert.updatedAt = now.addingTimeInterval(10)
            return AlertUpdate(alert: alert)
        }
        #expect(try await store.alerts(includeResolved: false).isEmpty)
        #expect(try await store.alert(id: id)?.resolvedAt == now.addingTimeInterval(10))
        await #expect {
            try await store.acknowledgeAlert(id: id, by: "bob", at: now)
        } throws: { ($0 as? StateStoreError)?.code == .conflict }
        await #expect {
            try await store.acknowledgeAlert(id: 999, by: "bob", at: now)
        } throws: { ($0 as? StateStoreError)?.code == .notFound }
        // A resolved alert does not block a new one with the same key.
        let reopened = try await store.updateAlert(device: "r1", kind: .hostKeyChanged, key: "SHA256:new") { current in
            guard current == nil else { throw Refused() }
            return AlertUpdate(alert: Alert(device: "r1", kind: .hostKeyChanged, key: "SHA256:new", openedAt: now))
        }
        #expect(reopened?.alert.id != id)
    }

    @Test func claimSendRetryWithBackoffAndGiveUp() async throws {
        let fixture = try StateFixture()
        defer { fixture.remove() }
        let store = fixture.store
        let t0 = StateFixture.time(0)
        let policy = RetryPolicy(initialDelaySeconds: 30, maximumDelaySeconds: 100, maximumAttempts: 4)
        let stored = try await store.updateAlert(device: "r1", kind: .drift, key: "k") { _ in
            AlertUpdate(
                alert: Alert(device: "r1", kind: .drift, key: "k", openedAt: t0),
                messages: [draft("first"), draft("second")])
        }
        let result = try #require(stored)
        let (first, second) = (result.messages[0], result.messages[1])

        let claimed1 = try #require(try await store.claimNextDueMessage(now: t0, claimSeconds: 60))
        #expect(claimed1.id == first.id && claimed1.attempts == 1)
        let claimed2 = try #require(try await store.claimNextDueMessage(now: t0, claimSeconds: 60))
        #expect(claimed2.id == second.id)
        #expect(try await store.claimNextDueMessage(now: t0, claimSeconds: 60) == nil)

        try await store.markSent(messageID: second.id, at: t0.addingTimeInterval(1))
        #expect(try await store.alert(id: try #require(result.alert.id))?.lastNotifiedAt == t0.addingTimeInterval(1))
        await #expect {
            try await store.markSent(messageID: second.id, at: t0)
        } throws: { ($0 as? StateStoreError)?.code == .notFound }

        // 4xx: retried after 30 s, then 60 s, then capped at 100 s.
        var failed = try await store.markFailed(
            messageID: first.id, error: "451 try later", permanent: false, at: t0.addingTimeInterval(2), policy: policy)
        #expect(failed.status == .pending && failed.nextAttemptAt == t0.addingTimeInterval(32))
        #expect(failed.lastError == "451 try later")
        #expect(try await store.claimNextDueMessage(now: t0.addingTimeInterval(31), claimSeconds: 60) == nil)
        #expect(try await store.claimNextDueMessage(now: t0.addingTimeInterval(32), claimSeconds: 60)?.attempts == 2)
        failed = try await store.markFailed(
            messageID: first.id, error: "451", permanent: false, at: t0.addingTimeInterval(40), policy: policy)
        #expect(failed.nextAttemptAt == t0.addingTimeInterval(100))

        // A claim nobody finishes (the sender crashed) expires: the same message, same Message-ID.
        let crashed = try #require(
            try await store.claimNextDueMessage(now: t0.addingTimeInterval(100), claimSeconds: 60))
        #expect(crashed.attempts == 3)
        #expect(try await store.claimNextDueMessage(now: t0.addingTimeInterval(159), claimSeconds: 60) == nil)
        let again = try #require(try await store.claimNextDueMessage(now: t0.addingTimeInterval(160), claimSeconds: 60))
        #expect(again.id == first.id && again.messageID == first.messageID && again.attempts == 4)

        // Out of attempts: failed for good.
        failed = try await store.markFailed(
            messageID: first.id, error: "451", permanent: false, at: t0.addingTimeInterval(161), policy: policy)
        #expect(failed.status == .failed)
        #expect(try await store.claimNextDueMessage(now: t0.addingTimeInterval(10_000), claimSeconds: 60) == nil)
        #expect(try await store.outboxMessages(statuses: [.failed]).map(\.id) == [first.id])
        #expect(try await store.outboxMessages(statuses: [.sent]).map(\.id) == [second.id])
        #expect(try await store.outboxMessages(statuses: [.pending]).isEmpty)
    }

    @Test func permanentFailureIsNotRetried() async throws {
        let fixture = try StateFixture()
        defer { fixture.remove() }
        let t0 = StateFixture.time(0)
        let stored = try await fixture.store.updateAlert(device: "r1", kind: .drift, key: "k") { _ in
            AlertUpdate(alert: Alert(device: "r1", kind: .drift, key: "k", openedAt: t0), messages: [draft("x")])
        }
        let result = try #require(stored)
        let message = try #require(try await fixture.store.claimNextDueMessage(now: t0, claimSeconds: 60))
        #expect(message.id == result.messages.first?.id)
        let failed = try await fixture.store.markFailed(
            messageID: message.id, error: "550 mailbox unavailable", permanent: true, at: t0, policy: RetryPolicy())
        #expect(failed.status == .failed && failed.lastError == "550 mailbox unavailable")
    }

    @Test func concurrentSendersClaimEachMessageOnce() async throws {
        let fixture = try StateFixture()
        defer { fixture.remove() }
        let store = fixture.store
        let t0 = StateFixture.time(0)
        for device in 0..<5 {
            _ = try await store.updateAlert(device: "d\(device)", kind: .drift, key: "k") { _ in
                AlertUpdate(
                    alert: Alert(device: "d\(device)", kind: .drift, key: "k", openedAt: t0),
                    messages: (0..<4).map { OutboxDraft(recipients: ["a@example.net"], subject: "m\($0)", body: "b") })
            }
        }
        let claimed = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var mine: [Int64] = []
                    while let message = try await store.claimNextDueMessage(now: t0, claimSeconds: 600) {
                        mine.append(message.id)
                        try await store.markSent(messageID: message.id, at: t0)
                    }
                    return mine
                }
            }
            var all: [Int64] = []
            for try await ids in group { all += ids }
            return all
        }
        #expect(claimed.count == 20)
        #expect(Set(claimed).count == 20)
        #expect(try await store.outboxMessages(statuses: [.sent]).count == 20)
    }
}
