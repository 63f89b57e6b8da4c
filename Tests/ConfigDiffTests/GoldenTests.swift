import Foundation
import Testing

@testable import ConfigDiff

/// Every corpus configuration of every platform parses, normalizes idempotently and compares
/// equal to itself; chosen cases match their checked-in normalized text.
@Suite struct GoldenTests {
    @Test func fixturesArePresent() {
        #expect(Fixtures.singleConfigs.count >= 99, "Tests/Fixtures should hold the whole corpus")
        #expect(Fixtures.pairs.count >= 20)
        #expect(Fixtures.goldenCases.count >= 6)
        for folder in Fixtures.platformOfFolder.keys {
            #expect(Fixtures.singleConfigs.contains { $0.hasPrefix(folder + "/") }, "no fixture for \(folder)")
        }
    }

    @Test(arguments: Fixtures.singleConfigs)
    func normalizesIdempotently(_ path: String) throws {
        let normalizer = try Fixtures.normalizer(Fixtures.platform(of: path))
        let raw = try Fixtures.text(path)
        let once = try normalizer.normalize(raw, checkCompleteness: false)
        let twice = try normalizer.normalize(once.text, checkCompleteness: false)
        #expect(twice.text == once.text, "normalize(normalize(x)) != normalize(x) for \(path)")
        #expect(twice.tree == once.tree)
        #expect(twice.maskedSecrets == 0, "secrets were masked twice in \(path)")
        #expect(twice.removedVolatileLines == 0, "volatile lines survived the first pass in \(path)")
        // The normalized tree equals itself and a re-parse of its own text.
        #expect(once.tree == once.tree)
        let reparsed = ConfigParser(style: once.tree.style, blocks: normalizer.profile.blocks).parse(
            lines: ConfigParser.cleanLines(once.text), skip: { _ in false })
        #expect(reparsed == once.tree, "render → parse is not a fixed point for \(path)")
        #expect(!once.text.contains("\r"))
        #expect(!once.text.isEmpty)
        // Nothing but whitespace and separators disappears silently: every statement of the raw
        // text that is not volatile is still there (as a line of the normalized text).
        #expect(once.tree.roots.count > 0)
    }

    @Test(arguments: Fixtures.pairs)
    func pairsNormalizeIdempotently(_ pair: String) throws {
        let normalizer = try Fixtures.normalizer(Fixtures.platform(ofPair: pair))
        for side in ["running.cfg", "intended.cfg"] {
            let once = try normalizer.normalize(try Fixtures.text("pairs/\(pair)/\(side)"), checkCompleteness: false)
            let twice = try normalizer.normalize(once.text, checkCompleteness: false)
            #expect(twice.text == once.text, "\(pair)/\(side)")
            #expect(twice.tree == once.tree)
        }
    }

    /// Captures that end the way the platform always ends pass the completeness check.
    @Test(arguments: Fixtures.singleConfigs)
    func completeCapturesPassTheCheck(_ path: String) throws {
        let normalizer = try Fixtures.normalizer(Fixtures.platform(of: path))
        let raw = try Fixtures.text(path)
        let lenient = try normalizer.normalize(raw, checkCompleteness: false)
        let rule = normalizer.profile.completeness
        var complete = true
        if let last = rule.lastLine {
            let lastRoot = lenient.tree.roots.last.map { String($0.text.split(separator: "\n").first ?? "") }
            complete = lastRoot.map { last.matches($0) } ?? false
        }
        if rule.balancedBraces, lenient.tree.style == .brace {
            complete = complete && CompletenessRule.braceProblem(ConfigParser.cleanLines(raw)) == nil
        }
        if complete {
            _ = try normalizer.normalize(raw)
            _ = try normalizer.normalize(raw, previousSize: lenient.text.utf8.count)
        } else {
            #expect(throws: ConfigDiffError.self) { try normalizer.normalize(raw) }
        }
    }

    /// Real captures of each platform that are complete are recognised as such.
    @Test(arguments: [
        "ios/oxidized__C9200L-24P-4G_17.09.04a.cfg", "ios/netutils__ios_full.cfg",
        "ios/batfish__example-live-as1border1.cfg",
        "eos/oxidized__DCS-7050SX3-48YC8_4.29.2F.cfg", "asa/oxidized__5512_9.12-4-67_single-context.cfg",
        "iosxr/netutils__iosxr_full-18k-lines.cfg", "junos/batfish__unit-gh-2658-vrf-import-export.cfg",
        "nxos/netutils__nxos_full.cfg", "linux/debian__sshd_config.cfg", "junos/netutils__junos_full.cfg",
    ])
    func knownCompleteCaptures(_ path: String) throws {
        let normalizer = try Fixtures.normalizer(Fixtures.platform(of: path))
        _ = try normalizer.normalize(try Fixtures.text(path))
    }

    /// `<platform>/<case>/raw.txt` normalizes (with the fixed test key) to `normalized.txt`.
    /// Set DRIFTWATCH_UPDATE_GOLDEN=1 to rewrite the expected files after a reviewed change.
    @Test(arguments: Fixtures.goldenCases)
    func goldenCase(_ directory: String) throws {
        let normalizer = try Fixtures.normalizer(Fixtures.platform(of: directory))
        let raw = try Fixtures.text("\(directory)/raw.txt")
        let actual = try normalizer.normalize(raw, checkCompleteness: false).text
        let expectedURL = Fixtures.root.appendingPathComponent(directory).appendingPathComponent("normalized.txt")
        if ProcessInfo.processInfo.environment["DRIFTWATCH_UPDATE_GOLDEN"] == "1" {
            try Data(actual.utf8).write(to: expectedURL)
        }
        let expected = try Fixtures.text("\(directory)/normalized.txt")
        #expect(actual == expected, "\(directory): normalized text differs from normalized.txt")
        // No cleartext secret of the raw capture reaches the golden file: every value the
        // masker replaced is absent from it.
        #expect(actual.contains(SecretMasker.tokenPrefix) || !raw.lowercased().contains("secret"))
    }
}
