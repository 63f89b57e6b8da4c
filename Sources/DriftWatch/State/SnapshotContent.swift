import Baselines
import ConfigDiff

/// The text of a snapshot: normalized and secret-masked, never raw.
///
/// The only public way to make one is from a ``ConfigDiff/NormalizedConfig``, which the
/// `Normalizer` produces after masking; so raw collected text cannot reach the state store by
/// accident. ``sha256`` (lowercase hex of the UTF-8 text) is the content address.
public struct SnapshotContent: Sendable, Hashable {
    /// The normalized, masked text.
    public let text: String
    /// The lowercase hex SHA-256 of ``text``'s UTF-8 bytes.
    public let sha256: String

    /// The content of a normalized, masked configuration.
    public init(_ normalized: NormalizedConfig) {
        self.init(storedText: normalized.text)
    }

    /// Text read back from the store (already normalized and masked when it was written).
    init(storedText: String) {
        self.text = storedText
        self.sha256 = SHA256Hex.of(storedText)
    }

    /// The size of ``text`` in bytes.
    public var size: Int { text.utf8.count }
}
