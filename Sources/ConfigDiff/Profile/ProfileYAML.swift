import Yams

/// A YAML node with the file it came from, for decoding with precise errors: every error names
/// the file and the line, and unknown keys are rejected.
struct ProfileYAML {
    let node: Node
    let file: String

    init(_ node: Node, file: String) {
        self.node = node
        self.file = file
    }

    /// Parses a whole document.
    static func document(_ text: String, file: String) throws -> ProfileYAML {
        let composed: Node?
        do {
            composed = try Yams.compose(yaml: text)
        } catch {
            throw ConfigDiffError(.invalidProfile, "\(file): not valid YAML: \(error)")
        }
        guard let composed else {
            throw ConfigDiffError(
                .invalidProfile, "\(file): the file is empty; a profile needs at least `id:` and `style:`")
        }
        return ProfileYAML(composed, file: file)
    }

    var location: String {
        if let mark = node.mark { return "\(file):\(mark.line)" }
        return file
    }

    func error(_ message: String) -> ConfigDiffError {
        ConfigDiffError(.invalidProfile, "\(location): \(message)")
    }

    /// The mapping's entries, after checking that every key is one of `allowed`.
    func mapping(allowed: [String], what: String) throws -> [String: ProfileYAML] {
        guard case .mapping(let mapping) = node else {
            throw error("\(what) must be a mapping (key: value)")
        }
        var result: [String: ProfileYAML] = [:]
        for (keyNode, valueNode) in mapping {
            let keyReader = ProfileYAML(keyNode, file: file)
            guard case .scalar(let key) = keyNode else {
                throw keyReader.error("a key of \(what) must be a plain string")
            }
            guard allowed.contains(key.string) else {
                throw keyReader.error(
                    "unknown key \(key.string.debugDescription) in \(what); known keys: \(allowed.joined(separator: ", "))"
                )
            }
            guard result[key.string] == nil else {
                throw keyReader.error("key \(key.string.debugDescription) appears twice in \(what)")
            }
            result[key.string] = ProfileYAML(valueNode, file: file)
        }
        return result
    }

    func string(_ what: String) throws -> String {
        guard case .scalar(let scalar) = node else { throw error("\(what) must be a string") }
        return scalar.string
    }

    func bool(_ what: String) throws -> Bool {
        guard case .scalar(let scalar) = node else { throw error("\(what) must be true or false") }
        switch scalar.string {
        case "true", "yes", "on", "True", "TRUE": return true
        case "false", "no", "off", "False", "FALSE": return false
        default: throw error("\(what) must be true or false, not \(scalar.string.debugDescription)")
        }
    }

    func double(_ what: String) throws -> Double {
        guard case .scalar(let scalar) = node, let value = Double(scalar.string) else {
            throw error("\(what) must be a number")
        }
        return value
    }

    func int(_ what: String) throws -> Int {
        guard case .scalar(let scalar) = node, let value = Int(scalar.string) else {
            throw error("\(what) must be a whole number")
        }
        return value
    }

    func sequence(_ what: String) throws -> [ProfileYAML] {
        if case .scalar(let scalar) = node, ["", "~", "null"].contains(scalar.string) { return [] }
        guard case .sequence(let sequence) = node else { throw error("\(what) must be a list") }
        return sequence.map { ProfileYAML($0, file: file) }
    }

    func strings(_ what: String) throws -> [String] {
        try sequence(what).map { try $0.string("an item of \(what)") }
    }

    /// A predicate: a one-key mapping such as `{startsWith: "interface "}`.
    func predicate(_ what: String) throws -> LinePredicate {
        let kinds = LinePredicate.Kind.allCases.map(\.rawValue)
        let entries = try mapping(allowed: kinds, what: what)
        guard entries.count == 1, let (key, value) = entries.first, let kind = LinePredicate.Kind(rawValue: key) else {
            throw error("\(what) must have exactly one of \(kinds.joined(separator: ", "))")
        }
        let pattern = try value.string(what)
        do {
            return try LinePredicate(kind, pattern)
        } catch let failure as ConfigDiffError {
            throw value.error("\(what): \(failure.message)")
        }
    }

    /// A predicate, or a list of predicates (a section path).
    func sectionMatcher(_ what: String) throws -> SectionMatcher {
        if case .sequence = node {
            return SectionMatcher(try sequence(what).map { try $0.predicate("a level of \(what)") })
        }
        return SectionMatcher([try predicate(what)])
    }
}
