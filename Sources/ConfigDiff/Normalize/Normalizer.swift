import Foundation

/// Turns a raw capture into its normalized, masked form, by a platform profile.
///
/// Steps, in this order: line endings (CRLF and stray `\r` removed) and trailing whitespace;
/// for brace and set styles, runs of spaces outside quotes become one; **secrets masked**
/// (before any other step looks at the text); the hierarchy parsed, with volatile lines deleted
/// and blank and `!` separator lines dropped; the tree rendered canonically; the completeness
/// check. `normalize(normalize(x).text).text == normalize(x).text`.
public struct Normalizer: Sendable {
    /// The platform profile.
    public let profile: PlatformProfile
    /// The masker holding the install's key.
    public let masker: SecretMasker
    private let literals: [[UInt8]]
    private let literalIgnoresCase: [Bool]
    /// For each secret rule, the index of its literal in `literals`, or -1 when it has none.
    private let ruleLiteral: [Int]
    private let hasRuleWithoutLiteral: Bool
    private let volatileMatcher: LineMatcher
    private let scanner: LiteralScanner

    /// Creates a normalizer.
    public init(profile: PlatformProfile, masker: SecretMasker) {
        self.profile = profile
        self.masker = masker
        var literals: [[UInt8]] = []
        var ignoreCase: [Bool] = []
        var ruleLiteral: [Int] = []
        for rule in profile.secrets {
            guard rule.literal != nil else {
                ruleLiteral.append(-1)
                continue
            }
            if let found = literals.indices.first(where: {
                literals[$0] == rule.literalBytes && ignoreCase[$0] == rule.ignoreCase
            }) {
                ruleLiteral.append(found)
            } else {
                literals.append(rule.literalBytes)
                ignoreCase.append(rule.ignoreCase)
                ruleLiteral.append(literals.count - 1)
            }
        }
        self.literals = literals
        self.literalIgnoresCase = ignoreCase
        self.ruleLiteral = ruleLiteral
        self.hasRuleWithoutLiteral = ruleLiteral.contains(-1)
        self.volatileMatcher = LineMatcher(profile.volatile)
        self.scanner = LiteralScanner(literals: literals, ignoreCase: ignoreCase)
    }

    /// Normalizes a raw capture and checks that it is complete.
    ///
    /// - Parameters:
    ///   - raw: the text as collected (held in memory only).
    ///   - previousSize: the size in bytes of the previous good capture's normalized text; a
    ///     capture much shorter than that (profile `completeness.min_fraction_of_previous`) is rejected.
    /// - Throws: ``ConfigDiffError`` `.incompleteCapture` with the reason when the capture looks
    ///   truncated; such a capture must not be diffed.
    public func normalize(_ raw: String, previousSize: Int? = nil) throws -> NormalizedConfig {
        try normalize(raw, previousSize: previousSize, checkCompleteness: true)
    }

    /// Normalizes a raw capture; `checkCompleteness: false` skips the completeness check (for
    /// configuration fragments, such as an intended config that covers some features only).
    public func normalize(_ raw: String, previousSize: Int? = nil, checkCompleteness: Bool) throws -> NormalizedConfig {
        var lines = ConfigParser.cleanLines(raw)
        let captured = lines
        let style = effectiveStyle(lines)
        if style == .brace || style == .set {
            for index in lines.indices where Self.hasSpaceRun(lines[index]) {
                let (indent, body) = ConfigParser.splitIndent(lines[index])
                lines[index] = Substring(
                    String(repeating: " ", count: indent) + ConfigParser.collapseSpaces(Array(body.utf8)))
            }
        }
        if style == .brace {
            // One statement per line before masking, so a secret pattern sees the same line
            // whatever the capture's layout (`community x { authorization read-only; }`).
            let layout = ConfigParser(style: .brace, blocks: []).parse(lines: lines, skip: { _ in false })
            lines = ConfigParser.cleanLines(layout.rendered())
        }
        var masked = 0
        for index in lines.indices {
            if let replaced = maskLine(lines[index], count: &masked) { lines[index] = Substring(replaced) }
        }
        if !profile.rewrites.isEmpty {
            for index in lines.indices {
                let (_, body) = ConfigParser.splitIndent(lines[index])
                var current: String?
                for rule in profile.rewrites {
                    if let rewritten = rule.apply(current.map { Substring($0) } ?? body) { current = rewritten }
                }
                if let current { lines[index] = Substring(String(lines[index][..<body.startIndex]) + current) }
            }
        }
        var removed = 0
        let volatile = volatileMatcher
        let parser = ConfigParser(style: style, blocks: profile.blocks)
        let tree = parser.parse(lines: lines) { body in
            guard volatile.firstMatch(body) != nil else { return false }
            removed += 1
            return true
        }
        let text = tree.rendered()
        if checkCompleteness,
            let problem = profile.completeness.problem(
                lines: captured, tree: tree, size: text.utf8.count, previousSize: previousSize)
        {
            throw ConfigDiffError(
                .incompleteCapture,
                "the \(profile.id) capture looks incomplete: \(problem). It was not compared; collect it again, or check the session's timeout and pager settings."
            )
        }
        return NormalizedConfig(text: text, tree: tree, removedVolatileLines: removed, maskedSecrets: masked)
    }

    /// The style to parse with: the profile's, or `set` for a brace profile with
    /// `detect_set_form` whose first statement is a `set`/`delete` command.
    func effectiveStyle(_ lines: [Substring]) -> HierarchyStyle {
        guard profile.style == .brace, profile.detectSetForm else { return profile.style }
        for line in lines {
            let (_, body) = ConfigParser.splitIndent(line)
            if body.isEmpty || body.utf8.first == UInt8(ascii: "#") { continue }
            return body.hasPrefix("set ") || body.hasPrefix("delete ") || body.hasPrefix("deactivate ") ? .set : .brace
        }
        return .brace
    }

    private static func hasSpaceRun(_ line: Substring) -> Bool {
        var previousSpace = false
        var seenText = false
        for byte in line.utf8 {
            let space = byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
            if space && seenText && (previousSpace || byte == UInt8(ascii: "\t")) { return true }
            if !space { seenText = true }
            previousSpace = space
        }
        return false
    }

    /// Masks the secret values on one line; `nil` when nothing changed.
    func maskLine(_ line: Substring, count: inout Int) -> String? {
        guard !profile.secrets.isEmpty else { return nil }
        // Which literals the line holds: a bit per literal, in one pass over the bytes.
        let scanner = self.scanner
        var found =
            line.utf8.withContiguousStorageIfAvailable { scanner.present(in: $0) }
            ?? Array(line.utf8).withUnsafeBufferPointer { scanner.present(in: $0) }
        if literals.count > 64 { found = .max }
        if found == 0 && !hasRuleWithoutLiteral { return nil }
        let (_, body) = ConfigParser.splitIndent(line)
        var current = String(body)
        var changed = false
        for (ruleIndex, rule) in profile.secrets.enumerated() {
            let literal = ruleLiteral[ruleIndex]
            if literal >= 0 && literal < 64 && found & (1 << UInt64(literal)) == 0 { continue }
            let ranges = rule.secretRanges(in: current)
            if ranges.isEmpty { continue }
            let ns = NSMutableString(string: current)
            var replacedAny = false
            // Replace from the end so earlier ranges stay valid; skip nested/overlapping ranges.
            var lowestStart = Int.max
            for range in ranges.sorted(by: { $0.location > $1.location })
            where range.location + range.length <= lowestStart {
                let value = ns.substring(with: range)
                lowestStart = range.location
                if SecretMasker.isMasked(value) { continue }
                ns.replaceCharacters(in: range, with: masker.mask(value))
                count += 1
                replacedAny = true
            }
            if replacedAny {
                current = ns as String
                changed = true
            }
        }
        guard changed else { return nil }
        return String(line[line.startIndex..<body.startIndex]) + current
    }
}

/// The secret rules' literals, found in one pass over a line's bytes. A class, so the closure
/// that scans each line captures one reference instead of copying tables.
///
/// Candidates are filtered on the first two bytes at each position (a hashed pair table of
/// 1,024 words, 8 KB: one load per byte), so common first letters (`s`, `p`, `k`…) do not
/// start a comparison at every occurrence; one-byte literals use a first-byte table.
final class LiteralScanner: Sendable {
    /// For each hashed (first byte, second byte) pair, in every case for case-insensitive
    /// literals, a bit per literal of two bytes or more starting with it (the first 64 literals).
    private let byPair: [UInt64]
    /// For each byte, a bit per one-byte literal equal to it (both cases when case-insensitive).
    private let bySingle: [UInt64]
    private let hasSingles: Bool
    /// All literals' bytes, back to back, and where each starts (plus the end).
    private let bytes: [UInt8]
    private let starts: [Int]
    private let ignoreCase: [Bool]

    @inline(__always)
    private static func pairSlot(_ first: UInt8, _ second: UInt8) -> Int {
        ((Int(first) &<< 3) ^ Int(second)) & 1023
    }

    /// The byte and, for a lowercase letter of a case-insensitive literal, its uppercase too.
    private static func variants(_ byte: UInt8, _ ignoreCase: Bool) -> [UInt8] {
        ignoreCase && byte >= 97 && byte <= 122 ? [byte, byte - 32] : [byte]
    }

    init(literals: [[UInt8]], ignoreCase: [Bool]) {
        var pairs = [UInt64](repeating: 0, count: 1024)
        var singles = [UInt64](repeating: 0, count: 256)
        var anySingle = false
        for (index, literal) in literals.enumerated() where index < 64 {
            guard let first = literal.first else { continue }
            let bit: UInt64 = 1 << UInt64(index)
            if literal.count == 1 {
                anySingle = true
                for a in Self.variants(first, ignoreCase[index]) { singles[Int(a)] |= bit }
                continue
            }
            for a in Self.variants(first, ignoreCase[index]) {
                for b in Self.variants(literal[1], ignoreCase[index]) { pairs[Self.pairSlot(a, b)] |= bit }
            }
        }
        byPair = pairs
        bySingle = singles
        hasSingles = anySingle
        bytes = literals.flatMap { $0 }
        var starts = [0]
        for literal in literals { starts.append(starts[starts.count - 1] + literal.count) }
        self.starts = starts
        self.ignoreCase = ignoreCase
    }

    /// A bit per literal present in `line`.
    func present(in line: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let count = line.count
        guard count > 0 else { return 0 }
        var found: UInt64 = 0
        if hasSingles {
            bySingle.withUnsafeBufferPointer { table in
                for byte in line { found |= table[Int(byte)] }
            }
        }
        guard count > 1 else { return found }
        return byPair.withUnsafeBufferPointer { table in
            // The hot loop: one table load per byte; comparisons go to `verify`, out of line,
            // so this loop keeps its few values in registers.
            var previous = line[0]
            var position = 1
            while position < count {
                let next = line[position]
                let candidates = table[Self.pairSlot(previous, next)] & ~found
                if candidates != 0 { found |= verify(candidates, at: position - 1, in: line) }
                previous = next
                position += 1
            }
            return found
        }
    }

    /// The literals among `candidates` that occur in `line` at `position`.
    @inline(never)
    private func verify(_ candidates: UInt64, at position: Int, in line: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var candidates = candidates
        var found: UInt64 = 0
        let count = line.count
        while candidates != 0 {
            let index = candidates.trailingZeroBitCount
            candidates &= candidates - 1
            let start = starts[index]
            let length = starts[index + 1] - start
            guard position + length <= count else { continue }
            let ignoreCase = self.ignoreCase[index]
            var offset = 0
            while offset < length {
                let byte = line[position + offset]
                if (ignoreCase ? ByteSearch.lower(byte) : byte) != bytes[start + offset] { break }
                offset += 1
            }
            if offset == length { found |= 1 << UInt64(index) }
        }
        return found
    }
}
