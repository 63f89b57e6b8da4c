/// Parses configuration text into a ``ConfigTree``.
///
/// Styles:
/// - `indent` (IOS, IOS-XE, NX-OS, EOS, IOS-XR, ASA): a line indented deeper than the one
///   before is its child; bare `!` separator lines and blank lines carry no meaning and are
///   dropped; any indentation width works (canonical rendering uses one space per level).
/// - `brace` (JunOS): `name {` opens a section, `}` closes it, `leaf;` is a statement;
///   `#` comment lines are kept as statements, a trailing `## …` after `;` is dropped
///   (`## SECRET-DATA`), runs of spaces outside quotes become one.
/// - `set` (JunOS `display set`): one statement per line, spaces collapsed outside quotes.
/// - `sections` (Linux hosts): a `==> NAME <==` line starts a section (one captured file or
///   command); the lines under it are kept verbatim (leading whitespace too: it matters in
///   some files), blank lines dropped.
/// - `flat` (generic): every non-blank line is a statement, verbatim.
///
/// CRLF and stray `\r` are removed and trailing whitespace is trimmed first. Multi-line blocks
/// (``BlockRule``) become one node. Parsing never fails on odd input: a stray `}` is ignored,
/// an unterminated block or section runs to the end of the text.
public struct ConfigParser: Sendable {
    /// The hierarchy style.
    public var style: HierarchyStyle
    /// The multi-line blocks to keep intact.
    public var blocks: [BlockRule] {
        didSet { blockStarts = LineMatcher(blocks.map(\.start)) }
    }
    private(set) var blockStarts: LineMatcher

    /// Creates a parser.
    public init(style: HierarchyStyle, blocks: [BlockRule]) {
        self.style = style
        self.blocks = blocks
        self.blockStarts = LineMatcher(blocks.map(\.start))
    }

    /// Creates a parser with the blocks of a profile.
    public init(profile: PlatformProfile) {
        self.init(style: profile.style, blocks: profile.blocks)
    }

    /// Parses `text` in `style` with the usual multi-line blocks of that style
    /// (``BlockRule/defaults(for:)``).
    public static func parse(_ text: String, style: HierarchyStyle) throws -> ConfigTree {
        try ConfigParser(style: style, blocks: BlockRule.defaults(for: style)).parse(text)
    }

    /// Parses `text`.
    public func parse(_ text: String) throws -> ConfigTree {
        parse(lines: Self.cleanLines(text), skip: { _ in false })
    }

    /// Splits text into lines with `\r` removed and trailing spaces and tabs trimmed.
    /// A final newline does not make an extra empty line.
    static func cleanLines(_ text: String) -> [Substring] {
        var source = text
        source.makeContiguousUTF8()
        let hasCarriageReturn =
            source.utf8.withContiguousStorageIfAvailable { bytes in
                bytes.contains(UInt8(ascii: "\r"))
            } ?? source.utf8.contains(UInt8(ascii: "\r"))
        if hasCarriageReturn {
            var bytes = Array(source.utf8)
            bytes.removeAll { $0 == UInt8(ascii: "\r") }
            source = String(decoding: bytes, as: UTF8.self)
        }
        source.makeContiguousUTF8()
        // Line ends found on the bytes, then Substrings cut by UTF-8 offset (O(1) on native strings).
        let ranges: [(Int, Int)] =
            source.utf8.withContiguousStorageIfAvailable { bytes in
                var result: [(Int, Int)] = []
                result.reserveCapacity(bytes.count / 24 + 1)
                var start = 0
                let count = bytes.count
                var index = 0
                while index < count {
                    if bytes[index] == UInt8(ascii: "\n") {
                        result.append((start, Self.trimmedEnd(bytes, start, index)))
                        start = index + 1
                    }
                    index += 1
                }
                if start < count { result.append((start, Self.trimmedEnd(bytes, start, count))) }
                return result
            } ?? []
        let utf8 = source.utf8
        let base = utf8.startIndex
        return ranges.map { range in
            source[utf8.index(base, offsetBy: range.0)..<utf8.index(base, offsetBy: range.1)]
        }
    }

    @inline(__always)
    private static func trimmedEnd(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        var end = end
        while end > start, bytes[end - 1] == UInt8(ascii: " ") || bytes[end - 1] == UInt8(ascii: "\t") { end -= 1 }
        return end
    }

    @inline(__always)
    static func trimTrailing(_ line: Substring) -> Substring {
        let utf8 = line.utf8
        var end = utf8.endIndex
        while end != utf8.startIndex {
            let before = utf8.index(before: end)
            let byte = utf8[before]
            guard byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") else { break }
            end = before
        }
        return line[line.startIndex..<end]
    }

    /// Leading spaces and tabs (a tab counts as one column) and the rest of the line.
    @inline(__always)
    static func splitIndent(_ line: Substring) -> (Int, Substring) {
        let utf8 = line.utf8
        var index = utf8.startIndex
        var count = 0
        while index != utf8.endIndex, utf8[index] == UInt8(ascii: " ") || utf8[index] == UInt8(ascii: "\t") {
            index = utf8.index(after: index)
            count += 1
        }
        // Through the UTF-8 view: `index` follows ASCII spaces and tabs, a scalar boundary, so
        // this equals `line[index...]` without the character-index validation.
        return (count, Substring(utf8[index...]))
    }

    /// Parses cleaned lines; `skip` sees each line's text without indentation (outside blocks)
    /// and drops the line when it returns true (volatile lines).
    func parse(lines: [Substring], skip: (Substring) -> Bool) -> ConfigTree {
        switch style {
        case .indent: return ConfigTree(style: style, roots: parseIndent(lines, skip: skip))
        case .brace: return ConfigTree(style: style, roots: parseBrace(lines, skip: skip))
        case .set: return ConfigTree(style: style, roots: parseSet(lines, skip: skip))
        case .sections: return ConfigTree(style: style, roots: parseSections(lines, skip: skip))
        case .flat: return ConfigTree(style: style, roots: parseFlat(lines, skip: skip))
        }
    }

    // MARK: - indent

    private func parseIndent(_ lines: [Substring], skip: (Substring) -> Bool) -> [ConfigNode] {
        var builder = TreeBuilder()
        var index = 0
        while index < lines.count {
            let lineNumber = index + 1
            let (indent, body) = Self.splitIndent(lines[index])
            index += 1
            if body.isEmpty || Self.isSeparator(body) || skip(body) { continue }
            var text = String(body)
            if let rule = blockStarts.firstMatch(body) {
                text = consumeBlock(blocks[rule], first: text, lines: lines, index: &index)
            }
            builder.add(ConfigNode(text, line: lineNumber), indent: indent)
        }
        return builder.finish()
    }

    /// `!`, `!!!`: IOS separators.
    @inline(__always)
    static func isSeparator(_ body: Substring) -> Bool {
        body.utf8.allSatisfy { $0 == UInt8(ascii: "!") }
    }

    /// Consumes the rest of a multi-line block starting at `lines[index]`; returns the node text.
    private func consumeBlock(_ rule: BlockRule, first: String, lines: [Substring], index: inout Int) -> String {
        consumeBlock(rule, first: first, count: lines.count, line: { lines[$0] }, index: &index)
    }

    /// Consumes the rest of a multi-line block starting at line `index` of `count` lines, read
    /// through `line`; returns the node text.
    func consumeBlock(
        _ rule: BlockRule, first: String, count: Int, line lineAt: (Int) -> Substring, index: inout Int
    ) -> String {
        var parts = [first]
        switch rule.terminator {
        case .line(let end):
            while index < count {
                let line = lineAt(index)
                index += 1
                parts.append(String(line))
                if end.matches(Self.splitIndent(line).1) { return parts.joined(separator: "\n") }
            }
        case .delimited:
            guard let (delimiter, rest) = Self.bannerDelimiter(first) else { return first }
            if rest.contains(delimiter) { return first }
            while index < count {
                let line = lineAt(index)
                index += 1
                parts.append(String(line))
                if line.contains(delimiter) { return parts.joined(separator: "\n") }
            }
        }
        // Unterminated: runs to the end; trailing blank and `!` separator lines are not part of it
        // (the renderer writes separators after sections, and a re-parse must give the same node).
        while parts.count > 1, Self.isSeparator(ConfigParser.splitIndent(Substring(parts[parts.count - 1])).1) {
            parts.removeLast()
        }
        return parts.joined(separator: "\n")
    }

    /// The delimiter after the second word (`banner motd ^C…`) and the text after it.
    static func bannerDelimiter(_ line: String) -> (String, Substring)? {
        var rest = Substring(line)
        for _ in 0..<2 {
            rest = rest.drop { $0 == " " }
            guard let space = rest.firstIndex(of: " ") else { return nil }
            rest = rest[space...]
        }
        guard rest.first == " " else { return nil }
        rest = rest.dropFirst()
        if rest.hasPrefix("^C") { return ("^C", rest.dropFirst(2)) }
        guard let scalar = rest.unicodeScalars.first else { return nil }
        let delimiter = String(scalar)
        return (delimiter, rest[rest.index(rest.startIndex, offsetBy: delimiter.count)...])
    }

    // MARK: - brace

    private func parseBrace(_ lines: [Substring], skip: (Substring) -> Bool) -> [ConfigNode] {
        var builder = NestingBuilder()
        var index = 0
        while index < lines.count {
            let lineNumber = index + 1
            let (_, body) = Self.splitIndent(lines[index])
            index += 1
            if body.isEmpty || skip(body) { continue }
            if body.hasPrefix("/*") {
                builder.leaf(ConfigNode(consumeComment(body, lines: lines, index: &index), line: lineNumber))
                continue
            }
            if body.utf8.first == UInt8(ascii: "#") {
                if !body.utf8.allSatisfy({ $0 == UInt8(ascii: "#") }) {
                    builder.leaf(ConfigNode(String(body), line: lineNumber))
                }
                continue
            }
            scanBraceLine(body, line: lineNumber, into: &builder)
        }
        return builder.finish()
    }

    /// A `/* … */` annotation starting on `body`: through the line holding `*/`, or, when no
    /// later line closes it, the first line alone with ` */` added (so a re-parse agrees).
    private func consumeComment(_ body: Substring, lines: [Substring], index: inout Int) -> String {
        if body.dropFirst(2).contains("*/") { return String(body) }
        guard let close = lines[index...].firstIndex(where: { $0.contains("*/") }) else { return String(body) + " */" }
        var parts = [String(body)]
        parts += lines[index...close].map(String.init)
        index = close + 1
        return parts.joined(separator: "\n")
    }

    private func scanBraceLine(_ body: Substring, line: Int, into builder: inout NestingBuilder) {
        var pending: [UInt8] = []
        var inQuote = false
        var skippingComment = false
        var previous: UInt8 = 0
        func flushText() -> String? {
            let text = Self.collapseSpaces(pending)
            pending.removeAll(keepingCapacity: true)
            return text.isEmpty ? nil : text
        }
        for byte in body.utf8 {
            defer { previous = byte }
            if skippingComment {
                if previous == UInt8(ascii: "*") && byte == UInt8(ascii: "/") {
                    skippingComment = false
                    previous = 0
                    continue
                }
                continue
            }
            if inQuote {
                pending.append(byte)
                if byte == UInt8(ascii: "\"") && previous != UInt8(ascii: "\\") { inQuote = false }
                continue
            }
            switch byte {
            case UInt8(ascii: "\""):
                inQuote = true
                pending.append(byte)
            case UInt8(ascii: "{"):
                builder.open(ConfigNode(flushText() ?? "", line: line))
            case UInt8(ascii: "}"):
                if let text = flushText() { builder.leaf(ConfigNode(text, line: line)) }
                builder.close()
            case UInt8(ascii: ";"):
                if let text = flushText() { builder.leaf(ConfigNode(text, line: line)) }
            case UInt8(ascii: "#") where pending.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }):
                // A trailing comment after `;`, `{` or `}` (`## SECRET-DATA`): display only.
                pending.removeAll()
                return
            case UInt8(ascii: "*") where previous == UInt8(ascii: "/"):
                // An inline `/* … */` comment: display only, dropped to its end or the line's.
                pending.removeLast()
                if let text = flushText() { builder.leaf(ConfigNode(text, line: line)) }
                skippingComment = true
            default:
                pending.append(byte)
            }
        }
        if let text = flushText() { builder.leaf(ConfigNode(text, line: line)) }
    }

    /// Trims and turns runs of spaces and tabs outside double quotes into one space.
    static func collapseSpaces(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var inQuote = false
        var pendingSpace = false
        var previous: UInt8 = 0
        for byte in bytes {
            defer { previous = byte }
            if !inQuote && (byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")) {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace {
                out.append(UInt8(ascii: " "))
                pendingSpace = false
            }
            if byte == UInt8(ascii: "\"") && (!inQuote || previous != UInt8(ascii: "\\")) { inQuote.toggle() }
            out.append(byte)
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: - set, sections, flat

    private func parseSet(_ lines: [Substring], skip: (Substring) -> Bool) -> [ConfigNode] {
        var roots: [ConfigNode] = []
        roots.reserveCapacity(lines.count)
        for (offset, line) in lines.enumerated() {
            let (_, body) = Self.splitIndent(line)
            if body.isEmpty || skip(body) || body.utf8.allSatisfy({ $0 == UInt8(ascii: "#") }) { continue }
            let text = body.utf8.first == UInt8(ascii: "#") ? String(body) : Self.collapseSpaces(Array(body.utf8))
            roots.append(ConfigNode(text, line: offset + 1))
        }
        return roots
    }

    private func parseSections(_ lines: [Substring], skip: (Substring) -> Bool) -> [ConfigNode] {
        var roots: [ConfigNode] = []
        var current: ConfigNode?
        for (offset, line) in lines.enumerated() {
            let (_, body) = Self.splitIndent(line)
            if body.isEmpty { continue }
            if Self.isSectionHeader(line) {
                if let current { roots.append(current) }
                current = ConfigNode(String(line), line: offset + 1)
                continue
            }
            if skip(body) { continue }
            let node = ConfigNode(String(line), line: offset + 1)
            if current != nil { current?.children.append(node) } else { roots.append(node) }
        }
        if let current { roots.append(current) }
        return roots
    }

    /// `==> NAME <==`, as `head`/`tail` print between files.
    static func isSectionHeader(_ line: Substring) -> Bool {
        line.hasPrefix("==> ") && line.hasSuffix(" <==") && line.utf8.count > 8
    }

    private func parseFlat(_ lines: [Substring], skip: (Substring) -> Bool) -> [ConfigNode] {
        var roots: [ConfigNode] = []
        for (offset, line) in lines.enumerated() {
            let (_, body) = Self.splitIndent(line)
            if body.isEmpty || skip(body) { continue }
            roots.append(ConfigNode(String(line), line: offset + 1))
        }
        return roots
    }
}

extension ConfigParser {
    /// The deepest nesting kept; deeper statements become siblings at this depth. Real
    /// configurations nest a dozen levels at most; the cap keeps hostile input from
    /// exhausting the stack in the recursive tree operations.
    public static let maxDepth = 64
}

/// Builds a tree from (indent, node) pairs: a node is a child of the nearest earlier node with
/// a smaller indent.
///
/// The open nodes and their indents are kept in two arrays, so that looking at the innermost
/// indent never copies a node (no reference counting on the hot path).
struct TreeBuilder {
    private var roots: [ConfigNode] = []
    private var indents: [Int] = []
    private var open: [ConfigNode] = []

    /// Adds `node` after closing the open nodes it is not nested in; returns its depth and
    /// whether a top-level node with children was closed on the way (the renderer writes a
    /// `!` line after such a section).
    @discardableResult
    mutating func add(_ node: ConfigNode, indent: Int) -> (depth: Int, closedSection: Bool) {
        var closedSection = false
        while let top = indents.last, top >= indent {
            if popOne() { closedSection = true }
        }
        var indent = indent
        if open.count >= ConfigParser.maxDepth, let top = indents.last {
            indent = top
            if popOne() { closedSection = true }
        }
        let depth = open.count
        indents.append(indent)
        open.append(node)
        return (depth, closedSection)
    }

    /// Closes the innermost open node; true when it was a top-level node with children.
    private mutating func popOne() -> Bool {
        guard let node = open.popLast() else { return false }
        indents.removeLast()
        let last = open.count - 1
        if last < 0 {
            roots.append(node)
            return !node.children.isEmpty
        }
        // Most parents (interfaces, router sections) get a handful of children: one
        // allocation of 8 instead of regrowing at 1, 2 and 4.
        if open[last].children.isEmpty { open[last].children.reserveCapacity(8) }
        open[last].children.append(node)
        return false
    }

    /// Closes every open node; returns the top-level nodes and whether the last one closed here
    /// has children.
    mutating func finishReportingSection() -> (roots: [ConfigNode], closedSection: Bool) {
        var closedSection = false
        while !open.isEmpty {
            if popOne() { closedSection = true }
        }
        return (roots, closedSection)
    }

    mutating func finish() -> [ConfigNode] {
        finishReportingSection().roots
    }
}

/// Builds a tree from explicit open/leaf/close events (brace style).
struct NestingBuilder {
    private var roots: [ConfigNode] = []
    private var stack: [ConfigNode] = []
    /// Opens past ``ConfigParser/maxDepth``: kept as statements, their closes ignored.
    private var flattened = 0

    mutating func open(_ node: ConfigNode) {
        if stack.count >= ConfigParser.maxDepth {
            leaf(node)
            flattened += 1
        } else {
            stack.append(node)
        }
    }

    mutating func leaf(_ node: ConfigNode) {
        if stack.isEmpty { roots.append(node) } else { stack[stack.count - 1].children.append(node) }
    }

    /// A `}` with nothing open is ignored (the completeness check reports it).
    mutating func close() {
        if flattened > 0 {
            flattened -= 1
            return
        }
        guard let top = stack.popLast() else { return }
        leaf(top)
    }

    mutating func finish() -> [ConfigNode] {
        while !stack.isEmpty { close() }
        return roots
    }
}
