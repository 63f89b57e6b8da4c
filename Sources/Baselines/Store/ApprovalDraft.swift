import ConfigDiff
import Foundation

/// What an approver supplies for a new version; the chain adds the version number, the hashes
/// and the time stamp format.
public struct ApprovalDraft: Sendable {
    /// Who approves (already authorized by the caller).
    public var approver: String
    /// Why.
    public var reason: String
    /// The change ticket, when given.
    public var ticket: String?
    /// Where the content came from.
    public var source: ApprovalSource
    /// The device's platform (baselines).
    public var platform: String?
    /// Full or partial (baselines).
    public var mode: BaselineMode
    /// Ignore rules carried by the version (baselines).
    public var ignore: [LinePredicate]
    /// The approval time.
    public var time: Date

    /// Creates a draft.
    public init(
        approver: String, reason: String, ticket: String? = nil, source: ApprovalSource, platform: String? = nil,
        mode: BaselineMode = .full, ignore: [LinePredicate] = [], time: Date = Date()
    ) {
        self.approver = approver
        self.reason = reason
        self.ticket = ticket
        self.source = source
        self.platform = platform
        self.mode = mode
        self.ignore = ignore
        self.time = time
    }

    /// ISO-8601 UTC with seconds: `2026-11-23T06:30:00Z`.
    public static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: date)
    }
}
