/// One named account allowed to approve, and the device groups it may approve for.
public struct Approver: Sendable, Hashable {
    /// The account name (login name or `--as NAME`).
    public var name: String
    /// The groups; `*` means every group.
    public var groups: [String]

    /// Creates an approver.
    public init(name: String, groups: [String]) {
        self.name = name
        self.groups = groups
    }
}

/// Least privilege for approvals: an approver must be listed and allowed for every group of
/// every device an approval concerns.
public struct ApproverPolicy: Sendable {
    /// The approvers, as configured.
    public var approvers: [Approver]
    /// Where they are configured, for messages, e.g. `'approvers' in ./driftwatch.yaml`.
    public var configKey: String

    /// Creates a policy.
    public init(approvers: [Approver], configKey: String) {
        self.approvers = approvers
        self.configKey = configKey
    }

    /// Throws `.notAuthorized` unless `name` is listed and allowed for every group in `groups`.
    ///
    /// - Parameter subject: what is being approved, for the message (`device core-sw-01`).
    public func authorize(_ name: String, groups: [String], subject: String) throws {
        guard let approver = approvers.first(where: { $0.name == name }) else {
            throw BaselineError(
                .notAuthorized,
                "\(name) is not an approver: add '- { name: \(name), groups: [\(groups.joined(separator: ", "))] }' to \(configKey), or approve as a listed approver with --as NAME; nothing was written"
            )
        }
        if approver.groups.contains("*") { return }
        for group in groups where !approver.groups.contains(group) {
            throw BaselineError(
                .notAuthorized,
                "\(name) may not approve for group '\(group)' of \(subject): add '\(group)' to \(name)'s groups in \(configKey), or ask an approver of '\(group)'; nothing was written"
            )
        }
    }
}
