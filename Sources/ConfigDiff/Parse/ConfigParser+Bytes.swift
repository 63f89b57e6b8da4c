import Foundation

extension ConfigParser {
    /// Parses cleaned lines in `indent` style straight from their bytes and renders the canonical
    /// text (``ConfigTree/rendered()``) in the same pass: the tree's pre-order is the lines'
    /// order, so each kept line is written once, re-indented to its depth.
    ///
    /// Gives the same tree as ``parse(lines:skip:)`` on ``CaptureLines/substrings()`` with a
    /// `skip` that drops the lines `volatile` matches, and the same text as `rendered()` on it.
    /// Only a line that is kept becomes a `String` (its node's text), and repeated texts share
    /// one (``NodeTextCache``); separators, blank and volatile lines are judged on their bytes.
    /// The tree is built by ``FlatTreeBuilder`` (children arrays at their exact size) and the
    /// text is written straight into the result string, whose size is bounded in advance.
    ///
    /// - Returns: the tree, its rendering, and how many lines `volatile` dropped.
    func parseIndentRendering(_ lines: CaptureLines, volatile: LineMatcher) -> (
        tree: ConfigTree, text: String, removed: Int
    ) {
        let count = lines.count
        // Every kept line is written at most as long as it was (its depth is at most its
        // indentation) plus a newline, and at most one `!` line comes before it.
        var bound = 3 * count + 16
        for index in 0..<count { bound += lines.ends[index] - lines.starts[index] }
        let builder = FlatTreeBuilder(expected: 1024)
        var roots: [ConfigNode] = []
        var removed = 0
        let hasBlocks = !blocks.isEmpty
        let text = lines.bytes.withUnsafeBufferPointer { buffer in
            String(unsafeUninitializedCapacity: bound) { out in
                guard let outBase = out.baseAddress, let base = buffer.baseAddress else { return 0 }
                var written = 0
                var cache = NodeTextCache(buffer: buffer)
                var index = 0
                while index < count {
                    let lineNumber = index + 1
                    let lineStart = lines.starts[index]
                    let end = lines.ends[index]
                    index += 1
                    var position = lineStart
                    while position < end,
                        buffer[position] == UInt8(ascii: " ") || buffer[position] == UInt8(ascii: "\t")
                    {
                        position += 1
                    }
                    if position == end { continue }
                    var bang = position
                    while bang < end, buffer[bang] == UInt8(ascii: "!") { bang += 1 }
                    if bang == end { continue }
                    let body = UnsafeBufferPointer(rebasing: buffer[position..<end])
                    if volatile.firstMatch(bytes: body) != nil {
                        removed += 1
                        continue
                    }
                    var block: String?
                    if hasBlocks, let rule = blockStarts.firstMatch(bytes: body) {
                        block = consumeBlock(
                            blocks[rule], first: String(decoding: body, as: UTF8.self), count: count,
                            line: { lines.substring($0) }, index: &index)
                    }
                    let (depth, closedSection) = builder.add(
                        block ?? cache.text(position, end), line: lineNumber, indent: position - lineStart)
                    if closedSection {
                        outBase[written] = UInt8(ascii: "!")
                        outBase[written + 1] = UInt8(ascii: "\n")
                        written += 2
                    }
                    for offset in 0..<depth { outBase[written + offset] = UInt8(ascii: " ") }
                    written += depth
                    if var block {
                        block.withUTF8 { utf8 in
                            // The lines are valid UTF-8 (they come from a `String`), so a block is
                            // exactly as long as its lines.
                            precondition(written + utf8.count + 3 <= bound, "block text longer than its lines")
                            if let source = utf8.baseAddress {
                                (outBase + written).initialize(from: source, count: utf8.count)
                            }
                            written += utf8.count
                        }
                    } else {
                        (outBase + written).initialize(from: base + position, count: end - position)
                        written += end - position
                    }
                    outBase[written] = UInt8(ascii: "\n")
                    written += 1
                }
                let (nodes, closedSection) = builder.finishReportingSection()
                roots = nodes
                if closedSection {
                    outBase[written] = UInt8(ascii: "!")
                    outBase[written + 1] = UInt8(ascii: "\n")
                    written += 2
                }
                return written
            }
        }
        return (ConfigTree(style: .indent, roots: roots), text, removed)
    }
}
