/// One problem found by verifying a version chain: which subject, which version, and what.
public struct VerificationIssue: Sendable, Hashable, CustomStringConvertible {
    /// What happened to the version.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// The content file's bytes, or the record's bytes, differ from what was approved.
        case edited
        /// A version, its content file or its record is missing.
        case removed
        /// Files were renamed, swapped or moved: a record or content sits under the wrong version.
        case reordered
        /// A content file has no record (nobody approved it).
        case unsigned
        /// A record cannot be read.
        case malformed
    }

    /// Baseline or standard.
    public var scope: ApprovalRecord.Kind
    /// The device or standard name.
    public var subject: String
    /// The version concerned.
    public var version: Int
    /// What happened.
    public var kind: Kind
    /// The file concerned (path as built from the store root).
    public var file: String
    /// What was found and what to do.
    public var message: String

    /// Creates an issue.
    public init(scope: ApprovalRecord.Kind, subject: String, version: Int, kind: Kind, file: String, message: String) {
        self.scope = scope
        self.subject = subject
        self.version = version
        self.kind = kind
        self.file = file
        self.message = message
    }

    /// `baseline core-sw-01 v2: edited: …`.
    public var description: String { "\(scope.rawValue) \(subject) v\(version): \(kind.rawValue): \(message)" }
}
