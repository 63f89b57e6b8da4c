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
        var out: [UInt8] = []
        out.reserveCapacity(Self.estimatedSize(roots, depth: 0, indentWidth: style == .brace ? 4 : 1))
        switch style {
        case .indent:
            for node in roots {
                Self.renderIndent(node, depth: 0, into: &out)
                if !node.children.isEmpty { out.append(contentsOf: [UInt8(ascii: "!"), UInt8(ascii: "\n")]) }
            }
        case .brace:
            for node in roots { Self.renderBrace(node, depth: 0, into: &out) }
        case .set, .flat, .sections:
            for node in roots {
                Self.appendLine(node.text, depth: 0, width: 1, into: &out)
                for child in node.children { Self.renderIndent(child, depth: style == .sections ? 0 : 1, into: &out) }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Bytes of the rendering, give or take the separators: one allocation for the output.
    private static func estimatedSize(_ nodes: [ConfigNode], depth: Int, indentWidth: Int) -> Int {
        var total = 0
        for node in nodes {
            total += node.text.utf8.count + depth * indentWidth + 4
            if !node.children.isEmpty {
                total +=
                    estimatedSize(node.children, depth: depth + 1, indentWidth: indentWidth) + depth * indentWidth + 4
            }
        }
        return total
    }

    @inline(__always)
    private static func appendLine(
        _ text: String, depth: Int, width: Int, suffix: UInt8? = nil, into out: inout [UInt8]
    ) {
        let count = depth * width
        if count > 0 { out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: count)) }
        var text = text
        text.withUTF8 { out.append(contentsOf: $0) }
        if let suffix { out.append(suffix) }
        out.append(UInt8(ascii: "\n"))
    }

    private static func renderIndent(_ node: ConfigNode, depth: Int, into out: inout [UInt8]) {
        appendLine(node.text, depth: depth, width: 1, into: &out)
        for child in node.children { renderIndent(child, depth: depth + 1, into: &out) }
    }

    private static func renderBrace(_ node: ConfigNode, depth: Int, into out: inout [UInt8]) {
        if node.children.isEmpty {
            let text = node.text
            if text.isEmpty {
                appendLine("{ }", depth: depth, width: 4, into: &out)
            } else if text.hasPrefix("#") || text.hasPrefix("/*") || hasOpenQuote(text) {
                appendLine(text, depth: depth, width: 4, into: &out)
            } else {
                appendLine(text, depth: depth, width: 4, suffix: UInt8(ascii: ";"), into: &out)
            }
            return
        }
        appendLine(node.text.isEmpty ? "{" : node.text + " {", depth: depth, width: 4, into: &out)
        for child in node.children { renderBrace(child, depth: depth + 1, into: &out) }
        appendLine("}", depth: depth, width: 4, into: &out)
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
