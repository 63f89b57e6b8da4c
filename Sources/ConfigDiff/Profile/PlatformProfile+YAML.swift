extension PlatformProfile {
    /// The top-level keys a profile may have.
    static let knownKeys = [
        "id", "description", "style", "detect_set_form", "collect", "volatile", "ignore", "secrets", "rewrite",
        "blocks",
        "unordered", "ordered_families", "completeness", "syslog_config_change", "negation",
    ]

    /// Decodes a profile from YAML text.
    ///
    /// Unknown keys, wrong types, unknown enum values and regular expressions that do not
    /// compile are rejected with a ``ConfigDiffError`` `.invalidProfile` naming `file` and the line.
    public init(yaml text: String, file: String) throws {
        let root = try ProfileYAML.document(text, file: file)
        let keys = try root.mapping(allowed: Self.knownKeys, what: "the profile")
        guard let idNode = keys["id"] else { throw root.error("the profile has no `id:`") }
        guard let styleNode = keys["style"] else {
            throw root.error(
                "the profile has no `style:` (one of \(HierarchyStyle.allCases.map(\.rawValue).joined(separator: ", ")))"
            )
        }
        let id = PlatformID(try idNode.string("id"))
        guard !id.rawValue.isEmpty,
            id.rawValue.utf8.allSatisfy({
                $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") || (48...57).contains($0) || (97...122).contains($0)
                    || (65...90).contains($0)
            })
        else {
            throw idNode.error("id must be letters, digits, `_` or `-`, not \(id.rawValue.debugDescription)")
        }
        let styleName = try styleNode.string("style")
        guard let style = HierarchyStyle(rawValue: styleName) else {
            throw styleNode.error(
                "style \(styleName.debugDescription) is not one of \(HierarchyStyle.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        var negation: DiffOptions.Negation =
            style == .set || style == .brace ? .delete : (style == .sections || style == .flat ? .none : .noPrefix)
        if let node = keys["negation"] {
            let name = try node.string("negation")
            guard let value = DiffOptions.Negation(rawValue: name) else {
                throw node.error("negation \(name.debugDescription) is not one of noPrefix, delete, none")
            }
            negation = value
        }
        self.init(
            id: id,
            description: try keys["description"]?.string("description") ?? "",
            style: style,
            detectSetForm: try keys["detect_set_form"]?.bool("detect_set_form") ?? false,
            collection: try keys["collect"].map(Self.decodeCollection) ?? CollectionHints(),
            volatile: try keys["volatile"]?.sequence("volatile").map { try $0.predicate("a volatile line") } ?? [],
            ignore: try keys["ignore"]?.sequence("ignore").map { try $0.predicate("an ignored line") } ?? [],
            secrets: try keys["secrets"]?.sequence("secrets").map(Self.decodeSecret) ?? [],
            rewrites: try keys["rewrite"]?.sequence("rewrite").map(Self.decodeRewrite) ?? [],
            blocks: try keys["blocks"]?.sequence("blocks").map(Self.decodeBlock) ?? [],
            unorderedSections: try keys["unordered"]?.sequence("unordered").map {
                try $0.sectionMatcher("an unordered section")
            } ?? [],
            orderedFamilies: try keys["ordered_families"]?.sequence("ordered_families").map(Self.decodeOrderedFamily)
                ?? [],
            completeness: try keys["completeness"].map(Self.decodeCompleteness) ?? CompletenessRule(),
            configChangePatterns: try keys["syslog_config_change"].map { node in
                try node.sequence("syslog_config_change").map { item in
                    let pattern = try item.string("a syslog pattern")
                    _ = try item.predicate(fromRegex: pattern)
                    return pattern
                }
            } ?? [],
            negation: negation,
            sourceFile: file
        )
    }

    private static func decodeCollection(_ node: ProfileYAML) throws -> CollectionHints {
        let keys = try node.mapping(
            allowed: ["mode", "prompt", "enable", "pager", "setup", "commands", "files"], what: "collect")
        var hints = CollectionHints()
        if let modeNode = keys["mode"] {
            let name = try modeNode.string("mode")
            guard let mode = CollectionHints.Mode(rawValue: name) else {
                throw modeNode.error(
                    "mode \(name.debugDescription) is not one of \(CollectionHints.Mode.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            hints.mode = mode
        }
        if let promptNode = keys["prompt"] {
            let prompt = try promptNode.string("prompt")
            _ = try promptNode.predicate(fromRegex: prompt)
            hints.prompt = prompt
        }
        if let pagerNode = keys["pager"] {
            let pager = try pagerNode.string("pager")
            _ = try pagerNode.predicate(fromRegex: pager)
            hints.pager = pager
        }
        hints.enable = try keys["enable"]?.bool("enable") ?? false
        hints.setup = try keys["setup"]?.strings("setup") ?? []
        hints.commands =
            try keys["commands"]?.sequence("commands").map { try decodeItem($0, sourceKey: "command") } ?? []
        hints.files = try keys["files"]?.sequence("files").map { try decodeItem($0, sourceKey: "path") } ?? []
        return hints
    }

    private static func decodeItem(_ node: ProfileYAML, sourceKey: String) throws -> CollectionHints.Item {
        if case .scalar = node.node {
            let value = try node.string(sourceKey)
            return CollectionHints.Item(name: value, source: value)
        }
        let keys = try node.mapping(allowed: ["name", sourceKey], what: "a \(sourceKey) item")
        guard let source = try keys[sourceKey]?.string(sourceKey) else {
            throw node.error("the item has no `\(sourceKey):`")
        }
        return CollectionHints.Item(name: try keys["name"]?.string("name") ?? source, source: source)
    }

    private static func decodeSecret(_ node: ProfileYAML) throws -> SecretRule {
        let keys = try node.mapping(allowed: ["name", "contains", "regex", "ignore_case"], what: "a secret rule")
        guard let regexNode = keys["regex"] else { throw node.error("the secret rule has no `regex:`") }
        let name = try keys["name"]?.string("name") ?? "secret"
        do {
            return try SecretRule(
                name: name, contains: try keys["contains"]?.string("contains"), regex: try regexNode.string("regex"),
                ignoreCase: try keys["ignore_case"]?.bool("ignore_case") ?? false)
        } catch let failure as ConfigDiffError where failure.code == .invalidPattern {
            throw regexNode.error(failure.message)
        }
    }

    private static func decodeRewrite(_ node: ProfileYAML) throws -> RewriteRule {
        let keys = try node.mapping(allowed: ["contains", "regex", "replace"], what: "a rewrite")
        guard let regexNode = keys["regex"], let replaceNode = keys["replace"] else {
            throw node.error("a rewrite needs `regex:` and `replace:`")
        }
        do {
            return try RewriteRule(
                contains: try keys["contains"]?.string("contains"), regex: try regexNode.string("regex"),
                replace: try replaceNode.string("replace"))
        } catch let failure as ConfigDiffError where failure.code == .invalidPattern {
            throw regexNode.error(failure.message)
        }
    }

    private static func decodeBlock(_ node: ProfileYAML) throws -> BlockRule {
        let keys = try node.mapping(allowed: ["name", "start", "end", "delimited"], what: "a block")
        guard let startNode = keys["start"] else { throw node.error("the block has no `start:` predicate") }
        let start = try startNode.predicate("start")
        let delimited = try keys["delimited"]?.bool("delimited") ?? false
        let terminator: BlockRule.Terminator
        switch (keys["end"], delimited) {
        case (let endNode?, false): terminator = .line(try endNode.predicate("end"))
        case (nil, true): terminator = .delimited
        default: throw node.error("a block needs exactly one of `end:` (a predicate) or `delimited: true`")
        }
        return BlockRule(name: try keys["name"]?.string("name") ?? "block", start: start, terminator: terminator)
    }

    private static func decodeOrderedFamily(_ node: ProfileYAML) throws -> OrderedFamily {
        let keys = try node.mapping(allowed: ["name", "regex"], what: "an ordered family")
        guard let regexNode = keys["regex"] else {
            throw node.error("the ordered family has no `regex:` (its first capture group is the family key)")
        }
        let name = try keys["name"]?.string("name") ?? "family"
        do {
            return try OrderedFamily(name: name, regex: try regexNode.string("regex"))
        } catch let failure as ConfigDiffError where failure.code == .invalidPattern {
            throw regexNode.error(failure.message)
        }
    }

    private static func decodeCompleteness(_ node: ProfileYAML) throws -> CompletenessRule {
        let keys = try node.mapping(
            allowed: ["last_line", "balanced_braces", "min_fraction_of_previous", "min_statements"],
            what: "completeness")
        var rule = CompletenessRule()
        rule.lastLine = try keys["last_line"]?.predicate("last_line")
        rule.balancedBraces = try keys["balanced_braces"]?.bool("balanced_braces") ?? false
        if let fractionNode = keys["min_fraction_of_previous"] {
            let fraction = try fractionNode.double("min_fraction_of_previous")
            guard fraction > 0, fraction <= 1 else {
                throw fractionNode.error("min_fraction_of_previous must be between 0 and 1, like 0.5")
            }
            rule.minFractionOfPrevious = fraction
        }
        if let minNode = keys["min_statements"] {
            rule.minStatements = max(0, try minNode.int("min_statements"))
        }
        return rule
    }
}

extension ProfileYAML {
    /// Checks that `pattern` compiles as a regular expression, reporting this node's line.
    func predicate(fromRegex pattern: String) throws -> LinePredicate {
        do {
            return try LinePredicate(.regex, pattern)
        } catch let failure as ConfigDiffError {
            throw error(failure.message)
        }
    }
}
