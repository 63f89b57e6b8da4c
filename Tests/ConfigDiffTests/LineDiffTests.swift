import Foundation
import Testing
@testable import ConfigDiff

@Suite struct LineDiffTests {
    /// Length of a longest common subsequence, by dynamic programming (the oracle).
    static func lcsLength(_ a: [String], _ b: [String]) -> Int {
        var row = [Int](repeating: 0, count: b.count + 1)
        for x in a {
            var diagonal = 0
            for (j, y) in b.enumerated() {
                let above = row[j + 1]
                row[j + 1] = x == y ? diagonal + 1 : max(row[j + 1], row[j])
                diagonal = above
            }
        }
        return row[b.count]
    }

    static func replay(_ edits: [LineDiff.Edit], _ a: [String], _ b: [String]) -> [String]? {
        var out: [String] = []
        var nextOld = 0
        for edit in edits {
            switch edit {
            case .equal(let old, let new):
                guard old == nextOld, a[old] == b[new] else { return nil }
                out.append(a[old])
                nextOld += 1
            case .delete(let old):
                guard old == nextOld else { return nil }
                nextOld += 1
            case .insert(let new):
                out.append(b[new])
            }
        }
        return nextOld == a.count ? out : nil
    }

    @Test func equalInputsGiveOnlyEquals() {
        let lines = ["hostname r1", "interface Gi0/1", " shutdown"]
        let edits = LineDiff.edits(from: lines, to: lines)
        #expect(edits == [.equal(old: 0, new: 0), .equal(old: 1, new: 1), .equal(old: 2, new: 2)])
    }

    @Test(arguments: 0..<300)
    func scriptIsValidAndMinimal(seed: Int) {
        var rng = SeededRandom(seed: UInt64(seed))
        let alphabet = ["a", "b", "c", "d", "!", " x"]
        let a = (0..<Int.random(in: 0...30, using: &rng)).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] }
        var b = a
        for _ in 0..<Int.random(in: 0...8, using: &rng) {
            switch Int.random(in: 0..<3, using: &rng) {
            case 0 where !b.isEmpty: b.remove(at: Int.random(in: 0..<b.count, using: &rng))
            case 1: b.insert(alphabet[Int.random(in: 0..<alphabet.count, using: &rng)], at: Int.random(in: 0...b.count, using: &rng))
            default: if !b.isEmpty { b[Int.random(in: 0..<b.count, using: &rng)] = "z" }
            }
        }
        let edits = LineDiff.edits(from: a, to: b)
        #expect(Self.replay(edits, a, b) == b)
        let equals = edits.filter { if case .equal = $0 { return true } else { return false } }.count
        #expect(equals == Self.lcsLength(a, b))
    }

    @Test func textSplitKeepsCarriageReturns() {
        let lines = TextLines("a\r\nb\nc")
        #expect(lines.count == 3)
        #expect(lines[0] == "a\r")
        #expect(lines[2] == "c")
        #expect(TextLines("a\n").count == 1)
        #expect(TextLines("").count == 0)
    }

    @Test func largeNearEqualInputIsFast() {
        var a: [String] = []
        for index in 0..<100_000 { a.append(index % 5 == 0 ? "interface Gi0/\(index)" : " description port \(index)") }
        var b = a
        for index in stride(from: 50, to: b.count, by: 1000) { b[index] += " changed" }
        let clock = ContinuousClock()
        var edits: [LineDiff.Edit] = []
        let elapsed = clock.measure { edits = LineDiff.edits(from: a, to: b) }
        let deletions = edits.filter { if case .delete = $0 { return true } else { return false } }.count
        #expect(deletions == 100)
        #expect(elapsed < .seconds(5))
    }

    /// Regression: periodic configs (`!`, repeated child lines in every section) made a plain
    /// Myers search run out of budget and report whole regions as changed; anchoring on unique
    /// lines keeps the script to the lines that changed.
    @Test func periodicLargeInputGivesAMinimalScript() {
        var a: [String] = []
        for index in 0..<25_000 {
            a += ["interface Gi\(index)", " switchport mode access", " no shutdown", "!"]
        }
        var b = a
        var changed = 0
        for index in stride(from: 1, to: b.count, by: 97) where b[index].hasPrefix(" switchport") {
            b[index] = " switchport mode trunk"
            changed += 1
        }
        let edits = LineDiff.edits(from: a, to: b)
        #expect(Self.replay(edits, a, b) == b)
        let deletions = edits.filter { if case .delete = $0 { return true } else { return false } }.count
        #expect(changed > 200)
        #expect(deletions == changed)
        let text = UnifiedDiff.render(from: a.joined(separator: "\n"), to: b.joined(separator: "\n"))
        #expect(text.split(separator: "\n").filter { $0.hasPrefix("@@") }.count == changed)
        #expect(text.contains("@@ -387,7 +387,7 @@ interface Gi97\n"))
    }

    @Test func totallyDifferentInputsTerminate() {
        let a = (0..<20_000).map { "a\($0 % 97)" }
        let b = (0..<20_000).map { "a\(($0 * 7) % 89)" }
        let edits = LineDiff.edits(from: a, to: b)
        #expect(Self.replay(edits, a, b) == b)
    }

    @Test func unifiedHunkHeaderNamesTheSection() {
        let old = """
            hostname r1
            !
            interface Gi0/1
             description uplink
             ip address 10.0.0.1 255.255.255.0
             no shutdown
            !
            end
            """
        let new = old.replacingOccurrences(of: "10.0.0.1", with: "10.0.0.2")
        let text = UnifiedDiff.render(from: old, to: new, oldLabel: "baseline", newLabel: "running")
        #expect(
            text == """
                --- baseline
                +++ running
                @@ -2,7 +2,7 @@ interface Gi0/1
                 !
                 interface Gi0/1
                  description uplink
                - ip address 10.0.0.1 255.255.255.0
                + ip address 10.0.0.2 255.255.255.0
                  no shutdown
                 !
                 end

                """)
        #expect(UnifiedDiff.render(from: old, to: old).isEmpty)
    }

    @Test func unifiedSplitsDistantChangesIntoHunks() {
        let old = (1...40).map { "line \($0)" }.joined(separator: "\n")
        let new = old.replacingOccurrences(of: "line 3\n", with: "line three\n")
            .replacingOccurrences(of: "line 30\n", with: "")
        let text = UnifiedDiff.render(from: old, to: new, style: .flat)
        let headers = text.split(separator: "\n").filter { $0.hasPrefix("@@") }
        #expect(headers == ["@@ -1,6 +1,6 @@", "@@ -27,7 +27,6 @@"])
    }

    @Test func unifiedMatchesGNUDiffLineCounts() throws {
        // Same hunk ranges as GNU diff -u on a simple modification (both are minimal here).
        let old = (1...12).map { "x\($0)" }.joined(separator: "\n") + "\n"
        let new = old.replacingOccurrences(of: "x6\n", with: "y6\ny7\n")
        let ours = UnifiedDiff.render(from: old, to: new, style: .flat)
        #expect(ours.contains("@@ -3,7 +3,8 @@\n"))
    }

    @Test func treeUnifiedUsesTreePaths() {
        let a = tree("router bgp 1\n neighbor 1.1.1.1 remote-as 2\n address-family ipv4\n  network 10.0.0.0\n", style: .indent)
        let b = tree("router bgp 1\n neighbor 1.1.1.1 remote-as 2\n address-family ipv4\n  network 10.0.1.0\n", style: .indent)
        let text = UnifiedDiff.render(from: a, to: b)
        #expect(text.contains("@@ -1,4 +1,4 @@ router bgp 1 > address-family ipv4\n"))
        let junA = tree("system\n host-name a\n", style: .brace)
        let junB = tree("system\n host-name b\n", style: .brace)
        let junos = UnifiedDiff.render(from: junA, to: junB)
        #expect(junos.contains("-    host-name a;\n+    host-name b;\n"))
        #expect(junos.contains("@@ -1,3 +1,3 @@ system\n"))
    }
}
