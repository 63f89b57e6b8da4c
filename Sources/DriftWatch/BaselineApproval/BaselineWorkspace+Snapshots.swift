import Foundation
import GRDB

extension BaselineWorkspace {
    /// A stored snapshot of `device` by id, or its latest for `latest`: id and normalized,
    /// masked text, read synchronously from the state database (the approve command is
    /// synchronous). The text's SHA-256 is checked against the snapshot's content address.
    func storedSnapshot(device: String, reference: String) throws -> (id: Int64, text: String) {
        let id: Int64?
        if reference == "latest" {
            id = nil
        } else if let number = Int64(reference), number > 0 {
            id = number
        } else {
            throw DriftWatchError(
                .invalidConfiguration, "--snapshot takes a snapshot id (a number) or 'latest', not '\(reference)'")
        }
        if configuration.state.hasPrefix("postgres://") || configuration.state.hasPrefix("postgresql://") {
            throw DriftWatchError(
                .notAvailable,
                "approving from a PostgreSQL state store is not available yet; approve from a file instead",
                file: configuration.file)
        }
        let path = configuration.resolve(configuration.state).path
        guard FileManager.default.fileExists(atPath: path) else {
            throw DriftWatchError(
                .notAvailable,
                "there is no state database yet, so no snapshot of \(device); run 'driftwatch collect \(device)' first, or approve from a file with --from-file PATH",
                file: path)
        }
        let store = try SQLiteStateStore(path: path)
        let row = try store.pool.read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT s.id, s.device, s.content_sha256, c.text FROM snapshots s
                    JOIN snapshot_contents c ON c.sha256 = s.content_sha256
                    WHERE s.device = ? AND (? IS NULL OR s.id = ?) ORDER BY s.id DESC LIMIT 1
                    """, arguments: [device, id, id])
        }
        guard let row, let found: Int64 = row["id"], let text: String = row["text"],
            let sha: String = row["content_sha256"]
        else {
            throw DriftWatchError(
                .notAvailable,
                id.map {
                    "snapshot \($0) is not a stored snapshot of \(device); see 'driftwatch status' and 'driftwatch diff \(device)'"
                }
                    ?? "\(device) was never collected; run 'driftwatch collect \(device)' first",
                file: path)
        }
        guard SnapshotContent(storedText: text).sha256 == sha else {
            throw DriftWatchError(
                .ioFailed,
                "the text of snapshot \(found) (\(device)) does not match its sha256: the database was edited; nothing was approved",
                file: path)
        }
        return (found, text)
    }
}
