/// The secret rules' literals, found in one pass over a line's bytes: an Aho–Corasick automaton
/// compiled to a dense transition table over byte classes. A class, so the code that scans each
/// line holds one reference instead of copying tables.
///
/// Each byte costs one class lookup and one transition lookup, whatever the number of literals,
/// and no comparison is started at common first letters (`s`, `p`, `k`…). The automaton runs on
/// ASCII-case-folded bytes; a case-sensitive literal with letters is confirmed by an exact
/// comparison when the automaton reports it (rare: only where the literal occurs in some case).
///
/// Only the first 64 literals are tracked (one bit each); the caller treats more as "all
/// present". An empty literal is never reported.
final class LiteralScanner: Sendable {
    /// Per byte, its class: 0 for bytes in no (folded) literal, else 1…`classCount`.
    private let classOf: [Int32]
    /// Number of columns of `transitions` (classes, including class 0).
    private let stride: Int
    /// Per state (as the offset `state * stride`) and class, the next state's offset shifted left
    /// by one, with bit 0 set when that state reports a literal.
    private let transitions: [Int]
    /// Per state offset: the literals that end at that state (after case checks), a bit each.
    private let reported: [UInt64]
    /// A bit per literal that must be confirmed byte for byte (case-sensitive with ASCII letters).
    private let exactCheck: UInt64
    /// All literals' bytes, back to back, and where each starts (plus the end).
    private let bytes: [UInt8]
    private let starts: [Int]
    /// Per byte: true when it leads from the start state back to the start state, reporting
    /// nothing (the bytes that begin no literal).
    private let rootStays: [Bool]

    @inline(__always)
    private static func fold(_ byte: UInt8) -> UInt8 {
        byte >= 65 && byte <= 90 ? byte | 0x20 : byte
    }

    init(literals: [[UInt8]], ignoreCase: [Bool]) {
        let tracked = Array(literals.prefix(64))
        // Byte classes over the folded literal bytes.
        var classOf = [Int32](repeating: 0, count: 256)
        var classCount: Int32 = 0
        for literal in tracked {
            for byte in literal {
                let folded = Self.fold(byte)
                if classOf[Int(folded)] == 0 {
                    classCount += 1
                    classOf[Int(folded)] = classCount
                }
            }
        }
        for upper in UInt8(65)...90 { classOf[Int(upper)] = classOf[Int(upper | 0x20)] }
        let stride = Int(classCount) + 1

        // The trie (goto function) and the literals ending at each node.
        var goto: [[Int]] = [[Int](repeating: -1, count: stride)]
        var ends: [UInt64] = [0]
        var exact: UInt64 = 0
        for (index, literal) in tracked.enumerated() where !literal.isEmpty {
            var node = 0
            for byte in literal {
                let column = Int(classOf[Int(Self.fold(byte))])
                if goto[node][column] < 0 {
                    goto[node][column] = goto.count
                    goto.append([Int](repeating: -1, count: stride))
                    ends.append(0)
                }
                node = goto[node][column]
            }
            ends[node] |= 1 << UInt64(index)
            let ignores = index < ignoreCase.count && ignoreCase[index]
            if !ignores && literal.contains(where: { Self.fold($0) != $0 || (97...122).contains($0) }) {
                exact |= 1 << UInt64(index)
            }
        }
        // Failure links breadth first; the full transition function and the outputs with them.
        let stateCount = goto.count
        var delta = [[Int]](repeating: [Int](repeating: 0, count: stride), count: stateCount)
        var output = ends
        var failure = [Int](repeating: 0, count: stateCount)
        var queue: [Int] = []
        for column in 0..<stride {
            let child = goto[0][column]
            if child > 0 {
                delta[0][column] = child
                failure[child] = 0
                queue.append(child)
            }
        }
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            output[state] |= output[failure[state]]
            for column in 0..<stride {
                let child = goto[state][column]
                if child > 0 {
                    failure[child] = delta[failure[state]][column]
                    delta[state][column] = child
                    queue.append(child)
                } else {
                    delta[state][column] = delta[failure[state]][column]
                }
            }
        }
        var transitions = [Int](repeating: 0, count: stateCount * stride)
        var reported = [UInt64](repeating: 0, count: stateCount * stride)
        for state in 0..<stateCount {
            reported[state * stride] = output[state]
            for column in 0..<stride {
                let next = delta[state][column]
                transitions[state * stride + column] = (next * stride) << 1 | (output[next] != 0 ? 1 : 0)
            }
        }
        self.classOf = classOf
        self.stride = stride
        self.transitions = transitions
        self.reported = reported
        self.exactCheck = exact
        self.bytes = tracked.flatMap { $0 }
        var starts = [0]
        for literal in tracked { starts.append(starts[starts.count - 1] + literal.count) }
        self.starts = starts
        self.rootStays = (0..<256).map { byte in transitions[Int(classOf[byte])] == 0 }
    }

    /// A bit per literal present in `line`.
    func present(in line: UnsafeBufferPointer<UInt8>) -> UInt64 {
        guard !line.isEmpty else { return 0 }
        return transitions.withUnsafeBufferPointer { table in
            classOf.withUnsafeBufferPointer { classes in
                var state = 0
                var found: UInt64 = 0
                var position = 0
                let count = line.count
                while position < count {
                    let next = table[state &+ Int(classes[Int(line[position])])]
                    state = next &>> 1
                    if next & 1 != 0 { found |= confirm(reported[state], endingAt: position, in: line) }
                    position &+= 1
                }
                return found
            }
        }
    }

    /// For each line `starts[k]..<ends[k]` of `buffer`, the literals present in it (as
    /// ``present(in:)`` gives them): calls `report(k, found)` for every line with a literal, or
    /// for every line when `everyLine`. One pass over the buffer's lines with the tables held
    /// once; between literals, bytes that leave the automaton at its start are skipped by one
    /// table lookup each.
    func scanLines(
        _ buffer: UnsafeBufferPointer<UInt8>, starts: [Int], ends: [Int], everyLine: Bool,
        report: (Int, UInt64) -> Void
    ) {
        let lineCount = min(starts.count, ends.count)
        transitions.withUnsafeBufferPointer { table in
            classOf.withUnsafeBufferPointer { classes in
                rootStays.withUnsafeBufferPointer { stays in
                    starts.withUnsafeBufferPointer { starts in
                        ends.withUnsafeBufferPointer { ends in
                            for index in 0..<lineCount {
                                let end = ends[index]
                                var position = starts[index]
                                var state = 0
                                var found: UInt64 = 0
                                while position < end {
                                    if state == 0 {
                                        // At the start state, most bytes keep it there.
                                        while position < end && stays[Int(buffer[position])] { position &+= 1 }
                                        if position == end { break }
                                    }
                                    let next = table[state &+ Int(classes[Int(buffer[position])])]
                                    state = next &>> 1
                                    if next & 1 != 0 {
                                        found |= confirm(
                                            reported[state], endingAt: position - starts[index],
                                            in: UnsafeBufferPointer(rebasing: buffer[starts[index]..<end]))
                                    }
                                    position &+= 1
                                }
                                if found != 0 || everyLine { report(index, found) }
                            }
                        }
                    }
                }
            }
        }
    }

    /// The literals among `candidates` (reported ending at `end`) that really occur there: the
    /// case-sensitive ones are compared byte for byte.
    @inline(never)
    private func confirm(_ candidates: UInt64, endingAt end: Int, in line: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var unchecked = candidates & exactCheck
        var found = candidates & ~exactCheck
        while unchecked != 0 {
            let index = unchecked.trailingZeroBitCount
            unchecked &= unchecked - 1
            let start = starts[index]
            let length = starts[index + 1] - start
            let first = end + 1 - length
            guard first >= 0 else { continue }
            var offset = 0
            while offset < length, line[first + offset] == bytes[start + offset] { offset += 1 }
            if offset == length { found |= 1 << UInt64(index) }
        }
        return found
    }
}
