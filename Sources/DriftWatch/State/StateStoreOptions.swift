/// Tunables of a state store; the defaults suit one watcher with thousands of devices.
public struct StateStoreOptions: Sendable, Hashable {
    /// The shortest audit retention the store accepts, in days (issue 5: at least 180).
    public static let minimumAuditRetentionDays = 180

    /// Collection runs kept per device; older ones are deleted in the transaction that adds a run.
    /// Snapshots (every distinct version) are never deleted by this bound.
    public var collectionRunsPerDevice: Int
    /// Audit records younger than this many days are never deleted; at least
    /// ``minimumAuditRetentionDays``.
    public var auditRetentionDays: Int
    /// Audit records are deleted in whole segments of this many sequence numbers
    /// (`1…n`, `n+1…2n`, …), oldest first, so that every cut falls on a segment boundary.
    public var auditSegmentSize: Int
    /// How long a write waits for another process's lock before failing, in seconds.
    public var busyTimeoutSeconds: Double

    /// Creates options; the defaults are 1000 runs per device, 180 days, segments of 1000 audit
    /// records and a 10 s busy timeout.
    public init(
        collectionRunsPerDevice: Int = 1000, auditRetentionDays: Int = 180, auditSegmentSize: Int = 1000,
        busyTimeoutSeconds: Double = 10
    ) {
        self.collectionRunsPerDevice = collectionRunsPerDevice
        self.auditRetentionDays = auditRetentionDays
        self.auditSegmentSize = auditSegmentSize
        self.busyTimeoutSeconds = busyTimeoutSeconds
    }

    /// Throws `.invalidArgument` for a bound a store cannot honour.
    func validate() throws {
        if collectionRunsPerDevice < 1 {
            throw StateStoreError(
                .invalidArgument,
                "collectionRunsPerDevice is \(collectionRunsPerDevice); keep at least 1 run per device")
        }
        if auditRetentionDays < Self.minimumAuditRetentionDays {
            throw StateStoreError(
                .invalidArgument,
                "audit retention of \(auditRetentionDays) days is shorter than the required \(Self.minimumAuditRetentionDays); raise it to \(Self.minimumAuditRetentionDays) or more"
            )
        }
        if auditSegmentSize < 1 {
            throw StateStoreError(.invalidArgument, "auditSegmentSize is \(auditSegmentSize); use 1 or more")
        }
    }
}
