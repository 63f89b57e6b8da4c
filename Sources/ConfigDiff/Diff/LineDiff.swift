/// Line-level difference between two texts: Myers' O(ND) algorithm on interned line ids.
///
/// Lines are split on `\n` (a `\r` before it stays part of the line, so CRLF files compare
/// byte-exactly) and interned to integers before the search; the search itself trims the common
/// prefix and suffix and sets aside lines that occur on one side only, so near-equal inputs cost
/// about one pass over the bytes.
public enum LineDiff {
    /// One step of an edit script, in order: indices are 0-based line numbers.
    public enum Edit: Sendable, Hashable {
        /// Line `old` of the old text equals line `new` of the new text.
        case equal(old: Int, new: Int)
        /// Line `old` of the old text is not in the new text.
        case delete(old: Int)
        /// Line `new` of the new text is not in the old text.
        case insert(new: Int)
    }

    /// The edit script that turns `old` into `new` (deletions before insertions within a change).
    public static func edits(from old: [String], to new: [String]) -> [Edit] {
        var interner = LineInterner(expected: old.count + new.count)
        let a = old.map { interner.intern($0) }
        let b = new.map { interner.intern($0) }
        return script(a, b)
    }

    /// The edit script between two texts split into lines (see ``TextLines``).
    public static func edits(from old: String, to new: String) -> [Edit] {
        let a = TextLines(old)
        let b = TextLines(new)
        var interner = LineInterner(expected: a.count + b.count)
        return script(a.ids(&interner), b.ids(&interner))
    }

    /// The edit script between two id sequences.
    static func script(_ a: [Int32], _ b: [Int32]) -> [Edit] {
        let pairs = Myers.matches(a, b)
        var edits: [Edit] = []
        edits.reserveCapacity(max(a.count, b.count) + 16)
        var i = 0
        var j = 0
        for (pi, pj) in pairs {
            while i < pi {
                edits.append(.delete(old: i))
                i += 1
            }
            while j < pj {
                edits.append(.insert(new: j))
                j += 1
            }
            edits.append(.equal(old: pi, new: pj))
            i = pi + 1
            j = pj + 1
        }
        while i < a.count {
            edits.append(.delete(old: i))
            i += 1
        }
        while j < b.count {
            edits.append(.insert(new: j))
            j += 1
        }
        return edits
    }
}

/// A text split into lines over its UTF-8 bytes, without copying each line into a `String`.
///
/// Lines end at `\n`; a final line without `\n` counts; a text ending in `\n` has no empty last
/// line. `\r` is kept as part of the line.
public struct TextLines: Sendable {
    /// The text's bytes.
    public let bytes: [UInt8]
    /// Byte range of each line, without its `\n`.
    public let ranges: [Range<Int>]

    /// Splits `text` into lines.
    public init(_ text: String) {
        let bytes = Array(text.utf8)
        var ranges: [Range<Int>] = []
        ranges.reserveCapacity(bytes.count / 24 + 1)
        bytes.withUnsafeBufferPointer { buffer in
            var start = 0
            for index in 0..<buffer.count where buffer[index] == 10 {
                ranges.append(start..<index)
                start = index + 1
            }
            if start < buffer.count { ranges.append(start..<buffer.count) }
        }
        self.bytes = bytes
        self.ranges = ranges
    }

    /// The number of lines.
    public var count: Int { ranges.count }

    /// Line `index` as a `String`.
    public subscript(index: Int) -> String {
        String(decoding: bytes[ranges[index]], as: UTF8.self)
    }

    /// Leading spaces of line `index` (a tab counts as one).
    func indentation(_ index: Int) -> Int {
        var width = 0
        for position in ranges[index] {
            let byte = bytes[position]
            if byte == 32 || byte == 9 { width += 1 } else { break }
        }
        return width
    }

    /// True when line `index` is empty or only blanks.
    func isBlank(_ index: Int) -> Bool {
        for position in ranges[index] {
            let byte = bytes[position]
            if byte != 32 && byte != 9 && byte != 13 { return false }
        }
        return true
    }

    func ids(_ interner: inout LineInterner) -> [Int32] {
        var ids: [Int32] = []
        ids.reserveCapacity(ranges.count)
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else {
                ids = [Int32](repeating: interner.intern(UnsafeBufferPointer(start: nil, count: 0)), count: ranges.count)
                return
            }
            for range in ranges {
                ids.append(interner.intern(UnsafeBufferPointer(start: base + range.lowerBound, count: range.count)))
            }
        }
        return ids
    }
}
