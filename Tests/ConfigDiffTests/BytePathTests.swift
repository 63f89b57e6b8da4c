import Foundation
import Testing

@testable import ConfigDiff

/// The byte-level normalization of `indent` profiles (``CaptureLines``, the literal automaton,
/// parse and render in one pass) gives exactly what the line-by-line reference path gives:
/// same text, same tree, same counts, same completeness verdict, on the whole corpus and on
/// seeded random and mutated inputs.
@Suite struct BytePathTests {
    static let indentPlatforms: [PlatformID] = [.ciscoIOS, .ciscoNXOS, .ciscoIOSXR, .aristaEOS, .ciscoASA]

    /// Both paths on one input; `what` names the input in failure messages.
    private func expectSameResult(_ normalizer: Normalizer, _ raw: String, _ what: String) {
        for check in [false, true] {
            let fast = Result { try normalizer.normalize(raw, checkCompleteness: check) }
            let reference = Result { try normalizer.normalizeByLines(raw, previousSize: nil, checkCompleteness: check) }
            switch (fast, reference) {
            case (.success(let fast), .success(let reference)):
                #expect(fast.text == reference.text, "\(normalizer.profile.id) \(what): normalized text differs")
                #expect(
                    Array(fast.text.utf8) == Array(reference.text.utf8),
                    "\(normalizer.profile.id) \(what): normalized bytes differ")
                #expect(fast.tree == reference.tree, "\(normalizer.profile.id) \(what): tree differs")
                #expect(
                    Fixtures.statements(fast.tree) == Fixtures.statements(reference.tree),
                    "\(normalizer.profile.id) \(what): statements differ")
                #expect(
                    lineNumbers(fast.tree) == lineNumbers(reference.tree),
                    "\(normalizer.profile.id) \(what): line numbers differ")
                #expect(fast.removedVolatileLines == reference.removedVolatileLines, "\(what): volatile count")
                #expect(fast.maskedSecrets == reference.maskedSecrets, "\(what): masked count")
            case (.failure(let fast), .failure(let reference)):
                #expect(String(describing: fast) == String(describing: reference), "\(what): errors differ")
            default:
                Issue.record("\(normalizer.profile.id) \(what) (completeness \(check)): one path failed, the other did not")
            }
        }
    }

    private func lineNumbers(_ tree: ConfigTree) -> [Int] {
        var result: [Int] = []
        func walk(_ nodes: [ConfigNode]) {
            for node in nodes {
                result.append(node.line)
                walk(node.children)
            }
        }
        walk(tree.roots)
        return result
    }

    @Test(arguments: Fixtures.singleConfigs.filter { indentPlatforms.contains(Fixtures.platform(of: $0)) })
    func corpusConfigsAgree(_ path: String) throws {
        let normalizer = try Fixtures.normalizer(Fixtures.platform(of: path))
        let raw = try Fixtures.text(path)
        expectSameResult(normalizer, raw, path)
        // Its own output, and the output with CRLF line ends and trailing blanks.
        let once = try normalizer.normalize(raw, checkCompleteness: false)
        expectSameResult(normalizer, once.text, "\(path) normalized")
        expectSameResult(normalizer, raw.replacingOccurrences(of: "\n", with: " \t\r\n"), "\(path) CRLF")
    }

    @Test(arguments: Fixtures.pairs.filter { indentPlatforms.contains(Fixtures.platform(ofPair: $0)) })
    func pairsAgree(_ pair: String) throws {
        let normalizer = try Fixtures.normalizer(Fixtures.platform(ofPair: pair))
        for side in ["running.cfg", "intended.cfg"] {
            expectSameResult(normalizer, try Fixtures.text("pairs/\(pair)/\(side)"), "\(pair)/\(side)")
        }
    }

    @Test(arguments: indentPlatforms)
    func randomAndMutatedInputsAgree(_ platform: PlatformID) throws {
        let normalizer = try Fixtures.normalizer(platform)
        for seed in UInt64(1)...40 {
            var random = SeededRandom(seed: seed &* 7919 &+ UInt64(platform.rawValue.utf8.count))
            let count = Int(random.next() % 3000)
            let bytes: [UInt8] = (0..<count).map { _ in
                let roll = random.next() % 100
                if roll < 8 { return UInt8(ascii: "\n") }
                if roll < 14 { return UInt8(ascii: " ") }
                if roll < 17 { return UInt8(random.next() % 32) }
                if roll < 20 { return UInt8(128 + random.next() % 128) }
                return UInt8(32 + random.next() % 95)
            }
            expectSameResult(normalizer, String(decoding: bytes, as: UTF8.self), "random bytes seed \(seed)")
        }
        let tokens = FuzzTests.tokens + [
            "banner motd ^C", "banner exec #", "banner login", "EOF", "certificate ca 01", "quit", "!", "!!",
            "Building configuration...", "Current configuration : 1234 bytes", "ntp clock-period 17179", "   ",
            " username admin secret 9 $9$x", "\u{301}", "\u{0600} ",
        ]
        let folder = Fixtures.platformOfFolder.first { $0.value == platform }?.key ?? "ios"
        let texts = try Fixtures.singleConfigs.filter { $0.hasPrefix(folder + "/") }.prefix(4).map { try Fixtures.text($0) }
        for (index, text) in texts.enumerated() {
            for round in UInt64(0)..<6 {
                var random = SeededRandom(seed: UInt64(index) << 8 | round)
                var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                for _ in 0..<(1 + random.next() % 20) where !lines.isEmpty {
                    let line = Int(random.next() % UInt64(lines.count))
                    let token = tokens[Int(random.next() % UInt64(tokens.count))]
                    switch random.next() % 4 {
                    case 0: lines[line] = token + lines[line]
                    case 1: lines[line] += token
                    case 2: lines.remove(at: line)
                    default: lines.insert(token, at: line)
                    }
                }
                expectSameResult(normalizer, lines.joined(separator: "\n"), "\(folder) #\(index) mutated round \(round)")
            }
        }
    }

    @Test func pathologicalShapesAgree() throws {
        for platform in Self.indentPlatforms {
            let normalizer = try Fixtures.normalizer(platform)
            expectSameResult(
                normalizer, (0..<3_000).map { String(repeating: " ", count: $0 % 200) + "x\($0)" }.joined(separator: "\n"),
                "deep indentation")
            expectSameResult(normalizer, "banner motd ^C\n" + String(repeating: "line\n", count: 2_000), "unterminated banner")
            expectSameResult(normalizer, "", "empty")
            expectSameResult(normalizer, "\n\n\r\n", "blank lines")
            expectSameResult(normalizer, "hostname a\nend", "no final newline")
            expectSameResult(
                normalizer, String(repeating: "password password password ", count: 500), "many keywords")
        }
    }

    /// The automaton reports exactly the literals a plain search finds, case rules included.
    @Test func literalScannerFindsWhatASearchFinds() throws {
        let literals: [(String, Bool)] = [
            ("key", false), ("key 7 ", false), ("ey", false), ("Key", false), ("password", false), ("pass", true),
            ("secret", true), ("-server ", false), ("k", false), ("é", false), ("psk", true), ("PrivateKey", false),
            ("ssw", false), ("aaa", false), ("a", true),
        ]
        let scanner = LiteralScanner(literals: literals.map { Array($0.0.utf8) }, ignoreCase: literals.map(\.1))
        var lines: [String] = []
        for path in Fixtures.singleConfigs.prefix(40) {
            lines += try Fixtures.text(path).split(separator: "\n").prefix(400).map(String.init)
        }
        lines += [
            "", "k", "KEY", "kEy 7 x", "key 7", "key 7 ", "PASSWORD", "Password", "aa", "aaaa", "xaaay", "é", "e\u{301}",
            "PrivateKey = x", "privatekey", "SeCrEt", "radius-server host", "ppassswordd", "keykey 7 7",
        ]
        var random = SeededRandom(seed: 99)
        let alphabet = Array("keyKEY 7-aAsSpPwWoOrRdDé".utf8)
        for _ in 0..<2_000 {
            lines.append(
                String(decoding: (0..<(random.next() % 24)).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] },
                       as: UTF8.self))
        }
        for line in lines {
            let bytes = Array(line.utf8)
            var expected: UInt64 = 0
            for (index, literal) in literals.enumerated() {
                let needle = Array((literal.1 ? literal.0.lowercased() : literal.0).utf8)
                if bytes.withUnsafeBufferPointer({ ByteSearch.search($0, needle, ignoreCase: literal.1) }) {
                    expected |= 1 << UInt64(index)
                }
            }
            let found = bytes.withUnsafeBufferPointer { scanner.present(in: $0) }
            #expect(found == expected, "\(line.debugDescription): found \(String(found, radix: 2)), expected \(String(expected, radix: 2))")
        }
    }

    @Test func captureLinesSplitLikeCleanLines() {
        for text in ["", "\n", "a", "a\n", "a \t\r\nb\r\n\r\n c  ", "\r", "x\ry\n\n", "é \n\u{0}\t\n", " \n  \n"] {
            let lines = CaptureLines(text)
            #expect(lines.substrings().map(String.init) == ConfigParser.cleanLines(text).map(String.init), "\(text.debugDescription)")
        }
    }
}
