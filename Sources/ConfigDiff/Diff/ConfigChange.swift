/// One change of a ``ConfigDelta``: a statement (with its whole subtree) added or removed at a
/// section path.
///
/// A changed statement is reported once: when a section is added or removed, the change
/// carries the section's children in ``children`` and they are not listed again. A statement
/// whose text changed is a removal of the old text and an addition of the new one.
///
/// ``pathIndex`` and ``index`` locate the change in the tree the delta was computed *from*, so
/// that ``ConfigDelta/apply(to:)`` is exact even with duplicate statements; they count every child
/// (ignored statements included):
/// - `pathIndex[k]` is the position of the `k`-th ancestor among its siblings;
/// - for a removal, `index` is the position of the removed statement among its siblings;
/// - for an addition, `index` is where it is inserted: before the sibling at that position
///   (the count of siblings = at the end).
public struct ConfigChange: Sendable, Hashable, Codable {
    /// Whether the statement is added or removed.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// In the target only.
        case added
        /// In the source only.
        case removed
    }

    /// Added or removed.
    public var kind: Kind
    /// The texts of the enclosing sections, outermost first (`[]` at the top level).
    public var path: SectionPath
    /// The statement text.
    public var text: String
    /// The statement's subtree (non-empty when a whole section is added or removed).
    public var children: [ConfigNode]
    /// Positions of the ancestors in the source tree (see the type's documentation).
    public var pathIndex: [Int]
    /// Position of the statement in its parent's children in the source tree.
    public var index: Int

    /// Creates a change.
    public init(
        kind: Kind, path: SectionPath, text: String, children: [ConfigNode] = [], pathIndex: [Int] = [], index: Int = 0
    ) {
        self.kind = kind
        self.path = path
        self.text = text
        self.children = children
        self.pathIndex = pathIndex
        self.index = index
    }

    /// The number of configuration statements the change covers: the statement and every
    /// statement under it.
    public var lineCount: Int { 1 + Self.count(children) }

    private static func count(_ nodes: [ConfigNode]) -> Int {
        nodes.reduce(0) { $0 + 1 + count($1.children) }
    }

    /// The change's statement as a node, with its subtree.
    public var node: ConfigNode { ConfigNode(text, children: children) }

    private enum CodingKeys: String, CodingKey {
        case kind, path, text, children, pathIndex, index
    }

    /// Decodes the JSON form documented on ``ConfigDelta``.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        kind = try container.decode(Kind.self, forKey: .kind)
        path = try container.decode(SectionPath.self, forKey: .path)
        text = try container.decode(String.self, forKey: .text)
        children = try container.decodeIfPresent([NodeJSON].self, forKey: .children)?.map(\.node) ?? []
        pathIndex = try container.decodeIfPresent([Int].self, forKey: .pathIndex) ?? []
        index = try container.decodeIfPresent(Int.self, forKey: .index) ?? 0
    }

    /// Encodes the JSON form documented on ``ConfigDelta``.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(kind, forKey: .kind)
        try container.encode(path, forKey: .path)
        try container.encode(text, forKey: .text)
        try container.encode(children.map(NodeJSON.init), forKey: .children)
        try container.encode(pathIndex, forKey: .pathIndex)
        try container.encode(index, forKey: .index)
    }
}

/// The JSON form of a node: `{"text": …, "children": […]}`.
private struct NodeJSON: Codable {
    var text: String
    var children: [NodeJSON]

    init(_ node: ConfigNode) {
        text = node.text
        children = node.children.map(NodeJSON.init)
    }

    var node: ConfigNode { ConfigNode(text, children: children.map(\.node)) }

    private enum CodingKeys: String, CodingKey { case text, children }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        text = try container.decode(String.self, forKey: .text)
        children = try container.decodeIfPresent([NodeJSON].self, forKey: .children) ?? []
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(text, forKey: .text)
        try container.encode(children, forKey: .children)
    }
}
