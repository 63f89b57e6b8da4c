import ConfigDiff
import Foundation

extension Standard {
    static let topKeys = ["name", "version", "description", "applies_to", "rules"]
    static let ruleKeys = [
        "id", "description", "severity", "source", "section", "section_optional", "anywhere", "match_on", "require",
        "forbid", "count", "snippet",
    ]

    /// Parses a standard from YAML text. Every error names `file`, the line and the key.
    ///
    /// - Parameter expectedName: when given (the file name without `.yaml`), `name` must equal it.
    public static func parse(yaml text: String, file: String, expectedName: String? = nil) throws -> Standard {
        guard let document = try YAMLValue.parse(text, file: file) else {
            throw BaselineError(
                .malformedFile, "the file is empty; a standard needs name, applies_to and rules", file: file, line: 1)
        }
        let top = try document.mapping(allowed: topKeys)
        let nameValue = try top.required("name")
        let name = try nameValue.nonEmptyString()
        do {
            try BaselineStore.validateName(name, what: "standard")
        } catch let error as BaselineError {
            throw nameValue.error(error.message, code: .invalidValue)
        }
        if let expectedName, expectedName != name {
            throw nameValue.error(
                "must equal the file name '\(expectedName)' (the name keys the approval history)", code: .invalidValue)
        }
        let version = try top.optional("version")?.string() ?? ""
        let description = try top.optional("description")?.string() ?? ""
        var selector = StandardSelector()
        if let applies = top.optional("applies_to") {
            let map = try applies.mapping(allowed: ["groups", "platforms"])
            selector.groups = try map.optional("groups")?.stringList() ?? []
            selector.platforms = try map.optional("platforms")?.stringList() ?? []
        }
        let ruleValues = try top.required("rules").sequence()
        guard !ruleValues.isEmpty else { throw try top.required("rules").error("a standard needs at least one rule") }
        var rules: [StandardRule] = []
        var ids: Set<String> = []
        for value in ruleValues {
            let rule = try parseRule(value)
            guard ids.insert(rule.id).inserted else {
                throw value.error(
                    "rule id '\(rule.id)' is used twice; ids must be unique within a standard", code: .invalidValue)
            }
            rules.append(rule)
        }
        return Standard(name: name, version: version, description: description, appliesTo: selector, rules: rules)
    }

    static func parseRule(_ value: YAMLValue) throws -> StandardRule {
        let map = try value.mapping(allowed: ruleKeys)
        let id = try map.required("id").nonEmptyString()
        let severityValue = try map.required("severity")
        guard let severity = Severity(rawValue: try severityValue.string()) else {
            throw severityValue.error(
                "expected one of \(Severity.allCases.map(\.rawValue).joined(separator: ", ")), found \(severityValue.shortForm)",
                code: .invalidValue)
        }
        var rule = StandardRule(
            id: id, description: try map.required("description").nonEmptyString(), severity: severity)
        rule.source = try map.optional("source")?.string()
        if let section = map.optional("section") {
            let levels = try section.sequence().map { try predicate($0, stringKind: .regex) }
            guard !levels.isEmpty else { throw section.error("a section path needs at least one level") }
            rule.section = SectionMatcher(levels)
        }
        if let optional = map.optional("section_optional") {
            guard rule.section != nil else { throw optional.error("section_optional needs a section") }
            rule.sectionOptional = try optional.bool()
        }
        rule.anywhere = try map.optional("anywhere")?.bool() ?? false
        if let matchOn = map.optional("match_on") {
            guard let parsed = StandardRule.MatchOn(rawValue: try matchOn.string()) else {
                throw matchOn.error("expected statement or path", code: .invalidValue)
            }
            rule.matchOn = parsed
        }
        rule.require = try map.optional("require")?.sequence().map { try predicate($0, stringKind: .equals) } ?? []
        rule.forbid = try map.optional("forbid")?.sequence().map { try predicate($0, stringKind: .equals) } ?? []
        if let count = map.optional("count") {
            let countMap = try count.mapping(allowed: ["of", "min", "max"])
            let of = try countMap.optional("of").map { try predicate($0, stringKind: .equals) }
            let minimum = try countMap.optional("min")?.int()
            let maximum = try countMap.optional("max")?.int()
            guard minimum != nil || maximum != nil else { throw count.error("give min, max or both") }
            if let minimum, minimum < 0 { throw count.error("min must be 0 or more", code: .invalidValue) }
            if let minimum, let maximum, maximum < minimum {
                throw count.error("max (\(maximum)) is below min (\(minimum))", code: .invalidValue)
            }
            if of == nil, rule.section == nil {
                throw count.error(
                    "without 'of', count bounds the number of sections matched by 'section', so 'section' is required")
            }
            rule.count = StandardRule.CountBound(of: of, min: minimum, max: maximum)
        }
        if let snippet = map.optional("snippet") {
            let snippetMap = try snippet.mapping(allowed: ["mode", "text"])
            let modeValue = try snippetMap.required("mode")
            guard let mode = StandardRule.Snippet.Mode(rawValue: try modeValue.string()) else {
                throw modeValue.error("expected exact or superset", code: .invalidValue)
            }
            let textValue = try snippetMap.required("text")
            let nodes = SnippetText.parse(try textValue.string())
            guard !nodes.isEmpty else { throw textValue.error("the snippet has no statements") }
            rule.snippet = StandardRule.Snippet(mode: mode, nodes: nodes)
        }
        guard !rule.require.isEmpty || !rule.forbid.isEmpty || rule.count != nil || rule.snippet != nil else {
            throw value.error("rule '\(id)' checks nothing: give require, forbid, count or snippet")
        }
        return rule
    }

    /// A line pattern: a plain string (`stringKind`: exact statement for lines, regex for section
    /// levels) or a one-key mapping `{regex|startsWith|contains|endsWith|equals: text}`.
    static func predicate(_ value: YAMLValue, stringKind: LinePredicate.Kind) throws -> LinePredicate {
        let kind: LinePredicate.Kind
        let pattern: String
        let at: YAMLValue
        if value.isMapping {
            let map = try value.mapping(allowed: LinePredicate.Kind.allCases.map(\.rawValue))
            guard map.keys.count == 1, let key = map.keys.first, let parsedKind = LinePredicate.Kind(rawValue: key)
            else {
                throw value.error("a pattern is a text or one of {regex|startsWith|contains|endsWith|equals: text}")
            }
            at = try map.required(key)
            kind = parsedKind
            pattern = try at.string()
        } else {
            at = value
            kind = stringKind
            pattern = try value.string().trimmingCharacters(in: .whitespaces)
        }
        do {
            return try LinePredicate(kind, pattern)
        } catch let error as ConfigDiffError {
            throw at.error(error.message, code: .invalidValue)
        }
    }
}

/// Parses a snippet written with indentation (children indented deeper than their parent) into
/// nodes, independently of the platform.
enum SnippetText {
    static func parse(_ text: String) -> [ConfigNode] {
        var lines: [(indent: Int, text: String)] = []
        for raw in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = raw.replacingOccurrences(of: "\t", with: "    ").replacingOccurrences(of: "\r", with: "")
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            let indent = line.prefix { $0 == " " }.count
            lines.append((indent, trimmed))
        }
        var index = 0
        return build(&index, lines, parentIndent: -1)
    }

    private static func build(_ index: inout Int, _ lines: [(indent: Int, text: String)], parentIndent: Int)
        -> [ConfigNode]
    {
        var nodes: [ConfigNode] = []
        while index < lines.count, lines[index].indent > parentIndent {
            let (indent, text) = lines[index]
            index += 1
            let children = build(&index, lines, parentIndent: indent)
            nodes.append(ConfigNode(text, children: children))
        }
        return nodes
    }
}
