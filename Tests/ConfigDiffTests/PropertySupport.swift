import Foundation
@testable import ConfigDiff

/// SplitMix64: a small seeded generator, so every random test is reproducible from its seed.
struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Builds a tree from one-space-per-level indented text (test notation only, not a config parser).
func tree(_ text: String, style: HierarchyStyle = .indent) -> ConfigTree {
    var roots: [ConfigNode] = []
    var stack: [(depth: Int, path: [Int])] = []
    func insert(_ node: ConfigNode, at path: [Int], into nodes: inout [ConfigNode]) {
        guard let first = path.first else {
            nodes.append(node)
            return
        }
        insert(node, at: Array(path.dropFirst()), into: &nodes[first].children)
    }
    func count(at path: [Int], _ nodes: [ConfigNode]) -> Int {
        guard let first = path.first else { return nodes.count }
        return count(at: Array(path.dropFirst()), nodes[first].children)
    }
    for raw in text.split(separator: "\n", omittingEmptySubsequences: true) {
        let depth = raw.prefix { $0 == " " }.count
        let text = String(raw.dropFirst(depth))
        while let last = stack.last, last.depth >= depth { stack.removeLast() }
        let parent = stack.last?.path ?? []
        let index = count(at: parent, roots)
        insert(ConfigNode(text), at: parent, into: &roots)
        stack.append((depth, parent + [index]))
    }
    return ConfigTree(style: style, roots: roots)
}

/// Options with the top level and every `interface` section unordered (IOS-like).
func iosLikeOptions() throws -> DiffOptions {
    DiffOptions(
        unorderedSections: [SectionMatcher([]), SectionMatcher([try LinePredicate(.startsWith, "interface ")])],
        ignore: [], negation: .noPrefix)
}

/// Random tree generation and edits, for the laws.
enum RandomTrees {
    static let words = ["interface", "ip", "address", "vlan", "name", "shutdown", "no", "router", "bgp", "neighbor",
                        "description", "permit", "deny", "10", "20", "any", "host", "!", "snmp-server", "ntp"]

    static func text<R: RandomNumberGenerator>(_ rng: inout R) -> String {
        let count = Int.random(in: 1...3, using: &rng)
        return (0..<count).map { _ in words[Int.random(in: 0..<words.count, using: &rng)] }.joined(separator: " ")
    }

    /// A random forest; small vocabularies on purpose, so duplicates and repeated texts are common.
    static func nodes<R: RandomNumberGenerator>(_ rng: inout R, depth: Int, width: Int) -> [ConfigNode] {
        let count = Int.random(in: 0...width, using: &rng)
        return (0..<count).map { _ in
            let children = depth > 0 && Bool.random(using: &rng) ? nodes(&rng, depth: depth - 1, width: width) : []
            return ConfigNode(text(&rng), children: children)
        }
    }

    /// Applies `count` random edits at random depths: delete, insert, modify, and (when asked)
    /// shuffle of a child list.
    static func edit<R: RandomNumberGenerator>(_ nodes: [ConfigNode], _ rng: inout R, count: Int, shuffle: Bool = false) -> [ConfigNode] {
        var result = nodes
        for _ in 0..<count { editOnce(&result, &rng, shuffle: shuffle) }
        return result
    }

    private static func editOnce<R: RandomNumberGenerator>(_ nodes: inout [ConfigNode], _ rng: inout R, shuffle: Bool) {
        // Descend to a random depth.
        if !nodes.isEmpty && Int.random(in: 0..<3, using: &rng) > 0 {
            let index = Int.random(in: 0..<nodes.count, using: &rng)
            if !nodes[index].children.isEmpty || Bool.random(using: &rng) {
                editOnce(&nodes[index].children, &rng, shuffle: shuffle)
                return
            }
        }
        switch Int.random(in: 0..<(shuffle ? 4 : 3), using: &rng) {
        case 0 where !nodes.isEmpty:
            nodes.remove(at: Int.random(in: 0..<nodes.count, using: &rng))
        case 1:
            let node = ConfigNode(text(&rng), children: Bool.random(using: &rng) ? self.nodes(&rng, depth: 1, width: 3) : [])
            nodes.insert(node, at: Int.random(in: 0...nodes.count, using: &rng))
        case 2 where !nodes.isEmpty:
            let index = Int.random(in: 0..<nodes.count, using: &rng)
            nodes[index].text += " " + text(&rng)
        case 3:
            nodes.shuffle(using: &rng)
        default:
            nodes.append(ConfigNode(text(&rng)))
        }
    }
}

/// Every (kind, path, text) of a delta, plus every statement inside a carried subtree, to check
/// that each changed line is listed once.
func changedLines(_ delta: ConfigDelta) -> [String] {
    var lines: [String] = []
    func walk(_ node: ConfigNode, _ kind: ConfigChange.Kind, _ path: [String]) {
        lines.append("\(kind.rawValue)|\(path.joined(separator: " > "))|\(node.text)")
        for child in node.children { walk(child, kind, path + [node.text]) }
    }
    for change in delta.changes { walk(change.node, change.kind, change.path) }
    return lines
}
