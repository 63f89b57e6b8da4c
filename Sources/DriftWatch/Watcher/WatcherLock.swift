import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The one-watcher-per-state-store lock: an exclusive `flock` on `<state dir>/watcher.lock`,
/// held by an open descriptor for the watcher's life.
///
/// Decision: a lock file rather than the `leases` table. The kernel drops the lock the moment
/// the process dies (also on `kill -9`), so a restarted watcher never waits for a lease to
/// expire, and the CLI can tell whether a watcher is alive (``isHeld(stateFolder:)``) without a
/// heartbeat. The file holds the watcher's pid, for people. (Several watchers on PostgreSQL will
/// use the leases.)
public final class WatcherLock: Sendable {
    /// The lock file.
    public let path: String
    private let descriptor: Mutex<Int32>

    /// Takes the lock, or throws `.watcherRunning` when another watcher holds it.
    public init(stateFolder: URL) throws {
        path = stateFolder.appendingPathComponent("watcher.lock").path
        try? FileManager.default.createDirectory(
            at: stateFolder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw DriftWatchError(
                .ioFailed,
                "cannot create the watcher lock file: \(String(cString: strerror(errno))); check the state folder's owner and permissions",
                file: path)
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            let pid = (try? String(contentsOfFile: path, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
            throw DriftWatchError(
                .watcherRunning,
                "another watcher (pid \(pid ?? "?")) already uses this state store; stop it first, or give this one its own 'state:' path",
                file: path)
        }
        _ = ftruncate(fd, 0)
        let text = "\(getpid())\n"
        _ = text.withCString { write(fd, $0, strlen($0)) }
        descriptor = Mutex(fd)
    }

    deinit { release() }

    /// Releases the lock (idempotent).
    public func release() {
        descriptor.withLock { fd in
            if fd >= 0 {
                flock(fd, LOCK_UN)
                close(fd)
                fd = -1
            }
        }
    }

    /// Whether a watcher holds the lock of `stateFolder` now (a non-blocking probe).
    public static func isHeld(stateFolder: URL) -> Bool {
        let path = stateFolder.appendingPathComponent("watcher.lock").path
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return false
        }
        return errno == EWOULDBLOCK
    }
}
