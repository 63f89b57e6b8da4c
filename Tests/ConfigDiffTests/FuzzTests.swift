import Foundation
import Testing

@testable import ConfigDiff

/// Random bytes, shuffled lines, truncations and mutations of corpus text: normalization never
/// crashes or hangs, fails only with a ``ConfigDiffError``, and whatever it returns is a fixed
/// point. Seeded, so a failure reproduces from the seed in its message.
@Suite struct FuzzTests {
    static let platforms: [PlatformID] = [
        .ciscoIOS, .ciscoNXOS, .ciscoIOSXR, .aristaEOS, .juniperJunos, .juniperJunosSet, .ciscoASA, .linux, .generic,
    ]

    static let tokens = [
        "{", "}", "\"", "^C", "banner motd ^C", "banner login", "EOF", "\r", "\r\n", "\t", "certificate self-signed 01",
        "quit",
        "macro name m", "@", "/*", "*/", "#", "## Last commit: x", ";", "!", "\u{3}", "set ", "delete ", "==> x <==",
        "  ", "\u{0}", "é",
        "<secret:", "<secret:0123abcd>", "$9$", "*****", "password ", "secret 5 ", "key 7 ", "snmp-server community ",
        "end", ": end",
        "\n", "\n ", "\n  ", "enable secret ", "\\", "\"a;b\"", "\u{FEFF}", "🙂",
    ]

    /// Corpus texts per platform (a few per folder, small ones, to keep the run short).
    static func corpus(for platform: PlatformID) throws -> [String] {
        let folder =
            Fixtures.platformOfFolder.first { $0.value == platform }?.key
            ?? (platform == .juniperJunosSet ? "junos" : "ios")
        return try Fixtures.singleConfigs.filter { $0.hasPrefix(folder + "/") }.prefix(6).map { try Fixtures.text($0) }
            .filter { $0.utf8.count < 40_000 }
    }

    /// CPU seconds this thread has used: the hang bound below counts the normalizer's own work,
    /// not the time other processes held the cores (a wall-clock bound tripped on a loaded
    /// machine). `check` never suspends, so it stays on one thread.
    private static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    private func check(_ normalizer: Normalizer, _ input: String, seed: UInt64, what: String) {
        let start = Self.threadCPUSeconds()
        do {
            let once = try normalizer.normalize(input, checkCompleteness: false)
            let twice = try normalizer.normalize(once.text, checkCompleteness: false)
            #expect(twice.text == once.text, "\(normalizer.profile.id) \(what) seed \(seed): not idempotent")
            #expect(twice.tree == once.tree, "\(normalizer.profile.id) \(what) seed \(seed): tree changed")
            _ = try? normalizer.normalize(input)
        } catch let error as ConfigDiffError {
            #expect(error.code == .incompleteCapture, "\(normalizer.profile.id) \(what) seed \(seed): \(error.code)")
        } catch {
            Issue.record("\(normalizer.profile.id) \(what) seed \(seed): unexpected error type \(type(of: error))")
        }
        let used = Self.threadCPUSeconds() - start
        #expect(used < 5, "\(normalizer.profile.id) \(what) seed \(seed): \(used) s of CPU, a hang or a blow-up")
    }

    @Test(arguments: platforms)
    func randomBytes(_ platform: PlatformID) throws {
        let normalizer = try Fixtures.normalizer(platform)
        for seed in UInt64(1)...60 {
            var random = SeededRandom(seed: seed &* 1_000_003 &+ UInt64(platform.rawValue.utf8.count))
            let count = Int(random.next() % 3000)
            // Mostly printable ASCII with newlines, some control and high bytes.
            let bytes: [UInt8] = (0..<count).map { _ in
                let roll = random.next() % 100
                if roll < 8 { return UInt8(ascii: "\n") }
                if roll < 12 { return UInt8(random.next() % 32) }
                if roll < 16 { return UInt8(128 + random.next() % 128) }
                return UInt8(32 + random.next() % 95)
            }
            check(normalizer, String(decoding: bytes, as: UTF8.self), seed: seed, what: "random bytes")
        }
    }

    @Test(arguments: platforms)
    func shuffledTruncatedAndMutatedCorpus(_ platform: PlatformID) throws {
        let normalizer = try Fixtures.normalizer(platform)
        let texts = try Self.corpus(for: platform)
        #expect(!texts.isEmpty)
        for (index, text) in texts.enumerated() {
            for round in UInt64(0)..<8 {
                let seed = UInt64(index) << 8 | round
                var random = SeededRandom(seed: seed &+ 0xF00D)
                var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                lines.shuffle(using: &random)
                check(normalizer, lines.joined(separator: "\n"), seed: seed, what: "shuffled lines")

                let utf8 = Array(text.utf8)
                let cut = utf8.isEmpty ? 0 : Int(random.next() % UInt64(utf8.count))
                check(
                    normalizer, String(decoding: utf8[..<cut], as: UTF8.self), seed: seed, what: "truncated at \(cut)")

                var mutated = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                for _ in 0..<(1 + random.next() % 12) where !mutated.isEmpty {
                    let line = Int(random.next() % UInt64(mutated.count))
                    switch random.next() % 4 {
                    case 0: mutated[line] = Self.tokens[Int(random.next() % UInt64(Self.tokens.count))] + mutated[line]
                    case 1: mutated[line] += Self.tokens[Int(random.next() % UInt64(Self.tokens.count))]
                    case 2: mutated.remove(at: line)
                    default: mutated.insert(Self.tokens[Int(random.next() % UInt64(Self.tokens.count))], at: line)
                    }
                }
                check(normalizer, mutated.joined(separator: "\n"), seed: seed, what: "mutated")
            }
        }
    }

    @Test func pathologicalShapes() throws {
        for platform in Self.platforms {
            let normalizer = try Fixtures.normalizer(platform)
            check(normalizer, String(repeating: "{", count: 3_000), seed: 0, what: "open braces")
            check(normalizer, String(repeating: "}\n", count: 5_000), seed: 0, what: "close braces")
            check(
                normalizer,
                (0..<3_000).map { String(repeating: " ", count: $0 % 200) + "x\($0)" }.joined(separator: "\n"), seed: 0,
                what: "deep indentation")
            check(
                normalizer, "banner motd ^C\n" + String(repeating: "line\n", count: 10_000), seed: 0,
                what: "unterminated banner")
            check(normalizer, String(repeating: "a", count: 200_000), seed: 0, what: "one long line")
            check(normalizer, String(repeating: "\"", count: 1_001) + "\n;", seed: 0, what: "quotes")
            check(
                normalizer, String(repeating: "password password password ", count: 2_000), seed: 0,
                what: "many keywords")
        }
    }
}
