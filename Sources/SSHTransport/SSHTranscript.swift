import Synchronization

/// A debugging record of one session's channel traffic: every byte received, and every byte
/// sent except secrets (passwords, enable secrets), which are recorded as `<redacted>`.
///
/// Authentication is not channel traffic and never appears. Thread-safe; share one per device.
public final class SSHTranscript: Sendable {
    /// Which way the bytes went.
    public enum Direction: String, Sendable {
        /// From the client to the device.
        case sent
        /// From the device to the client.
        case received
    }

    /// One recorded chunk.
    public struct Entry: Sendable {
        /// Which way the bytes went.
        public var direction: Direction
        /// The bytes, or `<redacted>` for a secret sent.
        public var bytes: [UInt8]
        /// The bytes decoded as UTF-8 (invalid sequences replaced).
        public var text: String { String(decoding: bytes, as: UTF8.self) }
    }

    private let storage = Mutex<[Entry]>([])
    private let sink: (@Sendable (Entry) -> Void)?

    /// Makes a transcript kept in memory; `sink`, if given, also sees each entry as it is recorded.
    public init(sink: (@Sendable (Entry) -> Void)? = nil) {
        self.sink = sink
    }

    /// Everything recorded so far.
    public var entries: [Entry] { storage.withLock { $0 } }

    /// The whole transcript as text, each chunk prefixed with `<<` (received) or `>>` (sent).
    public var text: String {
        entries.map { ($0.direction == .sent ? ">> " : "<< ") + $0.text }.joined(separator: "\n")
    }

    func record(_ direction: Direction, _ bytes: [UInt8]) {
        let entry = Entry(direction: direction, bytes: bytes)
        storage.withLock { $0.append(entry) }
        sink?(entry)
    }

    func recordRedacted() {
        record(.sent, Array("<redacted>".utf8))
    }
}
