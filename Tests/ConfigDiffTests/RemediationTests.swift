import Testing
@testable import ConfigDiff

@Suite struct RemediationTests {
    @Test func iosLikeEntersParentsNegatesAndExits() throws {
        // Device has `running`; remediation takes it to `intended`.
        let delta = HierarchicalDiff.compare(from: HierDiffTests.running, to: HierDiffTests.intended, options: try iosLikeOptions())
        let lines = Remediation.lines(for: delta, style: .indent, negation: .noPrefix)
        #expect(lines == [
            "interface Gi0/1",
            " no ip address 10.0.0.1 255.255.255.0",
            " no shutdown",
            " ip address 10.0.0.2 255.255.255.0",
            " exit",
            "no interface Gi0/2",
            "ip access-list extended EDGE",
            " 15 permit ip any host 192.0.2.2",
            " exit",
            "router bgp 65000",
            " neighbor 192.0.2.1 remote-as 65001",
            " exit",
        ])
        #expect(RemediationSimulator.iosReaches(lines, from: HierDiffTests.running, to: HierDiffTests.intended))
        // The check can fail: without the `no interface Gi0/2` the target is not reached.
        #expect(!RemediationSimulator.iosReaches(lines.filter { $0 != "no interface Gi0/2" }, from: HierDiffTests.running, to: HierDiffTests.intended))
    }

    @Test func removingANegationRestoresTheStatement() {
        let a = tree("no ip routing\ninterface Gi0/1\n no shutdown\n")
        let b = tree("interface Gi0/1\n shutdown\n")
        let delta = HierarchicalDiff.compare(from: a, to: b)
        let lines = Remediation.lines(for: delta, style: .indent, negation: .noPrefix)
        #expect(lines == ["ip routing", "interface Gi0/1", " shutdown", " exit"])
        #expect(RemediationSimulator.iosReaches(lines, from: a, to: b))
    }

    @Test func anAddedStatementReplacesTheNegationItCovers() {
        let a = tree("interface Gi2\n no ip address\n no shutdown\n")
        let b = tree("interface Gi2\n ip address 172.20.0.1 255.255.255.0\n shutdown\n")
        let lines = Remediation.lines(for: HierarchicalDiff.compare(from: a, to: b), style: .indent, negation: .noPrefix)
        #expect(lines == ["interface Gi2", " ip address 172.20.0.1 255.255.255.0", " shutdown", " exit"])
        #expect(RemediationSimulator.iosReaches(lines, from: a, to: b))
        // The model notices a missing command.
        #expect(!RemediationSimulator.iosReaches(["interface Gi2", " shutdown", " exit"], from: a, to: b))
    }

    @Test func nestedSectionsAreEnteredAndLeft() {
        let a = tree("router bgp 1\n address-family ipv4\n  network 10.0.0.0\n neighbor x\nhostname r\n")
        let b = tree("router bgp 1\n address-family ipv4\n  network 10.0.1.0\n  redistribute static\n   route-map A\n neighbor x\nhostname q\n")
        let delta = HierarchicalDiff.compare(from: a, to: b)
        let lines = Remediation.lines(for: delta, style: .indent, negation: .noPrefix)
        #expect(lines == [
            "router bgp 1",
            " address-family ipv4",
            "  no network 10.0.0.0",
            "  network 10.0.1.0",
            "  redistribute static",
            "   route-map A",
            "   exit",
            "  exit",
            " exit",
            "no hostname r",
            "hostname q",
        ])
        #expect(RemediationSimulator.iosReaches(lines, from: a, to: b))
    }

    @Test func removedSectionIsNegatedOnce() {
        let a = tree("interface Gi0/9\n description gone\n shutdown\nhostname r\n")
        let b = tree("hostname r\n")
        let lines = Remediation.lines(for: HierarchicalDiff.compare(from: a, to: b), style: .indent, negation: .noPrefix)
        #expect(lines == ["no interface Gi0/9"])
    }

    @Test func bannerRemovalUsesItsKeyword() {
        #expect(Remediation.negated("banner motd ^C\nHello\n^C") == "no banner motd")
        #expect(Remediation.negated("no ip domain-lookup") == "ip domain-lookup")
        #expect(Remediation.negated("shutdown") == "no shutdown")
    }

    @Test func junosBraceBecomesSetAndDelete() {
        let a = tree("system\n host-name r1\n services\n  ssh\n  telnet\ninterfaces\n ge-0/0/0\n  unit 0\n   family inet\n    address 10.0.0.1/30\n", style: .brace)
        let b = tree("system\n host-name r2\n services\n  ssh\ninterfaces\n ge-0/0/0\n  unit 0\n   family inet\n    address 10.0.0.2/30\nsnmp\n community public\n  authorization read-only\n", style: .brace)
        let lines = Remediation.lines(for: HierarchicalDiff.compare(from: a, to: b), style: .brace, negation: .delete)
        #expect(lines == [
            "delete system host-name r1",
            "set system host-name r2",
            "delete system services telnet",
            "delete interfaces ge-0/0/0 unit 0 family inet address 10.0.0.1/30",
            "set interfaces ge-0/0/0 unit 0 family inet address 10.0.0.2/30",
            "set snmp community public authorization read-only",
        ])
        let result = RemediationSimulator.setMerge(lines, into: RemediationSimulator.leafWords(a))
        #expect(result == RemediationSimulator.leafWords(b))
    }

    @Test func junosSetStyle() {
        let a = tree("set system host-name r1\nset vlans v2 vlan-id 2\n", style: .set)
        let b = tree("set system host-name r1\nset vlans v2 vlan-id 3\n", style: .set)
        let lines = Remediation.lines(for: HierarchicalDiff.compare(from: a, to: b), style: .set, negation: .delete)
        #expect(lines == ["delete vlans v2 vlan-id 2", "set vlans v2 vlan-id 3"])
    }

    @Test func plainListingForHosts() {
        let a = tree("/etc/hosts\n 127.0.0.1 localhost\n 10.0.0.9 old\n/etc/resolv.conf\n nameserver 1.1.1.1\n", style: .sections)
        let b = tree("/etc/hosts\n 127.0.0.1 localhost\n 10.0.0.1 db\n/etc/resolv.conf\n nameserver 1.1.1.1\n", style: .sections)
        let lines = Remediation.lines(for: HierarchicalDiff.compare(from: a, to: b), style: .sections, negation: .none)
        #expect(lines == ["# /etc/hosts", "# remove: 10.0.0.9 old", "10.0.0.1 db"])
    }

    @Test(arguments: 0..<200)
    func randomIOSLikeRemediationReachesTheTarget(seed: Int) {
        var rng = SeededRandom(seed: UInt64(seed) &+ 7_000)
        // Unique texts per level (the IOS model keys statements by text), no `exit` statement,
        // and never both `X` and `no X` in one section (no device shows that), no section that
        // starts with `no `.
        func unique(_ nodes: [ConfigNode]) -> [ConfigNode] {
            var seen = Set<String>()
            let kept: [ConfigNode] = nodes.compactMap { node in
                guard node.text != "exit", node.text != "no", !(node.text.hasPrefix("no ") && !node.children.isEmpty),
                    seen.insert(node.text).inserted
                else { return nil }
                var copy = node
                copy.children = unique(node.children)
                return copy
            }
            let texts = Set(kept.map(\.text))
            return kept.filter { node in
                let positive = node.text.hasPrefix("no ") ? String(node.text.dropFirst(3)) : node.text
                let negative = "no " + positive
                guard texts.contains(positive) && texts.contains(negative) else { return true }
                return !node.text.hasPrefix("no ")
            }.filter { node in
                // A `no P` beside a `P …` statement is also inconsistent.
                guard node.text.hasPrefix("no ") else { return true }
                let positive = String(node.text.dropFirst(3))
                return !texts.contains { $0.hasPrefix(positive + " ") && !$0.hasPrefix("no ") }
            }
        }
        let a = ConfigTree(style: .indent, roots: unique(RandomTrees.nodes(&rng, depth: 3, width: 5)))
        let b = ConfigTree(style: .indent, roots: unique(RandomTrees.edit(a.roots, &rng, count: 6)))
        let delta = HierarchicalDiff.compare(from: a, to: b, options: RemediationSimulator.allUnordered())
        let lines = Remediation.lines(for: delta, style: .indent, negation: .noPrefix)
        #expect(RemediationSimulator.iosReaches(lines, from: a, to: b), "remediation \(lines) does not reach the target")
    }
}
