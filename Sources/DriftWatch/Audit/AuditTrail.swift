import Baselines
import Foundation
import GRDB

/// Both audit chains of an install read as one trail: `audit.jsonl` in the state folder (the
/// ``Chain/file`` chain, written by the baseline commands) and the state store's `audit_log`
/// table (the ``Chain/store`` chain, written by the watcher: host keys, alert acknowledgements,
/// reloads, pruning). `driftwatch audit` lists them merged in time order and verifies each.
public struct AuditTrail: Sendable {
    /// Which chain a record belongs to.
    public enum Chain: String, Sendable, Hashable, Codable, CaseIterable {
        /// `audit.jsonl`.
        case file
        /// The state store's `audit_log` table.
        case store
    }

    /// One record of the trail.
    public struct Entry: Sendable, Hashable {
        /// Its chain.
        public var chain: Chain
        /// The line in `audit.jsonl` (``Chain/file`` only).
        public var line: Int?
        /// The record.
        public var record: AuditRecord
    }

    /// The verification of one chain.
    public struct ChainReport: Sendable, Hashable {
        /// The chain.
        public var chain: Chain
        /// Where it is kept (the file path, or the database path).
        public var location: String
        /// The records (or unreadable lines) it holds.
        public var records: Int
        /// What is wrong, in storage order; empty when intact.
        public var issues: [AuditChain.Issue]

        /// True when the chain verifies.
        public var intact: Bool { issues.isEmpty }

        /// Where an issue is: `audit.jsonl line 7` or `state.sqlite audit_log seq 7`.
        public func place(_ issue: AuditChain.Issue) -> String {
            switch chain {
            case .file: return "\(location):\(issue.position)"
            case .store: return "\(location) audit_log seq \(issue.position)"
            }
        }
    }

    /// The JSON-lines log.
    public let log: AuditLog
    /// The SQLite state database; its chain is empty while the file does not exist.
    public let storePath: String

    /// The trail of an install: `<state folder>/audit.jsonl` and the SQLite file of `state:`.
    ///
    /// - Throws: ``DriftWatchError`` `.notAvailable` when `state:` is a PostgreSQL URL.
    public init(configuration: DriftWatchConfiguration) throws {
        if configuration.state.hasPrefix("postgres://") || configuration.state.hasPrefix("postgresql://") {
            throw DriftWatchError(
                .notAvailable, "reading the audit log of a PostgreSQL state store is not available yet",
                file: configuration.file)
        }
        self.init(log: AuditLog(stateFolder: configuration.stateFolder), storePath: configuration.resolve(configuration.state).path)
    }

    /// A trail over an explicit log file and database path (tests).
    public init(log: AuditLog, storePath: String) {
        self.log = log
        self.storePath = storePath
    }

    /// The records of both chains from `since` on (all when nil), merged in time order (ties:
    /// the file chain first, then by sequence number). Unreadable lines are left out: ``verify()``
    /// reports them.
    public func entries(since: Date? = nil) async throws -> [Entry] {
        let threshold = since.map(ApprovalDraft.timestamp)
        var result: [Entry] = try log.entries().compactMap { entry in
            guard let record = entry.record else { return nil }
            if let threshold, record.time < threshold { return nil }
            return Entry(chain: .file, line: entry.line, record: record)
        }
        if let store = try openStore() {
            do {
                result += try await store.auditRecords(since: since).map { Entry(chain: .store, line: nil, record: $0) }
            } catch let error as StateStoreError {
                throw DriftWatchError(.auditLogFailed, error.message, file: error.file ?? storePath)
            }
        }
        // Times are ISO 8601 UTC with seconds: they sort as text.
        return result.enumerated().sorted { left, right in
            let (a, b) = (left.element, right.element)
            if a.record.time != b.record.time { return a.record.time < b.record.time }
            if a.chain != b.chain { return a.chain == .file }
            return left.offset < right.offset
        }.map(\.element)
    }

    /// Verifies both chains (the file first).
    public func verify() async throws -> [ChainReport] {
        let fileIssues = try log.verify()
        let fileReport = ChainReport(
            chain: .file, location: log.file.path, records: try log.entries().count,
            issues: fileIssues.map { AuditChain.Issue(position: $0.line, message: $0.message) })
        var storeReport = ChainReport(chain: .store, location: storePath, records: 0, issues: [])
        if let store = try openStore() {
            do {
                storeReport.issues = try await store.verifyAudit().map {
                    AuditChain.Issue(position: $0.sequence, message: $0.message)
                }
                storeReport.records = try await store.pool.read { db in
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_log") ?? 0
                }
            } catch let error as StateStoreError {
                throw DriftWatchError(.auditLogFailed, error.message, file: error.file ?? storePath)
            } catch let error as DatabaseError {
                throw DriftWatchError(
                    .auditLogFailed, "could not count the audit records: \(error.message ?? "\(error.resultCode)")",
                    file: storePath)
            }
        }
        return [fileReport, storeReport]
    }

    private func openStore() throws -> SQLiteStateStore? {
        guard FileManager.default.fileExists(atPath: storePath) else { return nil }
        do {
            return try SQLiteStateStore(path: storePath)
        } catch let error as StateStoreError {
            throw DriftWatchError(.auditLogFailed, error.message, file: error.file ?? storePath)
        }
    }

    /// The time `--since` names: `YYYY-MM-DD` (midnight UTC), an ISO 8601 time
    /// (`2026-11-01T08:00:00Z`), or an age before `now` such as `7d`, `12h`, `30m` or `1d12h`.
    public static func parseSince(_ text: String, now: Date = Date()) -> Date? {
        if text.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) != nil {
            return ISO8601DateFormatter().date(from: text + "T00:00:00Z")
        }
        if let date = ISO8601DateFormatter().date(from: text) { return date }
        let fractional = ISO8601DateFormatter()
        fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = fractional.date(from: text) { return date }
        if let age = ConfigurationLoader.parseDuration(text), age > .zero {
            let (seconds, attoseconds) = age.components
            return now.addingTimeInterval(-(Double(seconds) + Double(attoseconds) / 1e18))
        }
        return nil
    }
}
