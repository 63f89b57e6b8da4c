import Foundation
import Testing

@testable import ConfigDiff

/// Ordered families: inside the unordered top level, the entries of one access-list (or the
/// terms of one JunOS filter or policy in set form) keep their order, the rest does not.
@Suite struct OrderedFamilyTests {
    /// The configuration normalized with a built-in profile.
    private func tree(_ text: String, _ platform: PlatformID) throws -> (ConfigTree, DiffOptions) {
        let profile = try ProfileCatalog().profile(platform)
        let normalized = try Normalizer(profile: profile, masker: SecretMasker(key: Fixtures.testKey)).normalize(
            text, checkCompleteness: false)
        return (normalized.tree, profile.diffOptions)
    }

    /// `text` with the lines numbered `first` and `second` (1-based) exchanged.
    private func swapping(_ text: String, _ first: Int, _ second: Int) -> String {
        var lines = text.components(separatedBy: "\n")
        lines.swapAt(first - 1, second - 1)
        return lines.joined(separator: "\n")
    }

    private func fixture(_ relative: String) throws -> String {
        try String(contentsOf: Fixtures.root.appendingPathComponent(relative), encoding: .utf8)
    }

    /// The top-level delta between a fixture and the fixture with two lines swapped, and the
    /// apply law checked both ways.
    private func delta(_ relative: String, _ platform: PlatformID, swap first: Int, _ second: Int) throws -> ConfigDelta {
        let text = try fixture(relative)
        let (a, options) = try tree(text, platform)
        let (b, _) = try tree(swapping(text, first, second), platform)
        let forward = HierarchicalDiff.compare(from: a, to: b, options: options)
        #expect(HierarchicalDiff.compare(from: try forward.apply(to: a), to: b, options: options).isEmpty)
        let backward = HierarchicalDiff.compare(from: b, to: a, options: options)
        #expect(HierarchicalDiff.compare(from: try backward.apply(to: b), to: a, options: options).isEmpty)
        return forward
    }

    /// One removal and one addition, both at the top level.
    private func isMove(_ delta: ConfigDelta, of text: String? = nil) -> Bool {
        delta.changes.count == 2 && delta.addedLines == 1 && delta.removedLines == 1
            && delta.changes.allSatisfy { $0.path.isEmpty }
            && (text.map { moved in delta.changes.allSatisfy { $0.text == moved } } ?? true)
    }

    @Test func asaSwapInsideOneAccessListIsDrift() throws {
        // Lines 12 and 13: two entries of `inline_specifiers`.
        let delta = try delta("asa/batfish__unit-asa_acl.cfg", .ciscoASA, swap: 12, 13)
        #expect(isMove(delta), "\(delta.render())")
        #expect(delta.changes.allSatisfy { $0.text.hasPrefix("access-list inline_specifiers extended permit object icmp-") })
        // A remark moved below the rule it documents (lines 8 and 9 of `outside`) is drift too.
        let remark = try self.delta("asa/batfish__unit-asa_acl.cfg", .ciscoASA, swap: 8, 9)
        #expect(isMove(remark), "\(remark.render())")
    }

    @Test func asaSwapOfDifferentAccessListsOrUnrelatedLinesIsNoDrift() throws {
        // Line 6 `outside_in`, line 7 `Local_LAN_Access`: different lists.
        #expect(try delta("asa/batfish__unit-asa_acl.cfg", .ciscoASA, swap: 6, 7).isEmpty)
        // Line 9, the last `outside` entry, with line 12, the first `inline_specifiers` entry:
        // each list keeps its order.
        #expect(try delta("asa/batfish__unit-asa_acl.cfg", .ciscoASA, swap: 9, 12).isEmpty)
        // But line 6 with line 9 moves the `outside` entry above its remark (line 8): drift.
        #expect(isMove(try delta("asa/batfish__unit-asa_acl.cfg", .ciscoASA, swap: 6, 9)))
        // Two statements of the unordered top level that are no access-list entries.
        let text = try fixture("asa/batfish__unit-asa_acl.cfg").components(separatedBy: "\n")
        let plain = text.indices.filter { !text[$0].isEmpty && !text[$0].hasPrefix("access-list ") && !text[$0].hasPrefix(" ") && !text[$0].hasPrefix(":") && !text[$0].hasPrefix("!") }
        try #require(plain.count >= 2)
        #expect(try delta("asa/batfish__unit-asa_acl.cfg", .ciscoASA, swap: plain[0] + 1, plain[plain.count - 1] + 1).isEmpty)
    }

    @Test func iosNumberedAccessListOrder() throws {
        let file = "ios/batfish__example-live-as1border1.cfg"
        // Lines 131 and 132: both `access-list 101`.
        let inside = try delta(file, .ciscoIOS, swap: 131, 132)
        #expect(isMove(inside), "\(inside.render())")
        #expect(inside.changes.allSatisfy { $0.text.hasPrefix("access-list 101 permit ") })
        // Lines 132 (`101`) and 133 (`102`): each list keeps its order.
        #expect(try delta(file, .ciscoIOS, swap: 132, 133).isEmpty)
    }

    @Test func junosSetFormTermSwapIsDrift() throws {
        // A policy-statement's term lines (the netutils set-form capture), with both JunOS profiles.
        for platform in [PlatformID.juniperJunosSet, .juniperJunos] {
            let policy = try delta("junos/netutils-set-form/raw.txt", platform, swap: 45, 46)
            #expect(isMove(policy), "\(platform): \(policy.render())")
        }
        // Firewall filter terms: `blah` term `prefix-list` (30) and term `"some term"` (32).
        let filter = try delta("junos/batfish__unit-juniper_firewall.cfg", .juniperJunos, swap: 30, 32)
        #expect(isMove(filter), "\(filter.render())")
        // Terms of different filters (`blah` line 42, `blah6` line 44) exchanged: no drift.
        #expect(try delta("junos/batfish__unit-juniper_firewall.cfg", .juniperJunos, swap: 42, 44).isEmpty)
        // The host name and a filter term exchanged: no drift.
        #expect(try delta("junos/batfish__unit-juniper_firewall.cfg", .juniperJunosSet, swap: 2, 4).isEmpty)
    }

    @Test func junosCurlyTermsAreOrderedChildren() throws {
        let curly = """
            firewall {
                family inet {
                    filter PROTECT-RE {
                        term ALLOW-SSH {
                            from {
                                protocol tcp;
                            }
                            then accept;
                        }
                        term DENY-ALL {
                            then discard;
                        }
                    }
                }
            }
            """
        let swapped = """
            firewall {
                family inet {
                    filter PROTECT-RE {
                        term DENY-ALL {
                            then discard;
                        }
                        term ALLOW-SSH {
                            from {
                                protocol tcp;
                            }
                            then accept;
                        }
                    }
                }
            }
            """
        let (a, options) = try tree(curly, .juniperJunos)
        let (b, _) = try tree(swapped, .juniperJunos)
        let delta = HierarchicalDiff.compare(from: a, to: b, options: options)
        #expect(!delta.isEmpty)
        #expect(delta.changes.allSatisfy { $0.path == ["firewall", "family inet", "filter PROTECT-RE"] }, "\(delta.render())")
        #expect(HierarchicalDiff.compare(from: try delta.apply(to: a), to: b, options: options).isEmpty)
    }

    @Test func duplicateSectionsPairByFamilyOrder() throws {
        // Two sections with one text under an unordered parent: the subtree hash must tell the
        // family order apart, or the pairing by occurrence reports a reorder that is not there.
        let family = try OrderedFamily(name: "acl", regex: "^entry (\\S+) ")
        let options = DiffOptions(
            unorderedSections: [SectionMatcher([]), SectionMatcher([try LinePredicate(.equals, "S")])],
            orderedFamilies: [family])
        let one = ConfigNode("S", children: [ConfigNode("entry A 1"), ConfigNode("entry A 2"), ConfigNode("other")])
        let two = ConfigNode("S", children: [ConfigNode("entry A 2"), ConfigNode("entry A 1"), ConfigNode("other")])
        let a = ConfigTree(style: .indent, roots: [one, two])
        let b = ConfigTree(style: .indent, roots: [two, one])
        #expect(HierarchicalDiff.compare(from: a, to: b, options: options).isEmpty)
        let moved = ConfigTree(style: .indent, roots: [two, two])
        let delta = HierarchicalDiff.compare(from: a, to: moved, options: options)
        #expect(delta.addedLines == 1 && delta.removedLines == 1, "\(delta.render())")
    }

    @Test func additionsLandAmongTheirSiblings() throws {
        let family = try OrderedFamily(name: "acl", regex: "^access-list (\\S+) ")
        let options = DiffOptions(unorderedSections: [SectionMatcher([])], orderedFamilies: [family])
        let a = ConfigTree(style: .indent, roots: ["access-list X 1", "access-list X 3", "hostname r1"].map { ConfigNode($0) })
        let b = ConfigTree(
            style: .indent,
            roots: ["access-list X 1", "hostname r1", "access-list X 2", "access-list X 3", "access-list Y 1"].map {
                ConfigNode($0)
            })
        let delta = HierarchicalDiff.compare(from: a, to: b, options: options)
        #expect(delta.changes.map(\.kind) == [.added, .added])
        let applied = try delta.apply(to: a)
        #expect(applied.roots.map(\.text).filter { $0.hasPrefix("access-list X") } == ["access-list X 1", "access-list X 2", "access-list X 3"])
        #expect(HierarchicalDiff.compare(from: applied, to: b, options: options).isEmpty)
    }

    static func familyOptions() throws -> [DiffOptions] {
        let families = [
            try OrderedFamily(name: "permits", regex: "^permit (\\S+)"),
            try OrderedFamily(name: "ip", regex: "^(ip|deny|no) "),
        ]
        var top = DiffOptions(unorderedSections: [SectionMatcher([])])
        top.orderedFamilies = families
        var everywhere = RemediationSimulator.allUnordered()
        everywhere.orderedFamilies = families
        return [top, everywhere]
    }

    @Test(arguments: 0..<300)
    func applyLawWithFamilies(seed: Int) throws {
        var rng = SeededRandom(seed: UInt64(seed) &+ 77_000)
        let a = ConfigTree(style: .indent, roots: RandomTrees.nodes(&rng, depth: 3, width: 7))
        let b = ConfigTree(
            style: .indent,
            roots: RandomTrees.edit(a.roots, &rng, count: Int.random(in: 0...10, using: &rng), shuffle: true))
        for options in try Self.familyOptions() {
            #expect(HierarchicalDiff.compare(from: a, to: a, options: options).isEmpty)
            let forward = HierarchicalDiff.compare(from: a, to: b, options: options)
            #expect(HierarchicalDiff.compare(from: try forward.apply(to: a), to: b, options: options).isEmpty)
            let backward = HierarchicalDiff.compare(from: b, to: a, options: options)
            #expect(HierarchicalDiff.compare(from: try backward.apply(to: b), to: a, options: options).isEmpty)
        }
    }

    @Test func profileDecodesOrderedFamilies() throws {
        let profile = try PlatformProfile(
            yaml: """
                id: acme_os
                style: indent
                unordered:
                  - []
                ordered_families:
                  - {name: acl, regex: '^access-list (\\S+) '}
                """, file: "acme.yaml")
        #expect(profile.diffOptions.orderedFamilies.map(\.name) == ["acl"])
        #expect(profile.diffOptions.orderedFamilies.first?.key(of: "access-list OUT extended permit ip any any") == "OUT")
        let catalog = try ProfileCatalog()
        #expect(try catalog.profile(.ciscoASA).diffOptions.orderedFamilies.count == 1)
        #expect(try catalog.profile(.ciscoIOS).diffOptions.orderedFamilies.count == 1)
        #expect(try catalog.profile(.juniperJunos).diffOptions.orderedFamilies.count == 3)
        #expect(try catalog.profile(.juniperJunosSet).diffOptions.orderedFamilies.count == 3)
    }

    @Test func familyWithoutCaptureGroupIsRejectedWithFileAndLine() throws {
        let yaml = """
            id: acme_os
            style: indent
            ordered_families:
              - {name: acl, regex: '^access-list (\\S+) '}
              - {name: bad, regex: '^access-list \\S+ '}
            """
        do {
            _ = try PlatformProfile(yaml: yaml, file: "acme.yaml")
            Issue.record("a family without a capture group was accepted")
        } catch let error as ConfigDiffError {
            #expect(error.code == .invalidProfile)
            #expect(error.message.contains("acme.yaml:5"), "\(error.message)")
            #expect(error.message.contains("capture group"), "\(error.message)")
        }
        do {
            _ = try PlatformProfile(yaml: "id: a\nstyle: indent\nordered_families:\n  - {name: x}\n", file: "a.yaml")
            Issue.record("a family without a regex was accepted")
        } catch let error as ConfigDiffError {
            #expect(error.message.contains("a.yaml:4"), "\(error.message)")
        }
    }
}
