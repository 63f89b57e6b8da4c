import Foundation

/// The changes that turn one configuration tree into another, in tree order.
///
/// Built by ``HierarchicalDiff/compare(from:to:options:)``. Each changed statement appears once,
/// with its section path; an added or removed section is one change carrying its subtree.
///
/// ## JSON form (stable)
///
/// ```json
/// {
///   "changes": [
///     { "kind": "removed", "path": ["interface Gi0/1"], "text": "ip address 10.0.0.1 255.255.255.0",
///       "children": [], "pathIndex": [12], "index": 2 },
///     { "kind": "added", "path": [], "text": "router bgp 65000",
///       "children": [{ "text": "neighbor 192.0.2.1 remote-as 65001", "children": [] }],
///       "pathIndex": [], "index": 40 }
///   ],
///   "summary": { "added": 2, "removed": 1 }
/// }
/// ```
///
/// - `changes[]`: in tree order. `kind` is `added` or `removed`; `path` the enclosing sections'
///   texts, outermost first; `text` the statement; `children` its subtree as nested
///   `{text, children}` objects (empty for a single statement); `pathIndex` and `index` its
///   position in the source tree (see ``ConfigChange``), used to apply the delta.
/// - `summary`: `added` and `removed` count statements (a section and everything under it).
///
/// Keys are written sorted, so equal deltas encode to identical bytes.
public struct ConfigDelta: Sendable, Hashable, Codable {
    /// The changes, in tree order.
    public var changes: [ConfigChange]

    /// Creates a delta from changes in tree order.
    public init(changes: [ConfigChange] = []) {
        self.changes = changes
    }

    /// True when the two trees compared equal.
    public var isEmpty: Bool { changes.isEmpty }

    /// The number of added statements (sections count with everything under them).
    public var addedLines: Int { changes.reduce(0) { $0 + ($1.kind == .added ? $1.lineCount : 0) } }

    /// The number of removed statements (sections count with everything under them).
    public var removedLines: Int { changes.reduce(0) { $0 + ($1.kind == .removed ? $1.lineCount : 0) } }

    /// `summary` of the JSON form.
    public struct Summary: Sendable, Hashable, Codable {
        /// Added statements.
        public var added: Int
        /// Removed statements.
        public var removed: Int
    }

    /// The counts of added and removed statements.
    public var summary: Summary { Summary(added: addedLines, removed: removedLines) }

    private enum CodingKeys: String, CodingKey { case changes, summary }

    /// Decodes the JSON form; `summary` is recomputed from the changes.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        changes = try container.decode([ConfigChange].self, forKey: .changes)
    }

    /// Encodes the JSON form (see the type's documentation).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(changes, forKey: .changes)
        try container.encode(summary, forKey: .summary)
    }

    /// The stable JSON form: sorted keys, pretty-printed, no escaped slashes.
    public func jsonData() throws -> Data {
        try Self.encoder().encode(self)
    }

    /// A JSON encoder with the settings of the stable form, for documents embedding a delta.
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return encoder
    }
}
