import ConfigDiff
import Foundation
import NIOHTTP1
import Testing

@testable import DriftWatch

/// Canary secrets planted in a lab-like configuration, normalized and masked as the collector
/// does, stored as snapshots and as drift: no API answer shows them, and the masked tokens do
/// appear where the secrets were (so the search looks at the right text).
@Suite struct HTTPCanaryTests {
    static let canaries = [
        "CanaryEnableHttp4417", "CanaryUserSecretHttp8823", "CanaryCommunityHttp2290", "CanaryTacacsHttp5561",
        "CanaryNewCommunityHttp7714",
    ]

    static func labConfig(community: String) -> String {
        """
        !
        version 15.9
        service password-encryption
        hostname canary-edge-01
        !
        enable secret 5 \(canaries[0])
        username netops privilege 15 secret 0 \(canaries[1])
        !
        interface GigabitEthernet0/1
         description uplink-1 to core
         ip address 10.0.1.1 255.255.255.0
         no shutdown
        !
        tacacs-server host 192.0.2.49 key 0 \(canaries[3])
        snmp-server community \(community) RO
        snmp-server location lab rack 1
        !
        line vty 0 4
         login local
         transport input ssh
        !
        end
        """
    }

    @Test func noCanaryReachesAnyAPIAnswer() async throws {
        let fixture = try StateFixture()
        defer { fixture.remove() }
        let store = fixture.store
        let profile = try ProfileCatalog().profile("cisco_ios")
        let baselineRaw = Self.labConfig(community: Self.canaries[2])
        let runningRaw = Self.labConfig(community: Self.canaries[4]) + "\nip http server\n"
        for canary in Self.canaries.prefix(4) { #expect(baselineRaw.contains(canary)) }
        #expect(runningRaw.contains(Self.canaries[4]))
        let baseline = try StateFixture.content(baselineRaw)
        let running = try StateFixture.content(runningRaw)
        let t0 = StateFixture.time(0)
        let t1 = StateFixture.time(60)
        _ = try await store.recordCollection(StateFixture.ok("canary-edge-01", baseline, at: t0), deviceState: nil)
        let outcome = try await store.recordCollection(
            StateFixture.ok("canary-edge-01", running, at: t1), deviceState: nil)
        let parser = ConfigParser(profile: profile)
        let delta = HierarchicalDiff.compare(
            from: try parser.parse(baseline.text), to: try parser.parse(running.text), options: profile.diffOptions)
        #expect(!delta.isEmpty)
        try await store.saveDeviceState(
            DeviceState(
                device: "canary-edge-01", status: .drifted, since: t1, lastSuccessAt: t1, lastAttemptAt: t1,
                baselineVersion: 1,
                drift: DriftSummary(
                    added: delta.addedLines, removed: delta.removedLines, snapshotID: outcome.snapshot?.id,
                    delta: delta)))
        _ = try await store.updateAlert(device: "canary-edge-01", kind: .drift, key: "k") { _ in
            AlertUpdate(alert: Alert(device: "canary-edge-01", kind: .drift, key: "k", openedAt: t1))
        }
        let control = FixedWatcherControl(
            inventory: [HTTPTestSupport.device("canary-edge-01")],
            reloadResult: .success(ReloadSummary(devices: 1)))
        let server = HTTPTestSupport.server(control: control, store: store)
        let answers = try await HTTPTestSupport.withServer(server) { port in
            var answers: [String: HTTPAnswer] = [:]
            for path in [
                "/api/v1/devices", "/api/v1/devices/canary-edge-01", "/api/v1/devices/canary-edge-01/drift",
                "/api/v1/alerts", "/metrics", "/healthz", "/readyz",
            ] {
                answers[path] = try await HTTPTestSupport.request(.GET, path, port: port)
            }
            for path in ["/api/v1/devices/canary-edge-01/collect", "/api/v1/reload"] {
                answers[path] = try await HTTPTestSupport.request(.POST, path, port: port)
            }
            return answers
        }
        #expect(answers.count == 9)
        for (path, answer) in answers {
            #expect(answer.status < 300, "\(path): \(answer.status)")
            for canary in Self.canaries {
                #expect(!answer.body.contains(canary), "\(canary) in the answer of \(path)")
            }
        }
        // The changed community is in the drift, masked: the search looked where the secret was.
        let drift = answers["/api/v1/devices/canary-edge-01/drift"]?.body ?? ""
        #expect(drift.contains("snmp-server community \(SecretMasker.tokenPrefix)"), "\(drift)")
        #expect(drift.contains("ip http server"))
    }
}
