import ConfigDiff

/// One rule of a technical standard. A rule checks a *scope*: the whole configuration, or every
/// section matched by ``section`` (one regex per level), and within it any of: required lines,
/// forbidden lines, count bounds, and a snippet (exact or superset).
public struct StandardRule: Sendable, Hashable {
    /// What a statement is matched on.
    public enum MatchOn: String, Sendable, Hashable, CaseIterable {
        /// The statement's own text (`transport input ssh`).
        case statement
        /// The statement's whole path joined by spaces (`system services ssh root-login deny`),
        /// with a leading `set ` removed: one rule then fits JunOS curly and `set` forms alike.
        case path
    }

    /// Bounds on how many statements (or sections) match.
    public struct CountBound: Sendable, Hashable {
        /// What is counted; nil counts the sections matched by ``StandardRule/section``.
        public var of: LinePredicate?
        /// The minimum, inclusive.
        public var min: Int?
        /// The maximum, inclusive.
        public var max: Int?

        /// Creates bounds.
        public init(of: LinePredicate?, min: Int?, max: Int?) {
            self.of = of
            self.min = min
            self.max = max
        }
    }

    /// A block of configuration the scope must contain (superset) or be (exact).
    public struct Snippet: Sendable, Hashable {
        /// How the scope is compared with the snippet.
        public enum Mode: String, Sendable, Hashable, CaseIterable {
            /// The scope holds exactly these statements at every level of the snippet.
            case exact
            /// The scope holds at least these statements; others may be present.
            case superset
        }

        /// The comparison mode.
        public var mode: Mode
        /// The snippet's statements, nested by indentation in the YAML text.
        public var nodes: [ConfigNode]

        /// Creates a snippet.
        public init(mode: Mode, nodes: [ConfigNode]) {
            self.mode = mode
            self.nodes = nodes
        }
    }

    /// Unique id within the standard (`IOS-MGMT-001`).
    public var id: String
    /// What the rule demands, in one sentence.
    public var description: String
    /// How bad a violation is.
    public var severity: Severity
    /// Where the rule comes from (a guide, benchmark or section).
    public var source: String?
    /// The sections the rule checks, one predicate per level; nil means the whole configuration.
    public var section: SectionMatcher?
    /// When true and ``section`` matches nothing, the rule checks the top level instead (a Linux
    /// file checked on its own has no `==> /etc/ssh/sshd_config <==` section header).
    public var sectionOptional: Bool
    /// When true, statements at every depth of the scope are checked, not just its direct children.
    public var anywhere: Bool
    /// What statements are matched on.
    public var matchOn: MatchOn
    /// Each must match at least one statement of every scope.
    public var require: [LinePredicate]
    /// None may match a statement of any scope.
    public var forbid: [LinePredicate]
    /// Count bounds.
    public var count: CountBound?
    /// A snippet to compare with every scope.
    public var snippet: Snippet?

    /// Creates a rule.
    public init(
        id: String, description: String, severity: Severity, source: String? = nil, section: SectionMatcher? = nil,
        sectionOptional: Bool = false, anywhere: Bool = false, matchOn: MatchOn = .statement,
        require: [LinePredicate] = [], forbid: [LinePredicate] = [],
        count: CountBound? = nil, snippet: Snippet? = nil
    ) {
        self.id = id
        self.description = description
        self.severity = severity
        self.source = source
        self.section = section
        self.sectionOptional = sectionOptional
        self.anywhere = anywhere
        self.matchOn = matchOn
        self.require = require
        self.forbid = forbid
        self.count = count
        self.snippet = snippet
    }
}
