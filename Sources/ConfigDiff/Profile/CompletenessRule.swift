/// How to tell a complete capture from a truncated one (`completeness:` in a profile).
///
/// A capture that fails the rule is rejected with ``ConfigDiffError/Code/incompleteCapture``
/// and never diffed: a half-captured configuration would otherwise show as a huge drift.
public struct CompletenessRule: Sendable, Hashable {
    /// The last statement of a complete capture (`last_line:`), e.g. `{equals: end}` for IOS.
    public var lastLine: LinePredicate?
    /// Whether `{` and `}` must balance, outside quotes (`balanced_braces:`), for JunOS.
    public var balancedBraces: Bool
    /// The smallest size, as a fraction of the previous good capture's normalized size, that is
    /// still believed complete (`min_fraction_of_previous:`, e.g. `0.5`). Used only when the
    /// caller passes the previous size.
    public var minFractionOfPrevious: Double?
    /// The fewest statements a complete capture has (`min_statements:`).
    public var minStatements: Int

    /// Creates a rule.
    public init(
        lastLine: LinePredicate? = nil, balancedBraces: Bool = false, minFractionOfPrevious: Double? = nil,
        minStatements: Int = 1
    ) {
        self.lastLine = lastLine
        self.balancedBraces = balancedBraces
        self.minFractionOfPrevious = minFractionOfPrevious
        self.minStatements = minStatements
    }

    /// Returns why the capture looks truncated, or `nil` when it looks complete.
    ///
    /// - Parameters:
    ///   - lines: the cleaned lines (secrets already masked), before parsing.
    ///   - tree: the parsed tree.
    ///   - size: the normalized text's size in bytes.
    ///   - previousSize: the previous good capture's normalized size in bytes, if known.
    func problem(lines: [Substring], tree: ConfigTree, size: Int, previousSize: Int?) -> String? {
        let statements = tree.roots.count
        if statements < minStatements {
            return
                "it has \(statements) statement\(statements == 1 ? "" : "s"), fewer than the \(minStatements) a complete capture has"
        }
        if let lastLine {
            let last = Self.lastStatement(tree)
            if last.map({ !lastLine.matches($0) }) ?? true {
                return
                    "it does not end with the statement a complete capture ends with (\(lastLine)); the capture was probably cut off"
            }
        }
        if balancedBraces, let braces = Self.braceProblem(lines) {
            return braces
        }
        if let fraction = minFractionOfPrevious, let previousSize, previousSize > 0,
            Double(size) < fraction * Double(previousSize)
        {
            let percent = Int((fraction * 100).rounded())
            return "it is \(size) bytes, shorter than \(percent)% of the previous capture (\(previousSize) bytes)"
        }
        return nil
    }

    private static func lastStatement(_ tree: ConfigTree) -> String? {
        guard let last = tree.roots.last else { return nil }
        // A multi-line block's first line is its statement.
        if let newline = last.text.utf8.firstIndex(of: UInt8(ascii: "\n")) {
            return String(last.text[..<newline])
        }
        return last.text
    }

    /// Counts braces outside double quotes and `#`/`/* */` comments.
    static func braceProblem(_ lines: [Substring]) -> String? {
        var depth = 0
        var inComment = false
        for (index, line) in lines.enumerated() {
            var inQuote = false
            var previous: UInt8 = 0
            var iterator = line.utf8.makeIterator()
            lineLoop: while let byte = iterator.next() {
                defer { previous = byte }
                if inComment {
                    if previous == UInt8(ascii: "*") && byte == UInt8(ascii: "/") { inComment = false }
                    continue
                }
                if inQuote {
                    if byte == UInt8(ascii: "\"") && previous != UInt8(ascii: "\\") { inQuote = false }
                    continue
                }
                switch byte {
                case UInt8(ascii: "\""): inQuote = true
                case UInt8(ascii: "#"): break lineLoop
                case UInt8(ascii: "*") where previous == UInt8(ascii: "/"): inComment = true
                case UInt8(ascii: "{"): depth += 1
                case UInt8(ascii: "}"):
                    depth -= 1
                    if depth < 0 {
                        return "braces are unbalanced: a `}` on line \(index + 1) closes a block that was never opened"
                    }
                default: break
                }
            }
        }
        if depth > 0 {
            return
                "braces are unbalanced: \(depth) block\(depth == 1 ? " is" : "s are") still open at the end; the capture was probably cut off"
        }
        return nil
    }
}
