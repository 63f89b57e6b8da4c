/// One problem found by ``StateStore/verifyAudit()``.
public struct AuditChainIssue: Sendable, Hashable, CustomStringConvertible {
    /// The sequence number of the record concerned.
    public var sequence: Int
    /// What is wrong.
    public var message: String

    /// Creates an issue.
    public init(sequence: Int, message: String) {
        self.sequence = sequence
        self.message = message
    }

    /// `seq 7: …`.
    public var description: String { "seq \(sequence): \(message)" }
}
