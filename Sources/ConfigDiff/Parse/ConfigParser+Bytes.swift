extension ConfigParser {
    /// Parses cleaned lines in `indent` style straight from their bytes and renders the canonical
    /// text (``ConfigTree/rendered()``) in the same pass: the tree's pre-order is the lines'
    /// order, so each kept line is written once, re-indented to its depth.
    ///
    /// Gives the same tree as ``parse(lines:skip:)`` on ``CaptureLines/substrings()`` with a
    /// `skip` that drops the lines `volatile` matches, and the same text as `rendered()` on it.
    /// Only a line that is kept becomes a `String` (its node's text); separators, blank and
    /// volatile lines are judged on their bytes.
    ///
    /// - Returns: the tree, its rendering, and how many lines `volatile` dropped.
    func parseIndentRendering(_ lines: CaptureLines, volatile: LineMatcher) -> (
        tree: ConfigTree, text: String, removed: Int
    ) {
        var builder = TreeBuilder()
        var out: [UInt8] = []
        // The rendering is about as long as the capture: indentation shrinks, `!` lines go.
        out.reserveCapacity(lines.bytes.count + 64)
        var removed = 0
        let count = lines.count
        let hasBlocks = !blocks.isEmpty
        lines.bytes.withUnsafeBufferPointer { buffer in
            var index = 0
            while index < count {
                let lineNumber = index + 1
                let lineStart = lines.starts[index]
                let end = lines.ends[index]
                index += 1
                var position = lineStart
                while position < end, buffer[position] == UInt8(ascii: " ") || buffer[position] == UInt8(ascii: "\t") {
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
                let node = ConfigNode(block ?? String(decoding: body, as: UTF8.self), line: lineNumber)
                let (depth, closedSection) = builder.add(node, indent: position - lineStart)
                if closedSection {
                    out.append(UInt8(ascii: "!"))
                    out.append(UInt8(ascii: "\n"))
                }
                if depth > 0 { out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: depth)) }
                if var block {
                    block.withUTF8 { out.append(contentsOf: $0) }
                } else {
                    out.append(contentsOf: body)
                }
                out.append(UInt8(ascii: "\n"))
            }
        }
        let (roots, closedSection) = builder.finishReportingSection()
        if closedSection {
            out.append(UInt8(ascii: "!"))
            out.append(UInt8(ascii: "\n"))
        }
        return (ConfigTree(style: .indent, roots: roots), String(decoding: out, as: UTF8.self), removed)
    }
}
