extension ConfigTree {
    /// The canonical text of the tree, in its style. Parsing it again gives an equal tree.
    ///
    /// - `indent`: one space per level, as IOS `show running-config`; a `!` line after each
    ///   top-level section that has children.
    /// - `brace`: JunOS-like, four spaces per level, `name {` … `}` and `leaf;`.
    /// - `set`: one statement per line.
    /// - `sections`: each `==> NAME <==` header followed by its lines, verbatim.
    /// - `flat`: one line per statement, verbatim.
    ///
    /// The continuation lines of a multi-line block are written verbatim. The text ends with a
    /// newline unless the tree is empty.
    public func rendered() -> String {
        var out = ""
        out.reserveCapacity(roots.count * 40)
        switch style {
        case .indent:
            for node in roots {
                Self.renderIndent(node, depth: 0, into: &out)
                if !node.children.isEmpty { out += "!\n" }
            }
        case .brace:
            for node in roots { Self.renderBrace(node, depth: 0, into: &out) }
        case .set, .flat, .sections:
            for node in roots {
                Self.appendBlock(node.text, indent: "", into: &out)
                for child in node.children { Self.renderIndent(child, depth: style == .sections ? 0 : 1, into: &out) }
            }
        }
        return out
    }

    private static func appendBlock(_ text: String, indent: String, into out: inout String) {
        out += indent
        out += text
        out += "\n"
    }

    /// Indentation strings by depth, made once.
    private static let spaces: [String] = (0...ConfigParser.maxDepth + 1).map { String(repeating: " ", count: $0) }
    private static let braceIndents: [String] = (0...ConfigParser.maxDepth + 1).map {
        String(repeating: " ", count: $0 * 4)
    }

    private static func indent(_ depth: Int, _ table: [String], width: Int) -> String {
        depth < table.count ? table[depth] : String(repeating: " ", count: depth * width)
    }

    private static func renderIndent(_ node: ConfigNode, depth: Int, into out: inout String) {
        appendBlock(node.text, indent: indent(depth, spaces, width: 1), into: &out)
        for child in node.children { renderIndent(child, depth: depth + 1, into: &out) }
    }

    private static func renderBrace(_ node: ConfigNode, depth: Int, into out: inout String) {
        let indent = indent(depth, braceIndents, width: 4)
        if node.children.isEmpty {
            let text = node.text
            if text.isEmpty {
                appendBlock("{ }", indent: indent, into: &out)
            } else if text.hasPrefix("#") || text.hasPrefix("/*") || hasOpenQuote(text) {
                appendBlock(text, indent: indent, into: &out)
            } else {
                appendBlock(text + ";", indent: indent, into: &out)
            }
            return
        }
        appendBlock(node.text.isEmpty ? "{" : node.text + " {", indent: indent, into: &out)
        for child in node.children { renderBrace(child, depth: depth + 1, into: &out) }
        out += indent
        out += "}\n"
    }

    private static func hasOpenQuote(_ text: String) -> Bool {
        var inQuote = false
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "\"") && (!inQuote || previous != UInt8(ascii: "\\")) { inQuote.toggle() }
            previous = byte
        }
        return inQuote
    }
}
