import ConfigDiff

/// Evaluates standards over a parsed configuration. Pure: no I/O, no state.
public enum StandardEvaluator {
    /// The findings of every rule of `standard` on `tree`, in rule order then section order.
    /// An empty result means the configuration complies.
    public static func evaluate(_ standard: Standard, on tree: ConfigTree) -> [StandardFinding] {
        standard.rules.flatMap { evaluate($0, of: standard, on: tree) }
    }

    /// The findings of one rule.
    public static func evaluate(_ rule: StandardRule, of standard: Standard, on tree: ConfigTree) -> [StandardFinding] {
        func finding(_ path: SectionPath, _ what: String, _ evidence: [String]) -> StandardFinding {
            StandardFinding(
                standard: standard.name, ruleID: rule.id, severity: rule.severity, sectionPath: path,
                evidence: evidence,
                message: "\(rule.description) (\(what))", source: rule.source)
        }
        let scopes: [Scope]
        if let section = rule.section {
            let matched = sections(matching: section, in: tree)
            scopes = matched.isEmpty && rule.sectionOptional ? [Scope(path: [], children: tree.roots)] : matched
        } else {
            scopes = [Scope(path: [], children: tree.roots)]
        }
        var findings: [StandardFinding] = []
        if let count = rule.count, count.of == nil {
            if let problem = bounds(scopes.count, count) {
                findings.append(
                    finding(
                        [], "\(scopes.count) matching sections, \(problem)",
                        scopes.prefix(20).map { $0.path.joined(separator: " > ") }))
            }
        }
        for scope in scopes {
            let statements = statements(in: scope, anywhere: rule.anywhere)
            let texts = statements.map { matchText($0, rule.matchOn) }
            for predicate in rule.require where !texts.contains(where: predicate.matches) {
                findings.append(
                    finding(scope.path, "missing \(describe(predicate))", ["missing: \(describe(predicate))"]))
            }
            var forbidden: [String] = []
            for (statement, text) in zip(statements, texts) where rule.forbid.contains(where: { $0.matches(text) }) {
                forbidden.append(evidence(statement))
            }
            if !forbidden.isEmpty {
                let patterns = rule.forbid.filter { predicate in texts.contains(where: predicate.matches) }.map(
                    describe)
                findings.append(finding(scope.path, "forbidden \(patterns.joined(separator: ", ")) present", forbidden))
            }
            if let count = rule.count, let of = count.of {
                let matching = zip(statements, texts).filter { of.matches($0.1) }.map { evidence($0.0) }
                if let problem = bounds(matching.count, count) {
                    findings.append(
                        finding(
                            scope.path, "\(matching.count) statements match \(describe(of)), \(problem)",
                            matching.isEmpty ? ["none match \(describe(of))"] : matching))
                }
            }
            if let snippet = rule.snippet {
                var problems: [String] = []
                compare(snippet.nodes, with: scope.children, mode: snippet.mode, path: [], problems: &problems)
                if !problems.isEmpty {
                    findings.append(
                        finding(
                            scope.path, "does not \(snippet.mode == .exact ? "equal" : "contain") the snippet", problems
                        ))
                }
            }
        }
        return findings
    }

    struct Scope {
        var path: SectionPath
        var children: [ConfigNode]
    }

    struct Statement {
        var node: ConfigNode
        var ancestors: SectionPath
    }

    static func sections(matching matcher: SectionMatcher, in tree: ConfigTree) -> [Scope] {
        var scopes: [Scope] = []
        func walk(_ nodes: [ConfigNode], _ path: SectionPath) {
            let level = path.count
            guard level < matcher.levels.count else { return }
            for node in nodes where matcher.levels[level].matches(node.text) {
                let nodePath = path + [node.text]
                if nodePath.count == matcher.levels.count {
                    scopes.append(Scope(path: nodePath, children: node.children))
                } else {
                    walk(node.children, nodePath)
                }
            }
        }
        walk(tree.roots, [])
        return scopes
    }

    static func statements(in scope: Scope, anywhere: Bool) -> [Statement] {
        guard anywhere else { return scope.children.map { Statement(node: $0, ancestors: scope.path) } }
        var result: [Statement] = []
        func walk(_ nodes: [ConfigNode], _ path: SectionPath) {
            for node in nodes {
                result.append(Statement(node: node, ancestors: path))
                walk(node.children, path + [node.text])
            }
        }
        walk(scope.children, scope.path)
        return result
    }

    static func matchText(_ statement: Statement, _ matchOn: StandardRule.MatchOn) -> String {
        switch matchOn {
        case .statement:
            return statement.node.text
        case .path:
            let joined = (statement.ancestors + [statement.node.text]).joined(separator: " ")
            return joined.hasPrefix("set ") ? String(joined.dropFirst(4)) : joined
        }
    }

    static func evidence(_ statement: Statement) -> String {
        let text =
            statement.node.text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first.map(
                String.init) ?? ""
        return statement.node.line > 0 ? "line \(statement.node.line): \(text)" : text
    }

    static func bounds(_ value: Int, _ count: StandardRule.CountBound) -> String? {
        if let minimum = count.min, value < minimum { return "expected at least \(minimum)" }
        if let maximum = count.max, value > maximum { return "expected at most \(maximum)" }
        return nil
    }

    /// `"ip http server"`, `/^ntp server /`, `startsWith "interface "`.
    public static func describe(_ predicate: LinePredicate) -> String {
        switch predicate.kind {
        case .equals: return predicate.pattern.debugDescription
        case .regex: return "/\(predicate.pattern)/"
        default: return "\(predicate.kind.rawValue) \(predicate.pattern.debugDescription)"
        }
    }

    static func compare(
        _ expected: [ConfigNode], with actual: [ConfigNode], mode: StandardRule.Snippet.Mode, path: SectionPath,
        problems: inout [String]
    ) {
        let prefix = path.isEmpty ? "" : path.joined(separator: " > ") + " > "
        for node in expected {
            guard let match = actual.first(where: { $0.text == node.text }) else {
                problems.append("missing: \(prefix)\(node.text)")
                continue
            }
            if !node.children.isEmpty || mode == .exact {
                compare(node.children, with: match.children, mode: mode, path: path + [node.text], problems: &problems)
            }
        }
        if mode == .exact {
            let wanted = Set(expected.map(\.text))
            for node in actual where !wanted.contains(node.text) {
                problems.append("unexpected: \(prefix)\(evidence(Statement(node: node, ancestors: path)))")
            }
        }
    }
}
