import Foundation

/// Reads the key type of a private key file without decrypting it, to explain auth failures.
enum PrivateKeyFile {
    /// `ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`, … or `nil` if the format is unknown.
    static func keyType(atPath path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let text = String(decoding: data.prefix(64 * 1024), as: UTF8.self)
        if text.contains("BEGIN RSA PRIVATE KEY") { return "ssh-rsa" }
        if text.contains("BEGIN EC PRIVATE KEY") { return "ecdsa-sha2-nistp256" }
        if text.contains("BEGIN DSA PRIVATE KEY") { return "ssh-dss" }
        guard text.contains("BEGIN OPENSSH PRIVATE KEY") else { return nil }
        let body = text.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        guard let decoded = Data(base64Encoded: body) else { return nil }
        // "openssh-key-v1\0", string cipher, string kdf, string kdfoptions, uint32 count, string publickey
        var bytes = Array(decoded)
        let magic = Array("openssh-key-v1".utf8) + [0]
        guard bytes.starts(with: magic) else { return nil }
        bytes.removeFirst(magic.count)
        var offset = 0
        func readString() -> [UInt8]? {
            guard offset + 4 <= bytes.count else { return nil }
            let length = Int(bytes[offset]) << 24 | Int(bytes[offset + 1]) << 16 | Int(bytes[offset + 2]) << 8 | Int(bytes[offset + 3])
            offset += 4
            guard length >= 0, offset + length <= bytes.count else { return nil }
            defer { offset += length }
            return Array(bytes[offset..<(offset + length)])
        }
        guard readString() != nil, readString() != nil, readString() != nil else { return nil }
        offset += 4
        guard let publicKey = readString() else { return nil }
        return KnownHosts.keyType(ofKey: publicKey)
    }
}
