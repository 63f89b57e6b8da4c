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
        if profile.style == .indent {
            return try normalizeIndent(raw, previousSize: previousSize, checkCompleteness: checkCompleteness)
        }
        return try normalizeByLines(raw, previousSize: previousSize, checkCompleteness: checkCompleteness)
    }

    /// The `indent` style on bytes (``CaptureLines``): the same steps and results as
    /// ``normalizeByLines(_:previousSize:checkCompleteness:)``, with no `String` made for a line
    /// unless a secret literal occurs in it, a rewrite applies, or it becomes a tree node.
    func normalizeIndent(_ raw: String, previousSize: Int?, checkCompleteness: Bool) throws -> NormalizedConfig {
        var lines = CaptureLines(raw)
        let captured = checkCompleteness && profile.completeness.balancedBraces ? lines.substrings() : []
        var masked = 0
        if !profile.secrets.isEmpty {
            // Which lines hold a literal, in one pass over the bytes; the regexes run on those only.
            var candidates: [(line: Int, found: UInt64)] = []
            let scanner = self.scanner
            let allLiterals = literals.count > 64
            let everyLine = hasRuleWithoutLiteral
            lines.bytes.withUnsafeBufferPointer { buffer in
                scanner.scanLines(buffer, starts: lines.starts, ends: lines.ends, everyLine: everyLine || allLiterals) {
                    index, found in
                    candidates.append((index, allLiterals ? .max : found))
                }
            }
            var memo = MaskedLines()
            for (index, found) in candidates {
                if let replaced = memo.mask(lines.substring(index), found: found, count: &masked, with: self) {
                    lines.replace(index, with: replaced)
                }
            }
        }
        if !profile.rewrites.isEmpty {
            for index in 0..<lines.count {
                if let rewritten = rewriteLine(lines.substring(index)) { lines.replace(index, with: rewritten) }
            }
        }
        let parsed = ConfigParser(style: .indent, blocks: profile.blocks).parseIndentRendering(
            lines, volatile: volatileMatcher)
        if checkCompleteness,
            let problem = profile.completeness.problem(
                lines: captured, tree: parsed.tree, size: parsed.text.utf8.count, previousSize: previousSize)
        {
            throw incomplete(problem)
        }
        return NormalizedConfig(
            text: parsed.text, tree: parsed.tree, removedVolatileLines: parsed.removed, maskedSecrets: masked)
    }

    private func incomplete(_ problem: String) -> ConfigDiffError {
        ConfigDiffError(
            .incompleteCapture,
            "the \(profile.id) capture looks incomplete: \(problem). It was not compared; collect it again, or check the session's timeout and pager settings."
        )
    }

    /// The profile's rewrites applied to one line, or `nil` when none changed it.
    private func rewriteLine(_ line: Substring) -> String? {
        let (_, body) = ConfigParser.splitIndent(line)
        var current: String?
        for rule in profile.rewrites {
            if let rewritten = rule.apply(current.map { Substring($0) } ?? body) { current = rewritten }
        }
        guard let current else { return nil }
        return String(line[..<body.startIndex]) + current
    }

    /// Every style, on `Substring` lines: the reference the byte-level paths must agree with.
    func normalizeByLines(_ raw: String, previousSize: Int?, checkCompleteness: Bool) throws -> NormalizedConfig {
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
        var memo = MaskedLines()
        for index in lines.indices {
            if let replaced = memo.mask(lines[index], count: &masked, with: self) { lines[index] = Substring(replaced) }
        }
        if !profile.rewrites.isEmpty {
            for index in lines.indices {
                if let rewritten = rewriteLine(lines[index]) { lines[index] = Substring(rewritten) }
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
            throw incomplete(problem)
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
        return maskLine(line, found: found, count: &count)
    }

    /// Masks the secret values on one line holding the literals `found` (a bit per literal);
    /// `nil` when nothing changed.
    func maskLine(_ line: Substring, found: UInt64, count: inout Int) -> String? {
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

/// The lines of one capture already masked. Configurations repeat a secret statement (the same
/// HSRP or OSPF key on every interface, one `password 3 …` per line vty): a repeat is answered
/// from here instead of by the regexes and an HMAC per value (NX-OS sample_01: 50 secret lines,
/// 6 distinct). Lives for one `normalize` call only, so no masked line outlives it.
struct MaskedLines {
    private var seen: [Substring: (replaced: String?, masked: Int)] = [:]

    /// ``Normalizer/maskLine(_:found:count:)``, remembered.
    mutating func mask(_ line: Substring, found: UInt64, count: inout Int, with normalizer: Normalizer) -> String? {
        if let known = seen[line] {
            count += known.masked
            return known.replaced
        }
        var masked = 0
        let replaced = normalizer.maskLine(line, found: found, count: &masked)
        seen[line] = (replaced, masked)
        count += masked
        return replaced
    }

    /// ``Normalizer/maskLine(_:count:)``, remembered.
    mutating func mask(_ line: Substring, count: inout Int, with normalizer: Normalizer) -> String? {
        if let known = seen[line] {
            count += known.masked
            return known.replaced
        }
        var masked = 0
        let replaced = normalizer.maskLine(line, count: &masked)
        seen[line] = (replaced, masked)
        count += masked
        return replaced
    }
}
