extension ConfigDelta {
    /// The tree with the delta's changes made: for `delta = compare(from: a, to: b, options:)`,
    /// `compare(from: delta.apply(to: a), to: b, options:)` is empty.
    ///
    /// Changes are located by their positions in the source tree (``ConfigChange/pathIndex``,
    /// ``ConfigChange/index``), checked against their texts. Additions at the same position keep
    /// the delta's order. Throws ``ConfigDiffError`` (`invalidInput`) when the delta does not fit
    /// the tree (it was computed from another one).
    public func apply(to tree: ConfigTree) throws -> ConfigTree {
        var result = tree
        result.roots = try Self.applyLevel(tree.roots, changes[...], depth: 0)
        return result
    }

    private static func applyLevel(_ nodes: [ConfigNode], _ changes: ArraySlice<ConfigChange>, depth: Int) throws
        -> [ConfigNode]
    {
        var removed = Set<Int>()
        var additions: [Int: [ConfigNode]] = [:]
        var nested: [Int: [ConfigChange]] = [:]
        var nestedOrder: [Int] = []
        for change in changes {
            if change.pathIndex.count != change.path.count {
                throw ConfigDiffError(.invalidInput, "change \(change.text.debugDescription): path and pathIndex differ in length")
            }
            if change.pathIndex.count > depth {
                let position = change.pathIndex[depth]
                guard nodes.indices.contains(position), nodes[position].text == change.path[depth] else {
                    throw mismatch(change, depth: depth)
                }
                if nested[position] == nil { nestedOrder.append(position) }
                nested[position, default: []].append(change)
                continue
            }
            switch change.kind {
            case .removed:
                guard nodes.indices.contains(change.index), nodes[change.index].text == change.text,
                    removed.insert(change.index).inserted
                else { throw mismatch(change, depth: depth) }
            case .added:
                guard change.index >= 0 && change.index <= nodes.count else { throw mismatch(change, depth: depth) }
                additions[change.index, default: []].append(change.node)
            }
        }
        var result: [ConfigNode] = []
        result.reserveCapacity(nodes.count + additions.count)
        for position in 0...nodes.count {
            if let added = additions[position] { result.append(contentsOf: added) }
            guard position < nodes.count, !removed.contains(position) else { continue }
            if let inner = nested[position] {
                var node = nodes[position]
                node.children = try applyLevel(node.children, inner[...], depth: depth + 1)
                result.append(node)
            } else {
                result.append(nodes[position])
            }
        }
        return result
    }

    private static func mismatch(_ change: ConfigChange, depth: Int) -> ConfigDiffError {
        let location = change.path.isEmpty ? "the top level" : change.path.joined(separator: " > ")
        return ConfigDiffError(
            .invalidInput,
            "the diff does not fit this configuration: \(change.kind.rawValue) \(change.text.debugDescription) at \(location) (level \(depth + 1)); apply a diff only to the configuration it was computed from"
        )
    }
}
