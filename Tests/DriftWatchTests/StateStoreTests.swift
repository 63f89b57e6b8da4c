import ConfigDiff
import Foundation
import GRDB
import Testing

@testable import DriftWatch

@Suite struct StateStoreTests {
    @Test func migrationsFromEmptyCreateTheSchemaWithSafeSettings() async throws {
        let fixture = try StateFixture()
        defer { fixture.remove() }
        #expect(try await fixture.store.appliedMigrations() == StateSchema.migrator.migrations)
        let (tables, journal, foreignKeys) = try await fixture.store.pool.read { db in
            (
                try String.fetchAll(
                    db,
                    sql:
                        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%' ORDER BY name"
                ),
                try String.fetchOne(db, sql: "PRAGMA journal_mode"),
                try Int.fetchOne(db, sql: "PRAGMA foreign_keys")
            )
        }
        #expect(
            tables == [
                "alerts", "audit_anchor", "audit_log", "collection_runs", "control_requests", "device_states", "host_key_events", "leases",
                "outbox", "snapshot_contents", "snapshots",
            ])
        #expect(journal == "wal")
        #expect(foreignKeys == 1)
        let fileMode = try FileManager.default.attributesOfItem(atPath: fixture.path)[.posixPermissions] as? Int
        #expect(fileMode == 0o600)
        let folderMode =
            try FileManager.default.attributesOfItem(atPath: (fixture.path as NSString).deletingLastPathComponent)[
                .posixPermissions] as? Int
        #expect(folderMode == 0o700)
        // Opening again applies nothing new and keeps the data.
        try await fixture.store.appendAudit(AuditEntry(actor: "alice", action: "test", target: "x"))
        let again = try SQLiteStateStore(path: fixture.path)
        #expect(try await again.appliedMigrations() == StateSchema.migrator.migrations)
        #expect(try await again.auditRecords(since: nil).count == 1)
        #expect(try await again.integrityProblems().isEmpty)
    }

    @Test func tooShortAuditRetentionIsRefused() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dw-state-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect {
            try SQLiteStateStore(
                path: folder.appendingPathComponent("s.sqlite").path,
                options: StateStoreOptions(auditRetentionDays: 179))
        } throws: { ($0 as? StateStoreError)?.code == .invalidArgument }
    }

    @Test func aFileThatIsNotADatabaseIsRefusedAndLeftAlone() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dw-state-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let file = folder.appendingPathComponent("state.sqlite")
        let garbage = Data(String(repeating: "not a database\n", count: 400).utf8)
        try garbage.write(to: file)
        #expect {
            try SQLiteStateStore(path: file.path)
        } throws: { error in
            guard let error = error as? StateStoreError else { return false }
            return (error.code == .openFailed || error.code == .migrationFailed) && error.file == file.path
        }
        #expect(try Data(contentsOf: file) == garbage)
    }

    @Test func identicalContentIsStoredOnce() async throws {
        let fixture = try StateFixture()
        defer { fixture.remove() }
        let store = fixture.store
        let a = try StateFixture.config("r1")
        let b = try StateFixture.config("r1", extra: "ntp server 192.0.2.123")
        let first = try await store.recordCollection(
            StateFixture.ok("r1", a, at: StateFixture.time(0)), deviceState: nil)
        let second = try await store.recordCollection(
            StateFixture.ok("r1", a, at: StateFixture.time(300)), deviceState: nil)
        #expect(first.isNewVersion && first.isNewContent)
        #expect(!second.isNewVersion && !second.isNewContent)
        #expect(second.snapshot?.id == first.snapshot?.id)
        #expect(second.snapshot?.seenCount == 2)
        #expect(second.snapshot?.lastSeenAt == StateFixture.time(300))
        #expect(second.snapshot?.collectedAt == StateFixture.time(0))
        #expect(try await counts(store) == Counts(contents: 1, snapshots: 1, runs: 2))

        let third = try await store.recordCollection(
            StateFixture.ok("r1", b, at: StateFixture.time(600)), deviceState: nil)
        #expect(third.isNewVersion && third.isNewContent)
        #expect(try await counts(store) == Counts(contents: 2, snapshots: 2, runs: 3))

        // Back to A: a new observation row, the text is not stored again.
        let fourth = try await store.recordCollection(
            StateFixture.ok("r1", a, at: StateFixture.time(900)), deviceState: nil)
        #expect(fourth.isNewVersion && !fourth.isNewContent)
        // The same text on another device shares the content row.
        _ = try await store.recordCollection(StateFixture.ok("r2", a, at: StateFixture.time(900)), deviceState: nil)
        #expect(try await counts(store) == Counts(contents: 2, snapshots: 4, runs: 5))

        let latest = try #require(try await store.latestSnapshot(device: "r1"))
        #expect(latest.content == a)
        #expect(latest.info.id == fourth.snapshot?.id)
        #expect(try await store.snapshot(id: try #require(third.snapshot?.id))?.content.text == b.text)
        #expect(try await store.snapshots(device: "r1", limit: 10).map(\.sha256) == [a.sha256, b.sha256, a.sha256])
        let runs = try await store.collectionRuns(device: "r1", limit: 10)
        #expect(
            runs.map(\.snapshotID) == [fourth.snapshot?.id, third.snapshot?.id, first.snapshot?.id, first.snapshot?.id])
    }

    @Test func failedCollectionsStoreNoSnapshotAndCannotCarryContent() async throws {
        let fixture = try StateFixture()
        defer { fixture.remove() }
        let failed = CollectionReport(
            device: "r1", startedAt: StateFixture.time(0), duration: .seconds(30), trigger: .syslog, result: .timeout,
            errorMessage: "r1 (192.0.2.10:22): no answer within 30 s", changedBy: "alice")
        let outcome = try await fixture.store.recordCollection(failed, deviceState: nil)
        #expect(outcome.snapshot == nil)
        let run = try #require(try await fixture.store.collectionRuns(device: "r1", limit: 1).first)
        #expect(run.result == .timeout && run.trigger == .syslog && run.durationMilliseconds == 30_000)
        #expect(run.errorMessage == failed.errorMessage && run.changedBy == "alice")
        var bad = failed
        bad.content = try StateFixture.config("r1")
        await #expect {
            try await fixture.store.recordCollection(bad, deviceState: nil)
        } throws: { ($0 as? StateStoreError)?.code == .invalidArgument }
        #expect(try await counts(fixture.store) == Counts(contents: 0, snapshots: 0, runs: 1))
    }

    @Test func collectionRunsAreBoundedPerDeviceButEveryVersionIsKept() async throws {
        let fixture = try StateFixture(options: StateStoreOptions(collectionRunsPerDevice: 5))
        defer { fixture.remove() }
        var runIDs: [Int64] = []
        var pruned = 0
        for index in 0..<12 {
            let outcome = try await fixture.store.recordCollection(
                StateFixture.ok(
                    "r1", try StateFixture.config("r1", extra: "ntp server 192.0.2.\(index)"),
                    at: StateFixture.time(Double(index))), deviceState: nil)
            runIDs.append(outcome.runID)
            pruned += outcome.prunedRuns
        }
        for index in 0..<3 {
            _ = try await fixture.store.recordCollection(
                StateFixture.ok("r2", try StateFixture.config("r2"), at: StateFixture.time(Double(index))),
                deviceState: nil)
        }
        #expect(pruned == 7)
        #expect(
            try await fixture.store.collectionRuns(device: "r1", limit: 100).map(\.id) == runIDs.suffix(5).reversed())
        #expect(try await fixture.store.collectionRuns(device: "r2", limit: 100).count == 3)
        #expect(try await fixture.store.snapshots(device: "r1", limit: 100).count == 12)
        #expect(try await fixture.store.integrityProblems().isEmpty)
    }

    @Test func deviceStateRoundTrips() async throws {
        let fixture = try StateFixture()
        defer { fixture.remove() }
        let delta = ConfigDelta(changes: [
            ConfigChange(
                kind: .added, path: ["interface Gi0/1"], text: "shutdown", children: [], pathIndex: [1], index: 3)
        ])
        let state = DeviceState(
            device: "core-sw-01", status: .drifted, since: StateFixture.time(10.125),
            lastSuccessAt: StateFixture.time(20),
            lastAttemptAt: StateFixture.time(21.5), baselineVersion: 7,
            drift: DriftSummary(added: 1, removed: 0, standardsViolations: 2, snapshotID: 4, delta: delta),
            consecutiveFailures: 0, changedBy: "alice", inMaintenance: true)
        try await fixture.store.saveDeviceState(state)
        #expect(try await fixture.store.deviceState(device: "core-sw-01") == state)
        var next = state
        next.status = .unreachable
        next.drift = nil
        next.consecutiveFailures = 3
        next.inMaintenance = false
        let report = CollectionReport(
            device: "core-sw-01", startedAt: StateFixture.time(30), duration: .seconds(1), trigger: .poll,
            result: .unreachable, errorMessage: "connection refused")
        _ = try await fixture.store.recordCollection(report, deviceState: next)
        #expect(try await fixture.store.deviceStates() == [next])
        #expect(try await fixture.store.deviceState(device: "other") == nil)
        await #expect {
            try await fixture.store.recordCollection(
                report, deviceState: DeviceState(device: "other", status: .clean, since: StateFixture.time(0)))
        } throws: { ($0 as? StateStoreError)?.code == .invalidArgument }
    }

    @Test func hostKeyEventsAreStoredWithTheirAuditRecord() async throws {
        let fixture = try StateFixture()
        defer { fixture.remove() }
        let event = HostKeyEvent(
            device: "r1", time: StateFixture.time(5), kind: .trusted, oldFingerprint: "SHA256:old",
            newFingerprint: "SHA256:new", actor: "alice")
        let stored = try await fixture.store.recordHostKeyEvent(
            event,
            audit: AuditEntry(
                actor: "alice", action: "hostkey.trust", target: "r1", details: ["fingerprint": "SHA256:new"]))
        #expect(stored.id != nil)
        _ = try await fixture.store.recordHostKeyEvent(
            HostKeyEvent(device: "r2", time: StateFixture.time(6), kind: .unknown, newFingerprint: "SHA256:x"),
            audit: nil)
        #expect(try await fixture.store.hostKeyEvents(device: "r1", limit: 10) == [stored])
        #expect(try await fixture.store.hostKeyEvents(device: nil, limit: 10).map(\.device) == ["r2", "r1"])
        #expect(try await fixture.store.auditRecords(since: nil).map(\.action) == ["hostkey.trust"])
    }

    @Test func leasesGoToOneOwnerUntilTheyExpire() async throws {
        let fixture = try StateFixture()
        defer { fixture.remove() }
        let now = StateFixture.time(0)
        #expect(
            try await fixture.store.acquireLeases(owner: "w1", devices: ["a", "b"], seconds: 60, now: now) == [
                "a", "b",
            ])
        #expect(
            try await fixture.store.acquireLeases(
                owner: "w2", devices: ["b", "c"], seconds: 60, now: now.addingTimeInterval(10))
                == ["c"])
        #expect(
            try await fixture.store.acquireLeases(
                owner: "w2", devices: ["a"], seconds: 60, now: now.addingTimeInterval(61))
                == ["a", "c"])
        try await fixture.store.releaseLeases(owner: "w2")
        #expect(
            try await fixture.store.acquireLeases(
                owner: "w1", devices: ["c"], seconds: 60, now: now.addingTimeInterval(62))
                == ["c"])
    }

    @Test func concurrentWritersKeepEveryRecord() async throws {
        let fixture = try StateFixture()
        defer { fixture.remove() }
        let store = fixture.store
        let content = try StateFixture.config("shared")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<32 {
                group.addTask {
                    for round in 0..<10 {
                        let at = StateFixture.time(Double(round))
                        _ = try await store.recordCollection(
                            StateFixture.ok("d\(task)", content, at: at),
                            deviceState: DeviceState(device: "d\(task)", status: .clean, since: at))
                        try await store.appendAudit(
                            AuditEntry(
                                actor: "t\(task)", action: "test.concurrent", target: "d\(task)",
                                details: ["round": "\(round)"]))
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await counts(store) == Counts(contents: 1, snapshots: 32, runs: 320))
        let audit = try await store.auditRecords(since: nil)
        #expect(audit.map(\.sequence) == Array(1...320))
        #expect(try await store.verifyAudit().isEmpty)
        #expect(try await store.deviceStates().count == 32)
        #expect(try await store.integrityProblems().isEmpty)
    }

    @Test func canarySecretNeverReachesTheDatabaseFile() async throws {
        let fixture = try StateFixture()
        defer { fixture.remove() }
        let canaries = ["CanaryEnable7731", "CanaryCommunity5521", "CanaryUserPw9043"]
        let raw = """
            hostname canary-router-17
            enable secret 5 \(canaries[0])
            username admin privilege 15 secret 0 \(canaries[2])
            snmp-server community \(canaries[1]) RO
            interface GigabitEthernet0/1
             description canary uplink
            """
        #expect(canaries.allSatisfy { raw.contains($0) })
        let content = try StateFixture.content(raw)
        let outcome = try await fixture.store.recordCollection(
            StateFixture.ok("canary", content, at: StateFixture.time(0)),
            deviceState: DeviceState(device: "canary", status: .unbaselined, since: StateFixture.time(0)))
        // A second, changed capture, so the WAL holds several pages of configuration text.
        _ = try await fixture.store.recordCollection(
            StateFixture.ok(
                "canary", try StateFixture.content(raw + "\nntp server 192.0.2.1"), at: StateFixture.time(1)),
            deviceState: nil)
        #expect(outcome.snapshot != nil)
        var files: [URL] = []
        let folder = URL(fileURLWithPath: (fixture.path as NSString).deletingLastPathComponent)
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            files.append(folder.appendingPathComponent(name))
        }
        #expect(files.contains { $0.lastPathComponent.hasSuffix("-wal") })
        var all = Data()
        for file in files { all.append(try Data(contentsOf: file)) }
        // The configuration did reach the files (the search looks where the text is) …
        #expect(all.range(of: Data("canary-router-17".utf8)) != nil)
        #expect(all.range(of: Data(SecretMasker.tokenPrefix.utf8)) != nil)
        // … and no canary did.
        for canary in canaries {
            #expect(all.range(of: Data(canary.utf8)) == nil, "\(canary) found in the state files")
        }
    }

    struct Counts: Equatable {
        var contents: Int
        var snapshots: Int
        var runs: Int
    }

    func counts(_ store: SQLiteStateStore) async throws -> Counts {
        try await store.pool.read { db in
            Counts(
                contents: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM snapshot_contents") ?? -1,
                snapshots: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM snapshots") ?? -1,
                runs: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM collection_runs") ?? -1)
        }
    }
}
