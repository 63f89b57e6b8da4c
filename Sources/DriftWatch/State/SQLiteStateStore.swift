import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The SQLite state store (GRDB `DatabasePool`): one file, WAL journal, foreign keys on, a busy
/// timeout, `synchronous = FULL` (a committed transaction survives a power loss, not only a
/// crash of the process), schema versions applied by a `DatabaseMigrator` on open.
///
/// The folder is created 0700 when missing; the database file is created 0600 and tightened to
/// 0600 on every open (SQLite gives its `-wal` and `-shm` files the database file's mode).
/// Writes are serialized by the pool; reads run concurrently on snapshots of the WAL.
public final class SQLiteStateStore: StateStore {
    /// The database file.
    public let path: String
    /// The retention bounds and timeouts.
    public let options: StateStoreOptions
    let pool: DatabasePool

    /// Opens (creating when missing) the database at `path` and migrates it to the current schema.
    ///
    /// Blocks while the schema is migrated; call it once at start-up.
    /// - Throws: ``StateStoreError`` `.openFailed`, `.migrationFailed` or `.invalidArgument`.
    public init(path: String, options: StateStoreOptions = StateStoreOptions()) throws {
        try options.validate()
        self.path = path
        self.options = options
        try Self.prepareFile(path)
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(options.busyTimeoutSeconds)
        configuration.label = "DriftWatch.state"
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw StateStoreError(
                .openFailed,
                "cannot open the state database: \(Self.describe(error)). Check that the file is a DriftWatch state database and that its folder is writable",
                file: path)
        }
        do {
            try StateSchema.migrator.migrate(pool)
        } catch {
            throw StateStoreError(
                .migrationFailed,
                "cannot bring the state database to the current schema: \(Self.describe(error)). If a newer DriftWatch wrote it, upgrade DriftWatch; otherwise restore the file from backup",
                file: path)
        }
    }

    /// The applied schema versions, oldest first (`v1`, …).
    public func appliedMigrations() async throws -> [String] {
        try await read("read the schema version") { db in
            try StateSchema.migrator.appliedMigrations(db)
        }
    }

    /// Runs SQLite's `PRAGMA integrity_check` and `foreign_key_check`; an empty result means the
    /// file is sound.
    public func integrityProblems() async throws -> [String] {
        try await read("check the database's integrity") { db in
            var problems = try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
            let orphans = try Row.fetchAll(db, sql: "PRAGMA foreign_key_check")
            for row in orphans {
                let table: String = (try? row.decode(String.self, atIndex: 0)) ?? "?"
                let rowID: Int64? = try? row.decode(Int64?.self, atIndex: 1)
                problems.append("foreign key violation in \(table) row \(rowID.map(String.init) ?? "?")")
            }
            return problems
        }
    }

    /// Writes the WAL back into the database file (`wal_checkpoint(TRUNCATE)`), as a clean
    /// shutdown would. Optional: SQLite checkpoints on its own.
    public func checkpoint() async throws {
        _ = try await pool.writeWithoutTransaction { db in
            try db.checkpoint(.truncate)
        }
    }

    // MARK: - Helpers

    /// Runs `body` in one write transaction, mapping SQLite errors to ``StateStoreError``.
    func write<T: Sendable>(_ what: String, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.write(body)
        } catch let error as DatabaseError {
            throw map(error, what)
        }
    }

    /// Runs `body` on a read snapshot, mapping SQLite errors to ``StateStoreError``.
    func read<T: Sendable>(_ what: String, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await pool.read(body)
        } catch let error as DatabaseError {
            throw map(error, what)
        }
    }

    private func map(_ error: DatabaseError, _ what: String) -> StateStoreError {
        if error.resultCode == .SQLITE_CONSTRAINT {
            return StateStoreError(
                .conflict, "could not \(what): \(error.message ?? "constraint violated")", file: path)
        }
        if error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
            return StateStoreError(
                .databaseFailed,
                "could not \(what): the database stayed locked for \(options.busyTimeoutSeconds) s; is another watcher using the same file?",
                file: path)
        }
        return StateStoreError(
            .databaseFailed, "could not \(what): \(error.message ?? "SQLite error \(error.resultCode.rawValue)")",
            file: path)
    }

    private static func describe(_ error: any Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? "SQLite error \(error.resultCode.rawValue)" }
        return String(describing: error)
    }

    /// Creates the folder (0700) and the file (0600), and tightens an existing file to 0600.
    private static func prepareFile(_ path: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) {
            do {
                try FileManager.default.createDirectory(
                    atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw StateStoreError(
                    .openFailed, "cannot create the state folder \(folder): \(error.localizedDescription)", file: path)
            }
        }
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw StateStoreError(
                .openFailed,
                "cannot create or open the state database: \(String(cString: strerror(errno))). Check the folder's owner and permissions",
                file: path)
        }
        close(descriptor)
        for file in [path, path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: file) {
            if chmod(file, 0o600) != 0 {
                throw StateStoreError(
                    .openFailed,
                    "cannot set mode 0600 on \(file): \(String(cString: strerror(errno))). The state holds device configurations; make it owned by the watcher's user",
                    file: path)
            }
        }
    }
}
