extension ConfigDelta {
    /// The human form used in emails and by `driftwatch compare`: enclosing sections as context
    /// lines, then the changed statements marked `-` (removed) or `+` (added), indented by depth.
    /// A context line is printed only when the section differs from the previous change's.
    ///
    /// ```
    ///   interface GigabitEthernet2
    /// -   no ip address
    /// +   ip address 172.20.0.1 255.255.255.0
    /// + router bgp 65000
    /// +   bgp log-neighbor-changes
    /// ```
    ///
    /// Empty when the delta is empty.
    public func render(indent: String = "  ") -> String {
        var out = ""
        var previous: SectionPath = []
        for change in changes {
            var common = 0
            while common < previous.count && common < change.path.count && previous[common] == change.path[common] {
                common += 1
            }
            for level in common..<change.path.count {
                out += Self.lines("  ", String(repeating: indent, count: level), change.path[level])
            }
            previous = change.path
            let sign = change.kind == .added ? "+ " : "- "
            out += Self.lines(sign, String(repeating: indent, count: change.path.count), change.text)
            Self.renderChildren(change.children, sign: sign, depth: change.path.count + 1, indent: indent, into: &out)
        }
        return out
    }

    private static func renderChildren(_ nodes: [ConfigNode], sign: String, depth: Int, indent: String, into out: inout String) {
        for node in nodes {
            out += lines(sign, String(repeating: indent, count: depth), node.text)
            renderChildren(node.children, sign: sign, depth: depth + 1, indent: indent, into: &out)
        }
    }

    private static func lines(_ sign: String, _ indentation: String, _ text: String) -> String {
        var out = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            out += sign + indentation + line + "\n"
        }
        return out
    }

    /// The unified diff of `base` and the result of applying the delta to it (see
    /// ``UnifiedDiff``). Additions in unordered sections are placed at the end of their
    /// section; to show the target's own layout, use ``UnifiedDiff/render(from:to:oldLabel:newLabel:context:)``
    /// with both trees.
    public func unifiedText(base: ConfigTree, oldLabel: String = "a", newLabel: String = "b", context: Int = 3) throws
        -> String
    {
        UnifiedDiff.render(from: base, to: try apply(to: base), oldLabel: oldLabel, newLabel: newLabel, context: context)
    }
}

extension ConfigChange: CustomStringConvertible {
    /// One line: the sign, then the section path and the statement joined by ` > `
    /// (`- interface Gi0/1 > ip address 10.0.0.1 255.255.255.0`).
    public var description: String {
        let sign = kind == .added ? "+ " : "- "
        return sign + (path + [text]).joined(separator: " > ")
    }
}
