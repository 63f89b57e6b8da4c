import ConfigDiff
import Foundation

/// The signed record of one approved version: `v<N>.json` beside `v<N>.cfg` (a baseline) or
/// `v<N>.yaml` (a standard).
///
/// On disk it is pretty-printed JSON with sorted keys:
///
/// ```json
/// {
///   "approved_at" : "2026-11-23T06:30:00Z",
///   "approver" : "alice",
///   "content_sha256" : "…sha256 of v2.cfg's bytes…",
///   "format" : 1,
///   "ignore" : [ { "startsWith" : "ntp clock-period" } ],
///   "kind" : "baseline",
///   "mode" : "full",
///   "platform" : "cisco_ios",
///   "previous_sha256" : "…sha256 of v1.json's bytes, null for v1…",
///   "reason" : "new NTP servers",
///   "source" : { "kind" : "file", "ref" : "core-sw-01.cfg" },
///   "subject" : "core-sw-01",
///   "ticket" : "CHG-1234",
///   "version" : 2
/// }
/// ```
public struct ApprovalRecord: Sendable, Hashable {
    /// What a record approves.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// A device baseline (`baselines/devices/<device>/v<N>.cfg`).
        case baseline
        /// A technical standard (`baselines/standards/.versions/<name>/v<N>.yaml`).
        case standard
    }

    /// The record format; 1 today.
    public var format: Int
    /// Baseline or standard.
    public var kind: Kind
    /// The device name (baselines) or the standard name (standards).
    public var subject: String
    /// The version number N, from 1.
    public var version: Int
    /// Who approved it (a name from `approvers` in driftwatch.yaml).
    public var approver: String
    /// When, ISO-8601 UTC with seconds (`2026-11-23T06:30:00Z`).
    public var approvedAt: String
    /// Why.
    public var reason: String
    /// The change ticket, when given.
    public var ticket: String?
    /// Where the approved content came from.
    public var source: ApprovalSource
    /// The device's platform at approval time (baselines), nil for standards.
    public var platform: String?
    /// Full or partial comparison (baselines); nil for standards.
    public var mode: BaselineMode?
    /// Lines that may differ from the baseline without counting as drift (baselines).
    public var ignore: [LinePredicate]
    /// Lowercase hex sha256 of the content file's bytes.
    public var contentSHA256: String
    /// Lowercase hex sha256 of the previous version's `.json` file's bytes; nil for version 1.
    public var previousSHA256: String?

    /// Creates a record.
    public init(
        kind: Kind, subject: String, version: Int, approver: String, approvedAt: String, reason: String,
        ticket: String?, source: ApprovalSource, platform: String?, mode: BaselineMode?, ignore: [LinePredicate],
        contentSHA256: String, previousSHA256: String?, format: Int = 1
    ) {
        self.format = format
        self.kind = kind
        self.subject = subject
        self.version = version
        self.approver = approver
        self.approvedAt = approvedAt
        self.reason = reason
        self.ticket = ticket
        self.source = source
        self.platform = platform
        self.mode = mode
        self.ignore = ignore
        self.contentSHA256 = contentSHA256
        self.previousSHA256 = previousSHA256
    }
}

/// Whether a baseline must match the whole configuration or only the sections it contains.
public enum BaselineMode: String, Sendable, Hashable, CaseIterable {
    /// The whole configuration must match.
    case full
    /// Only the sections present in the baseline are compared (a snippet, as in SolarWinds).
    case partial
}

/// Where approved content came from.
public struct ApprovalSource: Sendable, Hashable {
    /// The kind of source.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// A stored snapshot of the watcher (its id).
        case snapshot
        /// A file given on the command line (its path as given).
        case file
        /// A rollback: the content of an earlier version (`v3`).
        case rollback
    }

    /// The kind.
    public var kind: Kind
    /// The snapshot id, file path or `v<N>`.
    public var ref: String

    /// Creates a source.
    public init(_ kind: Kind, _ ref: String) {
        self.kind = kind
        self.ref = ref
    }

    /// `file core-sw-01.cfg`, `snapshot 1f2e…`, `rollback to v3`.
    public var summary: String {
        switch kind {
        case .rollback: return "rollback to \(ref)"
        default: return "\(kind.rawValue) \(ref)"
        }
    }
}
