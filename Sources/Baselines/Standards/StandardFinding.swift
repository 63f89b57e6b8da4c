import ConfigDiff

/// One violation of a standards rule in one scope of one configuration.
public struct StandardFinding: Sendable, Hashable, CustomStringConvertible {
    /// The standard's name.
    public var standard: String
    /// The rule id.
    public var ruleID: String
    /// The rule's severity.
    public var severity: Severity
    /// The section the finding is about; empty for the whole configuration.
    public var sectionPath: SectionPath
    /// The configuration lines that show the violation (`12: ip http server`), or what is missing
    /// (`missing: transport input ssh`).
    public var evidence: [String]
    /// What is wrong, in one sentence.
    public var message: String
    /// The rule's citation.
    public var source: String?

    /// Creates a finding.
    public init(
        standard: String, ruleID: String, severity: Severity, sectionPath: SectionPath, evidence: [String],
        message: String, source: String?
    ) {
        self.standard = standard
        self.ruleID = ruleID
        self.severity = severity
        self.sectionPath = sectionPath
        self.evidence = evidence
        self.message = message
        self.source = source
    }

    /// `[high] ios-hardening/IOS-MGMT-001 at line vty 0 4: message`.
    public var description: String {
        let place = sectionPath.isEmpty ? "" : " at \(sectionPath.joined(separator: " > "))"
        return "[\(severity.rawValue)] \(standard)/\(ruleID)\(place): \(message)"
    }
}
