/// The one verification of an audit hash chain (see ``AuditRecord``), whatever holds it: the
/// JSON-lines file (``AuditLog/verify()``) and the state store's `audit_log` table
/// (``StateStore/verifyAudit()``) both read their records into ``Link``s and call ``verify(_:anchor:)``.
public enum AuditChain {
    /// One element of a chain as read back, in storage order.
    public struct Link: Sendable, Hashable {
        /// Where it is, as its holder numbers it (a file line, or a sequence number).
        public var position: Int
        /// The record, or nil when it could not be read.
        public var record: AuditRecord?
        /// The SHA-256 the record's content hashes to (nil: computed from ``record``).
        public var computedSHA256: String?
        /// For an unreadable link: why, written as the issue's message.
        public var unreadable: String?
        /// For an unreadable link whose sequence number and stored hash are still known (a
        /// database row with bad details): they continue the chain past it.
        public var knownSequence: Int?
        /// See ``knownSequence``.
        public var knownSHA256: String?
        /// How a later message names this link when the chain breaks after it, e.g.
        /// `the record on line 3 (seq 2)` or `record 2`.
        public var name: String

        /// A readable record.
        public init(position: Int, record: AuditRecord, computedSHA256: String? = nil, name: String) {
            self.position = position
            self.record = record
            self.computedSHA256 = computedSHA256
            self.name = name
        }

        /// An unreadable element; `sequence` and `sha256` when still known.
        public init(position: Int, unreadable: String, sequence: Int? = nil, sha256: String? = nil, name: String) {
            self.position = position
            self.unreadable = unreadable
            self.knownSequence = sequence
            self.knownSHA256 = sha256
            self.name = name
        }
    }

    /// One problem, at a link's position.
    public struct Issue: Sendable, Hashable {
        /// The link's ``Link/position``.
        public var position: Int
        /// What is wrong and what it means.
        public var message: String

        /// Creates an issue.
        public init(position: Int, message: String) {
            self.position = position
            self.message = message
        }
    }

    /// The pruning anchor a chain may start from: the last pruned record's sequence and hash.
    public struct Anchor: Sendable, Hashable {
        /// The sequence number of the last pruned record.
        public var sequence: Int
        /// Its hash.
        public var sha256: String

        /// Creates an anchor.
        public init(sequence: Int, sha256: String) {
            self.sequence = sequence
            self.sha256 = sha256
        }
    }

    /// Recomputes every hash and link of `links`; an empty result means the chain is intact.
    ///
    /// Checks, for each link: it is readable; its content matches its `sha256` (else it was
    /// altered); its `prev_sha256` is the hash of the readable link before it (or of `anchor`
    /// for the first one, or null when there is no anchor) — else a record was removed,
    /// inserted, reordered or rewritten before it; and its sequence number follows the
    /// previous one (else the records were renumbered).
    public static func verify(_ links: [Link], anchor: Anchor? = nil) -> [Issue] {
        var issues: [Issue] = []
        var previous: (sequence: Int, sha256: String, name: String)? = anchor.map {
            ($0.sequence, $0.sha256, "the pruning anchor (seq \($0.sequence))")
        }
        for link in links {
            guard let record = link.record else {
                issues.append(Issue(position: link.position, message: link.unreadable ?? "not a valid audit record"))
                if let sequence = link.knownSequence, let hash = link.knownSHA256 {
                    previous = (sequence, hash, link.name)
                }
                continue
            }
            let computed = link.computedSHA256 ?? (record.hashIsValid ? record.sha256 : nil)
            if computed != record.sha256 {
                issues.append(
                    Issue(
                        position: link.position,
                        message:
                            "record \(record.sequence) (\(record.action) \(record.target) by \(record.actor)) was altered: its content does not match its sha256"
                    ))
            }
            if record.previousSHA256 != previous?.sha256 {
                if let previous {
                    issues.append(
                        Issue(
                            position: link.position,
                            message:
                                "chain broken: prev_sha256 does not match \(previous.name); a record was removed, inserted, reordered or rewritten before this one"
                        ))
                } else {
                    issues.append(
                        Issue(
                            position: link.position,
                            message:
                                "chain broken: the first record names a previous record and no pruning anchor exists; records were removed from the start of the log"
                        ))
                }
            } else if record.sequence != (previous?.sequence ?? 0) + 1 {
                issues.append(
                    Issue(
                        position: link.position,
                        message:
                            "sequence \(record.sequence) follows \(previous?.sequence ?? 0): records were renumbered"))
            }
            previous = (record.sequence, record.sha256, link.name)
        }
        return issues
    }
}
