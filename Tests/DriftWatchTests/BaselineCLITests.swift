import ConfigDiff
import DriftWatch
import DeviceLab
import Foundation
import Testing

/// End-to-end tests of the `driftwatch` binary built beside this test bundle: baseline,
/// standards and audit commands on real files in a temporary folder, exit codes included.
@Suite struct BaselineCLITests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let corpusIOS = repository.appendingPathComponent("Tests/Fixtures/ios/batfish__example-live-as1border1.cfg")

    static let configuration = """
        state: .driftwatch/state.sqlite
        baselines: baselines
        approvers:
          - { name: alice, groups: [core, edge] }
          - { name: bob, groups: [edge] }
        devices:
          - { name: r1, host: 192.0.2.10, platform: cisco_ios, groups: [core] }
          - { name: r2, host: 192.0.2.11, platform: cisco_ios, groups: [core, edge] }
          - { name: e1, host: 192.0.2.12, platform: cisco_ios, groups: [edge] }
        """

    /// The built `driftwatch` executable: `$DRIFTWATCH_BINARY`, or next to the test bundle.
    static func binary() throws -> URL {
        if let explicit = ProcessInfo.processInfo.environment["DRIFTWATCH_BINARY"] {
            return URL(fileURLWithPath: explicit)
        }
        var candidates: [URL] = []
        let argument0 = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        candidates.append(argument0.deletingLastPathComponent())
        candidates.append(Bundle.main.bundleURL)
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
        for folder in candidates {
            var current = folder
            for _ in 0..<4 {
                let candidate = current.appendingPathComponent("driftwatch")
                var isFolder: ObjCBool = false
                if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isFolder), !isFolder.boolValue,
                    FileManager.default.isExecutableFile(atPath: candidate.path)
                {
                    return candidate
                }
                current = current.deletingLastPathComponent()
            }
        }
        throw CLIError(
            "the driftwatch binary was not found next to the test bundle (\(candidates.map(\.path))); run 'swift build' first or set DRIFTWATCH_BINARY"
        )
    }

    struct CLIError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    struct Result {
        var status: Int32
        var output: String
        var error: String
    }

    /// A workspace: driftwatch.yaml, the shipped standards, and a copy of one corpus config.
    final class Workspace: Sendable {
        let folder: URL
        init() throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("dw-cli-\(UUID().uuidString)")
            try FileManager.default.createDirectory(
                at: folder.appendingPathComponent("baselines/standards"), withIntermediateDirectories: true)
            try Data(BaselineCLITests.configuration.utf8).write(to: folder.appendingPathComponent("driftwatch.yaml"))
            let standards = BaselineCLITests.repository.appendingPathComponent("baselines/standards")
            for name in try FileManager.default.contentsOfDirectory(atPath: standards.path)
            where name.hasSuffix(".yaml") {
                try FileManager.default.copyItem(
                    at: standards.appendingPathComponent(name),
                    to: folder.appendingPathComponent("baselines/standards/\(name)"))
            }
            let config = try String(contentsOf: BaselineCLITests.corpusIOS, encoding: .utf8)
            try Data(config.utf8).write(to: folder.appendingPathComponent("r1.cfg"))
            try Data(
                config.replacingOccurrences(
                    of: "ip address 1.0.1.1 255.255.255.0", with: "ip address 1.0.1.9 255.255.255.0"
                ).utf8
            ).write(to: folder.appendingPathComponent("r1-v2.cfg"))
        }
        deinit { try? FileManager.default.removeItem(at: folder) }

        func path(_ relative: String) -> String { folder.appendingPathComponent(relative).path }
        func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: path(relative)) }
    }

    /// Starts the binary with `arguments` (plus `--config`), standard input from /dev/null.
    static func start(_ arguments: [String], in workspace: Workspace) throws -> ChildProcess {
        try ChildProcess.start(
            try binary().path, arguments + ["--config", workspace.path("driftwatch.yaml")], in: workspace.folder)
    }

    /// Runs the binary to completion, awaiting it without holding a cooperative thread.
    @discardableResult
    static func run(_ arguments: [String], in workspace: Workspace) async throws -> Result {
        let result = try await start(arguments, in: workspace).wait()
        return Result(status: result.status, output: result.output, error: result.error)
    }

    static func approve(
        _ device: String, _ file: String, as approver: String = "alice", in workspace: Workspace, extra: [String] = []
    ) async throws -> Result {
        try await run(
            ["baseline", "approve", device, "--from-file", file, "--reason", "test \(file)", "--as", approver, "--yes"]
                + extra, in: workspace)
    }

    /// r1 approved twice.
    static func twoVersions() async throws -> Workspace {
        let workspace = try Workspace()
        let first = try await approve("r1", "r1.cfg", in: workspace, extra: ["--ticket", "CHG-1"])
        #expect(first.status == 0, "\(first.error)")
        let second = try await approve("r1", "r1-v2.cfg", in: workspace)
        #expect(second.status == 0, "\(second.error)")
        return workspace
    }

    @Test func approveTwiceThenVerifyHistoryShowListRollbackAudit() async throws {
        let workspace = try await Self.twoVersions()
        #expect(workspace.exists("baselines/devices/r1/v1.cfg") && workspace.exists("baselines/devices/r2") == false)
        let v2 =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: workspace.path("baselines/devices/r1/v2.json"))))
            as? [String: Any]
        let v1Bytes = try Data(contentsOf: URL(fileURLWithPath: workspace.path("baselines/devices/r1/v1.json")))
        #expect(v2?["previous_sha256"] as? String == sha256(v1Bytes))
        #expect(v2?["approver"] as? String == "alice")

        let verify = try await Self.run(["baseline", "verify"], in: workspace)
        #expect(verify.status == 0)
        #expect(verify.output.contains("intact: 1 devices, 2 baseline versions"))

        let history = try await Self.run(["baseline", "history", "r1"], in: workspace)
        #expect(history.status == 0)
        #expect(history.output.contains("v1 ") && history.output.contains("[CHG-1]") && history.output.contains("v2 "))

        let show = try await Self.run(["baseline", "show", "r1", "--version", "2", "--raw"], in: workspace)
        #expect(show.output.contains("ip address 1.0.1.9 255.255.255.0"))

        let list = try await Self.run(["baseline", "list"], in: workspace)
        #expect(list.output.contains("r1  v2") && list.output.contains("r2  -  no baseline approved"))

        let rollback = try await Self.run(
            ["baseline", "rollback", "r1", "--to", "1", "--reason", "revert", "--as", "alice", "--yes"], in: workspace)
        #expect(rollback.status == 0, "\(rollback.error)")
        #expect(rollback.output.contains("-   ip address 1.0.1.9 255.255.255.0"))
        let v3 = try String(contentsOfFile: workspace.path("baselines/devices/r1/v3.cfg"), encoding: .utf8)
        #expect(v3 == (try String(contentsOfFile: workspace.path("baselines/devices/r1/v1.cfg"), encoding: .utf8)))

        let audit = try await Self.run(["audit"], in: workspace)
        #expect(audit.status == 0)
        #expect(audit.output.contains("baseline.rollback") && audit.output.contains("audit log intact: 3 records"))
        let json = try await Self.run(["audit", "--json", "--since", "2000-01-01"], in: workspace)
        let parsed = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
        #expect(parsed?["intact"] as? Bool == true)
        #expect((parsed?["records"] as? [Any])?.count == 3)
    }

    @Test func secondApprovalShowsTheHierarchicalDiff() async throws {
        let workspace = try Workspace()
        #expect(try await Self.approve("r1", "r1.cfg", in: workspace).status == 0)
        let second = try await Self.approve("r1", "r1-v2.cfg", in: workspace)
        #expect(second.output.contains("baseline r1: v1 -> v2, approver alice"))
        #expect(
            second.output.contains(
                "  interface GigabitEthernet0/0\n-   ip address 1.0.1.1 255.255.255.0\n+   ip address 1.0.1.9 255.255.255.0"
            ))
    }

    @Test(arguments: ["edit", "delete-json", "swap", "edit-latest-record", "remove-latest"])
    func tamperingMakesVerifyExit1(_ tampering: String) async throws {
        let workspace = try await Self.twoVersions()
        let base = workspace.folder.appendingPathComponent("baselines/devices/r1")
        let expected: String
        switch tampering {
        case "edit":
            var bytes = try Data(contentsOf: base.appendingPathComponent("v1.cfg"))
            bytes[0] ^= 0x20
            try bytes.write(to: base.appendingPathComponent("v1.cfg"))
            expected = "baseline r1 v1: edited: v1.cfg was edited"
        case "delete-json":
            try FileManager.default.removeItem(at: base.appendingPathComponent("v2.json"))
            expected = "baseline r1 v2: unsigned: v2.cfg has no v2.json"
        case "swap":
            for ext in ["cfg", "json"] {
                try FileManager.default.moveItem(
                    at: base.appendingPathComponent("v1.\(ext)"), to: base.appendingPathComponent("tmp.\(ext)"))
                try FileManager.default.moveItem(
                    at: base.appendingPathComponent("v2.\(ext)"), to: base.appendingPathComponent("v1.\(ext)"))
                try FileManager.default.moveItem(
                    at: base.appendingPathComponent("tmp.\(ext)"), to: base.appendingPathComponent("v2.\(ext)"))
            }
            expected = "baseline r1 v1: reordered: v1.json holds the record of baseline r1 v2"
        case "remove-latest":
            try FileManager.default.removeItem(at: base.appendingPathComponent("v2.json"))
            try FileManager.default.removeItem(at: base.appendingPathComponent("v2.cfg"))
            expected = "baseline r1 v2: removed: v2 was approved (audit log line 2) but its files are gone"
        default:
            let url = base.appendingPathComponent("v2.json")
            let text = try String(contentsOf: url, encoding: .utf8).replacingOccurrences(
                of: "\"alice\"", with: "\"mallory\"")
            try Data(text.utf8).write(to: url)
            expected = "baseline r1 v2: edited: v2.json differs from the record written at approval (audit log line 2)"
        }
        let verify = try await Self.run(["baseline", "verify"], in: workspace)
        #expect(verify.status == 1)
        #expect(verify.output.contains(expected), "\(verify.output)")
        if tampering == "swap" { #expect(verify.output.contains("baseline r1 v2: reordered")) }
        let json = try await Self.run(["baseline", "verify", "--json"], in: workspace)
        #expect(json.status == 1)
        #expect(json.output.contains("\"intact\" : false"))
        // Nothing more may be approved onto a broken history.
        let refused = try await Self.approve("r1", "r1.cfg", in: workspace)
        if tampering != "edit-latest-record" && tampering != "remove-latest" {
            #expect(refused.status == 2)
            #expect(refused.error.contains("does not verify"))
        }
    }

    @Test func unauthorizedApproverIsRefusedAndNothingIsWritten() async throws {
        let workspace = try Workspace()
        let refused = try await Self.approve("r1", "r1.cfg", as: "bob", in: workspace)
        #expect(refused.status == 2)
        #expect(refused.error.contains("bob may not approve for group 'core' of device r1"))
        #expect(refused.error.contains("'approvers' in \(workspace.path("driftwatch.yaml"))"))
        #expect(!workspace.exists("baselines/devices/r1"))
        #expect(!workspace.exists(".driftwatch/audit.jsonl"))
        let mixed = try await Self.approve("r2", "r1.cfg", as: "bob", in: workspace)
        #expect(mixed.status == 2 && mixed.error.contains("group 'core'"))
        let unknown = try await Self.approve("e1", "r1.cfg", as: "mallory", in: workspace)
        #expect(unknown.status == 2 && unknown.error.contains("mallory is not an approver"))
        #expect(!workspace.exists("baselines/devices"))
        #expect(try await Self.approve("e1", "r1.cfg", as: "bob", in: workspace).status == 0)
    }

    @Test func withoutTerminalApprovalNeedsYes() async throws {
        let workspace = try Workspace()
        let result = try await Self.run(
            ["baseline", "approve", "r1", "--from-file", "r1.cfg", "--reason", "x", "--as", "alice"], in: workspace)
        #expect(result.status == 2)
        #expect(result.error.contains("not a terminal") && result.error.contains("--yes"))
        #expect(!workspace.exists("baselines/devices/r1/v1.json"))
    }

    /// On a terminal (a pseudo-terminal from util-linux `script`), approve asks and obeys the answer.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func onATerminalApprovalAsks() async throws {
        let workspace = try Workspace()
        #expect(try await Self.approve("r1", "r1.cfg", in: workspace).status == 0)
        func answer(_ reply: String, _ file: String) async throws -> Int32 {
            let command = [
                try Self.binary().path, "baseline", "approve", "r1", "--from-file", file, "--reason", "tty", "--as",
                "alice", "--config", workspace.path("driftwatch.yaml"),
            ]
            return try await ChildProcess.run(
                "/usr/bin/script", ["-qec", command.map { "'\($0)'" }.joined(separator: " "), "/dev/null"],
                in: workspace.folder, input: Data(reply.utf8)
            ).status
        }
        #expect(try await answer("n\n", "r1-v2.cfg") == 1)
        #expect(!workspace.exists("baselines/devices/r1/v2.json"))
        #expect(try await answer("y\n", "r1-v2.cfg") == 0)
        #expect(workspace.exists("baselines/devices/r1/v2.json"))
    }

    @Test func approveFromAStoredSnapshot() async throws {
        let workspace = try Workspace()
        let latest = ["baseline", "approve", "r1", "--snapshot", "latest", "--reason", "x", "--as", "alice", "--yes"]
        // Nothing collected yet: refused, saying what to run.
        let none = try await Self.run(latest, in: workspace)
        #expect(none.status == 2)
        #expect(none.error.contains("driftwatch collect r1"), "\(none.error)")

        // A snapshot stored as the collector stores it (normalized and masked with the install's key).
        let key = try MaskingKey.load(stateDirectory: workspace.path(".driftwatch"))
        let profile = try ProfileCatalog().profile(PlatformID("cisco_ios"))
        let normalized = try Normalizer(profile: profile, masker: SecretMasker(key: key)).normalize(
            try String(contentsOf: Self.corpusIOS, encoding: .utf8))
        let store = try SQLiteStateStore(path: workspace.path(".driftwatch/state.sqlite"))
        let stored = try await store.recordCollection(
            CollectionReport(
                device: "r1", startedAt: Date(), duration: .seconds(1), trigger: .manual, result: .ok,
                content: SnapshotContent(normalized)), deviceState: nil)
        let id = try #require(stored.snapshot?.id)

        let approved = try await Self.run(latest, in: workspace)
        #expect(approved.status == 0, "\(approved.error)")
        let text = try String(contentsOfFile: workspace.path("baselines/devices/r1/v1.cfg"), encoding: .utf8)
        #expect(text == normalized.text)
        let record = try String(contentsOfFile: workspace.path("baselines/devices/r1/v1.json"), encoding: .utf8)
        #expect(record.contains("snapshot") && record.contains("\(id)"))

        // By id; a snapshot of another device, or a malformed id, is refused.
        let again = try await Self.run(
            ["baseline", "approve", "r1", "--snapshot", "\(id)", "--reason", "x", "--as", "alice", "--yes"],
            in: workspace)
        #expect(again.status == 0, "\(again.error)")
        let other = try await Self.run(
            ["baseline", "approve", "r2", "--snapshot", "\(id)", "--reason", "x", "--as", "alice", "--yes"],
            in: workspace)
        #expect(other.status == 2 && other.error.contains("not a stored snapshot of r2"), "\(other.error)")
        let malformed = try await Self.run(
            ["baseline", "approve", "r1", "--snapshot", "last", "--reason", "x", "--as", "alice", "--yes"],
            in: workspace)
        #expect(malformed.status == 2 && malformed.error.contains("'latest'"), "\(malformed.error)")
        let usage = try await Self.run(["baseline", "approve", "r1", "--reason", "x"], in: workspace)
        #expect(usage.status == 64)
    }

    @Test func twentyConcurrentApproveProcessesYieldTwentyVersions() async throws {
        let workspace = try Workspace()
        let config = try String(contentsOf: Self.corpusIOS, encoding: .utf8)
        for index in 1...20 {
            let text = config.replacingOccurrences(of: "hostname as1border1", with: "hostname as1border1-\(index)")
            try Data(text.utf8).write(to: workspace.folder.appendingPathComponent("c\(index).cfg"))
        }
        var processes: [ChildProcess] = []
        for index in 1...20 {
            processes.append(
                try Self.start(
                    [
                        "baseline", "approve", "r1", "--from-file", "c\(index).cfg", "--reason", "race \(index)",
                        "--as", "alice", "--yes",
                    ],
                    in: workspace))
        }
        for (index, process) in processes.enumerated() {
            let result = await process.wait()
            #expect(result.status == 0, "process \(index + 1): \(result.error)")
        }
        let names = try FileManager.default.contentsOfDirectory(atPath: workspace.path("baselines/devices/r1")).filter {
            !$0.hasPrefix(".")
        }
        #expect(Set(names) == Set((1...20).flatMap { ["v\($0).cfg", "v\($0).json"] }))
        // Every content file approved exactly once.
        var hostnames: Set<String> = []
        for version in 1...20 {
            let text = try String(
                contentsOfFile: workspace.path("baselines/devices/r1/v\(version).cfg"), encoding: .utf8)
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("hostname ") }) {
                hostnames.insert(String(line))
            }
        }
        #expect(hostnames.count == 20)
        let verify = try await Self.run(["baseline", "verify"], in: workspace)
        #expect(verify.status == 0, "\(verify.output)")
        #expect(verify.output.contains("20 baseline versions"))
        let audit = try await Self.run(["audit"], in: workspace)
        #expect(audit.status == 0 && audit.output.contains("20 records"))
    }

    @Test func standardsCheckListAndApprove() async throws {
        let workspace = try Workspace()
        let file = try await Self.run(
            ["standards", "check", "--file", Self.corpusIOS.path, "--platform", "cisco_ios"], in: workspace)
        #expect(file.status == 1)
        #expect(file.output.contains("13 finding(s); ios-hardening (unapproved working file)"))
        #expect(file.output.contains("[high] ios-hardening/IOS-VTY-001 at line vty 0 4"))

        let skipped = try await Self.run(["standards", "check", "r1"], in: workspace)
        #expect(skipped.status == 0 && skipped.output.contains("r1: skipped, no approved baseline"))
        #expect(try await Self.approve("r1", "r1.cfg", in: workspace).status == 0)
        let device = try await Self.run(["standards", "check", "r1", "--json"], in: workspace)
        #expect(device.status == 1)
        let parsed = try JSONSerialization.jsonObject(with: Data(device.output.utf8)) as? [[String: Any]]
        #expect(parsed?.first?["evaluated"] as? String == "baseline v1")
        #expect((parsed?.first?["findings"] as? [Any])?.count == 13)

        let bob = try await Self.run(
            ["standards", "approve", "ios-hardening", "--reason", "adopt", "--as", "bob", "--yes"], in: workspace)
        #expect(bob.status == 2 && bob.error.contains("group 'core'") && bob.error.contains("'approvers'"))
        let alice = try await Self.run(
            ["standards", "approve", "ios-hardening", "--reason", "adopt", "--as", "alice", "--yes"], in: workspace)
        #expect(alice.status == 0, "\(alice.error)")
        #expect(workspace.exists("baselines/standards/.versions/ios-hardening/v1.yaml"))
        let list = try await Self.run(["standards", "list"], in: workspace)
        #expect(list.output.contains("ios-hardening  2026.1  approved v1"))
        // Editing the working file leaves the approved version in force until approved again.
        let working = workspace.folder.appendingPathComponent("baselines/standards/ios-hardening.yaml")
        let edited = try String(contentsOf: working, encoding: .utf8).replacingOccurrences(
            of: "severity: critical", with: "severity: info")
        try Data(edited.utf8).write(to: working)
        #expect(
            try await Self.run(["standards", "list"], in: workspace).output.contains("approved v1, working file modified"))
        let audit = try await Self.run(["audit"], in: workspace)
        #expect(audit.output.contains("standard.approve  ios-hardening"))
        #expect(try await Self.run(["baseline", "verify"], in: workspace).output.contains("4 standards"))
    }

    @Test func malformedFilesAreErrorsWithFileAndLine() async throws {
        let workspace = try Workspace()
        let standard = workspace.folder.appendingPathComponent("baselines/standards/eos-hardening.yaml")
        let text = try String(contentsOf: standard, encoding: .utf8).replacingOccurrences(
            of: "severity: high", with: "severity: severe")
        try Data(text.utf8).write(to: standard)
        let list = try await Self.run(["standards", "list"], in: workspace)
        #expect(list.status == 2)
        #expect(list.error.contains("\(standard.path):") && list.error.contains("severity"))
        #expect(
            list.error.range(of: #"eos-hardening\.yaml:\d+: key 'rules\[\d+\]\.severity'"#, options: .regularExpression)
                != nil, "\(list.error)")

        try Data("devices:\n  - { name: r1, host: h, platform: cisco_ios, colour: red }\n".utf8).write(
            to: workspace.folder.appendingPathComponent("driftwatch.yaml"))
        let config = try await Self.run(["baseline", "list"], in: workspace)
        #expect(config.status == 2)
        #expect(config.error.contains("driftwatch.yaml:2: key 'devices[0].colour': unknown key"), "\(config.error)")
    }

    @Test func malformedBaselineRecordIsAnError() async throws {
        let workspace = try await Self.twoVersions()
        try Data("{ \"format\": 1,\n  \"kind\": \n".utf8).write(
            to: workspace.folder.appendingPathComponent("baselines/devices/r1/v1.json"))
        let history = try await Self.run(["baseline", "history", "r1"], in: workspace)
        #expect(history.status == 2)
        #expect(history.error.contains("baselines/devices/r1/v1.json:2: not valid JSON"), "\(history.error)")
        let verify = try await Self.run(["baseline", "verify"], in: workspace)
        #expect(verify.status == 1 && verify.output.contains("baseline r1 v1: malformed"))
    }

    @Test func tamperedAuditLineIsReportedWithItsLineNumber() async throws {
        let workspace = try await Self.twoVersions()
        let log = workspace.folder.appendingPathComponent(".driftwatch/audit.jsonl")
        let text = try String(contentsOf: log, encoding: .utf8).replacingOccurrences(
            of: "\"reason\":\"test r1-v2.cfg\"", with: "\"reason\":\"harmless\"")
        try Data(text.utf8).write(to: log)
        let audit = try await Self.run(["audit"], in: workspace)
        #expect(audit.status == 1)
        #expect(
            audit.output.contains("audit.jsonl:2: record 2 (baseline.approve r1 by alice) was altered"),
            "\(audit.output)")
    }

    func sha256(_ data: Data) -> String {
        // The test recomputes the hash with the system tool, independently of the code under test.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("dw-hash-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        guard (try? data.write(to: file)) != nil else { return "" }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        guard (try? process.run()) != nil else { return "" }
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: output, as: UTF8.self).split(separator: " ").first.map(String.init) ?? ""
    }
}
