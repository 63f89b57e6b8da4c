import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The install's masking key: the HMAC key behind every `<secret:XXXXXXXX>` token.
///
/// It lives in `<state dir>/masking.key` (default state dir `.driftwatch`), 32 random bytes,
/// mode 0600. The first use creates it. A key file that group or others can read is refused:
/// with the key, anyone could test guesses of a secret against its token.
public enum MaskingKey {
    /// The default state directory.
    public static let defaultStateDirectory = ".driftwatch"
    /// The key file's name inside the state directory.
    public static let fileName = "masking.key"
    /// The size of a new key, in bytes.
    public static let size = 32

    /// Why the key could not be loaded.
    public struct LoadError: Error, Sendable, CustomStringConvertible {
        /// The key file.
        public let file: String
        /// What failed and what to do.
        public let message: String
        /// `file: message`.
        public var description: String { "\(file): \(message)" }
    }

    /// The key file's path for a state directory.
    public static func path(stateDirectory: String = defaultStateDirectory) -> String {
        (stateDirectory as NSString).appendingPathComponent(fileName)
    }

    /// Loads the key, creating the state directory (0700) and the key (0600) when missing.
    ///
    /// - Throws: ``LoadError`` when the file is readable by group or others, too short, or
    ///   cannot be read or created.
    public static func load(stateDirectory: String = defaultStateDirectory) throws -> [UInt8] {
        let file = path(stateDirectory: stateDirectory)
        var info = stat()
        if stat(file, &info) != 0 {
            guard errno == ENOENT else {
                throw LoadError(file: file, message: "cannot read the masking key: \(String(cString: strerror(errno)))")
            }
            return try create(file: file, stateDirectory: stateDirectory)
        }
        let mode = info.st_mode & 0o777
        if mode & 0o077 != 0 {
            throw LoadError(
                file: file,
                message:
                    "the masking key is readable by group or others (mode \(String(mode, radix: 8))); anyone who can read it can test guesses of a masked secret. Run 'chmod 600 \(file)'."
            )
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw LoadError(file: file, message: "cannot read the masking key; check its owner and permissions")
        }
        guard data.count >= 16 else {
            throw LoadError(
                file: file,
                message:
                    "the masking key is \(data.count) bytes, fewer than 16; restore it from backup (a new key changes every secret token, which then shows as drift)"
            )
        }
        return Array(data)
    }

    private static func create(file: String, stateDirectory: String) throws -> [UInt8] {
        do {
            try FileManager.default.createDirectory(
                atPath: stateDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw LoadError(
                file: file,
                message: "cannot create the state directory \(stateDirectory): \(error.localizedDescription)")
        }
        var generator = SystemRandomNumberGenerator()
        let key = (0..<size).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let descriptor = open(file, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        if descriptor < 0 {
            if errno == EEXIST { return try load(stateDirectory: stateDirectory) }
            throw LoadError(file: file, message: "cannot create the masking key: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        let written = key.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == key.count, fsync(descriptor) == 0 else {
            unlink(file)
            throw LoadError(file: file, message: "cannot write the masking key: \(String(cString: strerror(errno)))")
        }
        return key
    }
}
