import Crypto
import Foundation

/// SHA-256 helpers: every hash in the baseline store and the audit log is lowercase hex.
public enum SHA256Hex {
    /// The lowercase hex SHA-256 of `data`.
    public static func of(_ data: Data) -> String {
        SHA256.hash(data: data).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }

    /// The lowercase hex SHA-256 of the UTF-8 bytes of `text`.
    public static func of(_ text: String) -> String { of(Data(text.utf8)) }
}
