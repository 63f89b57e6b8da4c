import Foundation
import Testing
@testable import ConfigDiff

/// The diff laws on real configurations: every single corpus config, normalized with its
/// platform profile, under seeded random edits at random depths.
@Suite struct PropertyCorpusTests {
    static let folders: [String: PlatformID] = [
        "ios": "cisco_ios", "nxos": "cisco_nxos", "eos": "arista_eos", "junos": "juniper_junos",
        "asa": "cisco_asa", "linux": "linux", "iosxr": "cisco_iosxr",
    ]

    /// `<folder>/<file>.cfg` for every single config, sorted.
    static let configs: [String] = {
        var result: [String] = []
        for folder in folders.keys.sorted() {
            let directory = PairFixtures.root.appendingPathComponent(folder).path
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            result += names.filter { $0.hasSuffix(".cfg") }.sorted().map { "\(folder)/\($0)" }
        }
        return result
    }()

    static func load(_ relative: String) throws -> (PlatformProfile, NormalizedConfig) {
        let folder = String(relative.prefix { $0 != "/" })
        let profile = try ProfileCatalog().profile(folders[folder] ?? "generic")
        let normalizer = Normalizer(profile: profile, masker: SecretMasker(key: PairFixtures.key))
        return (profile, try normalizer.normalize(try PairFixtures.text(relative), checkCompleteness: false))
    }

    static func seed(_ name: String) -> UInt64 {
        name.utf8.reduce(UInt64(1469598103934665603)) { ($0 ^ UInt64($1)) &* 1099511628211 }
    }

    @Test func corpusIsPresent() {
        #expect(Self.configs.count >= 80)
    }

    @Test(arguments: configs)
    func randomEditsApplyBothWays(relative: String) throws {
        let (profile, normalized) = try Self.load(relative)
        let options = profile.diffOptions
        let a = normalized.tree
        #expect(HierarchicalDiff.compare(from: a, to: a, options: options).isEmpty)
        var rng = SeededRandom(seed: Self.seed(relative))
        let rounds = a.roots.count > 5_000 ? 1 : 3
        for _ in 0..<rounds {
            let b = ConfigTree(style: a.style, roots: RandomTrees.edit(a.roots, &rng, count: Int.random(in: 1...12, using: &rng), shuffle: true))
            for (from, to) in [(a, b), (b, a)] {
                let delta = HierarchicalDiff.compare(from: from, to: to, options: options)
                let rest = HierarchicalDiff.compare(from: try delta.apply(to: from), to: to, options: options)
                #expect(rest.isEmpty, "\(relative): \(rest.changes.prefix(5).map(\.description))")
                #expect(Set(changedLines(delta)).count <= changedLines(delta).count)
            }
        }
    }

    @Test(arguments: configs)
    func reorderingUnorderedIsNoChangeOrderedIsOne(relative: String) throws {
        let (profile, normalized) = try Self.load(relative)
        let options = profile.diffOptions
        let a = normalized.tree
        var rng = SeededRandom(seed: Self.seed(relative) &+ 1)
        if options.unorderedSections.contains(SectionMatcher([])) && Set(a.roots.map(\.text)).count > 1 {
            var shuffled = a
            repeat { shuffled.roots.shuffle(using: &rng) } while shuffled.roots.map(\.text) == a.roots.map(\.text)
            // Ordered families (access-list entries, set-form terms) keep their order inside the
            // unordered top level: put each family group back in its original order, in the
            // shuffled positions, and the reorder is no change; a reorder inside a group is one.
            func group(_ text: String) -> String? {
                for (number, family) in options.orderedFamilies.enumerated() {
                    if let key = family.key(of: text) { return "\(number) \(key)" }
                }
                return nil
            }
            var restored = shuffled
            var members: [String: [ConfigNode]] = [:]
            for root in a.roots { if let key = group(root.text) { members[key, default: []].append(root) } }
            var used: [String: Int] = [:]
            for position in restored.roots.indices {
                guard let key = group(restored.roots[position].text), let list = members[key] else { continue }
                let next = used[key, default: 0]
                restored.roots[position] = list[next]
                used[key] = next + 1
            }
            #expect(HierarchicalDiff.compare(from: a, to: restored, options: options).isEmpty, "\(relative): top-level reorder")
            let groupOrderChanged = members.keys.contains { key in
                shuffled.roots.filter { group($0.text) == key }.map(\.text) != members[key, default: []].map(\.text)
            }
            let delta = HierarchicalDiff.compare(from: a, to: shuffled, options: options)
            #expect(delta.isEmpty == !groupOrderChanged, "\(relative): top-level reorder, family order changed: \(groupOrderChanged)")
            #expect(delta.changes.allSatisfy { group($0.text) != nil }, "\(relative): only family members move")
        }
        // Swap two adjacent, distinct children of the first ordered section that has them.
        for (index, root) in a.roots.enumerated() {
            let matcherSays = options.unorderedSections.contains { $0.matches([root.text]) }
            guard !matcherSays, let swap = root.children.indices.dropLast().first(where: { root.children[$0].text != root.children[$0 + 1].text }) else {
                continue
            }
            var b = a
            b.roots[index].children.swapAt(swap, swap + 1)
            let delta = HierarchicalDiff.compare(from: a, to: b, options: options)
            #expect(delta.changes.count == 2, "\(relative): \(delta.changes.map(\.description))")
            #expect(Set(delta.changes.map(\.kind)) == [.added, .removed])
            #expect(delta.changes.allSatisfy { $0.path == [root.text] })
            #expect(HierarchicalDiff.compare(from: try delta.apply(to: a), to: b, options: options).isEmpty)
            break
        }
    }

    /// Fuzz-style: mutated corpus text (lines dropped, duplicated, re-indented, braces, control
    /// bytes, CRLF) either fails with a ConfigDiffError or gives trees on which every diff
    /// operation works; nothing crashes or hangs.
    @Test(arguments: configs.filter { !$0.contains("18k") && !$0.contains("synthetic") })
    func mutatedTextNeverCrashes(relative: String) throws {
        let folder = String(relative.prefix { $0 != "/" })
        let profile = try ProfileCatalog().profile(Self.folders[folder] ?? "generic")
        let normalizer = Normalizer(profile: profile, masker: SecretMasker(key: PairFixtures.key))
        let original = try PairFixtures.text(relative)
        var rng = SeededRandom(seed: Self.seed(relative) &+ 2)
        let base = try normalizer.normalize(original, checkCompleteness: false)
        for _ in 0..<3 {
            var lines = original.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for _ in 0..<Int.random(in: 1...20, using: &rng) where !lines.isEmpty {
                let index = Int.random(in: 0..<lines.count, using: &rng)
                switch Int.random(in: 0..<7, using: &rng) {
                case 0: lines.remove(at: index)
                case 1: lines.insert(lines[index], at: index)
                case 2: lines[index] = String(repeating: " ", count: Int.random(in: 0...6, using: &rng)) + lines[index].trimmingCharacters(in: .whitespaces)
                case 3: lines.insert(["{", "}", "  }", "x {", "^C", "banner motd ^C"][Int.random(in: 0..<6, using: &rng)], at: index)
                case 4: lines[index] += ["\r", "\t", "\u{7}", " é", ";", " {"][Int.random(in: 0..<6, using: &rng)]
                case 5: lines[index] = String(lines[index].shuffled(using: &rng))
                default: lines.swapAt(index, Int.random(in: 0..<lines.count, using: &rng))
                }
            }
            let mutated: NormalizedConfig
            do {
                mutated = try normalizer.normalize(lines.joined(separator: "\n"), checkCompleteness: false)
            } catch is ConfigDiffError {
                continue
            }
            let options = profile.diffOptions
            let delta = HierarchicalDiff.compare(from: base.tree, to: mutated.tree, options: options)
            #expect(HierarchicalDiff.compare(from: try delta.apply(to: base.tree), to: mutated.tree, options: options).isEmpty)
            _ = Remediation.lines(for: delta, style: base.tree.style, negation: options.negation)
            _ = delta.render()
            _ = try delta.jsonData()
            _ = UnifiedDiff.render(from: base.text, to: mutated.text, style: base.tree.style)
        }
    }
}
