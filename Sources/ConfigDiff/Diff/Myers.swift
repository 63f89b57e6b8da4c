/// Myers' O(ND) difference algorithm in linear space (middle-snake bisection), on `Int32` ids,
/// with patience-style anchoring for large inputs.
///
/// The result is the list of matched index pairs `(i, j)` (`a[i] == b[j]`), strictly increasing
/// in both coordinates: everything in `a` not matched is deleted, everything in `b` not matched is
/// inserted.
///
/// - The common prefix and suffix are trimmed first (at every level of the recursion).
/// - A range larger than ``exactLimit`` lines is first split at anchors: lines that occur exactly
///   once on each side, kept in a longest increasing subsequence (patience diff). Configurations
///   are full of such lines (interface names, descriptions), and periodic repeated lines (`!`,
///   ` no shutdown`) would otherwise make the search walk many diagonals. Each gap between
///   anchors is diffed the same way, recursively.
/// - A smaller range gets an exact Myers search, after setting aside lines that occur on one
///   side only (GNU diff's "discard confusing lines"). A work budget bounds it on adversarial
///   inputs: past it, the rest of the range is reported as delete + insert, a correct (if not
///   minimal) script.
///
/// Below ``exactLimit`` the result is a longest common subsequence; above it, it is the LCS of
/// each gap between anchors, which is what patience diff gives.
enum Myers {
    /// Ranges with more lines than this (both sides together) are anchored first.
    static let exactLimit = 4096

    /// Matched pairs of a common subsequence (longest for small inputs, see the type's documentation).
    static func matches(_ a: [Int32], _ b: [Int32], budget: Int? = nil) -> [(Int, Int)] {
        // The common prefix and suffix first, as the search does at its top level: a section
        // with one changed line then costs no scratch tables. The search on the middle gives
        // the same pairs (shifted) as on the whole, because it trims the same way before
        // anything else, and its limits and budget depend on the trimmed range only.
        let shortest = min(a.count, b.count)
        var prefix = 0
        while prefix < shortest && a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < shortest - prefix && a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
        if prefix == 0 && suffix == 0 { return untrimmedMatches(a, b, budget: budget) }
        var pairs: [(Int, Int)] = []
        pairs.reserveCapacity(shortest)
        for k in 0..<prefix { pairs.append((k, k)) }
        let aEnd = a.count - suffix
        let bEnd = b.count - suffix
        if prefix < aEnd && prefix < bEnd && !disjoint(a[prefix..<aEnd], b[prefix..<bEnd]) {
            for (i, j) in untrimmedMatches(Array(a[prefix..<aEnd]), Array(b[prefix..<bEnd]), budget: budget) {
                pairs.append((i + prefix, j + prefix))
            }
        }
        for k in 0..<suffix { pairs.append((aEnd + k, bEnd + k)) }
        return pairs
    }

    /// True when two short ranges have no id in common (then the common subsequence is empty);
    /// false when they share one or are too long to check pair by pair.
    private static func disjoint(_ a: ArraySlice<Int32>, _ b: ArraySlice<Int32>) -> Bool {
        guard a.count * b.count <= 64 else { return false }
        for x in a where b.contains(x) { return false }
        return true
    }

    /// ``matches(_:_:budget:)`` without trimming first (the reference the trimming is tested against).
    static func untrimmedMatches(_ a: [Int32], _ b: [Int32], budget: Int?) -> [(Int, Int)] {
        var maxID: Int32 = -1
        for id in a where id > maxID { maxID = id }
        for id in b where id > maxID { maxID = id }
        if Int(maxID) + 1 > 4 * (a.count + b.count) + 64 {
            // Ids come from a large shared interner (the hierarchical diff): renumber them densely
            // so that per-id scratch arrays stay the size of the input.
            var dense: [Int32: Int32] = [:]
            dense.reserveCapacity(a.count + b.count)
            func renumber(_ id: Int32) -> Int32 {
                if let known = dense[id] { return known }
                let next = Int32(dense.count)
                dense[id] = next
                return next
            }
            let localA = a.map(renumber)
            let localB = b.map(renumber)
            var state = Differ(a: localA, b: localB, ids: dense.count, budget: budget)
            state.diff(0, a.count, 0, b.count)
            return state.pairs
        }
        var state = Differ(a: a, b: b, ids: Int(maxID) + 1, budget: budget)
        state.diff(0, a.count, 0, b.count)
        return state.pairs
    }

    private struct Differ {
        let a: [Int32]
        let b: [Int32]
        let fixedBudget: Int?
        var pairs: [(Int, Int)] = []
        /// Per id scratch counters, zero between uses.
        var countA: [Int32]
        var countB: [Int32]
        var positionB: [Int32]

        init(a: [Int32], b: [Int32], ids: Int, budget: Int?) {
            self.a = a
            self.b = b
            fixedBudget = budget
            countA = [Int32](repeating: 0, count: ids)
            countB = [Int32](repeating: 0, count: ids)
            positionB = [Int32](repeating: -1, count: ids)
            pairs.reserveCapacity(min(a.count, b.count))
        }

        mutating func diff(_ aLo0: Int, _ aHi0: Int, _ bLo0: Int, _ bHi0: Int) {
            var aLo = aLo0
            var bLo = bLo0
            var aHi = aHi0
            var bHi = bHi0
            while aLo < aHi && bLo < bHi && a[aLo] == b[bLo] {
                pairs.append((aLo, bLo))
                aLo += 1
                bLo += 1
            }
            var tail = 0
            while aLo < aHi && bLo < bHi && a[aHi - 1] == b[bHi - 1] {
                aHi -= 1
                bHi -= 1
                tail += 1
            }
            if aLo < aHi && bLo < bHi {
                if (aHi - aLo) + (bHi - bLo) > Myers.exactLimit, let anchors = anchors(aLo, aHi, bLo, bHi) {
                    var i = aLo
                    var j = bLo
                    for (ai, bj) in anchors {
                        diff(i, ai, j, bj)
                        pairs.append((ai, bj))
                        i = ai + 1
                        j = bj + 1
                    }
                    diff(i, aHi, j, bHi)
                } else {
                    exact(aLo, aHi, bLo, bHi)
                }
            }
            for k in 0..<tail { pairs.append((aHi + k, bHi + k)) }
        }

        /// Lines unique on both sides of the range, in a longest run increasing on both sides;
        /// nil when there are none.
        mutating func anchors(_ aLo: Int, _ aHi: Int, _ bLo: Int, _ bHi: Int) -> [(Int, Int)]? {
            for i in aLo..<aHi { countA[Int(a[i])] += 1 }
            for j in bLo..<bHi {
                let id = Int(b[j])
                countB[id] += 1
                positionB[id] = Int32(j)
            }
            var candidates: [(Int, Int)] = []
            for i in aLo..<aHi {
                let id = Int(a[i])
                if countA[id] == 1 && countB[id] == 1 { candidates.append((i, Int(positionB[id]))) }
            }
            for i in aLo..<aHi { countA[Int(a[i])] = 0 }
            for j in bLo..<bHi {
                countB[Int(b[j])] = 0
                positionB[Int(b[j])] = -1
            }
            guard !candidates.isEmpty else { return nil }
            // Longest increasing subsequence of the b positions (patience sorting).
            var tails: [Int] = []  // index into candidates of the smallest tail of each length
            var previous = [Int](repeating: -1, count: candidates.count)
            for (index, candidate) in candidates.enumerated() {
                var low = 0
                var high = tails.count
                while low < high {
                    let middle = (low + high) / 2
                    if candidates[tails[middle]].1 < candidate.1 { low = middle + 1 } else { high = middle }
                }
                if low > 0 { previous[index] = tails[low - 1] }
                if low == tails.count { tails.append(index) } else { tails[low] = index }
            }
            var result: [(Int, Int)] = []
            var index = tails.last ?? -1
            while index >= 0 {
                result.append(candidates[index])
                index = previous[index]
            }
            return result.reversed()
        }

        /// Exact Myers on a range (prefix and suffix already trimmed).
        mutating func exact(_ aLo: Int, _ aHi: Int, _ bLo: Int, _ bHi: Int) {
            // Keep only elements that occur on both sides of the range.
            for i in aLo..<aHi { countA[Int(a[i])] = 1 }
            for j in bLo..<bHi { countB[Int(b[j])] = 1 }
            var ra: [Int32] = []
            var rb: [Int32] = []
            var mapA: [Int] = []
            var mapB: [Int] = []
            for i in aLo..<aHi where countB[Int(a[i])] != 0 {
                ra.append(a[i])
                mapA.append(i)
            }
            for j in bLo..<bHi where countA[Int(b[j])] != 0 {
                rb.append(b[j])
                mapB.append(j)
            }
            for i in aLo..<aHi { countA[Int(a[i])] = 0 }
            for j in bLo..<bHi { countB[Int(b[j])] = 0 }
            guard !ra.isEmpty && !rb.isEmpty else { return }
            var search = Search(a: ra, b: rb, budget: fixedBudget ?? max(1_000_000, 64 * (ra.count + rb.count)))
            search.run(0, ra.count, 0, rb.count)
            for (i, j) in search.pairs { pairs.append((mapA[i], mapB[j])) }
        }
    }

    private struct Search {
        let a: [Int32]
        let b: [Int32]
        var budget: Int
        var pairs: [(Int, Int)] = []
        var v1: [Int] = []
        var v2: [Int] = []

        init(a: [Int32], b: [Int32], budget: Int) {
            self.a = a
            self.b = b
            self.budget = budget
        }

        mutating func run(_ aLo0: Int, _ aHi0: Int, _ bLo0: Int, _ bHi0: Int) {
            var aLo = aLo0
            var bLo = bLo0
            var aHi = aHi0
            var bHi = bHi0
            while aLo < aHi && bLo < bHi && a[aLo] == b[bLo] {
                pairs.append((aLo, bLo))
                aLo += 1
                bLo += 1
            }
            var tail = 0
            while aLo < aHi && bLo < bHi && a[aHi - 1] == b[bHi - 1] {
                aHi -= 1
                bHi -= 1
                tail += 1
            }
            defer { for k in 0..<tail { pairs.append((aHi + k, bHi + k)) } }
            if aLo == aHi || bLo == bHi { return }
            if aHi - aLo == 1 {
                for j in bLo..<bHi where b[j] == a[aLo] {
                    pairs.append((aLo, j))
                    return
                }
                return
            }
            if bHi - bLo == 1 {
                for i in aLo..<aHi where a[i] == b[bLo] {
                    pairs.append((i, bLo))
                    return
                }
                return
            }
            if budget <= 0 { return }
            guard let (x, y) = bisect(aLo, aHi, bLo, bHi) else { return }
            run(aLo, aLo + x, bLo, bLo + y)
            run(aLo + x, aHi, bLo + y, bHi)
        }

        /// Finds the middle snake of the sub-problem; returns the split point relative to
        /// `(aLo, bLo)`, or nil when nothing is in common (or the budget ran out).
        private mutating func bisect(_ aLo: Int, _ aHi: Int, _ bLo: Int, _ bHi: Int) -> (Int, Int)? {
            let n = aHi - aLo
            let m = bHi - bLo
            let maxD = (n + m + 1) / 2
            let offset = maxD
            let length = 2 * maxD + 2
            if v1.count < length {
                v1 = [Int](repeating: -1, count: length)
                v2 = [Int](repeating: -1, count: length)
            } else {
                for k in 0..<length {
                    v1[k] = -1
                    v2[k] = -1
                }
            }
            v1[offset + 1] = 0
            v2[offset + 1] = 0
            let delta = n - m
            let front = delta % 2 != 0
            var k1start = 0
            var k1end = 0
            var k2start = 0
            var k2end = 0
            var work = 0
            defer { budget -= work }
            return a.withUnsafeBufferPointer { ap in
                b.withUnsafeBufferPointer { bp in
                    v1.withUnsafeMutableBufferPointer { f in
                        v2.withUnsafeMutableBufferPointer { r in
                            for d in 0..<maxD {
                                if work > budget { return nil }
                                var k1 = -d + k1start
                                while k1 <= d - k1end {
                                    let k1Off = offset + k1
                                    var x1: Int
                                    if k1 == -d || (k1 != d && f[k1Off - 1] < f[k1Off + 1]) {
                                        x1 = f[k1Off + 1]
                                    } else {
                                        x1 = f[k1Off - 1] + 1
                                    }
                                    var y1 = x1 - k1
                                    while x1 < n && y1 < m && ap[aLo + x1] == bp[bLo + y1] {
                                        x1 += 1
                                        y1 += 1
                                    }
                                    work += 1 + x1 - f[k1Off]
                                    f[k1Off] = x1
                                    if x1 > n {
                                        k1end += 2
                                    } else if y1 > m {
                                        k1start += 2
                                    } else if front {
                                        let k2Off = offset + delta - k1
                                        if k2Off >= 0 && k2Off < length && r[k2Off] != -1 {
                                            let x2 = n - r[k2Off]
                                            if x1 >= x2 { return (x1, y1) }
                                        }
                                    }
                                    k1 += 2
                                }
                                var k2 = -d + k2start
                                while k2 <= d - k2end {
                                    let k2Off = offset + k2
                                    var x2: Int
                                    if k2 == -d || (k2 != d && r[k2Off - 1] < r[k2Off + 1]) {
                                        x2 = r[k2Off + 1]
                                    } else {
                                        x2 = r[k2Off - 1] + 1
                                    }
                                    var y2 = x2 - k2
                                    while x2 < n && y2 < m && ap[aHi - 1 - x2] == bp[bHi - 1 - y2] {
                                        x2 += 1
                                        y2 += 1
                                    }
                                    work += 1 + x2 - r[k2Off]
                                    r[k2Off] = x2
                                    if x2 > n {
                                        k2end += 2
                                    } else if y2 > m {
                                        k2start += 2
                                    } else if !front {
                                        let k1Off = offset + delta - k2
                                        if k1Off >= 0 && k1Off < length && f[k1Off] != -1 {
                                            let x1 = f[k1Off]
                                            let y1 = offset + x1 - k1Off
                                            if x1 >= n - x2 { return (x1, y1) }
                                        }
                                    }
                                    k2 += 2
                                }
                            }
                            return nil
                        }
                    }
                }
            }
        }
    }
}
