import Baselines
import Foundation
import GRDB
import Testing

@testable import DriftWatch

@Suite struct StateAuditTests {
    func fill(_ store: SQLiteStateStore, count: Int) async throws {
        for index in 1...count {
            try await store.appendAudit(
                AuditEntry(
                    actor: index % 2 == 0 ? "bob" : "alice", action: "baseline.approve", target: "r\(index)",
                    details: ["version": "\(index)", "reason": "change \(index)"],
                    time: StateFixture.time(Double(index))))
        }
    }

    @Test func appendedRecordsChainAndVerifyInTheJSONLinesFormat() async throws {
        let fixture = try StateFixture()
        defer { fixture.remove() }
        try await fill(fixture.store, count: 3)
        let records = try await fixture.store.auditRecords(since: nil)
        #expect(records.map(\.sequence) == [1, 2, 3])
        #expect(records[0].previousSHA256 == nil)
        #expect(records[1].previousSHA256 == records[0].sha256)
        #expect(records[2].previousSHA256 == records[1].sha256)
        #expect(records.allSatisfy { $0.hashIsValid })
        #expect(try await fixture.store.verifyAudit().isEmpty)
        #expect(try await fixture.store.auditRecords(since: StateFixture.time(2)).map(\.sequence) == [2, 3])

        // Same record, same hash as the JSON-lines log: the two chains are one format.
        let log = AuditLog(stateFolder: fixture.folder.appendingPathComponent("jsonl"))
        let first = records[0]
        let fromFile = try log.append(
            actor: first.actor, action: first.action, target: first.target, details: first.details,
            time: StateFixture.time(1))
        #expect(fromFile == first)
        // A database record written out as a line is accepted by the file's decoder.
        let line = String(decoding: try records[1].line(), as: UTF8.self)
        #expect(try AuditRecord.decode(Substring(line)).get() == records[1])
    }

    @Test func editedRowIsReportedWithItsSequenceNumber() async throws {
        let fixture = try StateFixture()
        defer { fixture.remove() }
        try await fill(fixture.store, count: 5)
        // The trigger refuses ordinary edits and deletions.
        await #expect(throws: DatabaseError.self) {
            try await fixture.store.pool.write { db in
                try db.execute(sql: "UPDATE audit_log SET actor = 'eve' WHERE seq = 2")
            }
        }
        await #expect(throws: DatabaseError.self) {
            try await fixture.store.pool.write { db in try db.execute(sql: "DELETE FROM audit_log WHERE seq = 1") }
        }
        #expect(try await fixture.store.verifyAudit().isEmpty)
        // Someone with the file drops the trigger and edits record 2.
        try await fixture.store.pool.write { db in
            try db.execute(sql: "DROP TRIGGER audit_log_append_only")
            try db.execute(sql: "UPDATE audit_log SET actor = 'eve' WHERE seq = 2")
        }
        let issues = try await fixture.store.verifyAudit()
        #expect(issues.map(\.sequence) == [2])
        #expect(issues.first?.message.contains("was altered") == true)
    }

    @Test func removedAndRehashedRowsBreakTheChain() async throws {
        let fixture = try StateFixture()
        defer { fixture.remove() }
        try await fill(fixture.store, count: 5)
        // Record 3 rewritten with a valid hash of its own: the chain breaks at 4.
        let forged = try AuditRecord(
            sequence: 3, time: "2026-01-01T00:00:00Z", actor: "eve", action: "baseline.approve", target: "r3",
            details: [:], previousSHA256: nil)
        try await fixture.store.pool.write { db in
            try db.execute(sql: "DROP TRIGGER audit_log_append_only")
            try db.execute(
                sql:
                    "UPDATE audit_log SET time = ?, actor = ?, details = '{}', prev_sha256 = NULL, sha256 = ? WHERE seq = 3",
                arguments: [forged.time, forged.actor, forged.sha256])
        }
        #expect(try await fixture.store.verifyAudit().map(\.sequence) == [3, 4])

        let other = try StateFixture()
        defer { other.remove() }
        try await fill(other.store, count: 5)
        try await other.store.pool.write { db in
            try db.execute(sql: "DROP TRIGGER audit_log_prune_only")
            try db.execute(sql: "DELETE FROM audit_log WHERE seq = 4")
        }
        #expect(try await other.store.verifyAudit().map(\.sequence) == [5])
    }

    @Test func retentionNeverDeletesYoungRecordsAndKeepsTheChainVerifiable() async throws {
        let fixture = try StateFixture(options: StateStoreOptions(auditSegmentSize: 10))
        defer { fixture.remove() }
        let store = fixture.store
        let now = StateFixture.time(400 * 86_400)
        let old = now.addingTimeInterval(-200 * 86_400)
        let young = now.addingTimeInterval(-10 * 86_400)
        // 1–12 old, 13 young, 14–16 old again (a clock that jumped back), 17–25 young.
        for index in 1...25 {
            let time = (index <= 12 || (14...16).contains(index)) ? old : young
            try await store.appendAudit(
                AuditEntry(actor: "alice", action: "test", target: "r", details: ["n": "\(index)"], time: time))
        }
        // 30 days earlier, the old records were 170 days old: nothing goes.
        #expect(try await store.pruneAudit(now: now.addingTimeInterval(-30 * 86_400)).deleted == 0)

        let result = try await store.pruneAudit(now: now)
        // 1…12 are old, but segments are whole: 1…10 go, 11 and 12 stay with everything after.
        #expect(result == AuditPruneResult(deleted: 10, anchorSequence: 10))
        let remaining = try await store.auditRecords(since: nil)
        #expect(remaining.map(\.sequence) == Array(11...26))
        #expect(remaining.last?.action == "audit.prune")
        #expect(remaining.last?.details["anchor_seq"] == "10")
        let cutoff = ApprovalDraft.timestamp(now.addingTimeInterval(-180 * 86_400))
        // Every young record is still there: 13, 17–25 and the prune record.
        #expect(remaining.filter { $0.time >= cutoff }.count == 11)
        #expect(try await store.verifyAudit().isEmpty)
        // Again: 11 and 12 do not make a whole segment, 13 is young.
        #expect(try await store.pruneAudit(now: now.addingTimeInterval(1)).deleted == 0)
        // Appends continue the chain from the remaining records.
        let next = try await store.appendAudit(AuditEntry(actor: "bob", action: "test", target: "r"))
        #expect(next.sequence == 27)
        #expect(try await store.verifyAudit().isEmpty)

        // Moving the anchor to hide more deletions is detected.
        try await store.pool.write { db in
            try db.execute(
                sql: "UPDATE audit_anchor SET seq = 11, sha256 = (SELECT sha256 FROM audit_log WHERE seq = 11)")
            try db.execute(sql: "DELETE FROM audit_log WHERE seq = 11")
        }
        #expect(try await store.verifyAudit().map(\.sequence) == [11])
    }

    @Test func everythingOldAndWholeIsPrunedButNotTheNewestRecord() async throws {
        let fixture = try StateFixture(options: StateStoreOptions(auditSegmentSize: 5))
        defer { fixture.remove() }
        let now = StateFixture.time(400 * 86_400)
        for index in 1...10 {
            try await fixture.store.appendAudit(
                AuditEntry(
                    actor: "a", action: "test", target: "r", details: ["n": "\(index)"], time: StateFixture.time(0)))
        }
        let result = try await fixture.store.pruneAudit(now: now)
        #expect(result == AuditPruneResult(deleted: 10, anchorSequence: 10))
        #expect(try await fixture.store.auditRecords(since: nil).map(\.sequence) == [11])
        #expect(try await fixture.store.verifyAudit().isEmpty)
        // A tampered log is not pruned (the evidence stays).
        try await fixture.store.pool.write { db in
            try db.execute(sql: "DROP TRIGGER audit_log_append_only")
            try db.execute(sql: "UPDATE audit_log SET actor = 'eve' WHERE seq = 11")
        }
        await #expect {
            try await fixture.store.pruneAudit(now: now.addingTimeInterval(400 * 86_400))
        } throws: { ($0 as? StateStoreError)?.code == .conflict }
    }
}
