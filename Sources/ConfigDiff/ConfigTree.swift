/// How a platform writes nested configuration.
///
/// The set is closed on purpose: each case needs a parser and a renderer in code.
/// Platforms themselves (``PlatformID``) are open and live in YAML profiles.
public enum HierarchyStyle: String, Sendable, Hashable, Codable, CaseIterable {
    /// Children are indented under their parent (IOS, IOS-XE, NX-OS, EOS, IOS-XR, ASA).
    case indent
    /// `name {` … `}` blocks and `leaf;` statements (JunOS curly form).
    case brace
    /// One `set a b c` statement per line (JunOS `display set`).
    case set
    /// Named sections (one per captured file or command) holding flat `key value` lines (Linux hosts).
    case sections
    /// No hierarchy: every line is a root node (the `generic` profile).
    case flat
}

/// One configuration statement and the statements nested under it.
///
/// `text` is the canonical statement without indentation. For brace style it carries no
/// `{`, `}` or `;`; for set style it is the whole `set …` statement. A multi-line block
/// (`banner motd ^C … ^C`, a certificate) is one node whose `text` holds the lines joined by
/// `\n`. `line` is the 1-based line in the source text (0 when synthetic); it is not part of
/// equality or hashing, so two trees parsed from differently laid-out files can compare equal.
public struct ConfigNode: Sendable {
    /// The canonical statement text, without indentation.
    public var text: String
    /// Nested statements, in source order.
    public var children: [ConfigNode]
    /// 1-based line number in the source, 0 when the node was built in code.
    public var line: Int

    /// Creates a node.
    public init(_ text: String, children: [ConfigNode] = [], line: Int = 0) {
        self.text = text
        self.children = children
        self.line = line
    }
}

extension ConfigNode: Hashable {
    public static func == (lhs: ConfigNode, rhs: ConfigNode) -> Bool {
        lhs.text == rhs.text && lhs.children == rhs.children
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(text)
        hasher.combine(children)
    }
}

/// A parsed configuration: its top-level statements and the style it was written in.
public struct ConfigTree: Sendable, Hashable {
    /// The hierarchy style the text was parsed with; rendering uses the same style.
    public var style: HierarchyStyle
    /// Top-level statements, in source order.
    public var roots: [ConfigNode]

    /// Creates a tree.
    public init(style: HierarchyStyle, roots: [ConfigNode] = []) {
        self.style = style
        self.roots = roots
    }
}

/// The ancestors of a statement, outermost first, e.g. `["interface Gi0/1"]` for
/// `ip address 10.0.0.1 255.255.255.0`. Rendered as `interface Gi0/1 > ip address …`.
public typealias SectionPath = [String]
