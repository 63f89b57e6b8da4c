import Baselines
import Foundation

/// One line of the audit log (`<state folder>/audit.jsonl`): one JSON object per line,
///
/// ```json
/// {"action":"baseline.approve","actor":"alice","details":{"version":"2",…},"prev_sha256":"…","seq":2,"sha256":"…","target":"core-sw-01","time":"2026-11-23T06:30:00Z"}
/// ```
///
/// `sha256` is the SHA-256 of the record's canonical form: the same object without `sha256`,
/// keys sorted, no whitespace (JSONSerialization with `.sortedKeys`). `prev_sha256` is the
/// previous line's `sha256` (null on the first line), so removing, inserting, reordering or
/// editing a line breaks the chain at that line.
public struct AuditRecord: Sendable, Hashable {
    /// 1-based position in the log.
    public var sequence: Int
    /// ISO-8601 UTC time.
    public var time: String
    /// Who did it.
    public var actor: String
    /// What: `baseline.approve`, `baseline.rollback`, `standard.approve`, …
    public var action: String
    /// On what: a device or standard name.
    public var target: String
    /// Free key/value details (version, reason, ticket, hashes).
    public var details: [String: String]
    /// The previous record's ``sha256``; nil on the first record.
    public var previousSHA256: String?
    /// This record's hash (see the type's documentation).
    public var sha256: String

    /// Creates a record and computes its hash.
    public init(
        sequence: Int, time: String, actor: String, action: String, target: String, details: [String: String],
        previousSHA256: String?
    ) throws {
        self.sequence = sequence
        self.time = time
        self.actor = actor
        self.action = action
        self.target = target
        self.details = details
        self.previousSHA256 = previousSHA256
        self.sha256 = ""
        self.sha256 = SHA256Hex.of(try canonicalData())
    }

    private init(
        sequence: Int, time: String, actor: String, action: String, target: String, details: [String: String],
        previousSHA256: String?, sha256: String
    ) {
        self.sequence = sequence
        self.time = time
        self.actor = actor
        self.action = action
        self.target = target
        self.details = details
        self.previousSHA256 = previousSHA256
        self.sha256 = sha256
    }

    private func object(includingHash: Bool) -> [String: Any] {
        var object: [String: Any] = [
            "seq": sequence, "time": time, "actor": actor, "action": action, "target": target, "details": details,
            "prev_sha256": previousSHA256.map { $0 as Any } ?? NSNull(),
        ]
        if includingHash { object["sha256"] = sha256 }
        return object
    }

    /// The bytes hashed into ``sha256``.
    func canonicalData() throws -> Data {
        try Self.serialize(object(includingHash: false))
    }

    /// The line written to the log, without the newline.
    public func line() throws -> Data {
        try Self.serialize(object(includingHash: true))
    }

    /// True when ``sha256`` matches the record's content.
    public var hashIsValid: Bool {
        (try? SHA256Hex.of(canonicalData())) == sha256
    }

    static func serialize(_ object: [String: Any]) throws -> Data {
        do {
            return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        } catch {
            throw DriftWatchError(.auditLogFailed, "could not encode an audit record: \(error.localizedDescription)")
        }
    }

    static let keys: Set<String> = ["seq", "time", "actor", "action", "target", "details", "prev_sha256", "sha256"]

    /// Decodes one log line; returns the reason when it is not a well-formed record.
    static func decode(_ line: Substring) -> Result<AuditRecord, AuditIssueReason> {
        guard let parsed = try? JSONSerialization.jsonObject(with: Data(line.utf8)),
            let object = parsed as? [String: Any]
        else {
            return .failure(AuditIssueReason("not a JSON object"))
        }
        if let unknown = object.keys.first(where: { !keys.contains($0) }) {
            return .failure(AuditIssueReason("unknown key '\(unknown)'"))
        }
        guard let sequence = (object["seq"] as? NSNumber).flatMap({ Int(exactly: $0.doubleValue) }),
            let time = object["time"] as? String, let actor = object["actor"] as? String,
            let action = object["action"] as? String, let target = object["target"] as? String,
            let details = object["details"] as? [String: String], let sha256 = object["sha256"] as? String
        else {
            return .failure(
                AuditIssueReason("missing or mistyped field (seq, time, actor, action, target, details, sha256)"))
        }
        let previous = object["prev_sha256"] as? String
        if previous == nil, !(object["prev_sha256"] is NSNull) {
            return .failure(AuditIssueReason("missing or mistyped field prev_sha256"))
        }
        return .success(
            AuditRecord(
                sequence: sequence, time: time, actor: actor, action: action, target: target, details: details,
                previousSHA256: previous, sha256: sha256))
    }
}

/// Why a log line is not a well-formed record.
struct AuditIssueReason: Error {
    let text: String
    init(_ text: String) { self.text = text }
}
