import Foundation
import Testing

@testable import ConfigDiff

/// Truncated captures are refused with the reason, never normalized for diffing.
@Suite struct CompletenessTests {
    private func expectIncomplete(
        _ platform: PlatformID, _ raw: String, previousSize: Int? = nil, mentioning words: [String]
    ) throws {
        let normalizer = try Fixtures.normalizer(platform)
        do {
            _ = try normalizer.normalize(raw, previousSize: previousSize)
            Issue.record("\(platform): a truncated capture was accepted")
        } catch let error as ConfigDiffError {
            #expect(error.code == .incompleteCapture)
            for word in words {
                #expect(
                    error.message.contains(word), "message \(error.message.debugDescription) should mention \(word)")
            }
        }
    }

    @Test func iosWithoutEnd() throws {
        let raw = try Fixtures.text("ios/oxidized__C9200L-24P-4G_17.09.04a.cfg")
        let lines = raw.split(separator: "\n", omittingEmptySubsequences: false)
        let truncated = lines.prefix(lines.count * 2 / 3).joined(separator: "\n")
        try expectIncomplete(.ciscoIOS, truncated, mentioning: ["end", "cut off"])
        _ = try Fixtures.normalizer(.ciscoIOS).normalize(raw)
    }

    @Test func eosAsaAndIOSXRWithoutTheirLastLine() throws {
        try expectIncomplete(.aristaEOS, "hostname eos1\ninterface Ethernet1\n   description x\n", mentioning: ["end"])
        try expectIncomplete(.ciscoASA, ": Saved\nASA Version 9.12\nhostname asa1\n", mentioning: [": end"])
        try expectIncomplete(.ciscoIOSXR, "hostname xr1\ninterface Loopback0\n", mentioning: ["end"])
        // `end` nested under a section is not the end of the capture.
        try expectIncomplete(.ciscoIOS, "hostname r1\ninterface Gi1\n end\n", mentioning: ["end"])
    }

    @Test func junosWithUnbalancedBraces() throws {
        let raw = try Fixtures.text("junos/batfish__unit-gh-2658-vrf-import-export.cfg")
        _ = try Fixtures.normalizer(.juniperJunos).normalize(raw)
        let cut = String(raw.prefix(raw.utf8.count / 2))
        try expectIncomplete(.juniperJunos, cut, mentioning: ["braces are unbalanced", "still open"])
        try expectIncomplete(
            .juniperJunos, "system {\n    host-name r1;\n}\n}\n", mentioning: ["braces are unbalanced", "line 4"])
        // Braces inside quotes and comments do not count.
        _ = try Fixtures.normalizer(.juniperJunos).normalize(
            "system {\n    host-name \"a{b\";\n    /* } */\n    # }\n}\n")
    }

    @Test func farShorterThanThePreviousCapture() throws {
        let normalizer = try Fixtures.normalizer(.ciscoNXOS)
        let raw = try Fixtures.text("nxos/netutils__nxos_full.cfg")
        let full = try normalizer.normalize(raw)
        _ = try normalizer.normalize(raw, previousSize: full.text.utf8.count)
        _ = try normalizer.normalize(raw, previousSize: full.text.utf8.count * 3 / 2)
        try expectIncomplete(
            .ciscoNXOS, raw, previousSize: full.text.utf8.count * 10,
            mentioning: ["shorter than 50%", "previous capture"])
        let short = "hostname x\n"
        try expectIncomplete(.linux, short, previousSize: 4000, mentioning: ["shorter than 50%"])
    }

    @Test func emptyCaptureIsIncomplete() throws {
        for platform in [PlatformID.ciscoIOS, .juniperJunos, .linux, .generic, .ciscoNXOS] {
            try expectIncomplete(platform, "", mentioning: ["statement"])
            try expectIncomplete(platform, "\n \n\t\n", mentioning: [])
            if platform == .ciscoIOS || platform == .ciscoNXOS {
                try expectIncomplete(platform, "!\n!\n", mentioning: [])
            }
        }
    }

    @Test func checkCanBeSkippedForFragments() throws {
        let normalizer = try Fixtures.normalizer(.ciscoIOS)
        let fragment = try normalizer.normalize("ntp server 10.0.0.1\n", checkCompleteness: false)
        #expect(fragment.text == "ntp server 10.0.0.1\n")
    }

    @Test func errorMessageCarriesNoSecret() throws {
        let normalizer = try Fixtures.normalizer(.ciscoIOS)
        do {
            _ = try normalizer.normalize("enable secret 0 TopSecretValue99\nhostname r1\n")
            Issue.record("accepted")
        } catch let error as ConfigDiffError {
            #expect(!error.message.contains("TopSecretValue99"))
            #expect(!error.description.contains("TopSecretValue99"))
        }
    }
}
