import Baselines
import ConfigDiff
import Foundation
import Testing

@testable import DriftWatch

/// Device states written by a check, with scripted collections: drift inside a maintenance
/// window, stale after 3 intervals without a good collection, clean after approval.
@Suite struct DriftStateTests {
    static func context(windows: [MaintenanceWindow] = []) throws -> (OneShotContext, URL) {
        let folder = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent(
            "dw-drift-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let configuration = DriftWatchConfiguration(
            file: folder.appendingPathComponent("driftwatch.yaml").path, folder: folder,
            defaults: CollectionDefaults(interval: .seconds(60), timeout: .seconds(2), timeLimit: .seconds(10)),
            devices: [
                DeviceEntry(
                    name: "r1", host: "192.0.2.1", platform: "cisco_ios", groups: ["core"],
                    credentials: CredentialReference(username: "u", passwordEnv: "PW"))
            ], maintenanceWindows: windows)
        return (try OneShotContext.open(configuration: configuration, catalog: try ProfileCatalog()), folder)
    }

    @Test func driftInsideAMaintenanceWindowIsMarked() async throws {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let hour = calendar.component(.hour, from: Date())
        let window = MaintenanceWindow(
            groups: ["core"], every: "day", from: String(format: "%02d:00", (hour + 23) % 24),
            to: String(format: "%02d:00", (hour + 2) % 24))
        let (context, folder) = try Self.context(windows: [window])
        defer { try? FileManager.default.removeItem(at: folder) }
        let approved = "hostname r1\n!\ninterface Gi0/1\n description x\n!\nend\n"
        let running = "hostname r1\n!\ninterface Gi0/1\n description y\n!\nend\n"
        let normalized = try Normalizer(
            profile: try context.catalog.profile(PlatformID("cisco_ios")), masker: context.masker
        )
        .normalize(approved)
        _ = try context.baselines.approve(
            device: "r1", config: normalized.text,
            draft: ApprovalDraft(
                approver: "alice", reason: "t", source: ApprovalSource(.file, "t.cfg"), platform: "cisco_ios"),
            expectedHead: nil)
        let check = try context.driftCheck(
            transport: ScriptedTransport([.answer(running)]), environment: ["PW": "pw"], logger: CollectorWorld.logger)
        let report = await check.run(context.configuration.devices)
        let device = try #require(report.devices.first)
        #expect(device.state == .drifted && device.inMaintenance)
        #expect(device.delta?.changes.map(\.path) == [["interface Gi0/1"], ["interface Gi0/1"]])
        #expect(device.remediation.contains { $0.contains("description x") })
        let stored = try await context.store.deviceState(device: "r1")
        let state = try #require(stored)
        #expect(state.status == .drifted && state.inMaintenance && state.baselineVersion == 1)
        #expect(state.drift?.added == 1 && state.drift?.removed == 1 && state.drift?.snapshotID == device.snapshotID)
        #expect(state.drift?.delta == device.delta)
    }

    @Test func staleAfterThreeIntervalsWithoutAGoodCollection() async throws {
        let (context, folder) = try Self.context()
        defer { try? FileManager.default.removeItem(at: folder) }
        let long = Date().addingTimeInterval(-181)
        try await context.store.saveDeviceState(
            DeviceState(
                device: "r1", status: .clean, since: long, lastSuccessAt: long, lastAttemptAt: long, baselineVersion: 1)
        )
        let check = try context.driftCheck(
            transport: ScriptedTransport([.fail(.connectionFailed)]),
            options: CollectorOptions(maxAttempts: 1), environment: ["PW": "pw"], logger: CollectorWorld.logger)
        let report = await check.run(context.configuration.devices)
        #expect(report.devices.first?.state == .stale)
        #expect(report.devices.first?.collection == .unreachable)
        let stored = try await context.store.deviceState(device: "r1")
        #expect(stored?.status == .stale && stored?.consecutiveFailures == 1 && stored?.lastSuccessAt != nil)

        // A recent good collection: a failure is `unreachable`, not stale.
        let recent = Date().addingTimeInterval(-30)
        try await context.store.saveDeviceState(
            DeviceState(device: "r1", status: .clean, since: recent, lastSuccessAt: recent, baselineVersion: 1))
        #expect(await check.run(context.configuration.devices).devices.first?.state == .unreachable)
    }

    @Test func approvedStandardsThatApplyAreEvaluated() async throws {
        let (context, folder) = try Self.context()
        defer { try? FileManager.default.removeItem(at: folder) }
        let standards = context.baselines.standards
        try FileManager.default.createDirectory(at: standards.root, withIntermediateDirectories: true)
        let rule = """
            name: core-basics
            applies_to:
              groups: [core]
            rules:
              - id: CORE-001
                description: Passwords are encrypted
                severity: medium
                require: ["service password-encryption"]
            """
        try rule.write(to: standards.workingFile("core-basics"), atomically: true, encoding: .utf8)
        // Not approved yet: not enforced by the check.
        let config = "hostname r1\n!\ninterface Gi0/1\n description x\n!\nend\n"
        let check = try context.driftCheck(
            transport: ScriptedTransport([.answer(config)]), environment: ["PW": "pw"], logger: CollectorWorld.logger)
        #expect(await check.run(context.configuration.devices).devices.first?.findings.isEmpty == true)

        _ = try standards.approve(
            "core-basics",
            draft: ApprovalDraft(approver: "alice", reason: "t", source: ApprovalSource(.file, "core-basics.yaml")),
            expectedHead: nil)
        let enforced = try context.driftCheck(
            transport: ScriptedTransport([.answer(config)]), environment: ["PW": "pw"], logger: CollectorWorld.logger)
        let device = try #require(await enforced.run(context.configuration.devices).devices.first)
        #expect(device.state == .unbaselined)
        #expect(device.findings.map(\.rule) == ["CORE-001"])
        #expect(device.findings.first?.severity == "medium")
    }
}
