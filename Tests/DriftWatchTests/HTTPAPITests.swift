import ConfigDiff
import Foundation
import NIOHTTP1
import Testing

@testable import DriftWatch

/// The `/api/v1` routes over real HTTP on loopback: authentication, every route's JSON, unknown
/// devices, reload and trigger forwarding.
@Suite struct HTTPAPITests {
    static let getRoutes = ["/api/v1/devices", "/api/v1/devices/r1", "/api/v1/devices/r1/drift", "/api/v1/alerts"]
    static let postRoutes = ["/api/v1/devices/r1/collect", "/api/v1/reload"]

    static let baselineText = """
        hostname r1
        interface GigabitEthernet0/1
         description uplink
         ip address 192.0.2.1 255.255.255.0
        snmp-server location rack 1
        """
    static let runningText = """
        hostname r1
        interface GigabitEthernet0/1
         description uplink to core-02
         ip address 192.0.2.1 255.255.255.0
        snmp-server location rack 1
        ip http server
        """

    /// A store where r1 drifted (two collections), r2 is clean and r3 was never evaluated.
    static func populatedStore(_ fixture: StateFixture) async throws -> (snapshotID: Int64, now: Date) {
        let store = fixture.store
        let profile = try ProfileCatalog().profile("cisco_ios")
        let parser = ConfigParser(profile: profile)
        let baseline = try StateFixture.content(baselineText)
        let running = try StateFixture.content(runningText)
        let t0 = StateFixture.time(0)
        let t1 = StateFixture.time(300)
        _ = try await store.recordCollection(StateFixture.ok("r1", baseline, at: t0), deviceState: nil)
        let outcome = try await store.recordCollection(StateFixture.ok("r1", running, at: t1), deviceState: nil)
        let snapshotID = try #require(outcome.snapshot?.id)
        let delta = HierarchicalDiff.compare(
            from: try parser.parse(baseline.text), to: try parser.parse(running.text), options: profile.diffOptions)
        try await store.saveDeviceState(
            DeviceState(
                device: "r1", status: .drifted, since: t1, lastSuccessAt: t1, lastAttemptAt: t1, baselineVersion: 3,
                drift: DriftSummary(
                    added: delta.addedLines, removed: delta.removedLines, standardsViolations: 1, snapshotID: snapshotID,
                    delta: delta), changedBy: "alice"))
        _ = try await store.recordCollection(
            StateFixture.ok("r2", try StateFixture.config("r2"), at: t0),
            deviceState: DeviceState(device: "r2", status: .clean, since: t0, lastSuccessAt: t0, lastAttemptAt: t0, baselineVersion: 1))
        return (snapshotID, t1)
    }

    static func control(
        reloadResult: Result<ReloadSummary, DriftWatchError> = .success(ReloadSummary(devices: 3))
    ) -> FixedWatcherControl {
        FixedWatcherControl(
            inventory: [HTTPTestSupport.device("r1"), HTTPTestSupport.device("r2"), HTTPTestSupport.device("r3", platform: "linux", groups: [])],
            reloadResult: reloadResult)
    }

    // MARK: - Authentication

    @Test func withoutATokenTheAPIIsOffAndHealthStaysOn() async throws {
        let fixture = try StateFixture()
        defer { fixture.remove() }
        let control = Self.control()
        let server = HTTPTestSupport.server(control: control, store: fixture.store, token: nil)
        let (api, health, metrics) = try await HTTPTestSupport.withServer(server) { port in
            var api: [HTTPAnswer] = []
            for path in Self.getRoutes {
                api.append(try await HTTPTestSupport.request(.GET, path, port: port, token: "anything"))
            }
            for path in Self.postRoutes {
                api.append(try await HTTPTestSupport.request(.POST, path, port: port, token: "anything"))
            }
            let health = try await HTTPTestSupport.request(.GET, "/healthz", port: port, token: nil)
            let metrics = try await HTTPTestSupport.request(.GET, "/metrics", port: port, token: nil)
            return (api, health, metrics)
        }
        #expect(api.count == 6)
        for answer in api {
            #expect(answer.status == 404)
            let error = answer.json["error"] as? [String: Any]
            #expect(error?["code"] as? String == "api_off")
            let message = error?["message"] as? String ?? ""
            #expect(message.contains("http.token_file") && message.contains("http.token_env"))
            #expect(answer.json["schema"] as? String == "driftwatch.api.v1")
        }
        #expect(health.status == 200)
        #expect(metrics.status == 200)
        #expect(control.triggers.isEmpty && control.reloads.isEmpty)
    }

    @Test func missingOrWrongTokensAreRefusedAndTheRightOneIsAccepted() async throws {
        let fixture = try StateFixture()
        defer { fixture.remove() }
        let control = Self.control()
        let server = HTTPTestSupport.server(control: control, store: fixture.store)
        let answers = try await HTTPTestSupport.withServer(server) { port in
            var refused: [HTTPAnswer] = []
            for path in Self.getRoutes {
                refused.append(try await HTTPTestSupport.request(.GET, path, port: port, token: nil))
                refused.append(try await HTTPTestSupport.request(.GET, path, port: port, token: "wrong-token"))
                refused.append(
                    try await HTTPTestSupport.request(.GET, path, port: port, token: HTTPTestSupport.token + "x"))
                refused.append(
                    try await HTTPTestSupport.request(
                        .GET, path, port: port, authorization: "Basic \(HTTPTestSupport.token)"))
            }
            for path in Self.postRoutes {
                refused.append(try await HTTPTestSupport.request(.POST, path, port: port, token: "wrong-token"))
            }
            var accepted: [HTTPAnswer] = []
            for path in Self.getRoutes {
                accepted.append(try await HTTPTestSupport.request(.GET, path, port: port))
            }
            accepted.append(
                try await HTTPTestSupport.request(
                    .GET, "/api/v1/devices", port: port, authorization: "bearer \(HTTPTestSupport.token)"))
            return (refused, accepted)
        }
        #expect(answers.0.count == 18)
        for answer in answers.0 {
            #expect(answer.status == 401)
            #expect(answer.headers.first(name: "WWW-Authenticate")?.hasPrefix("Bearer") == true)
            #expect((answer.json["error"] as? [String: Any])?["code"] as? String == "unauthorized")
            #expect(!answer.body.contains(HTTPTestSupport.token))
        }
        for answer in answers.1 { #expect(answer.status == 200, "\(answer.body)") }
        #expect(control.triggers.isEmpty && control.reloads.isEmpty)
    }

    // MARK: - Documents

    @Test func deviceListShowsEveryInventoryDeviceWithItsState() async throws {
        let fixture = try StateFixture()
        defer { fixture.remove() }
        _ = try await Self.populatedStore(fixture)
        // A state of a device that left the inventory is not listed.
        try await fixture.store.saveDeviceState(DeviceState(device: "gone", status: .stale, since: StateFixture.time(0)))
        let server = HTTPTestSupport.server(control: Self.control(), store: fixture.store)
        let (first, second) = try await HTTPTestSupport.withServer(server) { port in
            (
                try await HTTPTestSupport.request(.GET, "/api/v1/devices", port: port),
                try await HTTPTestSupport.request(.GET, "/api/v1/devices", port: port)
            )
        }
        #expect(first.status == 200)
        #expect(first.headers.first(name: "Content-Type")?.hasPrefix("application/json") == true)
        #expect(first.body == second.body)
        #expect(first.json["schema"] as? String == "driftwatch.api.v1")
        let devices = HTTPTestSupport.objects(first.json["devices"])
        #expect(devices.map { $0["name"] as? String } == ["r1", "r2", "r3"])
        let r1 = devices[0]
        #expect(r1["state"] as? String == "drifted")
        #expect(r1["since"] as? String == "2026-09-21T14:18:20Z")
        #expect(r1["lastSuccessAt"] as? String == "2026-09-21T14:18:20Z")
        #expect(r1["baselineVersion"] as? Int == 3)
        #expect(r1["changedBy"] as? String == "alice")
        #expect(r1["inMaintenance"] as? Bool == false)
        let drift = r1["drift"] as? [String: Any]
        #expect(drift?["added"] as? Int == 2)
        #expect(drift?["removed"] as? Int == 1)
        #expect(drift?["standardsViolations"] as? Int == 1)
        #expect(devices[1]["state"] as? String == "clean")
        #expect(devices[1]["drift"] is NSNull)
        let r3 = devices[2]
        #expect(r3["state"] as? String == "unknown")
        #expect(r3["platform"] as? String == "linux")
        for key in ["since", "lastSuccessAt", "lastAttemptAt", "baselineVersion", "drift", "changedBy"] {
            #expect(r3[key] is NSNull, "r3.\(key) should be null")
        }
        // Keys are sorted: the document's bytes list them alphabetically.
        let keys = ["baselineVersion", "changedBy", "consecutiveFailures", "drift", "groups", "inMaintenance"]
        let positions = keys.compactMap { first.body.range(of: "\"\($0)\"")?.lowerBound }
        #expect(positions.count == keys.count && positions == positions.sorted())
    }

    @Test func deviceDetailAddsRunsAndTheLatestSnapshot() async throws {
        let fixture = try StateFixture()
        defer { fixture.remove() }
        let (snapshotID, _) = try await Self.populatedStore(fixture)
        let server = HTTPTestSupport.server(control: Self.control(), store: fixture.store)
        let (r1, r3, unknown) = try await HTTPTestSupport.withServer(server) { port in
            (
                try await HTTPTestSupport.request(.GET, "/api/v1/devices/r1", port: port),
                try await HTTPTestSupport.request(.GET, "/api/v1/devices/r3", port: port),
                try await HTTPTestSupport.request(.GET, "/api/v1/devices/nope-9", port: port)
            )
        }
        #expect(r1.status == 200)
        #expect((r1.json["device"] as? [String: Any])?["state"] as? String == "drifted")
        #expect((r1.json["latestSnapshotID"] as? NSNumber)?.int64Value == snapshotID)
        let runs = HTTPTestSupport.objects(r1.json["recentRuns"])
        #expect(runs.count == 2)
        #expect(runs.first?["startedAt"] as? String == "2026-09-21T14:18:20Z")
        #expect(runs.first?["result"] as? String == "ok")
        #expect(runs.first?["trigger"] as? String == "poll")
        #expect(runs.first?["durationMilliseconds"] as? Int == 250)
        #expect((runs.first?["snapshotID"] as? NSNumber)?.int64Value == snapshotID)
        #expect(runs.first?["errorMessage"] is NSNull)
        #expect(r3.status == 200)
        #expect((r3.json["device"] as? [String: Any])?["state"] as? String == "unknown")
        #expect(r3.json["latestSnapshotID"] is NSNull)
        #expect(HTTPTestSupport.objects(r3.json["recentRuns"]).isEmpty)
        #expect(unknown.status == 404)
        let error = unknown.json["error"] as? [String: Any]
        #expect(error?["code"] as? String == "unknown_device")
        #expect((error?["message"] as? String)?.contains("nope-9") == true)
    }

    @Test func driftShowsTheDeltaAsTextJSONAndRemediation() async throws {
        let fixture = try StateFixture()
        defer { fixture.remove() }
        let (snapshotID, _) = try await Self.populatedStore(fixture)
        let server = HTTPTestSupport.server(control: Self.control(), store: fixture.store)
        let (r1, r2, r3, unknown) = try await HTTPTestSupport.withServer(server) { port in
            (
                try await HTTPTestSupport.request(.GET, "/api/v1/devices/r1/drift", port: port),
                try await HTTPTestSupport.request(.GET, "/api/v1/devices/r2/drift", port: port),
                try await HTTPTestSupport.request(.GET, "/api/v1/devices/r3/drift", port: port),
                try await HTTPTestSupport.request(.GET, "/api/v1/devices/nope-9/drift", port: port)
            )
        }
        #expect(r1.status == 200)
        #expect(r1.json["schema"] as? String == "driftwatch.api.v1")
        #expect(r1.json["device"] as? String == "r1")
        #expect(r1.json["state"] as? String == "drifted")
        #expect(r1.json["baselineVersion"] as? Int == 3)
        #expect((r1.json["snapshotID"] as? NSNumber)?.int64Value == snapshotID)
        let text = r1.json["text"] as? String ?? ""
        #expect(text.contains("  interface GigabitEthernet0/1\n"), "section header in \(text)")
        #expect(text.contains("-   description uplink\n"))
        #expect(text.contains("+   description uplink to core-02\n"))
        #expect(text.contains("+ ip http server\n"))
        let delta = r1.json["delta"] as? [String: Any]
        let changes = HTTPTestSupport.objects(delta?["changes"])
        #expect(changes.count == 3)
        #expect(changes.contains { ($0["path"] as? [String]) == ["interface GigabitEthernet0/1"] && $0["kind"] as? String == "removed" && $0["text"] as? String == "description uplink" })
        #expect((delta?["summary"] as? [String: Any])?["added"] as? Int == 2)
        // Remediation takes the device back to its baseline.
        let remediation = r1.json["remediation"] as? [String] ?? []
        #expect(remediation.contains("no ip http server"), "\(remediation)")
        #expect(remediation.contains(" description uplink"), "\(remediation)")
        #expect(!remediation.contains(" description uplink to core-02"), "\(remediation)")
        #expect((r1.json["summary"] as? [String: Any])?["standardsViolations"] as? Int == 1)
        // Clean and never-evaluated devices: no delta.
        #expect(r2.status == 200 && r2.json["state"] as? String == "clean" && r2.json["delta"] is NSNull)
        #expect(r2.json["text"] as? String == "")
        #expect(r3.status == 200 && r3.json["state"] as? String == "unknown" && r3.json["summary"] is NSNull)
        #expect(unknown.status == 404)
        #expect(((unknown.json["error"] as? [String: Any])?["message"] as? String)?.contains("nope-9") == true)
    }

    @Test func alertsListsOpenAlertsOnly() async throws {
        let fixture = try StateFixture()
        defer { fixture.remove() }
        let store = fixture.store
        let t0 = StateFixture.time(0)
        _ = try await store.updateAlert(device: "r1", kind: .drift, key: "k1") { _ in
            AlertUpdate(alert: Alert(device: "r1", kind: .drift, key: "k1", openedAt: t0))
        }
        _ = try await store.updateAlert(device: "r2", kind: .unreachable, key: "k2") { _ in
            var alert = Alert(device: "r2", kind: .unreachable, key: "k2", openedAt: t0)
            alert.status = .resolved
            alert.resolvedAt = t0
            return AlertUpdate(alert: alert)
        }
        let server = HTTPTestSupport.server(control: Self.control(), store: store)
        let answer = try await HTTPTestSupport.withServer(server) { port in
            try await HTTPTestSupport.request(.GET, "/api/v1/alerts", port: port)
        }
        #expect(answer.status == 200)
        let alerts = HTTPTestSupport.objects(answer.json["alerts"])
        #expect(alerts.count == 1)
        #expect(alerts.first?["device"] as? String == "r1")
        #expect(alerts.first?["kind"] as? String == "drift")
        #expect(alerts.first?["status"] as? String == "open")
        #expect(alerts.first?["openedAt"] as? String == "2026-09-21T14:13:20Z")
        #expect(alerts.first?["acknowledgedBy"] is NSNull)
    }

    // MARK: - Actions

    @Test func collectForwardsAManualTrigger() async throws {
        let fixture = try StateFixture()
        defer { fixture.remove() }
        let control = Self.control()
        let server = HTTPTestSupport.server(control: control, store: fixture.store)
        let (known, unknown) = try await HTTPTestSupport.withServer(server) { port in
            (
                try await HTTPTestSupport.request(.POST, "/api/v1/devices/r2/collect", port: port),
                try await HTTPTestSupport.request(.POST, "/api/v1/devices/nope-9/collect", port: port)
            )
        }
        #expect(known.status == 202)
        #expect(known.json["device"] as? String == "r2")
        #expect(known.json["trigger"] as? String == "manual")
        #expect(unknown.status == 404)
        #expect(((unknown.json["error"] as? [String: Any])?["message"] as? String)?.contains("nope-9") == true)
        #expect(control.triggers == [FixedWatcherControl.Trigger(device: "r2", reason: .manual, user: "http-api")])
    }

    @Test func reloadAnswersTheSummaryOrTheConfigurationError() async throws {
        let fixture = try StateFixture()
        defer { fixture.remove() }
        let control = Self.control(
            reloadResult: .success(ReloadSummary(added: ["r4"], removed: ["r0"], changed: ["r2"], devices: 3)))
        let server = HTTPTestSupport.server(control: control, store: fixture.store)
        let (good, bad) = try await HTTPTestSupport.withServer(server) { port in
            let good = try await HTTPTestSupport.request(.POST, "/api/v1/reload", port: port)
            control.setReloadResult(
                .failure(
                    DriftWatchError(
                        .invalidConfiguration, "devices[2].port: expected an integer from 1 to 65535",
                        file: "/etc/driftwatch/driftwatch.yaml", line: 17)))
            let bad = try await HTTPTestSupport.request(.POST, "/api/v1/reload", port: port)
            return (good, bad)
        }
        #expect(good.status == 200)
        #expect(good.json["added"] as? [String] == ["r4"])
        #expect(good.json["removed"] as? [String] == ["r0"])
        #expect(good.json["changed"] as? [String] == ["r2"])
        #expect(good.json["devices"] as? Int == 3)
        #expect(bad.status == 422)
        let error = bad.json["error"] as? [String: Any]
        #expect(error?["code"] as? String == "invalid_configuration")
        #expect(error?["message"] as? String == "devices[2].port: expected an integer from 1 to 65535")
        #expect(error?["file"] as? String == "/etc/driftwatch/driftwatch.yaml")
        #expect(error?["line"] as? Int == 17)
        #expect(control.reloads == ["http-api", "http-api"])
    }
}
