import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Durable, atomic file operations and per-folder exclusive locks.
///
/// Writes go to a temporary file in the same folder, are flushed with `fsync`, and are then
/// published with `rename` (replace) or `link` (create only, fails when the name exists: the
/// commit point of a new version). The folder is fsync'ed after publishing.
public enum FileSystem {
    /// Writes `data` to `url` atomically, replacing any existing file.
    public static func writeAtomically(_ data: Data, to url: URL) throws {
        let temp = try writeTemporary(data, besides: url)
        guard rename(temp.path, url.path) == 0 else {
            let reason = errnoDescription()
            unlink(temp.path)
            throw BaselineError(
                .ioFailed, "could not rename \(temp.path) to \(url.lastPathComponent): \(reason)", file: url.path)
        }
        syncFolder(url.deletingLastPathComponent())
    }

    /// Writes `data` to `url` atomically; fails with `false` (nothing written) when `url`
    /// already exists.
    public static func createAtomically(_ data: Data, at url: URL) throws -> Bool {
        let temp = try writeTemporary(data, besides: url)
        defer { unlink(temp.path) }
        if link(temp.path, url.path) != 0 {
            if errno == EEXIST { return false }
            throw BaselineError(
                .ioFailed, "could not create \(url.lastPathComponent): \(errnoDescription())", file: url.path)
        }
        syncFolder(url.deletingLastPathComponent())
        return true
    }

    /// Creates `url` and its parents when missing.
    public static func makeFolder(_ url: URL) throws {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw BaselineError(.ioFailed, "could not create folder: \(error.localizedDescription)", file: url.path)
        }
    }

    /// Reads a whole file; throws `.notFound` naming the file when it does not exist.
    public static func read(_ url: URL) throws -> Data {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw BaselineError(.notFound, "file does not exist", file: url.path)
        }
        do {
            return try Data(contentsOf: url)
        } catch {
            throw BaselineError(.ioFailed, "could not read: \(error.localizedDescription)", file: url.path)
        }
    }

    /// Runs `body` while holding an exclusive `flock` on `lockFile` (created when missing).
    /// Other processes calling this with the same file wait; the lock is released when `body`
    /// returns or throws, and by the kernel if the process dies.
    public static func withExclusiveLock<T>(_ lockFile: URL, _ body: () throws -> T) throws -> T {
        try makeFolder(lockFile.deletingLastPathComponent())
        let fd = open(lockFile.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw BaselineError(.ioFailed, "could not open lock file: \(errnoDescription())", file: lockFile.path)
        }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            throw BaselineError(.ioFailed, "could not lock: \(errnoDescription())", file: lockFile.path)
        }
        defer { flock(fd, LOCK_UN) }
        return try body()
    }

    /// Appends `data` to `url` (created with mode 0600 when missing) under an exclusive lock
    /// held by the caller, and fsyncs it.
    public static func append(_ data: Data, to url: URL) throws {
        let fd = open(url.path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw BaselineError(.ioFailed, "could not open for appending: \(errnoDescription())", file: url.path)
        }
        defer { close(fd) }
        try writeAll(fd, data, url: url)
        fsync(fd)
    }

    private static func writeTemporary(_ data: Data, besides url: URL) throws -> URL {
        let folder = url.deletingLastPathComponent()
        try makeFolder(folder)
        let template = folder.appendingPathComponent(".\(url.lastPathComponent).tmp-XXXXXX").path
        var buffer = Array(template.utf8CString)
        let fd = buffer.withUnsafeMutableBufferPointer { pointer -> Int32 in
            guard let base = pointer.baseAddress else { return -1 }
            return mkstemp(base)
        }
        guard fd >= 0 else {
            throw BaselineError(
                .ioFailed, "could not create a temporary file: \(errnoDescription())", file: folder.path)
        }
        let tempPath = String(decoding: buffer.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let tempURL = URL(fileURLWithPath: tempPath)
        do {
            try writeAll(fd, data, url: tempURL)
            guard fsync(fd) == 0 else {
                throw BaselineError(.ioFailed, "fsync failed: \(errnoDescription())", file: tempPath)
            }
            fchmod(fd, 0o644)
            close(fd)
        } catch {
            close(fd)
            unlink(tempPath)
            throw error
        }
        return tempURL
    }

    private static func writeAll(_ fd: Int32, _ data: Data, url: URL) throws {
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            guard let base = raw.baseAddress else { return }
            var offset = 0
            while offset < raw.count {
                let written = write(fd, base + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw BaselineError(.ioFailed, "write failed: \(errnoDescription())", file: url.path)
                }
                offset += written
            }
        }
    }

    private static func syncFolder(_ folder: URL) {
        let fd = open(folder.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    static func errnoDescription() -> String {
        String(cString: strerror(errno))
    }
}
