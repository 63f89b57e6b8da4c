import ConfigDiff
import Foundation

@testable import DriftWatch

/// A state database in a fresh temporary folder, removed by ``remove()``.
struct StateFixture {
    let folder: URL
    let path: String
    let store: SQLiteStateStore

    init(options: StateStoreOptions = StateStoreOptions()) throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("dw-state-\(UUID().uuidString)")
        path = folder.appendingPathComponent("state/state.sqlite").path
        store = try SQLiteStateStore(path: path, options: options)
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }

    /// Normalizes an IOS configuration with a fixed test key, as the collector will.
    static func content(_ raw: String) throws -> SnapshotContent {
        let normalizer = Normalizer(
            profile: try ProfileCatalog().profile("cisco_ios"),
            masker: SecretMasker(key: Array(repeating: UInt8(42), count: 32)))
        return SnapshotContent(try normalizer.normalize(raw, previousSize: nil, checkCompleteness: false))
    }

    static func config(_ hostname: String, extra: String = "") throws -> SnapshotContent {
        try content(
            """
            hostname \(hostname)
            interface GigabitEthernet0/1
             description uplink
             ip address 192.0.2.1 255.255.255.0
            \(extra)
            """)
    }

    /// A time with whole milliseconds, so that it round-trips exactly.
    static func time(_ seconds: Double) -> Date {
        Date(timeIntervalSince1970: 1_790_000_000 + seconds)
    }

    static func ok(_ device: String, _ content: SnapshotContent, at: Date, trigger: CollectionTrigger = .poll)
        -> CollectionReport
    {
        CollectionReport(
            device: device, startedAt: at, duration: .milliseconds(250), trigger: trigger, result: .ok,
            content: content)
    }
}
