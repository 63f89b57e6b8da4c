import DeviceLab
import Foundation
import SSHTransport
import Testing

@testable import DriftWatch

/// Host keys under the strict policy against a real lab: an unknown key means no collection
/// and a state that says what to run; trusting it (recorded with an audit record) lets the
/// device be collected; a changed key is `host-key-changed`; forgetting is audited too.
@Suite(.tags(.lab)) struct HostKeysLabTests {
    @Test func unknownTrustedChangedForgotten() async throws {
        try await DeviceLab.withLab(DeviceLabOptions(devices: [LabDeviceSpec("k1", platform: .ciscoIOS)])) { lab in
            let world = try CollectorWorld.make(lab: lab, trusted: [])
            defer { world.remove() }
            let check = try world.driftCheck()
            let device = try world.device("k1")
            let store = world.context.store

            // Unknown key under strict: nothing collected, the state says what to run.
            let unknown = await check.run([device])
            #expect(unknown.devices.first?.collection == .hostKeyUnknown)
            #expect(unknown.devices.first?.state == .hostKeyUnknown)
            #expect(unknown.devices.first?.message?.contains("driftwatch hostkeys trust k1") == true)
            #expect(unknown.exitCode == 2)
            #expect(try await store.latestSnapshot(device: "k1") == nil)
            #expect(try await store.deviceState(device: "k1")?.status == .hostKeyUnknown)
            #expect(try await store.hostKeyEvents(device: "k1", limit: 10).first?.kind == .unknown)

            // Trust what the device presents (what `hostkeys trust --yes` does).
            let manager = HostKeyManager(context: world.context)
            let key = try await manager.presentedKey(of: device)
            #expect(key.fingerprint.hasPrefix("SHA256:"))
            let event = try await manager.trust(key, device: device, actor: "alice")
            #expect(event.kind == .trusted && event.newFingerprint == key.fingerprint && event.actor == "alice")
            #expect(try manager.list().first?.keys.map(\.fingerprint) == [key.fingerprint])
            let collected = await check.run([device])
            #expect(collected.devices.first?.collection == .ok, "\(collected.devices.first?.message ?? "")")
            #expect(collected.devices.first?.state == .unbaselined)

            // A different key for the address: host-key-changed, nothing collected.
            try await manager.forget(device: device, actor: "alice")
            var blob: [UInt8] = [0, 0, 0, 11] + Array("ssh-ed25519".utf8) + [0, 0, 0, 32]
            blob += (0..<32).map { _ in UInt8.random(in: 0...255) }
            try KnownHosts(path: world.context.knownHostsPath).append(
                host: device.host, port: device.port, keyType: "ssh-ed25519", keyBlob: blob)
            let changed = await check.run([device])
            #expect(changed.devices.first?.collection == .hostKeyChanged)
            #expect(changed.devices.first?.state == .hostKeyChanged)
            #expect(changed.devices.first?.message?.contains("driftwatch hostkeys trust k1") == true)
            #expect(try await store.hostKeyEvents(device: "k1", limit: 10).first?.kind == .changed)

            // host_key_policy accept-new: trusted on first use, recorded like a manual trust.
            try await manager.forget(device: device, actor: "alice")
            var configuration = world.context.configuration
            configuration.defaults.hostKeyPolicy = .acceptNew
            let tofu = OneShotContext(
                configuration: configuration, catalog: world.context.catalog, masker: world.context.masker, store: store
            )
            let firstUse = await tofu.collector(environment: world.environment, logger: CollectorWorld.logger).collect(
                device, trigger: .manual)
            #expect(firstUse.result == .ok, "\(firstUse.message ?? "")")
            let latestEvent = try await store.hostKeyEvents(device: "k1", limit: 1).first
            #expect(latestEvent?.kind == .trusted && latestEvent?.actor == "driftwatch (accept-new)")
            #expect(try manager.list().first?.keys.isEmpty == false)

            let actions = try await store.auditRecords(since: nil).map(\.action)
            #expect(actions.contains(HostKeyAuditAction.trusted))
            #expect(actions.contains(HostKeyAuditAction.forgotten))
            #expect(actions.contains(HostKeyAuditAction.changed))
            #expect(try await store.verifyAudit().isEmpty)
        }
    }
}
