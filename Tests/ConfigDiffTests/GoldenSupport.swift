import Foundation

@testable import ConfigDiff

/// The repository's test fixtures (`Tests/Fixtures`): corpus copies by platform folder, pairs,
/// and golden cases. Tests read only these files, never the shared corpus.
enum Fixtures {
    /// `Tests/Fixtures`, found from this source file's path.
    static let root: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    /// Corpus folder → platform profile.
    static let platformOfFolder: [String: PlatformID] = [
        "ios": "cisco_ios", "nxos": "cisco_nxos", "eos": "arista_eos", "junos": "juniper_junos",
        "asa": "cisco_asa", "linux": "linux", "iosxr": "cisco_iosxr",
    ]

    /// A fixed masking key for tests and golden files.
    static let testKey: [UInt8] = Array("driftwatch-test-masking-key-0001".utf8)

    /// Every single configuration (`<folder>/<name>.cfg`), as paths relative to ``root``, sorted.
    static let singleConfigs: [String] = {
        var result: [String] = []
        for folder in platformOfFolder.keys.sorted() {
            let names =
                (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(folder).path)) ?? []
            result += names.filter { $0.hasSuffix(".cfg") }.sorted().map { "\(folder)/\($0)" }
        }
        return result
    }()

    /// Every pair directory name under `pairs/`, sorted.
    static let pairs: [String] = {
        let names =
            (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("pairs").path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted()
    }()

    /// The platform of a pair, from its name (`…-ios-…`, `…-junos-…`, `…-juniper-…`).
    static func platform(ofPair name: String) -> PlatformID {
        let parts = Set(name.split(separator: "-").map(String.init))
        if parts.contains("junos") || parts.contains("juniper") { return "juniper_junos" }
        if parts.contains("nxos") { return "cisco_nxos" }
        if parts.contains("eos") { return "arista_eos" }
        if parts.contains("asa") { return "cisco_asa" }
        return "cisco_ios"
    }

    /// Golden cases: directories `<folder>/<case>/` holding `raw.txt`.
    static let goldenCases: [String] = {
        var result: [String] = []
        for folder in platformOfFolder.keys.sorted() {
            let base = root.appendingPathComponent(folder)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? []
            for name in names.sorted()
            where FileManager.default.fileExists(
                atPath: base.appendingPathComponent(name).appendingPathComponent("raw.txt").path)
            {
                result.append("\(folder)/\(name)")
            }
        }
        return result
    }()

    /// The platform of a fixture path (`ios/…` → `cisco_ios`).
    static func platform(of relativePath: String) -> PlatformID {
        let folder = String(relativePath.split(separator: "/").first ?? "")
        return platformOfFolder[folder] ?? "generic"
    }

    /// A fixture file's text (bytes decoded as UTF-8, nothing else changed).
    static func text(_ relativePath: String) throws -> String {
        let data = try Data(contentsOf: root.appendingPathComponent(relativePath))
        return String(decoding: data, as: UTF8.self)
    }

    /// The built-in catalog.
    static func catalog() throws -> ProfileCatalog { try ProfileCatalog() }

    /// A normalizer for a platform with the test key.
    static func normalizer(_ platform: PlatformID) throws -> Normalizer {
        Normalizer(profile: try catalog().profile(platform), masker: SecretMasker(key: testKey))
    }

    /// Every (section path, statement) of a tree, in order: a flat view for comparing trees
    /// line by line in tests.
    static func statements(_ tree: ConfigTree) -> [String] {
        var result: [String] = []
        func walk(_ nodes: [ConfigNode], _ path: [String]) {
            for node in nodes {
                result.append((path + [node.text]).joined(separator: " > "))
                walk(node.children, path + [node.text])
            }
        }
        walk(tree.roots, [])
        return result
    }
}
