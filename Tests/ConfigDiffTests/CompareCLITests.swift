import Foundation
import DeviceLab
import Testing

/// `driftwatch compare A B --platform P [--json]`, run as a process: exit 0 same, 1 different,
/// 2 error with a message naming the file; no state written.
@Suite struct CompareCLITests {
    static func run(_ arguments: [String], in folder: URL) async throws -> (status: Int32, output: String, error: String) {
        let result = try await ChildProcess.run(try NormalizeCLITests.binary().path, arguments, in: folder)
        return (result.status, result.output, result.error)
    }

    static func pair(_ name: String, _ file: String) -> String {
        PairFixtures.root.appendingPathComponent("pairs/\(name)/\(file)").path
    }

    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dw-compare-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func exitCodesFollowDiff() async throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let same = try await Self.run(
            ["compare", Self.pair("napalm-ios-running-vs-startup", "running.cfg"), Self.pair("napalm-ios-running-vs-startup", "intended.cfg"), "--platform", "cisco_ios"],
            in: folder)
        #expect(same.status == 0)
        #expect(same.output.contains("are equivalent for cisco_ios"))

        let different = try await Self.run(
            ["compare", Self.pair("napalm-ios-replace-initial-vs-new_good", "intended.cfg"), Self.pair("napalm-ios-replace-initial-vs-new_good", "running.cfg"), "--platform", "cisco_ios"],
            in: folder)
        #expect(different.status == 1)
        #expect(different.output.contains("+   no ip address\n"))
        #expect(different.output.contains("Remediation (commands to bring"))
        #expect(different.output.contains("\ninterface GigabitEthernet2\n ip address 172.20.0.1 255.255.255.0\n exit\n"))

        let json = try await Self.run(
            ["compare", Self.pair("hier_config-junos-set", "intended.cfg"), Self.pair("hier_config-junos-set", "running.cfg"), "--platform", "juniper_junos", "--json"],
            in: folder)
        #expect(json.status == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any])
        #expect(object["same"] as? Bool == false)
        #expect((object["remediation"] as? [String])?.isEmpty == false)
        // Offline compare writes no state: without a key file, a key for this run only is used.
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent(".driftwatch").path))
    }

    @Test func errorsExitTwoAndNameTheFile() async throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let existing = Self.pair("netutils-ios-basic", "running.cfg")
        let missing = try await Self.run(["compare", "nope.cfg", existing, "--platform", "cisco_ios"], in: folder)
        #expect(missing.status == 2)
        #expect(missing.error.contains("nope.cfg"))
        let platform = try await Self.run(["compare", existing, existing, "--platform", "no_such_platform"], in: folder)
        #expect(platform.status == 2)
        #expect(platform.error.contains("no_such_platform"))
        let full = try String(contentsOfFile: Self.pair("napalm-ios-running-vs-startup", "running.cfg"), encoding: .utf8)
        let cut = folder.appendingPathComponent("cut.cfg")
        try String(full.prefix(full.count / 2)).write(to: cut, atomically: true, encoding: .utf8)
        let truncated = try await Self.run(["compare", Self.pair("napalm-ios-running-vs-startup", "running.cfg"), cut.path, "--platform", "cisco_ios"], in: folder)
        #expect(truncated.status == 2)
        #expect(truncated.error.contains("cut.cfg"))
        #expect(truncated.output.isEmpty)
    }
}
