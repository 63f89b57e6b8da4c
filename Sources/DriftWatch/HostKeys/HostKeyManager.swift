import Foundation
import SSHTransport

/// `driftwatch hostkeys`: the trusted host keys of the inventory, in `<state dir>/known_hosts`.
/// Every trust and forget is recorded as a host-key event with an audit record, in one
/// transaction of the state store.
public struct HostKeyManager: Sendable {
    /// One device's trusted keys.
    public struct Entry: Sendable, Hashable {
        /// The device.
        public var device: String
        /// `host:port`.
        public var address: String
        /// `(key type, SHA256 fingerprint)` pairs; empty when nothing is trusted.
        public var keys: [KeyFingerprint]
    }

    /// A key type and its fingerprint.
    public struct KeyFingerprint: Sendable, Hashable {
        /// E.g. `ssh-ed25519`.
        public var keyType: String
        /// `SHA256:…`.
        public var fingerprint: String
    }

    /// The one-shot context (configuration, state store).
    public let context: OneShotContext
    /// The SSH client used to fetch a device's presented key.
    public let client: SSHClient

    /// A manager over `context`.
    public init(context: OneShotContext, client: SSHClient = .shared) {
        self.context = context
        self.client = client
    }

    var knownHosts: KnownHosts { KnownHosts(path: context.knownHostsPath) }

    /// Every inventory device with the keys trusted for its address.
    public func list() throws -> [Entry] {
        try context.configuration.devices.map { device in
            let entries = try knownHosts.entries(host: device.host, port: device.port)
            return Entry(
                device: device.name, address: "\(device.host):\(device.port)",
                keys: entries.filter { !$0.revoked }.map {
                    KeyFingerprint(keyType: $0.keyType, fingerprint: $0.fingerprint)
                })
        }
    }

    /// The key `device` presents now (SSH handshake only, nothing verified or trusted).
    public func presentedKey(of device: DeviceEntry) async throws -> SSHHostKey {
        let options = SSHOptions(
            knownHosts: knownHosts, connectTimeout: context.configuration.defaults.timeout,
            operationTimeout: context.configuration.defaults.timeout)
        return try await client.scanHostKey(of: SSHEndpoint(host: device.host, port: device.port), options: options)
    }

    /// Trusts `key` for `device`: replaces the keys held for its address, records the event.
    @discardableResult
    public func trust(_ key: SSHHostKey, device: DeviceEntry, actor: String, at time: Date = Date()) async throws
        -> HostKeyEvent
    {
        let old = try knownHosts.entries(host: device.host, port: device.port).first?.fingerprint
        try FileManager.default.createDirectory(
            at: context.configuration.stateFolder, withIntermediateDirectories: true)
        _ = try knownHosts.remove(host: device.host, port: device.port)
        try knownHosts.append(host: device.host, port: device.port, keyType: key.keyType, keyBlob: key.keyBlob)
        let event = HostKeyEvent(
            device: device.name, time: time, kind: .trusted, oldFingerprint: old, newFingerprint: key.fingerprint,
            actor: actor)
        var details = [
            "fingerprint": key.fingerprint, "key_type": key.keyType, "address": "\(device.host):\(device.port)",
        ]
        if let old { details["previous"] = old }
        return try await context.store.recordHostKeyEvent(
            event,
            audit: AuditEntry(
                actor: actor, action: HostKeyAuditAction.trusted, target: device.name, details: details, time: time))
    }

    /// Forgets the keys trusted for `device`; returns how many `known_hosts` lines were removed.
    @discardableResult
    public func forget(device: DeviceEntry, actor: String, at time: Date = Date()) async throws -> Int {
        let old = try knownHosts.entries(host: device.host, port: device.port).first?.fingerprint
        let removed = try knownHosts.remove(host: device.host, port: device.port)
        let event = HostKeyEvent(device: device.name, time: time, kind: .forgotten, oldFingerprint: old, actor: actor)
        try await context.store.recordHostKeyEvent(
            event,
            audit: AuditEntry(
                actor: actor, action: HostKeyAuditAction.forgotten, target: device.name,
                details: [
                    "previous": old ?? "", "removed_lines": "\(removed)", "address": "\(device.host):\(device.port)",
                ],
                time: time))
        return removed
    }
}
