import Foundation
import Testing

@testable import ConfigDiff

/// The speed-ups of the normalize and diff hot paths against the code they stand in for:
/// ``FlatTreeBuilder`` vs ``TreeBuilder``, ``NodeTextCache`` vs `String(decoding:)`,
/// ``LiteralScanner/scanLines(_:starts:ends:everyLine:report:)`` vs ``LiteralScanner/present(in:)``
/// per line, Myers with the common prefix and suffix trimmed first vs without, the byte-level
/// `startsWith`/`equals` predicates vs their `String` form, and the remediation's line-break
/// search vs `firstIndex(of: "\n")`. Seeded, so every run checks the same cases.
@Suite struct HotPathTests {
    @Test func flatTreeBuilderBuildsWhatTreeBuilderBuilds() {
        var random = SeededRandom(seed: 2024)
        var shapes: [[Int]] = [[], [0], [0, 1, 2, 1, 0], [3, 2, 1, 0], [0, 4, 4, 2, 9, 0, 0]]
        // Deeper than the cap, then back out: the flattening past maxDepth must agree.
        shapes.append(Array(0..<(ConfigParser.maxDepth + 10)) + [5, 0, 1])
        for _ in 0..<300 {
            shapes.append((0..<Int(random.next() % 60)).map { _ in Int(random.next() % 7) })
        }
        for (number, indents) in shapes.enumerated() {
            var reference = TreeBuilder()
            let flat = FlatTreeBuilder(expected: 16)
            for (index, indent) in indents.enumerated() {
                let text = "s\(index % 5)"
                let expected = reference.add(ConfigNode(text, line: index + 1), indent: indent)
                let got = flat.add(text, line: index + 1, indent: indent)
                #expect(
                    got.depth == expected.depth && got.closedSection == expected.closedSection,
                    "shape \(number) line \(index)")
            }
            let expected = reference.finishReportingSection()
            let got = flat.finishReportingSection()
            #expect(got.roots == expected.roots, "shape \(number): tree differs")
            #expect(lines(got.roots) == lines(expected.roots), "shape \(number): line numbers differ")
            #expect(got.closedSection == expected.closedSection, "shape \(number): last section")
        }
    }

    /// An unfinished builder releases what it holds (run under a leak checker to see it).
    @Test func flatTreeBuilderCanBeDroppedHalfWay() {
        let flat = FlatTreeBuilder(expected: 1)
        for index in 0..<100 {
            _ = flat.add(String(repeating: "x", count: 20 + index), line: index + 1, indent: index % 3)
        }
    }

    private func lines(_ nodes: [ConfigNode]) -> [Int] {
        nodes.flatMap { [$0.line] + lines($0.children) }
    }

    @Test func nodeTextCacheGivesTheDecodedText() {
        var texts = [
            "", "a", "no shutdown", "fifteen bytes!!", "sixteen bytes!!!", " switchport mode access",
            "description é ü 日本 \u{1F600}", "e\u{301} combining, and long enough", String(repeating: "ab", count: 40),
        ]
        var random = SeededRandom(seed: 7)
        let alphabet = Array("ab é".utf8)
        for _ in 0..<3_000 {
            // Few letters, so that equal texts (and equal lengths with different bytes) recur.
            texts.append(
                String(
                    decoding: (0..<Int(16 + random.next() % 12)).map { _ in alphabet[Int(random.next() % 3)] },
                    as: UTF8.self))
        }
        texts += texts.shuffled(using: &random)
        var bytes: [UInt8] = []
        var ranges: [(Int, Int)] = []
        for text in texts {
            let start = bytes.count
            bytes += Array(text.utf8)
            ranges.append((start, bytes.count))
            bytes.append(UInt8(ascii: "\n"))
        }
        bytes.withUnsafeBufferPointer { buffer in
            var cache = NodeTextCache(buffer: buffer)
            for (index, (start, end)) in ranges.enumerated() {
                let got = cache.text(start, end)
                #expect(got == texts[index])
                #expect(Array(got.utf8) == Array(texts[index].utf8), "\(texts[index].debugDescription)")
            }
        }
    }

    @Test func scanLinesReportsWhatPresentFinds() throws {
        for platform in BytePathTests.indentPlatforms {
            let profile = try Fixtures.normalizer(platform).profile
            var literals: [[UInt8]] = []
            var ignoreCase: [Bool] = []
            for rule in profile.secrets where rule.literal != nil {
                literals.append(rule.literalBytes)
                ignoreCase.append(rule.ignoreCase)
            }
            let scanner = LiteralScanner(literals: literals, ignoreCase: ignoreCase)
            var text = try Fixtures.singleConfigs.prefix(30).map { try Fixtures.text($0) }.joined(separator: "\n")
            var random = SeededRandom(seed: 11)
            let alphabet = Array("keyKEY 7-aAsSpPwWoOrRdDcCtTé\t".utf8)
            for _ in 0..<2_000 {
                text +=
                    "\n"
                    + String(
                        decoding: (0..<(random.next() % 40)).map { _ in
                            alphabet[Int(random.next() % UInt64(alphabet.count))]
                        }, as: UTF8.self)
            }
            let lines = CaptureLines(text)
            for everyLine in [false, true] {
                var reported: [Int: UInt64] = [:]
                lines.bytes.withUnsafeBufferPointer { buffer in
                    scanner.scanLines(buffer, starts: lines.starts, ends: lines.ends, everyLine: everyLine) {
                        reported[$0] = $1
                    }
                }
                lines.bytes.withUnsafeBufferPointer { buffer in
                    for index in 0..<lines.count {
                        let expected = scanner.present(
                            in: UnsafeBufferPointer(rebasing: buffer[lines.starts[index]..<lines.ends[index]]))
                        if expected != 0 || everyLine {
                            #expect(
                                reported[index] == expected,
                                "\(platform) line \(index): \(lines.string(index).debugDescription)")
                        } else {
                            #expect(reported[index] == nil, "\(platform) line \(index) reported without a literal")
                        }
                    }
                }
            }
        }
    }

    /// ``MaskedLines`` answers a repeated line as masking it again would: the same text and the
    /// same count, on every corpus file and on a block of repeated secret lines.
    @Test func maskedLinesAgreeWithMaskingEachLine() throws {
        let repeated = (0..<6).map { " password 3 a667d47acc18ea6b\n authentication text HSRP\($0 % 2)\n" }.joined()
        var inputs = try Fixtures.singleConfigs.map { (Fixtures.platform(of: $0), try Fixtures.text($0)) }
        inputs.append((.ciscoNXOS, "interface Vlan1\n" + repeated))
        for (platform, text) in inputs {
            let normalizer = try Fixtures.normalizer(platform)
            var memo = MaskedLines()
            var memoCount = 0
            var plainCount = 0
            for line in ConfigParser.cleanLines(text) {
                let remembered = memo.mask(line, count: &memoCount, with: normalizer)
                let plain = normalizer.maskLine(line, count: &plainCount)
                #expect(remembered == plain, "\(platform): \(line.debugDescription)")
            }
            #expect(memoCount == plainCount, "\(platform): masked counts differ")
        }
        let normalized = try Fixtures.normalizer(.ciscoNXOS).normalize("interface Vlan1\n" + repeated, checkCompleteness: false)
        #expect(normalized.maskedSecrets == 12)
        #expect(!normalized.text.contains("a667d47acc18ea6b") && !normalized.text.contains("HSRP0"))
    }

    /// ``UnifiedDiff/SectionFinder`` gives every line of every corpus file (and of random
    /// indentation soup with comments and blank lines) the path the walk back gives.
    @Test func sectionFinderGivesTheWalkBackPaths() throws {
        // The walk back is quadratic on long sections: files up to 3,000 lines (most of the corpus).
        var texts = try Fixtures.singleConfigs.map { try Fixtures.text($0) }.filter { $0.utf8.count(where: { $0 == 10 }) <= 3_000 }
        var random = SeededRandom(seed: 77)
        let bodies = ["a", "b x", "!", "! c", "#d", "", " ", "\t", "\r", "e\r"]
        for _ in 0..<50 {
            texts.append(
                (0..<Int(random.next() % 80)).map { _ in
                    String(repeating: random.next() % 3 == 0 ? "\t" : " ", count: Int(random.next() % 5))
                        + bodies[Int(random.next() % UInt64(bodies.count))]
                }.joined(separator: "\n"))
        }
        for (number, text) in texts.enumerated() {
            let lines = TextLines(text)
            for style in [HierarchyStyle.indent, .sections] {
                let finder = UnifiedDiff.SectionFinder(lines, style: style)
                for index in 0..<lines.count {
                    let expected = UnifiedDiff.sectionPath(of: index, in: lines, style: style)
                    #expect(finder.path(of: index) == expected, "text \(number) \(style) line \(index)")
                }
            }
        }
    }

    @Test func myersTrimmedGivesTheUntrimmedPairs() {
        var random = SeededRandom(seed: 5)
        var cases: [([Int32], [Int32])] = [
            ([], []), ([1], []), ([], [1]), ([1], [1]), ([1], [2]), ([1, 2, 3], [1, 3]),
            ([1, 1, 1], [1, 1]), ([5, 1, 2, 5], [5, 2, 1, 5]), ([1, 2], [3, 4, 1, 2]),
        ]
        for _ in 0..<2_000 {
            let alphabet = Int32(1 + random.next() % 6)
            let base = (0..<Int(random.next() % 30)).map { _ in Int32(random.next() % UInt64(alphabet)) }
            var other = base
            for _ in 0..<Int(random.next() % 4) {
                let position = other.isEmpty ? 0 : Int(random.next() % UInt64(other.count))
                switch random.next() % 3 {
                case 0 where !other.isEmpty: other.remove(at: position)
                case 1: other.insert(Int32(random.next() % 8), at: position)
                default: if !other.isEmpty { other[position] = Int32(random.next() % 8) }
                }
            }
            cases.append((base, other))
        }
        // Ids from a large interner (the renumbering path) and a small budget (the give-up path).
        cases.append(((0..<50).map { Int32(100_000 + $0 % 7) }, (0..<45).map { Int32(100_000 + $0 % 5) }))
        for (a, b) in cases {
            for budget in [nil, 3] as [Int?] {
                let trimmed = Myers.matches(a, b, budget: budget)
                let reference = Myers.untrimmedMatches(a, b, budget: budget)
                #expect(
                    trimmed.map { [$0.0, $0.1] } == reference.map { [$0.0, $0.1] },
                    "\(a) vs \(b), budget \(String(describing: budget))")
            }
        }
    }

    @Test func bytePredicatesAgreeWithStringPredicates() throws {
        let predicates: [LinePredicate] = [
            try LinePredicate(.startsWith, "ntp clock-period "), try LinePredicate(.equals, "end"),
            try LinePredicate(.startsWith, ""),
            try LinePredicate(.equals, ""), try LinePredicate(.startsWith, "é"),
            try LinePredicate(.regex, "^Current configuration ?: ?\\d+ bytes"),
        ]
        let lines = [
            "", "end", "end ", "en", "ntp clock-period 17179", "ntp clock-period", "ntp clock-period ", "é", "éa", "e",
            "Current configuration : 1234 bytes", "Current configuration: x bytes", "xend",
        ]
        for predicate in predicates {
            let matcher = LineMatcher([predicate])
            for line in lines {
                let bytes = Array(line.utf8)
                let byByte = bytes.withUnsafeBufferPointer { predicate.matches(bytes: $0) }
                #expect(byByte == predicate.matches(Substring(line)), "\(predicate) on \(line.debugDescription)")
                let matched = bytes.withUnsafeBufferPointer { matcher.firstMatch(bytes: $0) }
                #expect(
                    (matched != nil) == predicate.matches(Substring(line)),
                    "matcher \(predicate) on \(line.debugDescription)")
            }
        }
    }

    @Test func lineBreakSearchFindsTheFirstNewlineCharacter() {
        let texts = [
            "", "a", "\n", "a\nb", "banner motd ^C\nhello\n^C", "a\r\nb", "a\r\nb\nc", "\r\n\n", "é\n", "e\u{301}\nx",
            "\n\u{301}", "x\r", "\r\r\n\n",
        ]
        for text in texts {
            let expected = text.firstIndex(of: "\n")
            let got = Remediation.firstLineBreak(text)
            #expect(
                got.map { text.utf8.distance(from: text.startIndex, to: $0) }
                    == expected.map { text.utf8.distance(from: text.startIndex, to: $0) }, "\(text.debugDescription)")
            #expect(Remediation.negated(text) == referenceNegated(text), "\(text.debugDescription)")
        }
    }

    /// ``Remediation/negated(_:)`` as it was written before the byte search.
    private func referenceNegated(_ text: String) -> String {
        var head = text
        if let newline = text.firstIndex(of: "\n") {
            head = String(text[..<newline])
            let words = head.split(separator: " ", omittingEmptySubsequences: true)
            if words.first == "banner" && words.count >= 2 { head = words.prefix(2).joined(separator: " ") }
        }
        if head.hasPrefix("no ") { return String(head.dropFirst(3)) }
        return "no " + head
    }
}
