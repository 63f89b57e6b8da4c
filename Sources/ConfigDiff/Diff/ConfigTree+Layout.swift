/// One line of a tree laid out as text, with the section path it sits in.
public struct LayoutLine: Sendable, Hashable {
    /// The line as printed (with indentation, braces or terminators).
    public var text: String
    /// The texts of the enclosing sections, outermost first.
    public var path: SectionPath
}

extension ConfigTree {
    /// The tree laid out as lines in its style's canonical form, each with its section path
    /// (used for unified diffs of trees).
    ///
    /// - `indent`, `sections`: one space of indentation per level.
    /// - `brace`: four spaces per level, `name {` … `}` for sections, `leaf;` for statements.
    /// - `set`, `flat`: statements as they are (nested nodes, if any, indented like `indent`).
    ///
    /// A multi-line statement (a banner) contributes one line per text line; only its first
    /// line is indented.
    public func layoutLines() -> [LayoutLine] {
        var lines: [LayoutLine] = []
        var path: SectionPath = []
        for node in roots { Self.layout(node, depth: 0, style: style, path: &path, into: &lines) }
        return lines
    }

    private static func layout(
        _ node: ConfigNode, depth: Int, style: HierarchyStyle, path: inout SectionPath, into lines: inout [LayoutLine]
    ) {
        switch style {
        case .brace:
            let indent = String(repeating: " ", count: 4 * depth)
            if node.children.isEmpty {
                lines.append(LayoutLine(text: indent + node.text + ";", path: path))
            } else {
                lines.append(LayoutLine(text: indent + node.text + " {", path: path))
                path.append(node.text)
                for child in node.children { layout(child, depth: depth + 1, style: style, path: &path, into: &lines) }
                path.removeLast()
                lines.append(LayoutLine(text: indent + "}", path: path))
            }
        case .indent, .sections, .set, .flat:
            let indent = String(repeating: " ", count: depth)
            var first = true
            for line in node.text.split(separator: "\n", omittingEmptySubsequences: false) {
                lines.append(LayoutLine(text: first ? indent + line : String(line), path: path))
                first = false
            }
            if !node.children.isEmpty {
                path.append(node.text)
                for child in node.children { layout(child, depth: depth + 1, style: style, path: &path, into: &lines) }
                path.removeLast()
            }
        }
    }
}
