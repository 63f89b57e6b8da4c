/// Everything DriftWatch knows about one platform, read from a YAML profile.
///
/// A profile says how to reach the configuration (collection hints, stored as data for the
/// collector), how to parse it (hierarchy style and multi-line blocks), how to normalize it
/// (volatile lines deleted, secrets masked), how to compare it (ignored lines, unordered
/// sections, negation) and how to recognise a complete capture. See `docs/profiles.md` and the
/// built-in profiles in `Sources/ConfigDiff/Profiles/` for the schema.
public struct PlatformProfile: Sendable {
    /// The profile's identifier (`id:`).
    public var id: PlatformID
    /// A one-line human description (`description:`).
    public var description: String
    /// How the platform nests statements (`style:`).
    public var style: HierarchyStyle
    /// Brace-style profiles only: when the text's first statement starts with `set `, parse it
    /// in set style instead (`detect_set_form:`). JunOS prints both forms.
    public var detectSetForm: Bool
    /// How the collector reaches the configuration (`collect:`). Data only; ConfigDiff does not use it.
    public var collection: CollectionHints
    /// Lines deleted before anything is stored or compared (`volatile:`): timestamps, byte counts, checksums.
    public var volatile: [LinePredicate]
    /// Statements kept in the snapshot but ignored when comparing (`ignore:`).
    public var ignore: [LinePredicate]
    /// Secret patterns masked before anything else sees the text (`secrets:`).
    public var secrets: [SecretRule]
    /// Line rewrites for volatile values inside statements that stay (`rewrite:`).
    public var rewrites: [RewriteRule]
    /// Multi-line blocks kept intact as one node (`blocks:`): banners, certificates, macros.
    public var blocks: [BlockRule]
    /// Sections whose children are compared as a set (`unordered:`); `[]` means the top level.
    public var unorderedSections: [SectionMatcher]
    /// Statement families that keep their relative order inside unordered sections
    /// (`ordered_families:`), e.g. the entries of each top-level access-list.
    public var orderedFamilies: [OrderedFamily]
    /// How to recognise a complete capture (`completeness:`).
    public var completeness: CompletenessRule
    /// Syslog message patterns (regular expressions) that announce a configuration change
    /// (`syslog_config_change:`), for the syslog trigger. Data only.
    public var configChangePatterns: [String]
    /// How remediation takes a statement away (`negation:`).
    public var negation: DiffOptions.Negation
    /// The file the profile was read from, `nil` when built in code.
    public var sourceFile: String?

    /// Creates a profile in code (tests, embedders). YAML is the usual way.
    public init(
        id: PlatformID,
        description: String = "",
        style: HierarchyStyle,
        detectSetForm: Bool = false,
        collection: CollectionHints = CollectionHints(),
        volatile: [LinePredicate] = [],
        ignore: [LinePredicate] = [],
        secrets: [SecretRule] = [],
        rewrites: [RewriteRule] = [],
        blocks: [BlockRule] = [],
        unorderedSections: [SectionMatcher] = [],
        orderedFamilies: [OrderedFamily] = [],
        completeness: CompletenessRule = CompletenessRule(),
        configChangePatterns: [String] = [],
        negation: DiffOptions.Negation = .noPrefix,
        sourceFile: String? = nil
    ) {
        self.id = id
        self.description = description
        self.style = style
        self.detectSetForm = detectSetForm
        self.collection = collection
        self.volatile = volatile
        self.ignore = ignore
        self.secrets = secrets
        self.rewrites = rewrites
        self.blocks = blocks
        self.unorderedSections = unorderedSections
        self.orderedFamilies = orderedFamilies
        self.completeness = completeness
        self.configChangePatterns = configChangePatterns
        self.negation = negation
        self.sourceFile = sourceFile
    }

    /// The comparison options the diff engine consumes.
    public var diffOptions: DiffOptions {
        DiffOptions(
            unorderedSections: unorderedSections, ignore: ignore, negation: negation, orderedFamilies: orderedFamilies)
    }
}

/// How the collector reaches a platform's configuration. ConfigDiff only stores these values.
public struct CollectionHints: Sendable, Hashable {
    /// How commands are run.
    public enum Mode: String, Sendable, Hashable, CaseIterable {
        /// An interactive shell: wait for the prompt, send setup commands, then each command.
        case shell
        /// One SSH `exec` channel per command.
        case exec
        /// Read files (SFTP or `cat`) and run commands; each becomes a named section (Linux).
        case files
    }

    /// One thing to capture: a command or a file, under a section name.
    public struct Item: Sendable, Hashable {
        /// The section name in the captured text (`==> name <==`).
        public var name: String
        /// The command to run, or the file path to read.
        public var source: String
        /// Creates an item.
        public init(name: String, source: String) {
            self.name = name
            self.source = source
        }
    }

    /// How commands are run (`mode:`).
    public var mode: Mode
    /// The prompt, a regular expression (`prompt:`).
    public var prompt: String?
    /// Whether to enter privileged mode (`enable:`).
    public var enable: Bool
    /// The pager prompt to answer with a space, a regular expression (`pager:`).
    public var pager: String?
    /// Commands sent once after login, such as `terminal length 0` (`setup:`).
    public var setup: [String]
    /// Commands whose output is the configuration (`commands:`).
    public var commands: [Item]
    /// Files to read, Linux hosts (`files:`).
    public var files: [Item]

    /// Creates hints.
    public init(
        mode: Mode = .exec, prompt: String? = nil, enable: Bool = false, pager: String? = nil,
        setup: [String] = [], commands: [Item] = [], files: [Item] = []
    ) {
        self.mode = mode
        self.prompt = prompt
        self.enable = enable
        self.pager = pager
        self.setup = setup
        self.commands = commands
        self.files = files
    }
}
