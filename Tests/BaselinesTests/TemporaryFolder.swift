import Foundation

/// A fresh folder under the system temporary directory, removed when the value is released.
final class TemporaryFolder: Sendable {
    let url: URL

    init(_ label: String = "baselines") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("dw-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    func file(_ path: String) -> URL { url.appendingPathComponent(path) }

    func write(_ text: String, to path: String) throws {
        let target = file(path)
        try FileManager.default.createDirectory(
            at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: target)
    }
}
