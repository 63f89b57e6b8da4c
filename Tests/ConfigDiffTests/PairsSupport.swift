import Foundation
@testable import ConfigDiff

/// The corpus pairs copied into `Tests/Fixtures/pairs/<name>/{running,intended}.cfg`, with their
/// platform (the Pairs table of the corpus' SOURCES.md), normalized with a fixed test key.
enum PairFixtures {
    static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    /// Pair name → platform profile, from SOURCES.md.
    static let platforms: [String: PlatformID] = [
        "batfish-example-as2border1-live-vs-isp": "cisco_ios",
        "batfish-example-as2dept1-live-vs-candidate": "cisco_ios",
        "batfish-example-as2dist1-live-vs-isp": "cisco_ios",
        "batfish-example2-dc1-leaf-01-vs-delta": "cisco_ios",
        "batfish-history-as1border1-maximum-paths": "cisco_ios",
        "batfish-history-as2core2-route-map-fix": "cisco_ios",
        "batfish-history-juniper-as1border2-l1": "juniper_junos",
        "hier_config-circular-ios": "cisco_ios",
        "hier_config-circular-junos": "juniper_junos",
        "hier_config-circular-nxos": "cisco_nxos",
        "hier_config-ios-acl": "cisco_ios",
        "hier_config-ios-basic": "cisco_ios",
        "hier_config-junos-hier": "juniper_junos",
        "hier_config-junos-set": "juniper_junos",
        "napalm-eos-replace-initial-vs-new_good": "arista_eos",
        "napalm-ios-replace-initial-vs-new_good": "cisco_ios",
        "napalm-ios-running-vs-startup": "cisco_ios",
        "napalm-nxos-replace-initial-vs-new_good": "cisco_nxos",
        "netutils-asa-basic-partial-intended": "cisco_asa",
        "netutils-eos-bad-banner": "arista_eos",
        "netutils-ios-basic": "cisco_ios",
        "netutils-ios-unordered": "cisco_ios",
        "netutils-junos-diff-network-config": "juniper_junos",
        "netutils-nxos-basic": "cisco_nxos",
    ]

    /// Every pair directory present, sorted.
    static let names: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("pairs").path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted()
    }()

    static let key: [UInt8] = Array("driftwatch-diff-tests-key-000001".utf8)

    struct Pair {
        var name: String
        var profile: PlatformProfile
        var running: NormalizedConfig
        var intended: NormalizedConfig
        var options: DiffOptions { profile.diffOptions }
    }

    static func text(_ relative: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(relative), encoding: .utf8)
    }

    static func load(_ name: String) throws -> Pair {
        let platform = platforms[name] ?? "cisco_ios"
        let profile = try ProfileCatalog().profile(platform)
        let normalizer = Normalizer(profile: profile, masker: SecretMasker(key: key))
        let running = try normalizer.normalize(try text("pairs/\(name)/running.cfg"), checkCompleteness: false)
        let intended = try normalizer.normalize(try text("pairs/\(name)/intended.cfg"), checkCompleteness: false)
        return Pair(name: name, profile: profile, running: running, intended: intended)
    }
}

/// Structural checks of remediation text.
enum RemediationStructure {
    /// The commands of IOS-like remediation with the context each is entered in.
    static func commands(_ lines: [String]) -> [(path: [String], text: String)] {
        var out: [(path: [String], text: String)] = []
        var stack: [String] = []
        for (index, line) in lines.enumerated() {
            let depth = line.prefix { $0 == " " }.count
            let text = String(line.dropFirst(depth))
            if text == "exit" {
                if !stack.isEmpty { stack.removeLast() }
                continue
            }
            while stack.count > depth { stack.removeLast() }
            out.append((stack, text))
            if index + 1 < lines.count && lines[index + 1].prefix(while: { $0 == " " }).count > depth { stack.append(text) }
        }
        return out
    }

    /// Problems found: every removed statement must appear negated under its parent, every added
    /// statement (and each statement of an added section) under its parent.
    static func iosProblems(_ delta: ConfigDelta, _ lines: [String]) -> [String] {
        let entered = Set(commands(lines).map { ($0.path + [$0.text]).joined(separator: "\u{1}") })
        var problems: [String] = []
        func expect(_ path: [String], _ text: String) {
            if !entered.contains((path + [text]).joined(separator: "\u{1}")) {
                problems.append("missing \(text.debugDescription) under \(path)")
            }
        }
        func added(_ node: ConfigNode, _ path: [String]) {
            expect(path, node.text)
            for child in node.children { added(child, path + [node.text]) }
        }
        let commandsByPath = Dictionary(grouping: commands(lines), by: \.path).mapValues { $0.map(\.text) }
        for change in delta.changes {
            switch change.kind {
            case .removed:
                let negation = Remediation.negated(change.text)
                // A removed `no X` may be covered by an added `X …` in the same section.
                if change.text.hasPrefix("no "), commandsByPath[change.path, default: []].contains(where: { $0.hasPrefix(negation + " ") }) {
                    continue
                }
                expect(change.path, negation)
            case .added: added(change.node, change.path)
            }
        }
        return problems
    }

    /// Problems found for set/delete remediation.
    static func setProblems(_ delta: ConfigDelta, _ lines: [String]) -> [String] {
        let all = Set(lines)
        func words(_ parts: [String]) -> String {
            parts.map { $0.hasPrefix("set ") ? String($0.dropFirst(4)) : $0 }.joined(separator: " ")
        }
        var problems: [String] = []
        func leaves(_ node: ConfigNode, _ path: [String]) {
            if node.children.isEmpty {
                if !all.contains("set " + words(path + [node.text])) { problems.append("missing set for \(path + [node.text])") }
            }
            for child in node.children { leaves(child, path + [node.text]) }
        }
        for change in delta.changes {
            switch change.kind {
            case .removed:
                if !all.contains("delete " + words(change.path + [change.text])) { problems.append("missing delete for \(change)") }
            case .added: leaves(change.node, change.path)
            }
        }
        return problems
    }
}

/// How many times each `path|text` occurs in a tree (for the listed-once check with duplicates).
func occurrences(_ tree: ConfigTree) -> [String: Int] {
    var counts: [String: Int] = [:]
    func walk(_ node: ConfigNode, _ path: [String]) {
        counts["\(path.joined(separator: " > "))|\(node.text)", default: 0] += 1
        for child in node.children { walk(child, path + [node.text]) }
    }
    for root in tree.roots { walk(root, []) }
    return counts
}
