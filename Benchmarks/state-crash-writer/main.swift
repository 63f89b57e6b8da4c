// state-crash-writer: a helper for the state store's tests and measurements (not shipped).
//
//   state-crash-writer loop DB        writes collections, audit records and alerts with their
//                                     outbox messages until killed; prints "ready" after the
//                                     first round (Tests/DriftWatchTests/StateCrashTests.swift
//                                     kills it with SIGKILL mid-write).
//   state-crash-writer measure DB N   records N unchanged collections of one device and prints
//                                     the time taken and the database's size.
import ConfigDiff
import DriftWatch
import Foundation

func config(_ round: Int, lines: Int) throws -> SnapshotContent {
    var text = "hostname crash-\(round % 7)\n"
    for line in 0..<lines {
        text +=
            "interface GigabitEthernet0/\(line)\n description round \(round) line \(line) \(String(repeating: "x", count: 40))\n"
    }
    text += "enable secret 5 CANARY-CRASH-\(round)\n"
    let normalizer = Normalizer(
        profile: try ProfileCatalog().profile("cisco_ios"),
        masker: SecretMasker(key: Array(repeating: UInt8(1), count: 32)))
    return SnapshotContent(try normalizer.normalize(text, previousSize: nil, checkCompleteness: false))
}

func loop(_ path: String) async throws {
    let store = try SQLiteStateStore(path: path, options: StateStoreOptions(collectionRunsPerDevice: 50))
    var round = 0
    while true {
        let device = "dev-\(round % 5)"
        let key = "round-\(round)"
        let now = Date()
        let content = try config(round, lines: 400 + round % 300)
        _ = try await store.recordCollection(
            CollectionReport(
                device: device, startedAt: now, duration: .milliseconds(120), trigger: .poll, result: .ok,
                content: content),
            deviceState: DeviceState(
                device: device, status: .drifted, since: now, lastSuccessAt: now, lastAttemptAt: now,
                drift: DriftSummary(added: round, removed: 1)))
        try await store.appendAudit(
            AuditEntry(
                actor: "crash-writer", action: "test.round", target: device, details: ["round": String(round)],
                time: now))
        _ = try await store.updateAlert(device: device, kind: .drift, key: key) { current in
            AlertUpdate(
                alert: current ?? Alert(device: device, kind: .drift, key: key, openedAt: now),
                messages: [
                    OutboxDraft(
                        recipients: ["oncall@example.net"], subject: "[DriftWatch] DRIFT \(device)",
                        body: String(repeating: "diff line\n", count: 2000))
                ])
        }
        if round == 0 {
            FileHandle.standardOutput.write(Data("ready\n".utf8))
        }
        round += 1
    }
}

func measure(_ path: String, count: Int) async throws {
    let store = try SQLiteStateStore(path: path)
    let content = try config(0, lines: 1500)
    let start = ContinuousClock.now
    var at = Date()
    for _ in 0..<count {
        _ = try await store.recordCollection(
            CollectionReport(
                device: "core-sw-01", startedAt: at, duration: .milliseconds(800), trigger: .poll, result: .ok,
                content: content),
            deviceState: DeviceState(
                device: "core-sw-01", status: .clean, since: at, lastSuccessAt: at, lastAttemptAt: at))
        at = at.addingTimeInterval(300)
    }
    let elapsed = ContinuousClock.now - start
    func size(_ file: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: file))?[.size] as? NSNumber)?.intValue ?? 0
    }
    print("recorded \(count) unchanged collections (config \(content.size) bytes) in \(elapsed)")
    print("db \(size(path)) bytes, wal \(size(path + "-wal")) bytes before checkpoint")
    try await store.checkpoint()
    print("db \(size(path)) bytes, wal \(size(path + "-wal")) bytes after checkpoint")
    let runs = try await store.collectionRuns(device: "core-sw-01", limit: 100_000).count
    let snapshots = try await store.snapshots(device: "core-sw-01", limit: 100).count
    print("collection runs kept: \(runs), snapshot rows: \(snapshots)")
}

let arguments = CommandLine.arguments
do {
    switch (arguments.count, arguments.count > 1 ? arguments[1] : "") {
    case (3, "loop"):
        try await loop(arguments[2])
    case (4, "measure"):
        try await measure(arguments[2], count: Int(arguments[3]) ?? 10_000)
    default:
        FileHandle.standardError.write(Data("usage: state-crash-writer loop DB | measure DB N\n".utf8))
        exit(64)
    }
} catch {
    FileHandle.standardError.write(Data("state-crash-writer: \(error)\n".utf8))
    exit(2)
}
