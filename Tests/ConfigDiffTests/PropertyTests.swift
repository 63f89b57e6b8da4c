import Testing
@testable import ConfigDiff

@Suite struct PropertyTests {
    static func options(_ unorderedTop: Bool) -> DiffOptions {
        unorderedTop ? DiffOptions(unorderedSections: [SectionMatcher([])]) : DiffOptions()
    }

    @Test(arguments: 0..<400)
    func applyOfDiffGivesTarget(seed: Int) throws {
        var rng = SeededRandom(seed: UInt64(seed))
        let a = ConfigTree(style: .indent, roots: RandomTrees.nodes(&rng, depth: 3, width: 6))
        let b = ConfigTree(style: .indent, roots: RandomTrees.edit(a.roots, &rng, count: Int.random(in: 0...10, using: &rng), shuffle: true))
        for options in [Self.options(false), Self.options(true), RemediationSimulator.allUnordered()] {
            #expect(HierarchicalDiff.compare(from: a, to: a, options: options).isEmpty)
            let forward = HierarchicalDiff.compare(from: a, to: b, options: options)
            #expect(HierarchicalDiff.compare(from: try forward.apply(to: a), to: b, options: options).isEmpty)
            let backward = HierarchicalDiff.compare(from: b, to: a, options: options)
            #expect(HierarchicalDiff.compare(from: try backward.apply(to: b), to: a, options: options).isEmpty)
            let lines = changedLines(forward)
            #expect(lines.count == forward.addedLines + forward.removedLines)
        }
        // With ordered sections everywhere, the result is the very same tree.
        #expect(try HierarchicalDiff.compare(from: a, to: b, options: DiffOptions()).apply(to: a) == b)
    }

    @Test(arguments: 0..<100)
    func reorderingUnorderedSectionsIsNoChangeOrderedIsAChange(seed: Int) {
        var rng = SeededRandom(seed: UInt64(seed) &+ 1_000)
        // Distinct texts so that a shuffle really changes the order.
        let roots = (0..<Int.random(in: 3...12, using: &rng)).map { index in
            ConfigNode("stmt \(index)", children: (0..<Int.random(in: 0...4, using: &rng)).map { ConfigNode("child \($0)") })
        }
        var shuffled = roots
        repeat { shuffled.shuffle(using: &rng) } while shuffled.map(\.text) == roots.map(\.text)
        let a = ConfigTree(style: .indent, roots: roots)
        let b = ConfigTree(style: .indent, roots: shuffled)
        #expect(HierarchicalDiff.compare(from: a, to: b, options: Self.options(true)).isEmpty)
        #expect(!HierarchicalDiff.compare(from: a, to: b, options: Self.options(false)).isEmpty)
    }

    @Test(arguments: 0..<200)
    func randomTreesNeverCrashAndJSONRoundTrips(seed: Int) throws {
        var rng = SeededRandom(seed: UInt64(seed) &+ 50_000)
        let a = ConfigTree(style: .indent, roots: RandomTrees.nodes(&rng, depth: 5, width: 8))
        let b = ConfigTree(style: .indent, roots: RandomTrees.nodes(&rng, depth: 5, width: 8))
        let delta = HierarchicalDiff.compare(from: a, to: b, options: Self.options(true))
        #expect(HierarchicalDiff.compare(from: try delta.apply(to: a), to: b, options: Self.options(true)).isEmpty)
        let data = try delta.jsonData()
        #expect(try ConfigDelta.encoder().encode(try JSONDecoder().decode(ConfigDelta.self, from: data)) == data)
        for negation in [DiffOptions.Negation.noPrefix, .delete, .none] {
            _ = Remediation.lines(for: delta, style: .indent, negation: negation)
        }
        _ = delta.render()
        _ = UnifiedDiff.render(from: a, to: b)
    }
}

import Foundation
