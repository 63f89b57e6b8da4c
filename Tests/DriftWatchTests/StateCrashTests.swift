import Foundation
import GRDB
import Testing

@testable import DriftWatch

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Kills a process that writes to the state store with SIGKILL in the middle of its writes,
/// then checks what a restarted watcher would find.
@Suite struct StateCrashTests {
    /// The built `state-crash-writer` helper: `$STATE_CRASH_WRITER`, or next to the test bundle.
    static func writer() throws -> URL {
        if let explicit = ProcessInfo.processInfo.environment["STATE_CRASH_WRITER"] {
            return URL(fileURLWithPath: explicit)
        }
        var candidates: [URL] = [
            URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent(),
            Bundle.main.bundleURL, Bundle.main.bundleURL.deletingLastPathComponent(),
        ]
        candidates += candidates.map { $0.deletingLastPathComponent() }
        for folder in candidates {
            var current = folder
            for _ in 0..<4 {
                let candidate = current.appendingPathComponent("state-crash-writer")
                if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
                current = current.deletingLastPathComponent()
            }
        }
        throw CrashTestError(
            "state-crash-writer was not found next to the test bundle; run 'swift build' first or set STATE_CRASH_WRITER"
        )
    }

    struct CrashTestError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    /// Starts the writer, waits for its first round, lets it write for `millis`, kills it.
    func runAndKill(database: String, millis: Int) async throws {
        let process = Process()
        process.executableURL = try Self.writer()
        process.arguments = ["loop", database]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.standardError
        try process.run()
        let reader = output.fileHandleForReading
        let ready = try await Task.detached { () -> String in
            var collected = Data()
            while let chunk = try reader.read(upToCount: 1), !chunk.isEmpty {
                collected.append(chunk)
                if collected.last == 0x0A { break }
            }
            return String(decoding: collected, as: UTF8.self)
        }.value
        #expect(ready == "ready\n")
        try await Task.sleep(for: .milliseconds(millis))
        #expect(process.isRunning, "the writer stopped on its own before the kill")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL)
    }

    @Test func killedWriterLeavesAConsistentDatabase() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dw-crash-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let database = folder.appendingPathComponent("state.sqlite").path
        var previousRuns = 0
        for millis in [700, 1100, 1500] {
            try await runAndKill(database: database, millis: millis)
            // What a restarted watcher opens.
            let store = try SQLiteStateStore(path: database, options: StateStoreOptions(collectionRunsPerDevice: 50))
            #expect(try await store.integrityProblems().isEmpty)
            #expect(try await store.verifyAudit().isEmpty)
            let (snapshotIDs, orphans, runs, outboxWithoutAlert, auditRecords) = try await store.pool.read { db in
                (
                    try Int64.fetchAll(db, sql: "SELECT id FROM snapshots"),
                    try Int.fetchOne(
                        db,
                        sql:
                            "SELECT COUNT(*) FROM snapshots s LEFT JOIN snapshot_contents c ON c.sha256 = s.content_sha256 WHERE c.sha256 IS NULL"
                    ) ?? -1,
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM collection_runs") ?? -1,
                    try Int.fetchOne(
                        db,
                        sql: "SELECT COUNT(*) FROM outbox o LEFT JOIN alerts a ON a.id = o.alert_id WHERE a.id IS NULL")
                        ?? -1,
                    try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM audit_log") ?? -1
                )
            }
            #expect(orphans == 0)
            #expect(outboxWithoutAlert == 0)
            #expect(!snapshotIDs.isEmpty && auditRecords > 0)
            // Each snapshot's text is whole: it hashes to its address (snapshot(id:) checks).
            for id in snapshotIDs {
                let snapshot = try #require(try await store.snapshot(id: id))
                #expect(snapshot.content.size == snapshot.info.size)
            }
            // Each round wrote a run and its state together; the writer made progress each time.
            #expect(runs > previousRuns || runs == 5 * 50)
            previousRuns = runs
        }
    }
}
