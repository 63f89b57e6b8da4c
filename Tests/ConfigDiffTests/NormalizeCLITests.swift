import Foundation
import DeviceLab
import Testing

@testable import ConfigDiff

/// `driftwatch normalize FILE --platform P`, run as a process: prints the normalized masked
/// text; every error exits 2 with a message naming the file.
@Suite struct NormalizeCLITests {
    /// The built `driftwatch` executable: `$DRIFTWATCH_BINARY`, or next to the test bundle.
    static func binary() throws -> URL {
        if let explicit = ProcessInfo.processInfo.environment["DRIFTWATCH_BINARY"] {
            return URL(fileURLWithPath: explicit)
        }
        let starts = [
            URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent(),
            Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(),
        ]
        for start in starts {
            var folder = start
            for _ in 0..<4 {
                let candidate = folder.appendingPathComponent("driftwatch")
                var isFolder: ObjCBool = false
                if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isFolder), !isFolder.boolValue,
                    FileManager.default.isExecutableFile(atPath: candidate.path)
                {
                    return candidate
                }
                folder = folder.deletingLastPathComponent()
            }
        }
        throw CocoaError(
            .fileNoSuchFile,
            userInfo: [
                NSLocalizedDescriptionKey:
                    "driftwatch binary not found next to the tests; run 'swift build' or set DRIFTWATCH_BINARY"
            ])
    }

    struct Run {
        var status: Int32
        var output: String
        var error: String
    }

    /// Runs the CLI in `folder`, awaiting it without holding a cooperative thread.
    static func run(_ arguments: [String], in folder: URL) async throws -> Run {
        let result = try await ChildProcess.run(try binary().path, arguments, in: folder)
        return Run(status: result.status, output: result.output, error: result.error)
    }

    static func workspace() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dw-normalize-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func printsNormalizedMaskedTextAndCreatesThePrivateKey() async throws {
        let folder = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: folder) }
        let fixture = Fixtures.root.appendingPathComponent("ios/oxidized__C9800-L-F-K9_17.06.05.cfg").path
        let result = try await Self.run(["normalize", fixture, "--platform", "cisco_ios"], in: folder)
        #expect(result.status == 0, "\(result.error)")
        let keyFile = folder.appendingPathComponent(".driftwatch/masking.key")
        let key = try Data(contentsOf: keyFile)
        #expect(key.count == 32)
        let attributes = try FileManager.default.attributesOfItem(atPath: keyFile.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let expected = try Normalizer(
            profile: try ProfileCatalog().profile(.ciscoIOS), masker: SecretMasker(key: Array(key))
        )
        .normalize(try Fixtures.text("ios/oxidized__C9800-L-F-K9_17.06.05.cfg")).text
        #expect(result.output == expected)
        #expect(!result.output.contains("MGMTPASSW0RD"))
        #expect(!result.output.contains("Building configuration"))
        // The same key on the next run: the same tokens.
        let again = try await Self.run(["normalize", fixture, "--platform", "cisco_ios"], in: folder)
        #expect(again.output == result.output)
    }

    @Test func errorsExitTwoAndNameTheFile() async throws {
        let folder = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = try await Self.run(["normalize", "no-such.cfg", "--platform", "cisco_ios"], in: folder)
        #expect(missing.status == 2)
        #expect(missing.error.contains("no-such.cfg") && missing.error.contains("does not exist"), "\(missing.error)")
        #expect(missing.output.isEmpty)

        let fixture = Fixtures.root.appendingPathComponent("nxos/netutils__nxos_full.cfg").path
        let unknown = try await Self.run(["normalize", fixture, "--platform", "cisco_ioz"], in: folder)
        #expect(unknown.status == 2)
        #expect(
            unknown.error.contains("netutils__nxos_full.cfg") && unknown.error.contains("unknown platform")
                && unknown.error.contains("cisco_ios"), "\(unknown.error)")

        let truncated = folder.appendingPathComponent("truncated.cfg")
        try Data("hostname r1\ninterface Gi1\n description x\n".utf8).write(to: truncated)
        let incomplete = try await Self.run(["normalize", "truncated.cfg", "--platform", "cisco_ios"], in: folder)
        #expect(incomplete.status == 2)
        #expect(
            incomplete.error.contains("truncated.cfg") && incomplete.error.contains("incomplete"), "\(incomplete.error)"
        )
        let allowed = try await Self.run(
            ["normalize", "truncated.cfg", "--platform", "cisco_ios", "--allow-incomplete"], in: folder)
        #expect(allowed.status == 0)
        #expect(allowed.output == "hostname r1\ninterface Gi1\n description x\n!\n")
    }

    @Test func refusesAKeyOthersCanRead() async throws {
        let folder = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: folder) }
        let state = folder.appendingPathComponent("state")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        let keyFile = state.appendingPathComponent("masking.key")
        try Data(repeating: 7, count: 32).write(to: keyFile)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: keyFile.path)
        let fixture = Fixtures.root.appendingPathComponent("ios/netutils__ios_full.cfg").path
        let result = try await Self.run(
            ["normalize", fixture, "--platform", "cisco_ios", "--state-dir", "state"], in: folder)
        #expect(result.status == 2)
        #expect(result.error.contains("masking.key") && result.error.contains("chmod 600"), "\(result.error)")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyFile.path)
        let fixed = try await Self.run(["normalize", fixture, "--platform", "cisco_ios", "--state-dir", "state"], in: folder)
        #expect(fixed.status == 0, "\(fixed.error)")
        let expected = try Normalizer(
            profile: try ProfileCatalog().profile(.ciscoIOS),
            masker: SecretMasker(key: [UInt8](repeating: 7, count: 32))
        )
        .normalize(try Fixtures.text("ios/netutils__ios_full.cfg")).text
        #expect(fixed.output == expected)
    }

    @Test func userProfileDirectory() async throws {
        let folder = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: folder) }
        let profiles = folder.appendingPathComponent("profiles")
        try FileManager.default.createDirectory(at: profiles, withIntermediateDirectories: true)
        try Data("id: acme_os\nstyle: flat\nvolatile:\n  - {startsWith: \"uptime \"}\n".utf8).write(
            to: profiles.appendingPathComponent("acme.yaml"))
        try Data("uptime 5 days\nfoo bar\n".utf8).write(to: folder.appendingPathComponent("acme.cfg"))
        let result = try await Self.run(
            ["normalize", "acme.cfg", "--platform", "acme_os", "--profiles", "profiles"], in: folder)
        #expect(result.status == 0, "\(result.error)")
        #expect(result.output == "foo bar\n")
        try Data("id: acme_os\nstyle: flat\nvolatle: []\n".utf8).write(to: profiles.appendingPathComponent("acme.yaml"))
        let bad = try await Self.run(
            ["normalize", "acme.cfg", "--platform", "acme_os", "--profiles", "profiles"], in: folder)
        #expect(bad.status == 2)
        #expect(bad.error.contains("acme.yaml:3"), "\(bad.error)")
    }
}

extension NormalizeCLITests {
    /// Without --state-dir, the key comes from the state folder of driftwatch.yaml.
    @Test func keyFromTheConfigurationStateFolder() async throws {
        let folder = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("state: var/state.sqlite\nbaselines: baselines\ndevices: []\n".utf8).write(
            to: folder.appendingPathComponent("driftwatch.yaml"))
        let fixture = Fixtures.root.appendingPathComponent("eos/netutils__eos_full.cfg").path
        let result = try await Self.run(["normalize", fixture, "--platform", "arista_eos"], in: folder)
        #expect(result.status == 0, "\(result.error)")
        let key = try Data(contentsOf: folder.appendingPathComponent("var/masking.key"))
        #expect(key.count == 32)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent(".driftwatch").path))
    }
}
