import Foundation
import Yams

/// A node of a YAML document with the file it came from and its key path, so that every
/// decoding error can name the file, the line and the key.
///
/// Used for standards files here and for `driftwatch.yaml` in the DriftWatch module: both reject
/// unknown keys and wrong types with `file:line: key 'a.b[2].c': …`.
public struct YAMLValue {
    let node: Node
    /// The file the document was read from (as given by the caller).
    public let file: String
    /// Where the value sits in the document, e.g. `devices[2].credentials.key_file`; empty at the root.
    public let keyPath: String

    init(node: Node, file: String, keyPath: String) {
        self.node = node
        self.file = file
        self.keyPath = keyPath
    }

    /// Parses `text` as one YAML document. Returns nil for an empty document.
    ///
    /// Throws ``BaselineError`` `.malformedFile` with the line of the syntax error.
    public static func parse(_ text: String, file: String) throws -> YAMLValue? {
        do {
            guard let node = try Yams.compose(yaml: text) else { return nil }
            return YAMLValue(node: node, file: file, keyPath: "")
        } catch let error as YamlError {
            throw BaselineError(
                .malformedFile, "not valid YAML: \(Self.describe(error))", file: file, line: Self.line(of: error))
        } catch {
            throw BaselineError(.malformedFile, "not valid YAML: \(error)", file: file)
        }
    }

    /// The 1-based line of the value in its file, when known.
    public var line: Int? { node.mark?.line }

    /// The key path for messages: `'a.b'`, or `the document` at the root.
    public var keyDescription: String { keyPath.isEmpty ? "the document" : "key '\(keyPath)'" }

    /// An error about this value, with its file, line and key.
    public func error(_ reason: String, code: BaselineError.Code = .malformedFile) -> BaselineError {
        BaselineError(code, "\(keyDescription): \(reason)", file: file, line: line)
    }

    /// This value as a mapping whose keys must all be in `allowed` (unknown and duplicate keys
    /// are rejected).
    public func mapping(allowed: [String]) throws -> YAMLMapping {
        guard case .mapping(let mapping) = node else {
            throw error("expected a mapping (key: value), found \(kindDescription)")
        }
        var entries: [(String, YAMLValue)] = []
        var seen: Set<String> = []
        for (keyNode, valueNode) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                throw error("keys must be plain strings")
            }
            let key = scalar.string
            let child = YAMLValue(node: valueNode, file: file, keyPath: keyPath.isEmpty ? key : "\(keyPath).\(key)")
            guard allowed.contains(key) else {
                let keyValue = YAMLValue(node: keyNode, file: file, keyPath: child.keyPath)
                throw keyValue.error("unknown key; allowed here: \(allowed.joined(separator: ", "))")
            }
            guard seen.insert(key).inserted else {
                let keyValue = YAMLValue(node: keyNode, file: file, keyPath: child.keyPath)
                throw keyValue.error("given twice")
            }
            entries.append((key, child))
        }
        return YAMLMapping(owner: self, entries: entries)
    }

    /// The keys of this mapping, in document order, for mappings whose keys are names chosen by
    /// the user (`groups:` in `driftwatch.yaml`); pass them to ``mapping(allowed:)`` to read it.
    public func mappingKeys() throws -> [String] {
        guard case .mapping(let mapping) = node else {
            throw error("expected a mapping (key: value), found \(kindDescription)")
        }
        return try mapping.map { keyNode, _ in
            guard case .scalar(let scalar) = keyNode else { throw error("keys must be plain strings") }
            return scalar.string
        }
    }

    /// This value as a sequence.
    public func sequence() throws -> [YAMLValue] {
        guard case .sequence(let sequence) = node else {
            throw error("expected a list, found \(kindDescription)")
        }
        return sequence.enumerated().map { index, child in
            YAMLValue(node: child, file: file, keyPath: "\(keyPath)[\(index)]")
        }
    }

    /// True when this value is a sequence.
    public var isSequence: Bool { if case .sequence = node { return true } else { return false } }
    /// True when this value is a mapping.
    public var isMapping: Bool { if case .mapping = node { return true } else { return false } }
    /// True when this value is YAML null (`~`, `null` or empty).
    public var isNull: Bool {
        if case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any {
            return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
        }
        return false
    }

    /// This value as a string (any scalar; numbers and booleans keep their written form).
    public func string() throws -> String {
        guard case .scalar(let scalar) = node else {
            throw error("expected a text value, found \(kindDescription)")
        }
        return scalar.string
    }

    /// This value as a non-empty string.
    public func nonEmptyString() throws -> String {
        let value = try string()
        guard !value.trimmingCharacters(in: .whitespaces).isEmpty else { throw error("must not be empty") }
        return value
    }

    /// This value as an integer.
    public func int() throws -> Int {
        guard case .scalar(let scalar) = node, let value = Int(scalar.string) else {
            throw error("expected a whole number, found \(shortForm)")
        }
        return value
    }

    /// This value as a boolean (`true`/`false`, `yes`/`no`).
    public func bool() throws -> Bool {
        guard case .scalar(let scalar) = node else { throw error("expected true or false, found \(kindDescription)") }
        switch scalar.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error("expected true or false, found \(shortForm)")
        }
    }

    /// This value as a list of strings. A single scalar is not accepted: lists are written as lists.
    public func stringList() throws -> [String] {
        try sequence().map { try $0.string() }
    }

    /// A short description of the value for messages (scalars quoted, at most 40 characters).
    public var shortForm: String {
        switch node {
        case .scalar(let scalar):
            let text = scalar.string
            return (text.count > 40 ? String(text.prefix(40)) + "…" : text).debugDescription
        default: return kindDescription
        }
    }

    var kindDescription: String {
        switch node {
        case .scalar(let scalar):
            return
                "the value \(scalar.string.count > 40 ? String(scalar.string.prefix(40)).debugDescription + "…" : scalar.string.debugDescription)"
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        }
    }

    static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return mark.line
        default:
            return nil
        }
    }

    static func describe(_ error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _),
            .composer(let context, let problem, _, _):
            return [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        default:
            return "\(error)"
        }
    }
}

/// A YAML mapping whose keys were checked against an allowed list.
public struct YAMLMapping {
    /// The mapping itself (for errors about the whole mapping).
    public let owner: YAMLValue
    let entries: [(String, YAMLValue)]

    /// The keys present, in document order.
    public var keys: [String] { entries.map(\.0) }

    /// The value of `key`, or nil when absent or null.
    public func optional(_ key: String) -> YAMLValue? {
        guard let value = entries.first(where: { $0.0 == key })?.1, !value.isNull else { return nil }
        return value
    }

    /// The value of `key`; throws naming the key when it is missing.
    public func required(_ key: String) throws -> YAMLValue {
        guard let value = optional(key) else {
            throw owner.error("missing required key '\(key)'")
        }
        return value
    }
}
