/// The hierarchical diff: which statements, at which section path, turn one configuration tree
/// into another.
///
/// ## Semantics
///
/// At each level the children of two matched sections are matched by statement text:
/// - in an **unordered** section (``DiffOptions/unorderedSections``; `SectionMatcher([])` is the
///   top level) as a multiset, whatever their order: duplicates of a text pair up first with an
///   identical subtree (compared by a subtree hash that ignores order inside unordered sections),
///   then the k-th remaining occurrence in the source with the k-th in the target;
/// - in an **ordered** section (everything else, e.g. ACL entries) as a sequence, by a longest
///   common subsequence of the texts (Myers): a statement that moved is removed at its old place
///   and added at its new one, so a change of order shows.
///
/// Matched statements are compared recursively. An unmatched statement is one change (`removed`
/// when only in the source, `added` when only in the target) carrying its whole subtree, and its
/// children are not listed again: a section renamed or moved with unchanged children is one
/// removed and one added section, never a change per child. Statements matching an
/// ``DiffOptions/ignore`` predicate are left out of the comparison, with their subtrees.
///
/// Changes come in tree order: at each level, in the source's order, with each addition placed
/// right after the removals and matches that precede it in the target.
///
/// Texts are interned to integers over their UTF-8 bytes first, so matching compares integers;
/// the cost is linear in the size of the trees for near-equal inputs.
public enum HierarchicalDiff {
    /// The changes that turn `a` into `b` (`removed`: in `a` only, `added`: in `b` only).
    public static func compare(from a: ConfigTree, to b: ConfigTree, options: DiffOptions = DiffOptions()) -> ConfigDelta {
        var engine = Engine(options: options, expected: 1024)
        let flatA = engine.flatten(a.roots)
        let flatB = engine.flatten(b.roots)
        engine.prepare(flatB.ids.count)
        var path: SectionPath = []
        var pathIndex: [Int] = []
        engine.compareLevel(
            a.roots, flatA, 0, b.roots, flatB, 0, sectionID: -1, path: &path, pathIndex: &pathIndex)
        return ConfigDelta(changes: engine.changes)
    }
}

/// Node texts of a tree as ids, laid out so that each node's children are contiguous, with a
/// hash of each node's compared subtree (order-insensitive inside unordered sections).
private struct FlatTree {
    var ids: [Int32] = []
    var firstChild: [Int32] = []
    var hashes: [UInt64] = []
}

/// A statement text and subtree hash, to pair identical duplicates first.
private struct SubtreeKey: Hashable {
    var id: Int32
    var hash: UInt64
}

private struct Engine {
    let options: DiffOptions
    var interner: LineInterner
    var changes: [ConfigChange] = []
    /// Per id: 0 not yet evaluated, 1 compared, 2 ignored.
    var ignoreState: [UInt8] = []
    /// Per id of a depth-1 section: 0 not yet evaluated, 1 ordered, 2 unordered.
    var unorderedDepth1: [UInt8] = []
    let unorderedDepths: Set<Int>
    let topUnordered: Bool
    /// Multiset matching scratch: chain head per id, next per flat index of the target.
    var head: [Int32] = []
    var next: [Int32] = []

    init(options: DiffOptions, expected: Int) {
        self.options = options
        interner = LineInterner(expected: expected)
        unorderedDepths = Set(options.unorderedSections.map(\.levels.count))
        topUnordered = options.unorderedSections.contains { $0.levels.isEmpty }
    }

    mutating func flatten(_ roots: [ConfigNode]) -> FlatTree {
        var flat = FlatTree()
        flat.ids = [Int32](repeating: 0, count: roots.count)
        flat.firstChild = [Int32](repeating: -1, count: roots.count)
        flat.hashes = [UInt64](repeating: 0, count: roots.count)
        var path: SectionPath = []
        visit(roots, 0, &flat, &path, sectionID: -1)
        return flat
    }

    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private mutating func visit(
        _ nodes: [ConfigNode], _ start: Int, _ flat: inout FlatTree, _ path: inout SectionPath, sectionID: Int32
    ) {
        for (offset, node) in nodes.enumerated() { flat.ids[start + offset] = interner.intern(node.text) }
        for (offset, node) in nodes.enumerated() {
            let id = flat.ids[start + offset]
            var hash = Self.mix(interner.hash(of: id))
            if !node.children.isEmpty {
                let childStart = flat.ids.count
                let count = node.children.count
                flat.firstChild[start + offset] = Int32(childStart)
                flat.ids.append(contentsOf: repeatElement(0, count: count))
                flat.firstChild.append(contentsOf: repeatElement(-1, count: count))
                flat.hashes.append(contentsOf: repeatElement(0, count: count))
                path.append(node.text)
                visit(node.children, childStart, &flat, &path, sectionID: id)
                let unordered = isUnordered(path, sectionID: id)
                path.removeLast()
                var combined: UInt64 = 0
                for child in 0..<count where !isIgnored(flat.ids[childStart + child], node.children[child].text) {
                    let childHash = flat.hashes[childStart + child]
                    combined = unordered ? combined &+ Self.mix(childHash) : Self.mix(combined ^ childHash)
                }
                hash = Self.mix(hash ^ combined)
            }
            flat.hashes[start + offset] = hash
        }
    }

    mutating func prepare(_ targetCount: Int) {
        head = [Int32](repeating: -1, count: interner.count)
        next = [Int32](repeating: -1, count: targetCount)
    }

    private mutating func isIgnored(_ id: Int32, _ text: String) -> Bool {
        if options.ignore.isEmpty { return false }
        let index = Int(id)
        if index >= ignoreState.count {
            ignoreState.append(contentsOf: repeatElement(0, count: index + 1 - ignoreState.count))
        }
        if ignoreState[index] == 0 {
            ignoreState[index] = options.ignore.contains { $0.matches(text) } ? 2 : 1
        }
        return ignoreState[index] == 2
    }

    private mutating func isUnordered(_ path: SectionPath, sectionID: Int32) -> Bool {
        let depth = path.count
        if depth == 0 { return topUnordered }
        guard unorderedDepths.contains(depth) else { return false }
        if depth == 1 {
            let index = Int(sectionID)
            if index >= unorderedDepth1.count {
                unorderedDepth1.append(contentsOf: repeatElement(0, count: index + 1 - unorderedDepth1.count))
            }
            if unorderedDepth1[index] == 0 {
                unorderedDepth1[index] = options.unorderedSections.contains { $0.matches(path) } ? 2 : 1
            }
            return unorderedDepth1[index] == 2
        }
        return options.unorderedSections.contains { $0.matches(path) }
    }

    /// The node without ignored statements in its subtree.
    private mutating func filtered(_ nodes: [ConfigNode]) -> [ConfigNode] {
        if options.ignore.isEmpty { return nodes }
        var kept: [ConfigNode] = []
        for node in nodes where !options.ignore.contains(where: { $0.matches(node.text) }) {
            var copy = node
            copy.children = filtered(node.children)
            kept.append(copy)
        }
        return kept
    }

    mutating func compareLevel(
        _ aNodes: [ConfigNode], _ flatA: FlatTree, _ aStart: Int,
        _ bNodes: [ConfigNode], _ flatB: FlatTree, _ bStart: Int,
        sectionID: Int32, path: inout SectionPath, pathIndex: inout [Int]
    ) {
        // Positions of the compared (not ignored) children.
        var aKeep: [Int] = []
        var bKeep: [Int] = []
        aKeep.reserveCapacity(aNodes.count)
        bKeep.reserveCapacity(bNodes.count)
        for p in aNodes.indices where !isIgnored(flatA.ids[aStart + p], aNodes[p].text) { aKeep.append(p) }
        for q in bNodes.indices where !isIgnored(flatB.ids[bStart + q], bNodes[q].text) { bKeep.append(q) }

        var partnerOfA = [Int](repeating: -1, count: aNodes.count)
        var partnerOfB = [Int](repeating: -1, count: bNodes.count)
        if isUnordered(path, sectionID: sectionID) {
            var duplicates = false
            for q in bKeep.reversed() {
                let id = Int(flatB.ids[bStart + q])
                if head[id] >= 0 { duplicates = true }
                next[bStart + q] = head[id]
                head[id] = Int32(bStart + q)
            }
            if duplicates {
                // Pair identical subtrees first, so that the pairing of duplicate texts does not
                // depend on their order; then the rest by occurrence.
                for q in bKeep { head[Int(flatB.ids[bStart + q])] = -1 }
                var exact: [SubtreeKey: [Int]] = [:]
                for q in bKeep {
                    exact[SubtreeKey(id: flatB.ids[bStart + q], hash: flatB.hashes[bStart + q]), default: []].append(q)
                }
                var taken: [SubtreeKey: Int] = [:]
                for p in aKeep {
                    let key = SubtreeKey(id: flatA.ids[aStart + p], hash: flatA.hashes[aStart + p])
                    guard let candidates = exact[key] else { continue }
                    let used = taken[key, default: 0]
                    if used < candidates.count {
                        taken[key] = used + 1
                        partnerOfA[p] = candidates[used]
                        partnerOfB[candidates[used]] = p
                    }
                }
                for q in bKeep.reversed() where partnerOfB[q] < 0 {
                    let id = Int(flatB.ids[bStart + q])
                    next[bStart + q] = head[id]
                    head[id] = Int32(bStart + q)
                }
            }
            for p in aKeep where partnerOfA[p] < 0 {
                let id = Int(flatA.ids[aStart + p])
                let hit = Int(head[id])
                if hit >= 0 {
                    head[id] = next[hit]
                    partnerOfA[p] = hit - bStart
                    partnerOfB[hit - bStart] = p
                }
            }
            for q in bKeep { head[Int(flatB.ids[bStart + q])] = -1 }
        } else {
            let aIDs = aKeep.map { flatA.ids[aStart + $0] }
            let bIDs = bKeep.map { flatB.ids[bStart + $0] }
            for (i, j) in Myers.matches(aIDs, bIDs) {
                partnerOfA[aKeep[i]] = bKeep[j]
                partnerOfB[bKeep[j]] = aKeep[i]
            }
        }

        // Emit in source order, additions after what precedes them in the target.
        var cursor = 0  // into bKeep
        var anchor = 0  // insertion position in the source for the next addition
        func advance(to limit: Int, _ engine: inout Engine, _ path: SectionPath, _ pathIndex: [Int]) {
            while cursor < bKeep.count && bKeep[cursor] < limit {
                let q = bKeep[cursor]
                if partnerOfB[q] < 0 {
                    engine.changes.append(
                        ConfigChange(
                            kind: .added, path: path, text: bNodes[q].text,
                            children: engine.filtered(bNodes[q].children), pathIndex: pathIndex, index: anchor))
                } else {
                    anchor = partnerOfB[q] + 1
                }
                cursor += 1
            }
        }
        for p in aKeep {
            let q = partnerOfA[p]
            if q < 0 {
                changes.append(
                    ConfigChange(
                        kind: .removed, path: path, text: aNodes[p].text, children: filtered(aNodes[p].children),
                        pathIndex: pathIndex, index: p))
                continue
            }
            if cursor < bKeep.count && bKeep[cursor] <= q {
                advance(to: q, &self, path, pathIndex)
                anchor = p + 1
                cursor += 1
            }
            let aChildren = aNodes[p].children
            let bChildren = bNodes[q].children
            if aChildren.isEmpty && bChildren.isEmpty { continue }
            path.append(aNodes[p].text)
            pathIndex.append(p)
            let aChildStart = Int(flatA.firstChild[aStart + p])
            let bChildStart = Int(flatB.firstChild[bStart + q])
            compareLevel(
                aChildren, flatA, max(aChildStart, 0), bChildren, flatB, max(bChildStart, 0),
                sectionID: flatA.ids[aStart + p], path: &path, pathIndex: &pathIndex)
            path.removeLast()
            pathIndex.removeLast()
        }
        advance(to: Int.max, &self, path, pathIndex)
    }
}
