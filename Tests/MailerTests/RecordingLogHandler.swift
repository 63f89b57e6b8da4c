import Logging
import Synchronization

/// A log handler that keeps every line (message and metadata) so a test can read what was logged.
final class RecordingLogHandler: LogHandler, Sendable {
    private let storage = Mutex<[String]>([])
    private let levelStorage = Mutex<Logger.Level>(.trace)
    private let metadataStorage = Mutex<Logger.Metadata>([:])

    var logLevel: Logger.Level {
        get { levelStorage.withLock { $0 } }
        set { levelStorage.withLock { $0 = newValue } }
    }

    var metadata: Logger.Metadata {
        get { metadataStorage.withLock { $0 } }
        set { metadataStorage.withLock { $0 = newValue } }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadataStorage.withLock { $0[key] = newValue } }
    }

    func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let line = "\(event.level) \(event.message) " + merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        storage.withLock { $0.append(line) }
    }

    /// Every line logged so far.
    var lines: [String] { storage.withLock { $0 } }

    /// A logger that writes here (a fresh handler per logger).
    static func logger() -> (Logger, RecordingLogHandler) {
        let handler = RecordingLogHandler()
        return (Logger(label: "mailer-test") { _ in handler }, handler)
    }
}
