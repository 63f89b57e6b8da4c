import Foundation
import Testing
@testable import ConfigDiff

/// `driftwatch compare` semantics, through ``ConfigComparison`` (the CLI only reads files and prints).
@Suite struct CompareTests {
    static func comparison(_ pair: String, platform: PlatformID = "cisco_ios", complete: Bool = false) throws -> ConfigComparison {
        let profile = try ProfileCatalog().profile(platform)
        return try ConfigComparison(
            reference: try PairFixtures.text("pairs/\(pair)/intended.cfg"), named: "intended.cfg",
            actual: try PairFixtures.text("pairs/\(pair)/running.cfg"), named: "running.cfg",
            profile: profile, masker: SecretMasker(key: PairFixtures.key), checkCompleteness: complete)
    }

    /// A is the reference, B the actual: the diff shows what B changed (`-` in A only, `+` in B
    /// only); the remediation brings B back to A.
    @Test func driftIsBRelativeToAAndRemediationBringsBBack() throws {
        let result = try Self.comparison("napalm-ios-replace-initial-vs-new_good")
        #expect(!result.isSame)
        #expect(Set(result.drift.changes.map(\.description)) == [
            "- interface GigabitEthernet2 > ip address 172.20.0.1 255.255.255.0",
            "+ interface GigabitEthernet2 > no ip address",
            "- router bgp 65000",
        ])
        #expect(result.remediation == [
            "interface GigabitEthernet2",
            " ip address 172.20.0.1 255.255.255.0",
            " exit",
            "router bgp 65000",
            " bgp log-neighbor-changes",
            " neighbor 1.1.1.1 remote-as 12345",
            " exit",
        ])
        #expect(RemediationSimulator.iosReaches(result.remediation, from: result.actual.normalized.tree, to: result.reference.normalized.tree))
        let report = result.report()
        #expect(report.hasPrefix("--- intended.cfg (reference)\n+++ running.cfg (actual)\n"))
        #expect(report.contains("  interface GigabitEthernet2\n-   ip address 172.20.0.1 255.255.255.0\n+   no ip address\n"))
        #expect(report.contains("1 added, 4 removed"))
        #expect(report.contains("Remediation (commands to bring running.cfg back to intended.cfg):\ninterface GigabitEthernet2\n"))
    }

    @Test func equivalentFilesAreSame() throws {
        let result = try Self.comparison("napalm-ios-running-vs-startup")
        #expect(result.isSame)
        #expect(result.remediation.isEmpty)
        #expect(result.report() == "intended.cfg and running.cfg are equivalent for cisco_ios (after normalization).\n")
        let object = try #require(try JSONSerialization.jsonObject(with: result.jsonData()) as? [String: Any])
        #expect(object["same"] as? Bool == true)
    }

    @Test func jsonFormIsStable() throws {
        let result = try Self.comparison("hier_config-junos-set", platform: "juniper_junos")
        let data = try result.jsonData()
        #expect(try result.jsonData() == data)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["platform", "reference", "actual", "same", "diff", "remediation"])
        #expect(object["platform"] as? String == "juniper_junos")
        let diff = try #require(object["diff"] as? [String: Any])
        #expect(Set(diff.keys) == ["changes", "summary"])
        let remediation = try #require(object["remediation"] as? [String])
        #expect(!remediation.isEmpty && remediation.allSatisfy { $0.hasPrefix("set ") || $0.hasPrefix("delete ") })
        let decoded = try JSONDecoder().decode(ConfigDelta.self, from: try JSONSerialization.data(withJSONObject: diff))
        #expect(decoded == result.drift)
    }

    @Test func truncatedCaptureIsAnErrorNamingTheFile() throws {
        let profile = try ProfileCatalog().profile("cisco_ios")
        let full = try PairFixtures.text("pairs/napalm-ios-running-vs-startup/running.cfg")
        let cut = String(full.prefix(full.count / 2))
        do {
            _ = try ConfigComparison(
                reference: full, named: "baseline.cfg", actual: cut, named: "cut.cfg", profile: profile,
                masker: SecretMasker(key: PairFixtures.key))
            Issue.record("a truncated capture must not be compared")
        } catch let error as ConfigDiffError {
            #expect(error.code == .incompleteCapture)
            #expect(error.message.hasPrefix("cut.cfg: "))
        }
    }

    @Test func secretsNeverAppearInDiffJSONOrRemediation() throws {
        let profile = try ProfileCatalog().profile("cisco_ios")
        let a = "hostname r1\nenable secret 5 $1$CANARYAAAA$abcdefghijklmnopq\nsnmp-server community CANARYCOMM1 RO\nend\n"
        let b = "hostname r1\nenable secret 5 $1$CANARYBBBB$abcdefghijklmnopq\nsnmp-server community CANARYCOMM1 RO\nend\n"
        let result = try ConfigComparison(
            reference: a, named: "a", actual: b, named: "b", profile: profile, masker: SecretMasker(key: PairFixtures.key))
        #expect(result.drift.changes.count == 2)
        #expect(result.drift.changes.allSatisfy { $0.path.isEmpty && $0.text.hasPrefix("enable secret 5 <secret:") })
        let outputs = [result.report(), String(decoding: try result.jsonData(), as: UTF8.self), result.remediation.joined(separator: "\n")]
        for output in outputs {
            #expect(!output.contains("CANARY"))
        }
    }
}
