/// A server's public host key, as presented in the SSH handshake.
public struct SSHHostKey: Sendable, Hashable {
    /// The key type, e.g. `ssh-ed25519`.
    public var keyType: String
    /// The public key blob (SSH wire format).
    public var keyBlob: [UInt8]

    /// Makes a host key.
    public init(keyType: String, keyBlob: [UInt8]) {
        self.keyType = keyType
        self.keyBlob = keyBlob
    }

    /// `SHA256:<base64, no padding>`, as `ssh-keygen -l` prints it.
    public var fingerprint: String { KnownHosts.fingerprint(ofKey: keyBlob) }
}
