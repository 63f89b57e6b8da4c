import Foundation
import Testing
@testable import ConfigDiff

@Suite struct HierDiffTests {
    static let running = tree("""
        hostname r1
        interface Gi0/1
         description uplink
         ip address 10.0.0.1 255.255.255.0
         shutdown
        interface Gi0/2
         description old
        ip access-list extended EDGE
         10 permit ip any host 192.0.2.1
         20 deny ip any any
        ntp server 192.0.2.10
        """)
    static let intended = tree("""
        hostname r1
        interface Gi0/1
         description uplink
         ip address 10.0.0.2 255.255.255.0
         no shutdown
        ip access-list extended EDGE
         10 permit ip any host 192.0.2.1
         15 permit ip any host 192.0.2.2
         20 deny ip any any
        ntp server 192.0.2.10
        router bgp 65000
         neighbor 192.0.2.1 remote-as 65001
        """)

    @Test func sameTreeIsEmpty() throws {
        let delta = HierarchicalDiff.compare(from: Self.running, to: Self.running, options: try iosLikeOptions())
        #expect(delta.isEmpty)
        #expect(delta.addedLines == 0 && delta.removedLines == 0)
    }

    @Test func changesCarryPathsInTreeOrder() throws {
        let delta = HierarchicalDiff.compare(from: Self.running, to: Self.intended, options: try iosLikeOptions())
        #expect(delta.changes.map(\.description) == [
            "- interface Gi0/1 > ip address 10.0.0.1 255.255.255.0",
            "- interface Gi0/1 > shutdown",
            "+ interface Gi0/1 > ip address 10.0.0.2 255.255.255.0",
            "+ interface Gi0/1 > no shutdown",
            "- interface Gi0/2",
            "+ ip access-list extended EDGE > 15 permit ip any host 192.0.2.2",
            "+ router bgp 65000",
        ])
        // A removed section is one change carrying its children, counted as lines.
        let removedSection = delta.changes[4]
        #expect(removedSection.children == [ConfigNode("description old")])
        #expect(delta.removedLines == 4)
        #expect(delta.addedLines == 5)
        #expect(delta.summary == ConfigDelta.Summary(added: 5, removed: 4))
    }

    @Test func applyGivesTheTarget() throws {
        let options = try iosLikeOptions()
        let delta = HierarchicalDiff.compare(from: Self.running, to: Self.intended, options: options)
        let applied = try delta.apply(to: Self.running)
        #expect(HierarchicalDiff.compare(from: applied, to: Self.intended, options: options).isEmpty)
    }

    @Test func unorderedTopLevelIgnoresOrderOrderedSectionsDoNot() throws {
        let a = tree("a\nb\nacl\n 10 x\n 20 y\nc\n")
        let reordered = tree("c\nacl\n 10 x\n 20 y\nb\na\n")
        #expect(HierarchicalDiff.compare(from: a, to: reordered, options: try iosLikeOptions()).isEmpty)
        // The same reorder is a change when the top level is ordered.
        #expect(!HierarchicalDiff.compare(from: a, to: reordered, options: DiffOptions()).isEmpty)
        // ACL entries (ordered) swapped: exactly one entry moves.
        let swapped = tree("a\nb\nacl\n 20 y\n 10 x\nc\n")
        let delta = HierarchicalDiff.compare(from: a, to: swapped, options: try iosLikeOptions())
        #expect(delta.changes.count == 2)
        #expect(Set(delta.changes.map(\.kind)) == [.added, .removed])
        #expect(delta.changes.allSatisfy { $0.path == ["acl"] })
        let applied = try delta.apply(to: a)
        #expect(applied.roots[2].children.map(\.text) == ["20 y", "10 x"])
    }

    @Test func duplicatesAreAMultiset() throws {
        let a = tree("x\nx\ny\n")
        let b = tree("x\ny\nx\nx\n")
        let delta = HierarchicalDiff.compare(from: a, to: b, options: try iosLikeOptions())
        #expect(delta.changes.map(\.description) == ["+ x"])
        let fewer = HierarchicalDiff.compare(from: b, to: tree("y\n"), options: try iosLikeOptions())
        #expect(fewer.changes.map(\.description) == ["- x", "- x", "- x"])
        #expect(HierarchicalDiff.compare(from: try fewer.apply(to: b), to: tree("y\n"), options: try iosLikeOptions()).isEmpty)
    }

    @Test func duplicateSectionsAreMatchedByOccurrence() throws {
        let a = tree("s\n one\ns\n two\n")
        let b = tree("s\n one\ns\n three\n")
        let options = try iosLikeOptions()
        let delta = HierarchicalDiff.compare(from: a, to: b, options: options)
        #expect(delta.changes.map(\.description) == ["- s > two", "+ s > three"])
        #expect(delta.changes.map(\.pathIndex) == [[1], [1]])
        #expect(HierarchicalDiff.compare(from: try delta.apply(to: a), to: b, options: options).isEmpty)
    }

    /// Regression: duplicates of one text in an unordered section pair by identical subtree, even
    /// when both sides list the same texts in the same order (found on the oxidized NX-OS capture,
    /// whose `(...)` elision lines repeat).
    @Test func duplicatesInSameOrderStillPairByContent() throws {
        let options = try iosLikeOptions()
        let a = tree("d\nd\nd\n")
        let b = tree("d\n c\nd\nd\n")
        let delta = HierarchicalDiff.compare(from: a, to: b, options: options)
        #expect(delta.changes.map(\.description) == ["+ d > c"])
        let applied = try delta.apply(to: a)
        #expect(applied.roots.map(\.children.count) == [0, 0, 1])
        #expect(HierarchicalDiff.compare(from: applied, to: b, options: options).isEmpty)
    }

    @Test func renamedSectionIsOneRemovalAndOneAddition() throws {
        let a = tree("interface Gi0/1\n description x\n mtu 9000\n")
        let b = tree("interface Gi0/2\n description x\n mtu 9000\n")
        let delta = HierarchicalDiff.compare(from: a, to: b, options: try iosLikeOptions())
        #expect(delta.changes.map(\.description) == ["- interface Gi0/1", "+ interface Gi0/2"])
        #expect(changedLines(delta).count == 6)
        #expect(Set(changedLines(delta)).count == 6)
    }

    @Test func ignoredStatementsDoNotCount() throws {
        var options = try iosLikeOptions()
        options.ignore = [try LinePredicate(.startsWith, "ntp clock-period")]
        let a = tree("ntp clock-period 1234\nhostname r1\nsection\n ntp clock-period 9\n keep\n")
        let b = tree("hostname r1\nntp clock-period 99\nsection\n keep\n")
        #expect(HierarchicalDiff.compare(from: a, to: b, options: options).isEmpty)
        let c = tree("hostname r2\nnew\n ntp clock-period 1\n inner\n")
        let delta = HierarchicalDiff.compare(from: a, to: c, options: options)
        // The added section carries its compared children only.
        #expect(delta.changes.first { $0.text == "new" }?.children == [ConfigNode("inner")])
        #expect(HierarchicalDiff.compare(from: try delta.apply(to: a), to: c, options: options).isEmpty)
    }

    @Test func nestedUnorderedMatcher() throws {
        let options = DiffOptions(unorderedSections: [
            SectionMatcher([try LinePredicate(.startsWith, "router bgp"), try LinePredicate(.startsWith, "address-family")]),
        ])
        let a = tree("router bgp 1\n address-family ipv4\n  network a\n  network b\n neighbor x\n neighbor y\n")
        let b = tree("router bgp 1\n address-family ipv4\n  network b\n  network a\n neighbor x\n neighbor y\n")
        #expect(HierarchicalDiff.compare(from: a, to: b, options: options).isEmpty)
        let c = tree("router bgp 1\n address-family ipv4\n  network a\n  network b\n neighbor y\n neighbor x\n")
        #expect(HierarchicalDiff.compare(from: a, to: c, options: options).changes.count == 2)
    }

    @Test func jsonFormIsStableAndRoundTrips() throws {
        let delta = HierarchicalDiff.compare(from: Self.running, to: Self.intended, options: try iosLikeOptions())
        let data = try delta.jsonData()
        let decoded = try JSONDecoder().decode(ConfigDelta.self, from: data)
        #expect(decoded == delta)
        #expect(try decoded.jsonData() == data)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(Set(object.keys) == ["changes", "summary"])
        let summary = try #require(object["summary"] as? [String: Int])
        #expect(summary == ["added": 5, "removed": 4])
        let changes = try #require(object["changes"] as? [[String: Any]])
        #expect(Set(changes[0].keys) == ["kind", "path", "text", "children", "pathIndex", "index"])
        let section = try #require(changes.first { ($0["text"] as? String) == "router bgp 65000" })
        let children = try #require(section["children"] as? [[String: Any]])
        #expect(children.first?["text"] as? String == "neighbor 192.0.2.1 remote-as 65001")
        let text = try #require(String(data: data, encoding: .utf8))
        #expect(text.contains("\"kind\" : \"removed\""))
    }

    @Test func humanRenderingShowsSectionContext() throws {
        let delta = HierarchicalDiff.compare(from: Self.running, to: Self.intended, options: try iosLikeOptions())
        #expect(delta.render() == """
              interface Gi0/1
            -   ip address 10.0.0.1 255.255.255.0
            -   shutdown
            +   ip address 10.0.0.2 255.255.255.0
            +   no shutdown
            - interface Gi0/2
            -   description old
              ip access-list extended EDGE
            +   15 permit ip any host 192.0.2.2
            + router bgp 65000
            +   neighbor 192.0.2.1 remote-as 65001

            """)
        #expect(ConfigDelta().render().isEmpty)
    }

    @Test func applyRejectsADeltaForAnotherTree() throws {
        let delta = HierarchicalDiff.compare(from: Self.running, to: Self.intended, options: try iosLikeOptions())
        #expect(throws: ConfigDiffError.self) { try delta.apply(to: tree("hostname other\n")) }
        do {
            _ = try delta.apply(to: Self.intended)
            Issue.record("applying to the wrong tree must fail")
        } catch let error as ConfigDiffError {
            #expect(error.code == .invalidInput)
        }
    }

    @Test func multiLineStatementsCompareWhole() throws {
        let a = ConfigTree(style: .indent, roots: [ConfigNode("banner motd ^C\nHello\n^C"), ConfigNode("hostname r1")])
        let b = ConfigTree(style: .indent, roots: [ConfigNode("banner motd ^C\nGoodbye\n^C"), ConfigNode("hostname r1")])
        let delta = HierarchicalDiff.compare(from: a, to: b, options: try iosLikeOptions())
        #expect(delta.changes.count == 2)
        #expect(delta.render().contains("- banner motd ^C\n- Hello\n- ^C\n"))
    }

    @Test func unifiedTextOfADelta() throws {
        let delta = HierarchicalDiff.compare(from: Self.running, to: Self.intended, options: DiffOptions())
        let text = try delta.unifiedText(base: Self.running, oldLabel: "running", newLabel: "intended")
        #expect(text.hasPrefix("--- running\n+++ intended\n@@ "))
        #expect(text.contains("@@ -1,11 +1,12 @@ interface Gi0/1\n"))
    }
}
