import Baselines
import Foundation
import GRDB

/// The audit log in the database: the records of ``AuditRecord`` (same fields, same canonical
/// form and hash, same chain), one row each. Rows cannot be updated (trigger), and only
/// ``pruneAudit(now:)`` deletes, up to the anchor it records first.
extension SQLiteStateStore {
    /// See ``StateStore/appendAudit(_:)``.
    @discardableResult
    public func appendAudit(_ entry: AuditEntry) async throws -> AuditRecord {
        try await write("append to the audit log") { db in
            try Self.appendAudit(entry, db: db)
        }
    }

    /// See ``StateStore/auditRecords(since:)``.
    public func auditRecords(since: Date?) async throws -> [AuditRecord] {
        try await read("read the audit log") { db in
            let rows: [Row]
            if let since {
                rows = try Row.fetchAll(
                    db, sql: "SELECT * FROM audit_log WHERE time >= ? ORDER BY seq",
                    arguments: [ApprovalDraft.timestamp(since)])
            } else {
                rows = try Row.fetchAll(db, sql: "SELECT * FROM audit_log ORDER BY seq")
            }
            return try rows.map { row in
                guard let (record, _) = try Self.auditRecord(row) else {
                    throw StateStoreError(
                        .corruptRecord,
                        "audit record \(try StateRows.int(row, "seq")) has malformed details; run 'driftwatch audit verify'"
                    )
                }
                return record
            }
        }
    }

    /// See ``StateStore/verifyAudit()``.
    public func verifyAudit() async throws -> [AuditChainIssue] {
        try await read("verify the audit log") { db in try Self.verifyAudit(db: db) }
    }

    /// See ``StateStore/pruneAudit(now:)``.
    @discardableResult
    public func pruneAudit(now: Date) async throws -> AuditPruneResult {
        let options = options
        let file = path
        return try await write("prune the audit log") { db in
            let issues = try Self.verifyAudit(db: db)
            if let first = issues.first {
                throw StateStoreError(
                    .conflict,
                    "the audit log does not verify (\(first)); nothing was pruned, so that the evidence stays. Investigate with 'driftwatch audit verify'",
                    file: file)
            }
            let cutoff = ApprovalDraft.timestamp(
                now.addingTimeInterval(-Double(options.auditRetentionDays) * 86_400))
            let anchor = try Self.auditAnchor(db: db)
            guard let head = try Int.fetchOne(db, sql: "SELECT MAX(seq) FROM audit_log") else {
                return AuditPruneResult(deleted: 0, anchorSequence: nil)
            }
            // Every record up to `oldEnough` is older than the cutoff, whatever the order of times.
            let firstYoung = try Int.fetchOne(
                db, sql: "SELECT MIN(seq) FROM audit_log WHERE time >= ?", arguments: [cutoff])
            let oldEnough = (firstYoung ?? head + 1) - 1
            let cut = (oldEnough / options.auditSegmentSize) * options.auditSegmentSize
            guard cut > (anchor?.sequence ?? 0), cut < head + 1,
                let cutHash = try String.fetchOne(
                    db, sql: "SELECT sha256 FROM audit_log WHERE seq = ?", arguments: [cut])
            else {
                return AuditPruneResult(deleted: 0, anchorSequence: nil)
            }
            let deleted =
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_log WHERE seq <= ?", arguments: [cut]) ?? 0
            try Self.appendAudit(
                AuditEntry(
                    actor: "driftwatch", action: StateAuditAction.auditPrune, target: "audit_log",
                    details: [
                        "anchor_seq": String(cut), "anchor_sha256": cutHash, "deleted": String(deleted),
                        "retention_days": String(options.auditRetentionDays), "cutoff": cutoff,
                    ], time: now),
                db: db)
            try db.execute(
                sql: """
                    INSERT INTO audit_anchor (id, seq, sha256, pruned_at) VALUES (1, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, sha256 = excluded.sha256, pruned_at = excluded.pruned_at
                    """, arguments: [cut, cutHash, ApprovalDraft.timestamp(now)])
            try db.execute(sql: "DELETE FROM audit_log WHERE seq <= ?", arguments: [cut])
            return AuditPruneResult(deleted: deleted, anchorSequence: cut)
        }
    }

    // MARK: - Inside a transaction

    /// Appends `entry` after the last record (or the anchor) and returns the record.
    @discardableResult
    static func appendAudit(_ entry: AuditEntry, db: Database) throws -> AuditRecord {
        let previous: (sequence: Int, sha256: String)?
        if let head = try Row.fetchOne(db, sql: "SELECT seq, sha256 FROM audit_log ORDER BY seq DESC LIMIT 1") {
            previous = (Int(try StateRows.int(head, "seq")), try StateRows.string(head, "sha256"))
        } else {
            previous = try auditAnchor(db: db)
        }
        let record = try AuditRecord(
            sequence: (previous?.sequence ?? 0) + 1, time: ApprovalDraft.timestamp(entry.time), actor: entry.actor,
            action: entry.action, target: entry.target, details: entry.details, previousSHA256: previous?.sha256)
        let details = String(decoding: try AuditRecord.serialize(entry.details), as: UTF8.self)
        try db.execute(
            sql: """
                INSERT INTO audit_log (seq, time, actor, action, target, details, prev_sha256, sha256)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                record.sequence, record.time, record.actor, record.action, record.target, details,
                record.previousSHA256, record.sha256,
            ])
        return record
    }

    /// The pruning anchor, when records were pruned.
    static func auditAnchor(db: Database) throws -> (sequence: Int, sha256: String)? {
        guard let row = try Row.fetchOne(db, sql: "SELECT seq, sha256 FROM audit_anchor WHERE id = 1") else {
            return nil
        }
        return (Int(try StateRows.int(row, "seq")), try StateRows.string(row, "sha256"))
    }

    /// A stored record (with its stored sha256) and the sha256 its content hashes to; nil when
    /// the details are not a JSON object of strings.
    static func auditRecord(_ row: Row) throws -> (AuditRecord, computedSHA256: String)? {
        let json = try StateRows.string(row, "details")
        guard let parsed = try? JSONSerialization.jsonObject(with: Data(json.utf8)),
            let details = parsed as? [String: String]
        else { return nil }
        var record = try AuditRecord(
            sequence: Int(try StateRows.int(row, "seq")), time: try StateRows.string(row, "time"),
            actor: try StateRows.string(row, "actor"), action: try StateRows.string(row, "action"),
            target: try StateRows.string(row, "target"), details: details,
            previousSHA256: try StateRows.optionalString(row, "prev_sha256"))
        let computed = record.sha256
        record.sha256 = try StateRows.string(row, "sha256")
        return (record, computed)
    }

    /// The checks of ``AuditChain/verify(_:anchor:)`` (shared with ``AuditLog/verify()``), by
    /// sequence number, plus the check of the pruning anchor.
    static func verifyAudit(db: Database) throws -> [AuditChainIssue] {
        let anchor = try auditAnchor(db: db)
        var links: [AuditChain.Link] = []
        var lastPrune: AuditRecord?
        let rows = try Row.fetchCursor(db, sql: "SELECT * FROM audit_log ORDER BY seq")
        while let row = try rows.next() {
            let sequence = Int(try StateRows.int(row, "seq"))
            guard let (record, computed) = try auditRecord(row) else {
                links.append(
                    AuditChain.Link(
                        position: sequence,
                        unreadable:
                            "not a valid audit record (details is not a JSON object of strings): the row was edited",
                        sequence: sequence, sha256: try StateRows.string(row, "sha256"), name: "record \(sequence)"))
                continue
            }
            links.append(
                AuditChain.Link(position: sequence, record: record, computedSHA256: computed, name: "record \(sequence)"))
            if record.action == StateAuditAction.auditPrune { lastPrune = record }
        }
        var issues = AuditChain.verify(links, anchor: anchor.map { AuditChain.Anchor(sequence: $0.sequence, sha256: $0.sha256) })
            .map { AuditChainIssue(sequence: $0.position, message: $0.message) }
        if let anchor {
            let named = lastPrune.flatMap { record -> (Int, String)? in
                guard let sequence = record.details["anchor_seq"].flatMap({ Int($0) }),
                    let hash = record.details["anchor_sha256"]
                else { return nil }
                return (sequence, hash)
            }
            if named?.0 != anchor.sequence || named?.1 != anchor.sha256 {
                issues.append(
                    AuditChainIssue(
                        sequence: anchor.sequence,
                        message:
                            "the pruning anchor (seq \(anchor.sequence)) is not the one the last audit.prune record names: the anchor was edited or records were deleted outside pruning"
                    ))
            }
        }
        return issues
    }
}
