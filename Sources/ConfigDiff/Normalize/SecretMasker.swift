import Crypto
import Foundation

/// Replaces a secret value by `<secret:XXXXXXXX>`: the first 8 hex digits of
/// HMAC-SHA256(install key, value).
///
/// The same value under the same key always gives the same token, so a changed secret shows
/// as drift while the value itself never leaves memory. Values that are already masked (a
/// `<secret:…>` token, or a device's own `*****`) are returned unchanged, which makes masking
/// idempotent.
public struct SecretMasker: Sendable {
    /// The HMAC already keyed: its inner and outer hashers have absorbed the padded key, so a
    /// value costs only its own bytes and the outer block (setting the key up again for every
    /// value was 17% of normalizing a small NX-OS config). Never mutated after `init`; each
    /// `mask` works on a copy, whose hash contexts are copied on write, so sharing it across
    /// threads is safe.
    private struct Keyed: @unchecked Sendable {
        let hmac: HMAC<SHA256>
    }

    private let keyed: Keyed

    /// Creates a masker with the install's masking key (32 random bytes, see `MaskingKey`).
    public init(key: some ContiguousBytes) {
        let bytes = key.withUnsafeBytes { Array($0) }
        self.keyed = Keyed(hmac: HMAC<SHA256>(key: SymmetricKey(data: bytes)))
    }

    /// The token prefix, `<secret:`.
    public static let tokenPrefix = "<secret:"

    /// The masked form of `value`.
    public func mask(_ value: some StringProtocol) -> String {
        if Self.isMasked(value) { return String(value) }
        var hmac = keyed.hmac
        let absorbed = value.utf8.withContiguousStorageIfAvailable { hmac.update(data: UnsafeRawBufferPointer($0)) } != nil
        if !absorbed { hmac.update(data: Array(value.utf8)) }
        let code = hmac.finalize()
        var token = Self.tokenPrefix
        var written = 0
        for byte in code where written < 4 {
            token += Self.hex[Int(byte >> 4)]
            token += Self.hex[Int(byte & 0x0f)]
            written += 1
        }
        token += ">"
        return token
    }

    private static let hex = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f"]

    /// True for a value that is already masked: a whole `<secret:xxxxxxxx>` token, or only `*`.
    public static func isMasked(_ value: some StringProtocol) -> Bool {
        let utf8 = value.utf8
        if !utf8.isEmpty && utf8.allSatisfy({ $0 == UInt8(ascii: "*") }) { return true }
        guard utf8.count == 17, utf8.starts(with: tokenPrefix.utf8), utf8.reversed().first == UInt8(ascii: ">") else {
            return false
        }
        return utf8.dropFirst(8).dropLast().allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }
}
