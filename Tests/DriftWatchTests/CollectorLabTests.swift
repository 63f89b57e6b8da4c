import ConfigDiff
import DeviceLab
import Foundation
import Testing

@testable import DriftWatch

/// The collector, drift evaluation and state store against one real sshd lab: four platforms
/// collected, baselines approved from stored snapshots, drift and volatile-only changes, and
/// the failure modes (hang, flood, refused auth) isolated from the good devices.
@Suite(.tags(.lab)) struct CollectorLabTests {
    static let canaries = [
        "CANARY-IOS-1b7e", "CANARY-IOS-SECRET-9d2c", "CANARY-EOS-4a1f", "CANARY-JUN-77ab", "CANARY-LNX-5c3d",
    ]

    @Test func collectsComparesAndIsolatesFailures() async throws {
        try await DeviceLab.withLab(
            DeviceLabOptions(devices: [
                LabDeviceSpec("r1", platform: .ciscoIOS), LabDeviceSpec("j1", platform: .junos),
                LabDeviceSpec("e1", platform: .aristaEOS), LabDeviceSpec("h1", platform: .linux),
                LabDeviceSpec("hang1", platform: .ciscoIOS), LabDeviceSpec("flood1", platform: .aristaEOS),
                LabDeviceSpec("auth1", platform: .ciscoIOS),
            ])
        ) { lab in try await Self.scenario(lab) }
    }

    static func scenario(_ lab: DeviceLab) async throws {
        // Canary secrets in every platform's configuration.
        try lab.setConfig(
            device: "r1",
            try lab.config(device: "r1").replacingOccurrences(
                of: "snmp-server community s3cr3t-ro RO",
                with:
                    "snmp-server community CANARY-IOS-1b7e RO\nusername canary privilege 15 secret 0 CANARY-IOS-SECRET-9d2c"
            ))
        try lab.setConfig(
            device: "e1",
            try lab.config(device: "e1").replacingOccurrences(
                of: "secret sha512 $6$x$y", with: "secret 0 CANARY-EOS-4a1f"))
        try lab.setConfig(
            device: "j1", try lab.config(device: "j1").replacingOccurrences(of: "$6$abc$def", with: "CANARY-JUN-77ab"))
        try lab.writeFile(
            device: "h1", path: "etc/ssh/sshd_config",
            contents: "PermitRootLogin no\nPasswordAuthentication no\nX11Forwarding no\n")
        try lab.writeFile(
            device: "h1", path: "etc/snmp/snmpd.conf",
            contents: "rocommunity CANARY-LNX-5c3d 10.0.0.0/8\nsysLocation lab\n")
        try lab.writeFile(device: "h1", path: "etc/hostname", contents: "h1\n")
        try lab.setBehaviour(device: "hang1", .hang(afterLines: 3))
        try lab.setBehaviour(device: "flood1", .flood)

        let world = try CollectorWorld.make(lab: lab, refused: ["auth1"], timeout: .seconds(3), timeLimit: .seconds(8))
        defer { world.remove() }
        let check = try world.driftCheck(options: CollectorOptions(outputLimit: 1 << 20))
        let good = try ["r1", "j1", "e1", "h1"].map { try world.device($0) }
        var jsonOutputs: [Data] = []

        // 1. Everything at once: the good devices are collected whatever the others do.
        let first = await check.run(world.context.configuration.devices)
        jsonOutputs.append(try first.jsonData())
        let byName = Dictionary(uniqueKeysWithValues: first.devices.map { ($0.device, $0) })
        for name in ["r1", "j1", "e1", "h1"] {
            #expect(byName[name]?.collection == .ok, "\(name): \(byName[name]?.message ?? "")")
            #expect(byName[name]?.state == .unbaselined)
            #expect(byName[name]?.hint?.contains("driftwatch baseline approve \(name)") == true)
        }
        #expect(byName["hang1"]?.collection == .timeout, "\(byName["hang1"]?.message ?? "")")
        #expect((byName["hang1"]?.durationMilliseconds ?? .max) < 11_000)
        #expect(byName["flood1"]?.collection == .error, "\(byName["flood1"]?.message ?? "")")
        #expect(byName["auth1"]?.collection == .authFailed)
        #expect(byName["auth1"]?.attempts == 1)
        #expect(byName["auth1"]?.message?.contains("devices[auth1].credentials") == true)
        #expect(first.exitCode == 2)
        let iosSnapshot = try await world.context.store.latestSnapshot(device: "r1")
        let ios = try #require(iosSnapshot)
        #expect(ios.content.text.contains("hostname r1"))
        #expect(ios.content.text.contains("<secret:"))
        #expect(!ios.content.text.contains("Last configuration change"))
        let linuxSnapshot = try await world.context.store.latestSnapshot(device: "h1")
        let linux = try #require(linuxSnapshot)
        #expect(linux.content.text.contains("PermitRootLogin no"))
        #expect(linux.content.text.contains("==> /etc/snmp/snmpd.conf <=="))
        // An absent file and a failing command do not fail the host: each is a marked section.
        #expect(linux.content.text.contains("==> /etc/nftables.conf <==\n\(SSHDeviceTransport.notCollected)"))
        #expect(
            linux.content.text.contains("==> not-permitted <==\n\(SSHDeviceTransport.notCollected) (exit status 3)"))
        let hangState = try await world.context.store.deviceState(device: "hang1")
        #expect(hangState?.status == .unreachable)

        // 2. Baselines approved from the stored snapshots: clean, exit 0.
        for device in good { try await world.approveLatest(device.name) }
        let clean = await check.run(good)
        jsonOutputs.append(try clean.jsonData())
        #expect(clean.devices.map(\.state) == [.clean, .clean, .clean, .clean], "\(clean.devices.map(\.message))")
        #expect(clean.devices.allSatisfy { $0.baselineVersion == 1 })
        #expect(clean.exitCode == 0)

        // 3. A real change on r1, volatile-only changes on j1 and e1.
        try lab.setConfig(
            device: "r1",
            try lab.config(device: "r1").replacingOccurrences(
                of: "description uplink-1 to core", with: "description uplink-1 to edge"
            )
            .replacingOccurrences(of: "10:12:31 UTC", with: "11:45:02 UTC"))
        try lab.setConfig(
            device: "j1", try lab.config(device: "j1").replacingOccurrences(of: "10:12:31 UTC", with: "11:45:02 UTC"))
        try lab.setConfig(
            device: "e1", try lab.config(device: "e1").replacingOccurrences(of: "EOS-4.30.1F", with: "EOS-4.31.0F"))
        let drifted = await check.run(good)
        jsonOutputs.append(try drifted.jsonData())
        let r1 = try #require(drifted.devices.first { $0.device == "r1" })
        #expect(r1.state == .drifted)
        let paths = r1.delta?.changes.map(\.path) ?? []
        #expect(paths.contains(["interface GigabitEthernet0/1"]), "\(paths)")
        #expect(r1.delta?.changes.contains { $0.text.contains("uplink-1 to edge") && $0.kind == .added } == true)
        #expect(!r1.remediation.isEmpty)
        #expect(drifted.devices.filter { $0.device != "r1" }.map(\.state) == [.clean, .clean, .clean])
        #expect(drifted.exitCode == 1)
        let r1Stored = try await world.context.store.deviceState(device: "r1")
        let r1State = try #require(r1Stored)
        #expect(r1State.status == .drifted)
        #expect(r1State.drift?.added == 1 && r1State.drift?.removed == 1)
        #expect(r1State.drift?.snapshotID == r1.snapshotID)

        // 4. No canary anywhere in the database files or the JSON documents.
        let stored = world.databaseBytes()
        #expect(!stored.isEmpty)
        for canary in canaries {
            let bytes = Data(canary.utf8)
            for data in stored { #expect(data.range(of: bytes) == nil, "\(canary) in the state database") }
            for json in jsonOutputs { #expect(json.range(of: bytes) == nil, "\(canary) in check JSON") }
        }
    }
}
