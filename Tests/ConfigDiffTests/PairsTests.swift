import Foundation
import Testing
@testable import ConfigDiff

@Suite struct PairsTests {
    @Test func everyPairIsPresent() {
        #expect(PairFixtures.names.count == 24)
        #expect(Set(PairFixtures.names) == Set(PairFixtures.platforms.keys))
    }

    /// Each changed line is listed once (a section's statements are not listed again beside it)
    /// with a section path that exists in the source tree; applying the diff gives the target.
    @Test(arguments: PairFixtures.names)
    func diffListsEachChangeOnceAndApplies(name: String) throws {
        let pair = try PairFixtures.load(name)
        for (from, to) in [(pair.running.tree, pair.intended.tree), (pair.intended.tree, pair.running.tree)] {
            let delta = HierarchicalDiff.compare(from: from, to: to, options: pair.options)
            let listed = changedLines(delta)
            let sourceCounts = occurrences(from)
            let targetCounts = occurrences(to)
            var seen: [String: Int] = [:]
            for line in listed { seen[line, default: 0] += 1 }
            for (line, count) in seen {
                let parts = line.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
                let key = String(line.dropFirst(parts[0].count + 1))
                let available = parts[0] == "removed" ? sourceCounts[key, default: 0] : targetCounts[key, default: 0]
                #expect(count <= available, "\(name): \(line) listed \(count) times, \(available) in the tree")
            }
            // Paths resolve in the source tree (apply checks the texts at pathIndex).
            let applied = try delta.apply(to: from)
            let rest = HierarchicalDiff.compare(from: applied, to: to, options: pair.options)
            #expect(rest.isEmpty, "\(name): left after apply: \(rest.changes.map(\.description))")
            #expect(HierarchicalDiff.compare(from: from, to: from, options: pair.options).isEmpty)
        }
    }

    @Test(arguments: PairFixtures.names)
    func pairsDifferExceptTheEquivalentOnes(name: String) throws {
        let pair = try PairFixtures.load(name)
        let delta = HierarchicalDiff.compare(from: pair.running.tree, to: pair.intended.tree, options: pair.options)
        // running-vs-startup differs in header lines only; nxos-basic in blank vs `!` separator
        // lines only: both are no drift after normalization.
        let equivalent: Set<String> = ["napalm-ios-running-vs-startup", "netutils-nxos-basic"]
        #expect(delta.isEmpty == equivalent.contains(name), "\(name): \(delta.changes.map(\.description))")
    }

    @Test func runningVsStartupIsNoDrift() throws {
        let pair = try PairFixtures.load("napalm-ios-running-vs-startup")
        // The raw files differ (header lines) …
        #expect(try PairFixtures.text("pairs/napalm-ios-running-vs-startup/running.cfg") != PairFixtures.text("pairs/napalm-ios-running-vs-startup/intended.cfg"))
        // … normalized they compare equal.
        #expect(HierarchicalDiff.compare(from: pair.running.tree, to: pair.intended.tree, options: pair.options).isEmpty)
    }

    /// The pair reorders `ntp server 10.10.10.10/.11` and also has one really different line
    /// (`.12` in running, `.13` in intended; SOURCES.md calls it "same lines, different order",
    /// the files say otherwise). With the top level unordered, the reorder is no change and only
    /// that line remains; compared in order, the move shows too.
    @Test func unorderedPairShowsOnlyTheRealDifferenceWhenTopLevelIsUnordered() throws {
        let pair = try PairFixtures.load("netutils-ios-unordered")
        #expect(pair.options.unorderedSections.contains(SectionMatcher([])))
        let delta = HierarchicalDiff.compare(from: pair.running.tree, to: pair.intended.tree, options: pair.options)
        #expect(delta.changes.map(\.description) == ["- ntp server 10.10.10.12", "+ ntp server 10.10.10.13"])
        // The reordered lines alone compare equal.
        let onlyReordered = ConfigTree(style: .indent, roots: pair.running.tree.roots.filter { $0.text != "ntp server 10.10.10.12" })
        let target = ConfigTree(style: .indent, roots: pair.intended.tree.roots.filter { $0.text != "ntp server 10.10.10.13" })
        #expect(onlyReordered.roots.map(\.text) != target.roots.map(\.text))
        #expect(HierarchicalDiff.compare(from: onlyReordered, to: target, options: pair.options).isEmpty)
        var ordered = pair.options
        ordered.unorderedSections = []
        #expect(HierarchicalDiff.compare(from: pair.running.tree, to: pair.intended.tree, options: ordered).changes.count > 2)
    }

    /// napalm's IOS reference.diff (a merge diff) lists exactly these changes.
    @Test func napalmIOSMatchesItsReference() throws {
        let pair = try PairFixtures.load("napalm-ios-replace-initial-vs-new_good")
        let delta = HierarchicalDiff.compare(from: pair.running.tree, to: pair.intended.tree, options: pair.options)
        #expect(Set(delta.changes.map(\.description)) == [
            "- interface GigabitEthernet2 > no ip address",
            "+ interface GigabitEthernet2 > ip address 172.20.0.1 255.255.255.0",
            "+ router bgp 65000",
        ])
        let bgp = try #require(delta.changes.first { $0.text == "router bgp 65000" })
        #expect(bgp.children.map(\.text) == ["bgp log-neighbor-changes", "neighbor 1.1.1.1 remote-as 12345"])
        // Every line of reference.diff is accounted for.
        let reference = try PairFixtures.text("pairs/napalm-ios-replace-initial-vs-new_good/reference.diff")
        let listed = Set(changedLines(delta).map { $0.split(separator: "|").last.map(String.init) ?? "" })
        for line in reference.split(separator: "\n") {
            let body = line.trimmingCharacters(in: .whitespaces)
            guard body.hasPrefix("+") || body.hasPrefix("-") else { continue }
            #expect(listed.contains(String(body.dropFirst())), "reference line \(body) not in the diff")
        }
    }

    /// napalm's EOS reference.diff (unified): hostname added, aaa root secret replaced by
    /// `no aaa root`, a description added, a router bgp section with two VRFs added.
    @Test func napalmEOSMatchesItsReference() throws {
        let pair = try PairFixtures.load("napalm-eos-replace-initial-vs-new_good")
        let delta = HierarchicalDiff.compare(from: pair.running.tree, to: pair.intended.tree, options: pair.options)
        let described = delta.changes.map(\.description)
        #expect(described.contains("+ hostname pyeos-unittest-changed"))
        #expect(described.contains("+ no aaa root"))
        #expect(described.contains { $0.hasPrefix("- aaa root secret 5 <secret:") })
        #expect(described.contains("+ interface Ethernet2 > description ble"))
        let bgp = try #require(delta.changes.first { $0.text == "router bgp 65000" })
        #expect(bgp.kind == .added)
        #expect(bgp.children.map(\.text) == ["vrf test", "vrf test2"])
        #expect(bgp.lineCount == 7)
        #expect(delta.changes.count == 5)
    }

    /// napalm's NX-OS reference.diff: vlan100 added, Ethernet2/1 switchport and shutdown
    /// flipped, `no system default switchport shutdown` added; the `!Time:` line is volatile.
    @Test func napalmNXOSMatchesItsReference() throws {
        let pair = try PairFixtures.load("napalm-nxos-replace-initial-vs-new_good")
        let delta = HierarchicalDiff.compare(from: pair.running.tree, to: pair.intended.tree, options: pair.options)
        #expect(Set(delta.changes.map(\.description)) == [
            "+ vlan100",
            "- interface Ethernet2/1 > no switchport",
            "+ interface Ethernet2/1 > switchport",
            "- interface Ethernet2/1 > no shutdown",
            "+ interface Ethernet2/1 > shutdown",
            "+ no system default switchport shutdown",
        ])
    }

    /// Remediation per platform on every pair: structure (each removed statement negated under
    /// its parent, each added one under its parent; `delete`/`set` for JunOS), and semantics:
    /// entering the commands on the running config (IOS-like merge model, or JunOS set model)
    /// gives the intended config.
    @Test(arguments: PairFixtures.names)
    func remediationTakesRunningToIntended(name: String) throws {
        let pair = try PairFixtures.load(name)
        let delta = HierarchicalDiff.compare(from: pair.running.tree, to: pair.intended.tree, options: pair.options)
        let lines = Remediation.lines(for: delta, style: pair.running.tree.style, negation: pair.options.negation)
        #expect(delta.isEmpty == lines.isEmpty)
        switch pair.options.negation {
        case .noPrefix:
            #expect(RemediationStructure.iosProblems(delta, lines).isEmpty, "\(name): \(RemediationStructure.iosProblems(delta, lines))")
            #expect(RemediationSimulator.iosReaches(lines, from: pair.running.tree, to: pair.intended.tree), "\(name): \(lines)")
            // Parents before children: no line is indented deeper than one level past the previous one.
            var previous = 0
            for line in lines {
                let depth = line.prefix { $0 == " " }.count
                #expect(depth <= previous + 1, "\(name): \(line.debugDescription) entered without its parent")
                previous = line.hasSuffix("exit") ? depth - 1 : depth
            }
        case .delete:
            #expect(RemediationStructure.setProblems(delta, lines).isEmpty, "\(name): \(RemediationStructure.setProblems(delta, lines))")
            let reached = RemediationSimulator.setMerge(lines, into: RemediationSimulator.leafWords(pair.running.tree))
            #expect(reached == RemediationSimulator.leafWords(pair.intended.tree), "\(name): \(lines)")
        case .none:
            Issue.record("no pair is expected with plain listing")
        }
    }

    @Test func junosRemediationExamples() throws {
        let set = try PairFixtures.load("netutils-junos-diff-network-config")
        let delta = HierarchicalDiff.compare(from: set.running.tree, to: set.intended.tree, options: set.options)
        #expect(Remediation.lines(for: delta, style: set.running.tree.style, negation: .delete) == [
            "delete interfaces ge-0/0/0 unit 0 family inet address 10.10.0.21/30",
            "set interfaces ge-0/0/0 unit 0 family inet address 10.10.0.22/30",
        ])
        let hier = try PairFixtures.load("batfish-history-juniper-as1border2-l1")
        let hierDelta = HierarchicalDiff.compare(from: hier.running.tree, to: hier.intended.tree, options: hier.options)
        let lines = Remediation.lines(for: hierDelta, style: .brace, negation: .delete)
        #expect(!lines.isEmpty && lines.allSatisfy { $0.hasPrefix("set ") || $0.hasPrefix("delete ") })
    }
}
