@testable import ConfigDiff

/// A model of entering commands on a device, to check remediation semantically.
enum RemediationSimulator {
    /// Marks a statement whose display is device-defined (see ``iosMerge(_:into:)``).
    static let optionalMark: Character = "\u{1}"

    /// IOS-like "config merge": a line followed by a deeper-indented line enters (or creates) that
    /// section; `exit` leaves it. `no P` removes a statement `P` (a whole section; `no banner motd`
    /// a banner) if present, otherwise records `no P`. A positive `T` replaces a `no P` when
    /// `T == P` or `T` starts with `P `, otherwise records `T` (entering an existing section does
    /// not duplicate it). Whether a device then displays the `no P` that removed `P`, or the bare
    /// `P` that replaced `no P`, depends on the command's default: such statements are recorded
    /// as optional and kept only where the target has them (``resolve(_:against:)``).
    ///
    /// Returns nil when the text is malformed (indentation not matching the context depth, or an
    /// `exit` at the top level, or a block left open).
    static func iosMerge(_ lines: [String], into tree: ConfigTree) -> ConfigTree? {
        var roots = tree.roots
        var stack: [Int] = []  // child index at each level
        var index = 0
        func withContext<T>(_ body: (inout [ConfigNode]) -> T) -> T {
            func descend(_ nodes: inout [ConfigNode], _ path: ArraySlice<Int>) -> T {
                guard let first = path.first else { return body(&nodes) }
                return descend(&nodes[first].children, path.dropFirst())
            }
            return descend(&roots, stack[...])
        }
        while index < lines.count {
            let raw = lines[index]
            let depth = raw.prefix { $0 == " " }.count
            let text = String(raw.dropFirst(depth))
            guard depth == stack.count else { return nil }
            if text == "exit" {
                guard !stack.isEmpty else { return nil }
                stack.removeLast()
                index += 1
                continue
            }
            let opens = index + 1 < lines.count && lines[index + 1].prefix { $0 == " " }.count > depth
            let position: Int? = withContext { nodes in
                if text.hasPrefix("no ") && !opens {
                    let target = String(text.dropFirst(3))
                    if let hit = nodes.firstIndex(where: {
                        $0.text == target || ($0.text.contains("\n") && ($0.text.hasPrefix(target + " ") || $0.text.hasPrefix(target + "\n")))
                    }) {
                        nodes.remove(at: hit)
                        nodes.append(ConfigNode(String(optionalMark) + text))
                        return nil
                    }
                } else if !opens, let hit = nodes.firstIndex(where: { $0.text.hasPrefix("no ") && $0.children.isEmpty && (text == String($0.text.dropFirst(3)) || text.hasPrefix(String($0.text.dropFirst(3)) + " ")) }) {
                    let restored = nodes[hit].text == "no " + text
                    nodes.remove(at: hit)
                    nodes.append(ConfigNode(restored ? String(optionalMark) + text : text))
                    return nil
                }
                if opens, let existing = nodes.firstIndex(where: { $0.text == text }) { return existing }
                if !opens && nodes.contains(where: { $0.text == text && $0.children.isEmpty }) { return nil }
                nodes.append(ConfigNode(text))
                return nodes.count - 1
            }
            if opens {
                guard let position else { return nil }
                stack.append(position)
            }
            index += 1
        }
        return stack.isEmpty ? ConfigTree(style: tree.style, roots: roots) : nil
    }

    /// Keeps an optional statement where the target's section (found by path texts) has it, and
    /// drops it elsewhere.
    static func resolve(_ tree: ConfigTree, against target: ConfigTree) -> ConfigTree {
        func walk(_ nodes: [ConfigNode], _ reference: [ConfigNode]) -> [ConfigNode] {
            let present = Set(reference.map(\.text))
            return nodes.compactMap { node in
                if node.text.first == optionalMark {
                    let text = String(node.text.dropFirst())
                    return present.contains(text) ? ConfigNode(text) : nil
                }
                var copy = node
                copy.children = walk(node.children, reference.first { $0.text == node.text }?.children ?? [])
                return copy
            }
        }
        return ConfigTree(style: tree.style, roots: walk(tree.roots, target.roots))
    }

    /// True when entering `lines` on a device with `a` gives `b` under the merge model (compared
    /// as sets at every level: the device decides where a new statement goes).
    static func iosReaches(_ lines: [String], from a: ConfigTree, to b: ConfigTree) -> Bool {
        guard let simulated = iosMerge(lines, into: a) else { return false }
        return HierarchicalDiff.compare(from: resolve(simulated, against: b), to: b, options: allUnordered()).isEmpty
    }

    /// JunOS-like: the configuration as a set of leaf statements (word sequences); `delete W`
    /// removes every leaf starting with W, `set W` adds W.
    static func setMerge(_ lines: [String], into leaves: Set<[String]>) -> Set<[String]>? {
        var result = leaves
        for line in lines {
            let words = line.split(separator: " ").map(String.init)
            guard let verb = words.first else { return nil }
            let rest = Array(words.dropFirst())
            switch verb {
            case "delete": result = result.filter { !$0.starts(with: rest) }
            case "set": result.insert(rest)
            default: return nil
            }
        }
        return result
    }

    /// The leaf statements of a tree as word sequences (`set ` prefixes dropped).
    static func leafWords(_ tree: ConfigTree) -> Set<[String]> {
        var out = Set<[String]>()
        func walk(_ node: ConfigNode, _ prefix: [String]) {
            let text = node.text.hasPrefix("set ") ? String(node.text.dropFirst(4)) : node.text
            let words = prefix + text.split(separator: " ").map(String.init)
            if node.children.isEmpty { out.insert(words) } else { for child in node.children { walk(child, words) } }
        }
        for root in tree.roots { walk(root, []) }
        return out
    }

    /// The tree with every level compared as a set: for checks where the device decides order.
    static func allUnordered() -> DiffOptions {
        DiffOptions(unorderedSections: (0...8).map { depth in
            SectionMatcher((0..<depth).compactMap { _ in try? LinePredicate(.startsWith, "") })
        })
    }
}
