import ConfigDiff
import Testing

@testable import Baselines

@Suite struct StandardEvaluatorTests {
    static let ios = """
        hostname r1
        service password-encryption
        ip http server
        ntp server 192.0.2.1
        ntp server 192.0.2.2
        ntp server 192.0.2.3
        interface GigabitEthernet0/1
         description uplink
         ip address 10.0.0.1 255.255.255.0
         no ip proxy-arp
        interface GigabitEthernet0/2
         ip address 10.0.1.1 255.255.255.0
         ip directed-broadcast
        interface FastEthernet0/3
         ip directed-broadcast
        interface Loopback0
         ip address 10.255.0.1 255.255.255.255
         ip directed-broadcast
        line vty 0 4
         transport input ssh
        line vty 5 15
         transport input telnet
        """

    func tree(_ text: String = Self.ios, style: HierarchyStyle = .indent) throws -> ConfigTree {
        try ConfigParser.parse(text, style: style)
    }

    func standard(_ rulesYAML: String) throws -> Standard {
        try Standard.parse(yaml: "name: t\nrules:\n" + rulesYAML, file: "t.yaml")
    }

    func findings(_ rulesYAML: String, _ text: String = Self.ios, style: HierarchyStyle = .indent) throws
        -> [StandardFinding]
    {
        StandardEvaluator.evaluate(try standard(rulesYAML), on: try tree(text, style: style))
    }

    @Test func literalRequireAndForbid() throws {
        let rules = """
              - {id: A, description: d, severity: high, require: ["service password-encryption"]}
              - {id: B, description: d, severity: high, require: ["aaa new-model"]}
              - {id: C, description: d, severity: high, forbid: ["ip http server"]}
              - {id: D, description: d, severity: high, forbid: ["ip http secure-server"]}
            """
        let result = try findings(rules)
        #expect(result.map(\.ruleID) == ["B", "C"])
        #expect(result[0].evidence == ["missing: \"aaa new-model\""])
        #expect(result[1].evidence == ["line 3: ip http server"])
        #expect(result[1].sectionPath.isEmpty)
    }

    @Test func literalMatchesWholeStatementOnly() throws {
        let result = try findings("  - {id: A, description: d, severity: low, require: [\"ntp server\"]}")
        #expect(result.map(\.ruleID) == ["A"])
    }

    @Test func regexRequireAndForbid() throws {
        let rules = """
              - {id: A, description: d, severity: low, require: [{regex: "^ntp server 192\\\\.0\\\\.2\\\\.\\\\d+$"}]}
              - {id: B, description: d, severity: low, require: [{regex: "^logging host "}]}
              - {id: C, description: d, severity: low, forbid: [{regex: "^ip http (secure-)?server$"}]}
              - {id: D, description: d, severity: low, forbid: [{startsWith: "snmp-server community"}]}
            """
        let result = try findings(rules)
        #expect(result.map(\.ruleID) == ["B", "C"])
        #expect(result[0].message.contains("missing /^logging host /"))
    }

    @Test func sectionScopedRuleChecksEveryMatchingSection() throws {
        let rules = """
              - id: ETH
                description: no directed broadcast on Ethernet
                severity: medium
                section: ["^interface \\\\S*Ethernet"]
                forbid: ["ip directed-broadcast"]
              - id: VTY
                description: ssh only
                severity: high
                section: ["^line vty "]
                require: ["transport input ssh"]
            """
        let result = try findings(rules)
        #expect(result.map(\.ruleID) == ["ETH", "ETH", "VTY"])
        #expect(
            result.map(\.sectionPath) == [
                ["interface GigabitEthernet0/2"], ["interface FastEthernet0/3"], ["line vty 5 15"],
            ])
        #expect(result[0].evidence == ["line 13: ip directed-broadcast"])
    }

    @Test func nestedSectionPath() throws {
        let text = """
            router bgp 65000
             address-family ipv4
              neighbor 192.0.2.1 activate
             address-family ipv6
              network 2001:db8::/32
            router bgp 65001
             address-family ipv4
              network 10.0.0.0/8
            """
        let rule = """
              - id: AF
                description: every IPv4 address family activates a neighbor
                severity: low
                section: ["^router bgp", "^address-family ipv4$"]
                require: [{startsWith: "neighbor "}]
            """
        let result = try findings(rule, text)
        #expect(result.map(\.sectionPath) == [["router bgp 65001", "address-family ipv4"]])
    }

    @Test func countBoundsOnStatements() throws {
        let atLeastFour = "  - {id: N, description: d, severity: low, count: {of: {regex: \"^ntp server \"}, min: 4}}"
        let atMostTwo = "  - {id: N, description: d, severity: low, count: {of: {regex: \"^ntp server \"}, max: 2}}"
        let withinBounds =
            "  - {id: N, description: d, severity: low, count: {of: {regex: \"^ntp server \"}, min: 2, max: 3}}"
        let below = try findings(atLeastFour)
        #expect(below.count == 1)
        #expect(below[0].message.contains("3 statements match /^ntp server /, expected at least 4"))
        let above = try findings(atMostTwo)
        #expect(
            above.first?.evidence == [
                "line 4: ntp server 192.0.2.1", "line 5: ntp server 192.0.2.2", "line 6: ntp server 192.0.2.3",
            ])
        #expect(try findings(withinBounds).isEmpty)
    }

    @Test func countBoundsOnSections() throws {
        let rule = """
              - {id: V, description: at most one vty block, severity: info, section: ["^line vty"], count: {max: 1}}
              - {id: I, description: at least one interface, severity: info, section: ["^interface "], count: {min: 1}}
            """
        let result = try findings(rule)
        #expect(result.map(\.ruleID) == ["V"])
        #expect(result[0].message.contains("2 matching sections, expected at most 1"))
    }

    @Test func snippetSuperset() throws {
        let rule = """
              - id: S
                description: uplink as designed
                severity: medium
                section: ["^interface GigabitEthernet0/1$"]
                snippet:
                  mode: superset
                  text: |
                    description uplink
                    no ip proxy-arp
            """
        #expect(try findings(rule).isEmpty)
        let missing = rule.replacingOccurrences(
            of: "no ip proxy-arp", with: "ip verify unicast source reachable-via rx")
        let result = try findings(missing)
        #expect(result.first?.evidence == ["missing: ip verify unicast source reachable-via rx"])
    }

    @Test func snippetExact() throws {
        let rule = """
              - id: S
                description: vty exactly
                severity: medium
                section: ["^line vty 0 4$"]
                snippet:
                  mode: exact
                  text: |
                    transport input ssh
            """
        #expect(try findings(rule).isEmpty)
        let extra = try findings(
            rule,
            Self.ios.replacingOccurrences(
                of: "line vty 0 4\n transport input ssh", with: "line vty 0 4\n transport input ssh\n exec-timeout 0 0")
        )
        #expect(extra.first?.evidence == ["unexpected: line 21: exec-timeout 0 0"])
    }

    @Test func nestedSnippetAtTopLevel() throws {
        let rule = """
              - id: S
                description: uplink block
                severity: medium
                snippet:
                  mode: superset
                  text: |
                    interface GigabitEthernet0/1
                      ip address 10.0.0.9 255.255.255.0
            """
        let result = try findings(rule)
        #expect(result.first?.evidence == ["missing: interface GigabitEthernet0/1 > ip address 10.0.0.9 255.255.255.0"])
    }

    @Test func matchOnPathFitsCurlyAndSetForms() throws {
        let curly = """
            system {
                services {
                    ssh {
                        root-login allow;
                    }
                    telnet;
                }
            }
            """
        let set = """
            set system services ssh root-login allow
            set system services telnet
            """
        let rules = """
              - {id: T, description: no telnet, severity: high, anywhere: true, match_on: path, forbid: [{regex: "^system services telnet"}]}
              - {id: R, description: root denied, severity: high, anywhere: true, match_on: path, require: ["system services ssh root-login deny"]}
            """
        let fromCurly = try findings(rules, curly, style: .brace)
        let fromSet = try findings(rules, set, style: .set)
        #expect(fromCurly.map(\.ruleID) == ["T", "R"])
        #expect(fromSet.map(\.ruleID) == ["T", "R"])
        let fixedCurly = curly.replacingOccurrences(of: "root-login allow", with: "root-login deny")
            .replacingOccurrences(of: "telnet;", with: "")
        #expect(try findings(rules, fixedCurly, style: .brace).isEmpty)
    }

    @Test func sectionOptionalFallsBackToTopLevel() throws {
        let rule = """
              - {id: P, description: no root, severity: critical, section: ["^==> /etc/ssh/sshd_config <==$"], section_optional: true, require: [{regex: "(?i)^PermitRootLogin\\\\s+no$"}]}
            """
        let lone = "Port 22\nPermitRootLogin yes\n"
        let capture = "==> /etc/hosts <==\n127.0.0.1 localhost\n==> /etc/ssh/sshd_config <==\npermitrootlogin no\n"
        #expect(try findings(rule, lone, style: .sections).map(\.ruleID) == ["P"])
        #expect(try findings(rule, capture, style: .sections).isEmpty)
    }

    @Test func selectorAppliesByPlatformAndAnyGroup() {
        let selector = StandardSelector(groups: ["core", "edge"], platforms: ["cisco_ios"])
        #expect(selector.applies(platform: "cisco_ios", groups: ["edge", "lab"]))
        #expect(!selector.applies(platform: "cisco_ios", groups: ["lab"]))
        #expect(!selector.applies(platform: "arista_eos", groups: ["core"]))
        #expect(StandardSelector().applies(platform: "linux", groups: []))
    }
}
