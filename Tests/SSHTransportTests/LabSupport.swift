import DeviceLab
import Foundation
import SSHTransport
import Testing

extension Tag {
    /// Tests that start a real sshd lab.
    @Tag static var integration: Self
    /// Tests that run a process under valgrind.
    @Tag static var valgrind: Self
}

/// Shared helpers for the tests that run against a DeviceLab.
enum LabSupport {
    static let client = SSHClient.shared

    /// A known_hosts file in the lab folder holding the device's keys (all types, or `types`).
    static func knownHosts(_ lab: DeviceLab, _ device: LabDevice, types: [String]? = nil, name: String = UUID().uuidString) throws -> KnownHosts {
        let path = "\(lab.directory)/known_hosts-\(name)"
        try lab.knownHostsLines(for: device, types: types).write(toFile: path, atomically: true, encoding: .utf8)
        return KnownHosts(path: path)
    }

    /// An empty (absent) known_hosts file in the lab folder.
    static func emptyKnownHosts(_ lab: DeviceLab) -> KnownHosts {
        KnownHosts(path: "\(lab.directory)/known_hosts-empty-\(UUID().uuidString)")
    }

    static func options(_ knownHosts: KnownHosts, policy: HostKeyPolicy = .strict, operationTimeout: Duration = .seconds(20),
                        outputLimit: Int = 64 << 20, transcript: SSHTranscript? = nil) -> SSHOptions {
        SSHOptions(knownHosts: knownHosts, hostKeyPolicy: policy, connectTimeout: .seconds(20), operationTimeout: operationTimeout,
                   outputLimit: outputLimit, transcript: transcript)
    }

    static func endpoint(_ device: LabDevice) -> SSHEndpoint {
        SSHEndpoint(host: device.host, port: device.port)
    }

    static func key(_ lab: DeviceLab, _ type: LabKeyType = .ed25519) -> SSHCredentials {
        .privateKey(username: lab.username, path: lab.clientKeyPath(type),
                    passphrase: type == .ed25519WithPassphrase ? lab.clientKeyPassphrase : nil)
    }

    /// Runs `body` with a session to `device` using an ed25519 key and a pinned known_hosts.
    static func withSession<R>(_ lab: DeviceLab, _ device: LabDevice, credentials: SSHCredentials? = nil,
                               options: SSHOptions? = nil, isolation: isolated (any Actor)? = #isolation,
                               _ body: (SSHSession) async throws -> R) async throws -> R {
        let opts = try options ?? Self.options(knownHosts(lab, device))
        return try await client.withSession(to: endpoint(device), credentials: credentials ?? key(lab), options: opts, body)
    }

    /// The code of the SSHTransportError `body` throws, failing the test if it throws something else or nothing.
    static func transportError(_ body: () async throws -> Void, isolation: isolated (any Actor)? = #isolation,
                               sourceLocation: SourceLocation = #_sourceLocation) async -> SSHTransportError? {
        do {
            try await body()
            Issue.record("expected an SSHTransportError, got success", sourceLocation: sourceLocation)
            return nil
        } catch let error as SSHTransportError {
            return error
        } catch {
            Issue.record("expected an SSHTransportError, got \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }
}
