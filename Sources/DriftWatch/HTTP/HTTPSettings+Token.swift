import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

extension HTTPSettings {
    /// The API bearer token, or nil when none is configured (the `/api/v1` routes are then off;
    /// health and metrics stay on).
    ///
    /// - `http.token_file`: read (relative paths are resolved against `folder`, the folder of
    ///   `driftwatch.yaml`; `~/` is expanded) and trimmed of surrounding white space. The file must
    ///   not be readable by group or others: a file with any of the mode bits 0o044 is refused.
    /// - `http.token_env`: the value of that environment variable, trimmed.
    ///
    /// Setting both is refused (which one wins would be a guess). The token itself never appears
    /// in an error message.
    /// - Throws: ``DriftWatchError`` `.invalidConfiguration` (missing, empty, too open, both keys
    ///   set) or `.ioFailed` (the file cannot be read), naming the key and the file.
    public func resolveToken(relativeTo folder: URL, environment: [String: String]) throws -> String? {
        switch (tokenFile, tokenEnv) {
        case (nil, nil):
            return nil
        case (.some, .some):
            throw DriftWatchError(
                .invalidConfiguration,
                "http.token_file and http.token_env are both set; keep one of them so that it is clear which token the API accepts"
            )
        case (let file?, nil):
            return try Self.readTokenFile(file, relativeTo: folder)
        case (nil, let name?):
            guard let value = environment[name] else {
                throw DriftWatchError(
                    .invalidConfiguration,
                    "http.token_env names the environment variable \(name), which is not set; export it before starting the watcher, or remove http.token_env to turn the API off"
                )
            }
            let token = value.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty else {
                throw DriftWatchError(
                    .invalidConfiguration,
                    "http.token_env: the environment variable \(name) is empty; put the API token in it, or remove http.token_env to turn the API off"
                )
            }
            return token
        }
    }

    private static func readTokenFile(_ file: String, relativeTo folder: URL) throws -> String {
        let expanded = (file as NSString).expandingTildeInPath
        let path = expanded.hasPrefix("/") ? expanded : folder.appendingPathComponent(expanded).path
        var info = stat()
        guard stat(path, &info) == 0 else {
            let reason = String(cString: strerror(errno))
            throw DriftWatchError(
                .ioFailed,
                "http.token_file: cannot read \(path): \(reason). Create it with the API token on one line and 'chmod 600 \(path)', or remove http.token_file to turn the API off",
                file: path)
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw DriftWatchError(
                .invalidConfiguration, "http.token_file: \(path) is not a regular file; point it at the file holding the API token",
                file: path)
        }
        let mode = info.st_mode & 0o777
        guard mode & 0o044 == 0 else {
            throw DriftWatchError(
                .invalidConfiguration,
                "http.token_file: \(path) is readable by group or others (mode \(String(mode, radix: 8))); the token grants API access, so run 'chmod 600 \(path)'",
                file: path)
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw DriftWatchError(
                .ioFailed,
                "http.token_file: cannot read \(path): \(error.localizedDescription). Check that the watcher's user owns it",
                file: path)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DriftWatchError(
                .invalidConfiguration, "http.token_file: \(path) is not UTF-8 text; write the token as plain text",
                file: path)
        }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else {
            throw DriftWatchError(
                .invalidConfiguration,
                "http.token_file: \(path) is empty; write the API token into it, or remove http.token_file to turn the API off",
                file: path)
        }
        return token
    }
}
