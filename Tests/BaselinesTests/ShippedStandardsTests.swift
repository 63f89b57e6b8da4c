import ConfigDiff
import Foundation
import Testing

@testable import Baselines

/// The standards shipped in `baselines/standards/` parse, evaluate on every corpus config of
/// their platforms without errors, and give pinned findings on two chosen corpus files.
@Suite struct ShippedStandardsTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let fixtures = repository.appendingPathComponent("Tests/Fixtures")
    static let store = StandardsStore(root: repository.appendingPathComponent("baselines/standards"))
    /// Fixture folder → platform profile.
    static let platforms = [
        "ios": "cisco_ios", "eos": "arista_eos", "junos": "juniper_junos", "linux": "linux", "nxos": "cisco_nxos",
        "asa": "cisco_asa",
    ]

    static func normalized(_ relativePath: String, platform: String) throws -> NormalizedConfig {
        let raw = try String(contentsOf: fixtures.appendingPathComponent(relativePath), encoding: .utf8)
        let profile = try ProfileCatalog().profile(PlatformID(platform))
        return try Normalizer(profile: profile, masker: SecretMasker(key: Array(repeating: UInt8(7), count: 32)))
            .normalize(raw, checkCompleteness: false)
    }

    static func findings(_ relativePath: String, platform: String) throws -> [StandardFinding] {
        let tree = try normalized(relativePath, platform: platform).tree
        return try store.loadAll().filter { $0.standard.appliesTo.applies(platform: platform, groups: []) }.flatMap {
            StandardEvaluator.evaluate($0.standard, on: tree)
        }
    }

    @Test func shippedStandardsParseAndCiteSources() throws {
        let names = Self.store.names()
        #expect(names == ["eos-hardening", "ios-hardening", "junos-hardening", "linux-sshd"])
        for name in names {
            let standard = try Self.store.loadWorkingFile(name)
            #expect(!standard.rules.isEmpty)
            for rule in standard.rules {
                #expect(rule.source?.isEmpty == false, "\(name)/\(rule.id) cites no source")
            }
        }
    }

    @Test(arguments: ["ios", "eos", "junos", "linux"])
    func evaluateOnEveryCorpusConfig(_ folder: String) throws {
        let platform = try #require(Self.platforms[folder])
        let files = try FileManager.default.contentsOfDirectory(
            atPath: Self.fixtures.appendingPathComponent(folder).path
        ).filter { $0.hasSuffix(".cfg") }.sorted()
        #expect(files.count >= 5, "the corpus for \(folder) is missing")
        let standards = try Self.store.loadAll().filter {
            $0.standard.appliesTo.applies(platform: platform, groups: [])
        }
        #expect(!standards.isEmpty)
        var total = 0
        for file in files {
            let tree = try Self.normalized("\(folder)/\(file)", platform: platform).tree
            for loaded in standards {
                let findings = StandardEvaluator.evaluate(loaded.standard, on: tree)
                for finding in findings {
                    #expect(loaded.standard.rules.contains { $0.id == finding.ruleID })
                    #expect(!finding.evidence.isEmpty)
                }
                total += findings.count
            }
        }
        #expect(total > 0, "no finding at all on the \(folder) corpus: the rules do not reach the configs")
    }

    static func summary(_ findings: [StandardFinding]) -> [String] {
        findings.map { finding in
            let place = finding.sectionPath.isEmpty ? "" : " @ " + finding.sectionPath.joined(separator: " > ")
            return "\(finding.ruleID)\(place): \(finding.evidence.joined(separator: " | "))"
        }
    }

    @Test func pinnedFindingsOnIOSBorderRouter() throws {
        let result = Self.summary(try Self.findings("ios/batfish__example-live-as1border1.cfg", platform: "cisco_ios"))
        #expect(result == Self.pinnedIOS)
    }

    @Test func pinnedFindingsOnDebianSSHD() throws {
        let result = Self.summary(try Self.findings("linux/debian__sshd_config.cfg", platform: "linux"))
        #expect(result == Self.pinnedSSHD)
    }

    @Test func pinnedRulesOnJunosSetForm() throws {
        let result = try Self.findings("junos/netutils__junos_full.cfg", platform: "juniper_junos")
        #expect(
            result.map(\.ruleID) == [
                "JUNOS-SSH-001", "JUNOS-LOG-001", "JUNOS-NTP-001", "JUNOS-SNMP-001", "JUNOS-BANNER-001",
            ])
        #expect(
            result.first { $0.ruleID == "JUNOS-SNMP-001" }?.evidence.first?.contains("authorization read-write") == true
        )
    }

    static let pinnedIOS: [String] = [
        #"IOS-AAA-001: missing: "aaa new-model""#,
        #"IOS-PWD-001: missing: /^enable secret /"#,
        #"IOS-PWD-002: missing: "service password-encryption""#,
        #"IOS-SVC-002: missing: "no service pad""#,
        #"IOS-SVC-002: missing: "no ip bootp server""#,
        #"IOS-SVC-003: missing: "service tcp-keepalives-in""#,
        #"IOS-SVC-003: missing: "service tcp-keepalives-out""#,
        #"IOS-SSH-001: missing: "ip ssh version 2""#,
        #"IOS-VTY-001 @ line vty 0 4: missing: /^transport input (ssh|none)$/"#,
        #"IOS-VTY-002 @ line vty 0 4: missing: /^access-class \S+ in( vrf-also)?$/"#,
        #"IOS-LOG-001: missing: /^logging (host )?\d+\.\d+\.\d+\.\d+/"#,
        #"IOS-NTP-001: none match /^ntp server /"#,
        #"IOS-DATA-001: missing: "no ip source-route""#,
    ]
    static let pinnedSSHD: [String] = [
        #"SSHD-001: missing: /(?i)^PermitRootLogin\s+no$/"#,
        #"SSHD-004: missing: /(?i)^MaxAuthTries\s+[1-4]$/"#,
        #"SSHD-005: missing: /(?i)^X11Forwarding\s+no$/"#,
        #"SSHD-007: missing: /(?i)^LogLevel\s+VERBOSE$/"#,
        #"SSHD-009: missing: /(?i)^ClientAliveInterval\s+[1-9][0-9]*$/"#,
    ]
}
