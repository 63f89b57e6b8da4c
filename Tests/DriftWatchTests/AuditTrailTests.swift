import DeviceLab
import Foundation
import GRDB
import Testing

@testable import DriftWatch

/// `driftwatch audit` over both chains: the JSON-lines file and the state store's table, on real
/// files in a temporary folder.
@Suite struct AuditTrailTests {
    /// An install folder with `driftwatch.yaml`, `state/audit.jsonl` and `state/state.sqlite`.
    struct Install {
        let folder: URL
        let configuration: DriftWatchConfiguration
        let trail: AuditTrail
        let store: SQLiteStateStore

        init() throws {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("dw-trail-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let config = folder.appendingPathComponent("driftwatch.yaml")
            try Data("state: state/state.sqlite\n".utf8).write(to: config)
            configuration = try ConfigurationLoader().load(path: config.path)
            trail = try AuditTrail(configuration: configuration)
            store = try SQLiteStateStore(path: trail.storePath)
        }

        /// File records at t = 10, 30, 50 s; store records at t = 20, 30, 40 s.
        func fill() async throws {
            for (index, seconds) in [10.0, 30, 50].enumerated() {
                try trail.log.append(
                    actor: "alice", action: AuditAction.baselineApprove, target: "r\(index + 1)",
                    details: ["version": "1"], time: StateFixture.time(seconds))
            }
            for (index, seconds) in [20.0, 30, 40].enumerated() {
                try await store.appendAudit(
                    AuditEntry(
                        actor: "bob", action: index == 0 ? "hostkey.trust" : AuditAction.configReload,
                        target: "s\(index + 1)", details: ["added": "\(index)"], time: StateFixture.time(seconds)))
            }
        }

        func remove() { try? FileManager.default.removeItem(at: folder) }
    }

    @Test func bothChainsMergeInTimeOrderMarkedWithTheirChain() async throws {
        let install = try Install()
        defer { install.remove() }
        try await install.fill()
        let entries = try await install.trail.entries()
        #expect(entries.map(\.record.target) == ["r1", "s1", "r2", "s2", "s3", "r3"])
        #expect(entries.map(\.chain) == [.file, .store, .file, .store, .store, .file])
        #expect(entries.map(\.line) == [1, nil, 2, nil, nil, 3])
        #expect(entries.filter { $0.chain == .store }.map(\.record.sequence) == [1, 2, 3])

        let since = try await install.trail.entries(since: StateFixture.time(30))
        #expect(since.map(\.record.target) == ["r2", "s2", "s3", "r3"])
    }

    @Test func missingDatabaseAndLogAreEmptyChains() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dw-trail-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let trail = AuditTrail(
            log: AuditLog(stateFolder: folder), storePath: folder.appendingPathComponent("state.sqlite").path)
        #expect(try await trail.entries().isEmpty)
        let reports = try await trail.verify()
        #expect(reports.map(\.chain) == [.file, .store] && reports.allSatisfy { $0.intact && $0.records == 0 })
        // Reading never creates the database.
        #expect(!FileManager.default.fileExists(atPath: trail.storePath))
    }

    @Test func sinceTakesDatesTimesAndAges() {
        let now = StateFixture.time(1_000_000)
        #expect(AuditTrail.parseSince("2026-11-01", now: now) == ISO8601DateFormatter().date(from: "2026-11-01T00:00:00Z"))
        #expect(
            AuditTrail.parseSince("2026-11-01T08:30:00Z", now: now)
                == ISO8601DateFormatter().date(from: "2026-11-01T08:30:00Z"))
        #expect(AuditTrail.parseSince("7d", now: now) == now.addingTimeInterval(-7 * 86_400))
        #expect(AuditTrail.parseSince("1d12h", now: now) == now.addingTimeInterval(-36 * 3600))
        #expect(AuditTrail.parseSince("30m", now: now) == now.addingTimeInterval(-1800))
        for bad in ["yesterday", "7", "-7d", "2026-13-45", "0d", ""] {
            #expect(AuditTrail.parseSince(bad, now: now) == nil, "\(bad)")
        }
    }

    @Test func verifyFindsATamperedRecordInEachChain() async throws {
        let install = try Install()
        defer { install.remove() }
        try await install.fill()
        #expect(try await install.trail.verify().allSatisfy(\.intact))
        #expect(try await install.trail.verify().map(\.records) == [3, 3])

        // The file: record 2's actor rewritten.
        let text = try String(contentsOf: install.trail.log.file, encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        var edited = lines
        edited[1] = lines[1].replacingOccurrences(of: "\"actor\":\"alice\"", with: "\"actor\":\"eve\"")
        #expect(edited != lines)
        try Data((edited.joined(separator: "\n") + "\n").utf8).write(to: install.trail.log.file)
        // The store: record 3's target rewritten by someone who dropped the trigger.
        try await install.store.pool.write { db in
            try db.execute(sql: "DROP TRIGGER audit_log_append_only")
            try db.execute(sql: "UPDATE audit_log SET target = 'elsewhere' WHERE seq = 3")
        }
        let reports = try await install.trail.verify()
        #expect(reports.map(\.intact) == [false, false])
        #expect(reports[0].issues.map(\.position) == [2])
        #expect(reports[0].issues.first?.message.contains("record 2 (baseline.approve r2 by eve) was altered") == true)
        #expect(reports[0].place(reports[0].issues[0]) == "\(install.trail.log.file.path):2")
        #expect(reports[1].issues.map(\.position) == [3])
        #expect(reports[1].issues.first?.message.contains("was altered") == true)
        #expect(reports[1].place(reports[1].issues[0]).hasSuffix("state.sqlite audit_log seq 3"))
    }

    @Test func removedFileLineIsAChainBreakNamingTheRecordBefore() async throws {
        let install = try Install()
        defer { install.remove() }
        try await install.fill()
        let lines = try String(contentsOf: install.trail.log.file, encoding: .utf8).split(separator: "\n")
        try Data(([lines[0], lines[2]].joined(separator: "\n") + "\n").utf8).write(to: install.trail.log.file)
        let report = try await install.trail.verify()[0]
        #expect(report.issues.map(\.position) == [2])
        #expect(report.issues.first?.message.contains("does not match the record on line 1 (seq 1)") == true)
    }

    /// The unified verifier on links it is handed directly: each rule once.
    @Test func chainVerifierRules() throws {
        func record(_ sequence: Int, previous: String?) throws -> AuditRecord {
            try AuditRecord(
                sequence: sequence, time: "2026-11-23T00:00:0\(sequence)Z", actor: "a", action: "x", target: "t",
                details: [:], previousSHA256: previous)
        }
        let one = try record(1, previous: nil)
        let two = try record(2, previous: one.sha256)
        let three = try record(3, previous: two.sha256)
        func links(_ records: [AuditRecord]) -> [AuditChain.Link] {
            records.enumerated().map { AuditChain.Link(position: $0.offset + 1, record: $0.element, name: "#\($0.offset + 1)") }
        }
        #expect(AuditChain.verify(links([one, two, three])).isEmpty)
        // Renumbered.
        var renumbered = try record(5, previous: two.sha256)
        #expect(AuditChain.verify(links([one, two, renumbered])).map(\.message).first?.contains("renumbered") == true)
        // Altered.
        renumbered = three
        renumbered.actor = "eve"
        #expect(AuditChain.verify(links([one, two, renumbered])).map(\.position) == [3])
        // Pruned start: fine with the anchor, broken without it.
        #expect(AuditChain.verify(links([two, three]), anchor: AuditChain.Anchor(sequence: 1, sha256: one.sha256)).isEmpty)
        let unanchored = AuditChain.verify(links([two, three]))
        #expect(unanchored.map(\.position) == [1] && unanchored[0].message.contains("no pruning anchor"))
        // An unreadable element whose hash is known continues the chain past it.
        let known = AuditChain.Link(position: 2, unreadable: "bad row", sequence: 2, sha256: two.sha256, name: "row 2")
        #expect(AuditChain.verify([links([one])[0], known, AuditChain.Link(position: 3, record: three, name: "#3")]).map(\.position) == [2])
    }

    // MARK: - The binary

    func run(_ arguments: [String], _ install: Install) async throws -> ChildProcess.Result {
        try await ChildProcess.start(
            try BaselineCLITests.binary().path,
            arguments + ["--config", install.folder.appendingPathComponent("driftwatch.yaml").path],
            in: install.folder
        ).wait()
    }

    @Test func cliListsBothChainsAndVerifyExitsTwoNamingTheFirstBrokenRecord() async throws {
        let install = try Install()
        defer { install.remove() }
        try await install.fill()

        let list = try await run(["audit", "--since", "2000-01-01"], install)
        #expect(list.status == 0, "\(list.error)")
        #expect(list.output.contains("file:1  alice  baseline.approve  r1"), "\(list.output)")
        #expect(list.output.contains("store:#2  bob  config.reload  s2"), "\(list.output)")
        #expect(list.output.contains("audit log intact: 6 records (file 3, store 3)"), "\(list.output)")

        let json = try await run(["audit", "--json", "--since", "7d"], install)
        let parsed = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
        #expect(parsed?["schema"] as? Int == 1 && parsed?["intact"] as? Bool == true)
        // The fixture's records are from 2026-09: older than 7 days.
        #expect((parsed?["records"] as? [Any])?.isEmpty == true)
        let all = try await run(["audit", "--json"], install)
        let records = (try JSONSerialization.jsonObject(with: Data(all.output.utf8)) as? [String: Any])?["records"]
            as? [[String: Any]]
        #expect(records?.compactMap { $0["chain"] as? String } == ["file", "store", "file", "store", "store", "file"])

        let verify = try await run(["audit", "verify"], install)
        #expect(verify.status == 0, "\(verify.error)")
        #expect(verify.output.contains("file: intact, 3 records") && verify.output.contains("store: intact, 3 records"))

        try await install.store.pool.write { db in
            try db.execute(sql: "DROP TRIGGER audit_log_append_only")
            try db.execute(sql: "UPDATE audit_log SET actor = 'mallory' WHERE seq = 2")
        }
        let broken = try await run(["audit", "verify"], install)
        #expect(broken.status == 2)
        #expect(broken.output.contains("file: intact") && broken.output.contains("store: BROKEN"), "\(broken.output)")
        #expect(
            broken.error.contains("first broken record at \(install.trail.storePath) audit_log seq 2: record 2"),
            "\(broken.error)")
        let brokenJSON = try await run(["audit", "verify", "--json"], install)
        let report = try JSONSerialization.jsonObject(with: Data(brokenJSON.output.utf8)) as? [String: Any]
        #expect(brokenJSON.status == 2 && report?["intact"] as? Bool == false && report?["schema"] as? Int == 1)
        let listed = try await run(["audit"], install)
        #expect(listed.status == 1 && listed.output.contains("audit_log seq 2: record 2"), "\(listed.output)")

        let bad = try await run(["audit", "--since", "last week"], install)
        #expect(bad.status == 64)
    }
}
