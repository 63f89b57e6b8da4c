import DeviceLab
import Foundation
import Testing

/// The one-shot commands through the real `driftwatch` binary against a lab device:
/// `hostkeys list|trust`, `check [--json]` with its exit status, `status --json`, `diff`.
@Suite(.tags(.lab)) struct CheckCLITests {
    struct Output {
        var status: Int32
        var output: String
        var error: String
    }

    /// Runs the binary to completion, awaiting it without holding a cooperative thread.
    static func run(_ arguments: [String], folder: URL, environment: [String: String]) async throws -> Output {
        let result = try await ChildProcess.run(
            try BaselineCLITests.binary().path,
            arguments + ["--config", folder.appendingPathComponent("driftwatch.yaml").path], in: folder,
            environment: ProcessInfo.processInfo.environment.merging(environment) { $1 })
        return Output(status: result.status, output: result.output, error: result.error)
    }

    @Test func hostKeysCheckStatusDiff() async throws {
        try await DeviceLab.withLab(DeviceLabOptions(devices: [LabDeviceSpec("c1", platform: .ciscoIOS)])) { lab in
            let device = try lab.device("c1")
            let canary = "CANARY-CLI-3e9f"
            try lab.setConfig(
                device: "c1", try lab.config(device: "c1").replacingOccurrences(of: "s3cr3t-ro", with: canary))
            let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
                "dw-check-cli-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let yaml = """
                state: .driftwatch/state.sqlite
                baselines: baselines
                defaults: { interval: 5m, timeout: 10s, concurrency: 4, host_key_policy: strict }
                approvers:
                  - { name: alice, groups: [lab] }
                devices:
                  - { name: c1, host: \(device.host), port: \(device.port), platform: cisco_ios, groups: [lab],
                      credentials: { username: \(lab.username), key_file: \(lab.clientKeyPath(.ed25519)), enable_password_env: LAB_ENABLE } }
                """
            try yaml.write(to: folder.appendingPathComponent("driftwatch.yaml"), atomically: true, encoding: .utf8)
            let env = ["LAB_ENABLE": lab.enableSecret, "USER": "alice"]
            func run(_ arguments: String...) async throws -> Output {
                try await Self.run(arguments, folder: folder, environment: env)
            }

            let list = try await run("hostkeys", "list")
            #expect(list.status == 0 && list.output.contains("not trusted"), "\(list)")
            let unknown = try await run("check", "--json")
            #expect(unknown.status == 2, "\(unknown)")
            #expect(
                unknown.output.contains("\"host-key-unknown\"")
                    && unknown.output.contains("driftwatch hostkeys trust c1"))

            let refused = try await run("hostkeys", "trust", "c1")
            #expect(refused.status == 2 && refused.error.contains("--yes"), "\(refused)")
            let wrong = try await run("hostkeys", "trust", "c1", "--fingerprint", "SHA256:not-this-one")
            #expect(wrong.status == 1, "\(wrong)")
            let trusted = try await run("hostkeys", "trust", "c1", "--yes")
            #expect(trusted.status == 0 && trusted.output.contains("SHA256:"), "\(trusted)")
            #expect(try await run("hostkeys", "list").output.contains("SHA256:"))

            let unbaselined = try await run("check", "--json")
            #expect(unbaselined.status == 1, "\(unbaselined)")
            #expect(unbaselined.output.contains("\"unbaselined\""))

            // Approve the stored snapshot, as the unbaselined hint says, then: clean.
            let approve = try await run("baseline", "approve", "c1", "--snapshot", "latest", "--reason", "cli test", "--yes")
            #expect(approve.status == 0, "\(approve)")
            let clean = try await run("check", "--json")
            #expect(clean.status == 0, "\(clean)")
            let noDrift = try await run("diff", "c1")
            #expect(noDrift.status == 0 && noDrift.output.contains("no drift"), "\(noDrift)")
            let cleanJSON = try JSONSerialization.jsonObject(with: Data(clean.output.utf8)) as? [String: Any]
            let cleanDevices = cleanJSON?["devices"] as? [[String: Any]]
            let cleanSnapshot = try #require(cleanDevices?.first?["snapshotId"] as? Int)

            try lab.setConfig(
                device: "c1",
                try lab.config(device: "c1").replacingOccurrences(of: "ip ssh version 2", with: "ip ssh version 1"))
            let drift = try await run("check")
            #expect(drift.status == 1, "\(drift)")
            #expect(drift.output.contains("c1: drifted (baseline v1)"))
            let diff = try await run("diff", "c1", "--against", "v1")
            #expect(
                diff.status == 1 && diff.output.contains("ip ssh version 1") && diff.output.contains("remediation:"),
                "\(diff)")
            let old = try await run("diff", "c1", "--snapshot", "\(cleanSnapshot)")
            #expect(old.status == 0 && old.output.contains("snapshot \(cleanSnapshot)"), "\(old)")
            let collect = try await run("collect", "c1")
            #expect(collect.status == 0 && collect.output.contains("c1: ok, snapshot"), "\(collect)")
            let status = try await run("status", "--json")
            #expect(status.status == 0)
            let rows = try #require(
                try JSONSerialization.jsonObject(with: Data(status.output.utf8)) as? [[String: Any]])
            #expect(rows.first?["state"] as? String == "drifted")
            #expect(rows.first?["baselineVersion"] as? Int == 1)
            #expect(rows.first?["added"] as? Int == 1)

            for output in [unknown, unbaselined, clean, drift, diff, old, collect, status] {
                #expect(!output.output.contains(canary) && !output.error.contains(canary))
            }
        }
    }
}
