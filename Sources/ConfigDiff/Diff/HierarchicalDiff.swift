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
/// Cost: one pass over both trees. Where two ordered sections hold the same child texts in the same
/// order (the common case between two versions of one device's config) children pair up one to one
/// with plain string comparisons; elsewhere the level's texts are interned to integers over their
/// UTF-8 bytes and matched by multiset or by Myers' algorithm. Subtree hashes are computed only for
/// duplicate texts in unordered sections.
///
/// **Ordered families** (``DiffOptions/orderedFamilies``): inside an unordered section, the
/// statements of one family with the same key (e.g. the entries of one top-level access-list)
/// are compared as a sequence, like an ordered section, and the other statements as a multiset;
/// an added member is placed next to its family siblings, so apply rebuilds the group's order.
/// Subtree hashes take a group's order into account. Membership is evaluated once per distinct
/// text, after a literal-prefix check; without families there is no per-line cost. Ignore predicates are pre-filtered by the first byte
/// they require when that can be read off the predicate (`startsWith`, `equals`, `^literal` regex).
public enum HierarchicalDiff {
    /// The changes that turn `a` into `b` (`removed`: in `a` only, `added`: in `b` only).
    public static func compare(from a: ConfigTree, to b: ConfigTree, options: DiffOptions = DiffOptions()) -> ConfigDelta {
        var engine = Engine(options: options)
        var path: SectionPath = []
        var pathIndex: [Int] = []
        engine.compareLevel(a.roots, b.roots, unordered: engine.topUnordered, path: &path, pathIndex: &pathIndex)
        return ConfigDelta(changes: engine.changes)
    }
}

/// A statement text and subtree hash, to pair identical duplicates first.
private struct SubtreeKey: Hashable {
    var id: Int32
    var hash: UInt64
}

/// An ordered family group: the family's index in the options and the member's key.
private struct FamilyGroupKey: Hashable {
    var family: Int
    var key: String
}

private struct Engine {
    let options: DiffOptions
    var interner = LineInterner(expected: 4096)
    var changes: [ConfigChange] = []
    /// Per id: 0 not yet evaluated, 1 compared, 2 ignored (when no first-byte filter applies).
    var ignoreState: [UInt8] = []
    /// Per first byte: true when some ignore predicate may match a text starting with it; nil
    /// when a predicate does not tell its first byte.
    let ignoreFirstBytes: [Bool]?
    /// Per id of a depth-1 section: 0 not yet evaluated, 1 ordered, 2 unordered.
    var unorderedDepth1: [UInt8] = []
    let unorderedDepths: Set<Int>
    let topUnordered: Bool
    /// Multiset matching scratch: chain head per id (always reset to -1 after use).
    var head: [Int32] = []
    /// True when ordered families are configured.
    let hasFamilies: Bool
    /// Per id: -2 not yet evaluated, -1 in no family, else its family group.
    var familyOfID: [Int32] = []
    /// Family group numbers by family index and key.
    var familyGroups: [FamilyGroupKey: Int32] = [:]

    init(options: DiffOptions) {
        self.options = options
        unorderedDepths = Set(options.unorderedSections.map(\.levels.count))
        topUnordered = options.unorderedSections.contains { $0.levels.isEmpty }
        var bytes = [Bool](repeating: false, count: 256)
        var known = true
        for predicate in options.ignore {
            if let byte = Self.requiredFirstByte(predicate) { bytes[Int(byte)] = true } else { known = false }
        }
        ignoreFirstBytes = known ? bytes : nil
        hasFamilies = !options.orderedFamilies.isEmpty
    }

    /// The family group of a statement (by its text id), or -1. Evaluated once per text; the
    /// families' literal prefixes spare the regex on most texts.
    mutating func familyGroup(_ id: Int32, _ text: String) -> Int32 {
        let index = Int(id)
        if index >= familyOfID.count {
            familyOfID.append(contentsOf: repeatElement(-2, count: index + 1 - familyOfID.count))
        }
        if familyOfID[index] != -2 { return familyOfID[index] }
        var group: Int32 = -1
        for (number, family) in options.orderedFamilies.enumerated() {
            guard let key = family.key(of: text) else { continue }
            let groupKey = FamilyGroupKey(family: number, key: key)
            if let existing = familyGroups[groupKey] {
                group = existing
            } else {
                group = Int32(familyGroups.count)
                familyGroups[groupKey] = group
            }
            break
        }
        familyOfID[index] = group
        return group
    }

    /// The byte every matching text starts with, when the predicate tells it.
    static func requiredFirstByte(_ predicate: LinePredicate) -> UInt8? {
        switch predicate.kind {
        case .equals, .startsWith:
            return predicate.pattern.utf8.first
        case .regex:
            let bytes = Array(predicate.pattern.utf8.prefix(3))
            guard bytes.count >= 2, bytes[0] == UInt8(ascii: "^") else { return nil }
            let literal = bytes[1]
            let meta = Set("\\.[]()*+?{}|^$".utf8)
            guard !meta.contains(literal) else { return nil }
            // `^a?`, `^a*`, `^a{0,…}` make the first byte optional.
            if bytes.count == 3 && (bytes[2] == UInt8(ascii: "?") || bytes[2] == UInt8(ascii: "*") || bytes[2] == UInt8(ascii: "{")) {
                return nil
            }
            return literal
        case .contains, .endsWith:
            return nil
        }
    }

    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func intern(_ text: String) -> Int32 {
        if let id = text.utf8.withContiguousStorageIfAvailable({ interner.intern($0) }) { return id }
        return interner.intern(text)
    }

    mutating func isIgnored(_ text: String) -> Bool {
        if options.ignore.isEmpty { return false }
        if let firstBytes = ignoreFirstBytes {
            guard let first = text.utf8.first, firstBytes[Int(first)] else { return false }
            return options.ignore.contains { $0.matches(text) }
        }
        let index = Int(intern(text))
        if index >= ignoreState.count {
            ignoreState.append(contentsOf: repeatElement(0, count: index + 1 - ignoreState.count))
        }
        if ignoreState[index] == 0 {
            ignoreState[index] = options.ignore.contains { $0.matches(text) } ? 2 : 1
        }
        return ignoreState[index] == 2
    }

    /// Whether the children of the section at `path` (its last element is the section's text)
    /// are compared as a set.
    mutating func isUnordered(_ path: SectionPath) -> Bool {
        let depth = path.count
        if depth == 0 { return topUnordered }
        guard unorderedDepths.contains(depth) else { return false }
        if depth == 1 {
            let index = Int(intern(path[0]))
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

    /// A hash of a node's compared subtree: order-insensitive inside unordered sections, ignored
    /// statements left out (equal as compared implies equal hashes).
    mutating func subtreeHash(_ node: ConfigNode, _ path: inout SectionPath) -> UInt64 {
        let id = intern(node.text)
        var hash = Self.mix(interner.hash(of: id))
        guard !node.children.isEmpty else { return hash }
        path.append(node.text)
        let unordered = isUnordered(path)
        var combined: UInt64 = 0
        // Ordered family groups of an unordered section hash in order (a reordering inside a
        // group is a difference); the groups and the other children as a set.
        var groupHashes: [Int32: UInt64] = [:]
        for child in node.children where !isIgnored(child.text) {
            let childHash = subtreeHash(child, &path)
            if unordered && hasFamilies {
                let group = familyGroup(intern(child.text), child.text)
                if group >= 0 {
                    groupHashes[group] = Self.mix((groupHashes[group] ?? UInt64(group)) ^ childHash)
                    continue
                }
            }
            combined = unordered ? combined &+ Self.mix(childHash) : Self.mix(combined ^ childHash)
        }
        for (_, groupHash) in groupHashes { combined = combined &+ Self.mix(groupHash ^ 0x6A09_E667_F3BC_C908) }
        path.removeLast()
        hash = Self.mix(hash ^ combined)
        return hash
    }

    /// The node without ignored statements in its subtree.
    mutating func filtered(_ nodes: [ConfigNode]) -> [ConfigNode] {
        if options.ignore.isEmpty { return nodes }
        var kept: [ConfigNode] = []
        for node in nodes where !isIgnored(node.text) {
            var copy = node
            copy.children = filtered(node.children)
            kept.append(copy)
        }
        return kept
    }

    /// Recurses into a matched pair.
    mutating func descend(
        _ aNode: ConfigNode, _ bNode: ConfigNode, at p: Int, path: inout SectionPath, pathIndex: inout [Int]
    ) {
        if aNode.children.isEmpty && bNode.children.isEmpty { return }
        path.append(aNode.text)
        pathIndex.append(p)
        let unordered = isUnordered(path)
        compareLevel(aNode.children, bNode.children, unordered: unordered, path: &path, pathIndex: &pathIndex)
        path.removeLast()
        pathIndex.removeLast()
    }

    mutating func compareLevel(
        _ aNodes: [ConfigNode], _ bNodes: [ConfigNode], unordered: Bool, path: inout SectionPath, pathIndex: inout [Int]
    ) {
        // Fast path (ordered sections): the same texts in the same order pair one to one. Not for
        // unordered sections, where duplicate texts must pair by identical subtrees first.
        if !unordered && aNodes.count == bNodes.count {
            var same = true
            for index in aNodes.indices where aNodes[index].text != bNodes[index].text {
                same = false
                break
            }
            if same {
                for index in aNodes.indices where !(aNodes[index].children.isEmpty && bNodes[index].children.isEmpty) {
                    if isIgnored(aNodes[index].text) { continue }
                    descend(aNodes[index], bNodes[index], at: index, path: &path, pathIndex: &pathIndex)
                }
                return
            }
        }

        // Positions of the compared (not ignored) children, and their text ids.
        var aKeep: [Int] = []
        var bKeep: [Int] = []
        var aIDs: [Int32] = []
        var bIDs: [Int32] = []
        aKeep.reserveCapacity(aNodes.count)
        bKeep.reserveCapacity(bNodes.count)
        aIDs.reserveCapacity(aNodes.count)
        bIDs.reserveCapacity(bNodes.count)
        for p in aNodes.indices where !isIgnored(aNodes[p].text) {
            aKeep.append(p)
            aIDs.append(intern(aNodes[p].text))
        }
        for q in bNodes.indices where !isIgnored(bNodes[q].text) {
            bKeep.append(q)
            bIDs.append(intern(bNodes[q].text))
        }
        if head.count < interner.count {
            head.append(contentsOf: repeatElement(-1, count: interner.count - head.count))
        }

        var partnerOfA = [Int](repeating: -1, count: aNodes.count)
        var partnerOfB = [Int](repeating: -1, count: bNodes.count)
        // Ordered families (unordered sections only): per kept child its family group or -1.
        var aGroup: [Int32] = []
        var bGroup: [Int32] = []
        if unordered && hasFamilies {
            aGroup = aKeep.indices.map { familyGroup(aIDs[$0], aNodes[aKeep[$0]].text) }
            bGroup = bKeep.indices.map { familyGroup(bIDs[$0], bNodes[bKeep[$0]].text) }
            if !aGroup.contains(where: { $0 >= 0 }) && !bGroup.contains(where: { $0 >= 0 }) {
                aGroup = []
                bGroup = []
            }
        }
        let families = !aGroup.isEmpty
        if families {
            // Each group as a sequence (like an ordered section).
            var members: [Int32: (a: [Int], b: [Int])] = [:]
            for k in aKeep.indices where aGroup[k] >= 0 { members[aGroup[k], default: ([], [])].a.append(k) }
            for k in bKeep.indices where bGroup[k] >= 0 { members[bGroup[k], default: ([], [])].b.append(k) }
            for (_, group) in members where !group.a.isEmpty && !group.b.isEmpty {
                for (i, j) in Myers.matches(group.a.map { aIDs[$0] }, group.b.map { bIDs[$0] }) {
                    partnerOfA[aKeep[group.a[i]]] = bKeep[group.b[j]]
                    partnerOfB[bKeep[group.b[j]]] = aKeep[group.a[i]]
                }
            }
        }
        if unordered {
            // The other children as a multiset.
            var next = [Int32](repeating: -1, count: bKeep.count)
            var duplicates = false
            for k in bKeep.indices.reversed() where !families || bGroup[k] < 0 {
                let id = Int(bIDs[k])
                if head[id] >= 0 { duplicates = true }
                next[k] = head[id]
                head[id] = Int32(k)
            }
            if duplicates {
                // Pair identical subtrees first, so that the pairing of duplicate texts does not
                // depend on their order; then the rest by occurrence.
                for k in bKeep.indices { head[Int(bIDs[k])] = -1 }
                var countOfID: [Int32: Int] = [:]
                for k in bKeep.indices where !families || bGroup[k] < 0 { countOfID[bIDs[k], default: 0] += 1 }
                var exact: [SubtreeKey: [Int]] = [:]
                for k in bKeep.indices where countOfID[bIDs[k], default: 0] > 1 {
                    let key = SubtreeKey(id: bIDs[k], hash: subtreeHash(bNodes[bKeep[k]], &path))
                    exact[key, default: []].append(k)
                }
                var taken: [SubtreeKey: Int] = [:]
                for k in aKeep.indices where countOfID[aIDs[k], default: 0] > 1 {
                    let key = SubtreeKey(id: aIDs[k], hash: subtreeHash(aNodes[aKeep[k]], &path))
                    guard let candidates = exact[key] else { continue }
                    let used = taken[key, default: 0]
                    if used < candidates.count {
                        taken[key] = used + 1
                        partnerOfA[aKeep[k]] = bKeep[candidates[used]]
                        partnerOfB[bKeep[candidates[used]]] = aKeep[k]
                    }
                }
                for k in bKeep.indices.reversed() where partnerOfB[bKeep[k]] < 0 && (!families || bGroup[k] < 0) {
                    let id = Int(bIDs[k])
                    next[k] = head[id]
                    head[id] = Int32(k)
                }
            }
            for k in aKeep.indices where partnerOfA[aKeep[k]] < 0 && (!families || aGroup[k] < 0) {
                let id = Int(aIDs[k])
                let hit = Int(head[id])
                if hit >= 0 {
                    head[id] = next[hit]
                    partnerOfA[aKeep[k]] = bKeep[hit]
                    partnerOfB[bKeep[hit]] = aKeep[k]
                }
            }
            for id in bIDs { head[Int(id)] = -1 }
        } else {
            for (i, j) in Myers.matches(aIDs, bIDs) {
                partnerOfA[aKeep[i]] = bKeep[j]
                partnerOfB[bKeep[j]] = aKeep[i]
            }
        }

        // Emit in source order, additions after what precedes them in the target.
        var cursor = 0  // into bKeep
        var anchor = 0  // insertion position in the source for the next addition
        // Family groups: an added member goes right after the source partner of its last matched
        // sibling (target order), else right before the first matched one, else with the
        // group's first addition, so that apply rebuilds the group's order exactly.
        var lastPartner: [Int32: Int] = [:]
        var firstPartner: [Int32: Int] = [:]
        var groupAnchor: [Int32: Int] = [:]
        if families {
            for k in bKeep.indices where bGroup[k] >= 0 && partnerOfB[bKeep[k]] >= 0 && firstPartner[bGroup[k]] == nil {
                firstPartner[bGroup[k]] = partnerOfB[bKeep[k]]
            }
        }
        func additionIndex(_ k: Int) -> Int {
            guard families, bGroup[k] >= 0 else { return anchor }
            let group = bGroup[k]
            if let last = lastPartner[group] { return last + 1 }
            if let first = firstPartner[group] { return first }
            if let shared = groupAnchor[group] { return shared }
            groupAnchor[group] = anchor
            return anchor
        }
        func matched(_ k: Int) {
            if families && bGroup[k] >= 0 { lastPartner[bGroup[k]] = partnerOfB[bKeep[k]] }
        }
        func advance(to limit: Int, _ engine: inout Engine, _ path: SectionPath, _ pathIndex: [Int]) {
            while cursor < bKeep.count && bKeep[cursor] < limit {
                let q = bKeep[cursor]
                if partnerOfB[q] < 0 {
                    engine.changes.append(
                        ConfigChange(
                            kind: .added, path: path, text: bNodes[q].text,
                            children: engine.filtered(bNodes[q].children), pathIndex: pathIndex,
                            index: additionIndex(cursor)))
                } else {
                    anchor = partnerOfB[q] + 1
                    matched(cursor)
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
                matched(cursor)
                cursor += 1
            }
            descend(aNodes[p], bNodes[q], at: p, path: &path, pathIndex: &pathIndex)
        }
        advance(to: Int.max, &self, path, pathIndex)
    }
}
