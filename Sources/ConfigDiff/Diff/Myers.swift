/// Myers' O(ND) difference algorithm in linear space (middle-snake bisection), on `Int32` ids.
///
/// The result is the list of matched index pairs `(i, j)` (`a[i] == b[j]`), strictly increasing
/// in both coordinates: everything in `a` not matched is deleted, everything in `b` not matched is
/// inserted. Before the search, the common prefix and suffix are trimmed (at every level of the
/// recursion) and elements that occur on one side only are set aside (GNU diff's "discard
/// confusing lines"): they can never be matched, and removing them keeps the search short when
/// the inputs differ a lot. A work budget bounds the search on adversarial inputs: past it, the
/// remaining sub-range is reported as delete + insert, which is still a correct (if not minimal)
/// script.
enum Myers {
    /// Matched pairs of a longest common subsequence (exact unless the work budget runs out).
    static func matches(_ a: [Int32], _ b: [Int32], budget: Int? = nil) -> [(Int, Int)] {
        var pairs: [(Int, Int)] = []
        // Common prefix and suffix first: near-equal inputs are settled here in linear time.
        var prefix = 0
        let minCount = min(a.count, b.count)
        while prefix < minCount && a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < minCount - prefix && a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
        pairs.reserveCapacity(minCount)
        for i in 0..<prefix { pairs.append((i, i)) }
        let aEnd = a.count - suffix
        let bEnd = b.count - suffix
        if prefix < aEnd && prefix < bEnd {
            // Keep only elements that occur on both sides.
            var maxID: Int32 = 0
            for i in prefix..<aEnd where a[i] > maxID { maxID = a[i] }
            for j in prefix..<bEnd where b[j] > maxID { maxID = b[j] }
            var inA = [Bool](repeating: false, count: Int(maxID) + 1)
            var inB = [Bool](repeating: false, count: Int(maxID) + 1)
            for i in prefix..<aEnd { inA[Int(a[i])] = true }
            for j in prefix..<bEnd { inB[Int(b[j])] = true }
            var ra: [Int32] = []
            var rb: [Int32] = []
            var mapA: [Int] = []
            var mapB: [Int] = []
            for i in prefix..<aEnd where inB[Int(a[i])] {
                ra.append(a[i])
                mapA.append(i)
            }
            for j in prefix..<bEnd where inA[Int(b[j])] {
                rb.append(b[j])
                mapB.append(j)
            }
            if !ra.isEmpty && !rb.isEmpty {
                var search = Search(a: ra, b: rb, budget: budget ?? max(4_000_000, 64 * (ra.count + rb.count)))
                search.run(0, ra.count, 0, rb.count)
                for (i, j) in search.pairs { pairs.append((mapA[i], mapB[j])) }
            }
        }
        for k in 0..<suffix { pairs.append((aEnd + k, bEnd + k)) }
        return pairs
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
