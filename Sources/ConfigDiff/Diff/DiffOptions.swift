/// How a platform's configurations are compared. Built from a platform profile
/// (`PlatformProfile.diffOptions`); the diff engine knows nothing else about platforms.
public struct DiffOptions: Sendable, Hashable {
    /// How a statement is taken away on the device, for remediation lines.
    public enum Negation: String, Sendable, Hashable, Codable {
        /// `no <statement>`, and `<statement>` for a statement that starts with `no ` (IOS-like).
        case noPrefix
        /// `delete <path…>` (JunOS set style and, rendered as set commands, curly style).
        case delete
        /// Linux files and generic text: remediation is the reference text itself.
        case none
    }

    /// Sections whose children are compared as a set (order does not matter). A matcher with
    /// no levels (`SectionMatcher([])`) means the top level of the configuration.
    public var unorderedSections: [SectionMatcher]
    /// Statements ignored when comparing (they stay in the snapshot).
    public var ignore: [LinePredicate]
    /// How to render the removal of a statement in remediation lines.
    public var negation: Negation
    /// Families of statements that keep their relative order inside unordered sections (ACL
    /// entries at the top level, JunOS set-form terms): each family group is compared as a
    /// sequence, the rest of the section as a set.
    public var orderedFamilies: [OrderedFamily]

    /// Creates options.
    public init(
        unorderedSections: [SectionMatcher] = [], ignore: [LinePredicate] = [], negation: Negation = .noPrefix,
        orderedFamilies: [OrderedFamily] = []
    ) {
        self.unorderedSections = unorderedSections
        self.ignore = ignore
        self.negation = negation
        self.orderedFamilies = orderedFamilies
    }
}
