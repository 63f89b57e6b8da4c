import Foundation

/// Resolves a device's credential references (`password_env`, `password_file`, `key_file`,
/// `enable_password_env`, `enable_password_file`) to values held in memory only.
///
/// A missing reference is a ``CollectionError`` that names the device and the config key.
public struct CredentialResolver: Sendable {
    /// The configuration (file paths are relative to its folder).
    public let configuration: DriftWatchConfiguration
    /// The environment variables to read.
    public let environment: [String: String]

    /// A resolver over `configuration` and `environment` (the process's by default).
    public init(
        configuration: DriftWatchConfiguration, environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.configuration = configuration
        self.environment = environment
    }

    /// The resolved credentials of `device`.
    public func resolve(_ device: DeviceEntry) throws -> ResolvedCredentials {
        let reference = device.credentials
        let prefix = "devices[\(device.name)].credentials"
        guard let username = reference.username, !username.isEmpty else {
            throw missing(
                device, "\(prefix).username is not set; add the login name to the device in \(configuration.file)")
        }
        let method: ResolvedCredentials.Method
        if let name = reference.passwordEnv {
            method = .password(try variable(name, key: "\(prefix).password_env", device: device))
        } else if let path = reference.passwordFile {
            method = .password(try file(path, key: "\(prefix).password_file", device: device))
        } else if let path = reference.keyFile {
            let resolved = configuration.resolve(path).path
            guard FileManager.default.isReadableFile(atPath: resolved) else {
                throw missing(
                    device,
                    "\(prefix).key_file '\(path)' (\(resolved)) does not exist or cannot be read; fix the path in \(configuration.file)"
                )
            }
            method = .keyFile(path: resolved)
        } else {
            throw missing(
                device, "\(prefix) names no password_env, password_file or key_file; add one to \(configuration.file)")
        }
        var enable: String?
        if let name = reference.enablePasswordEnv {
            enable = try variable(name, key: "\(prefix).enable_password_env", device: device)
        } else if let path = reference.enablePasswordFile {
            enable = try file(path, key: "\(prefix).enable_password_file", device: device)
        }
        return ResolvedCredentials(username: username, method: method, enableSecret: enable)
    }

    private func variable(_ name: String, key: String, device: DeviceEntry) throws -> String {
        guard let value = environment[name], !value.isEmpty else {
            throw missing(
                device,
                "\(key) names the environment variable \(name), which is not set; export it before running driftwatch")
        }
        return value
    }

    private func file(_ path: String, key: String, device: DeviceEntry) throws -> String {
        let resolved = configuration.resolve(path).path
        guard let data = FileManager.default.contents(atPath: resolved) else {
            throw missing(
                device,
                "\(key) '\(path)' (\(resolved)) does not exist or cannot be read; fix the path in \(configuration.file)"
            )
        }
        var text = String(decoding: data, as: UTF8.self)
        while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
        guard !text.isEmpty else { throw missing(device, "\(key) '\(path)' is empty; write the secret into it") }
        return text
    }

    private func missing(_ device: DeviceEntry, _ message: String) -> CollectionError {
        CollectionError(.credentialsUnavailable, device: device.name, message)
    }
}
