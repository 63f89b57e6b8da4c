/// What ``StateStore/pruneAudit(now:)`` did.
public struct AuditPruneResult: Sendable, Hashable {
    /// Records deleted (0 when nothing was old enough to make a whole segment).
    public var deleted: Int
    /// The last deleted sequence number, now the anchor the chain starts from; nil when nothing
    /// was deleted.
    public var anchorSequence: Int?
}
