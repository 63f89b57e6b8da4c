import Foundation

/// The baseline store in a `baselines/` folder: `devices/<device>/v<N>.cfg` + `v<N>.json` per
/// device, and the standards (see ``StandardsStore``) under `standards/`.
public struct BaselineStore: Sendable {
    /// The `baselines/` folder.
    public let root: URL

    /// Creates a store over `root`; nothing is read or written.
    public init(root: URL) { self.root = root }

    /// `baselines/devices`.
    public var devicesFolder: URL { root.appendingPathComponent("devices") }

    /// The standards kept in the same folder.
    public var standards: StandardsStore { StandardsStore(root: root.appendingPathComponent("standards")) }

    /// Device names that have a baseline folder, sorted.
    public func devices() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: devicesFolder.path)) ?? []
        return names.filter { name in
            var isFolder: ObjCBool = false
            return !name.hasPrefix(".")
                && FileManager.default.fileExists(
                    atPath: devicesFolder.appendingPathComponent(name).path, isDirectory: &isFolder)
                && isFolder.boolValue
        }.sorted()
    }

    /// The version chain of `device`.
    public func chain(for device: String) throws -> VersionChain {
        try Self.validateName(device, what: "device")
        return VersionChain(
            folder: devicesFolder.appendingPathComponent(device), contentExtension: "cfg", kind: .baseline,
            subject: device)
    }

    /// The latest approved version of `device`: its record and normalized text; nil when none.
    public func latest(for device: String) throws -> (record: ApprovalRecord, text: String)? {
        let chain = try chain(for: device)
        guard let version = chain.latestVersion() else { return nil }
        return (try chain.record(version), String(decoding: try chain.content(version), as: UTF8.self))
    }

    /// One version of `device`: its record and normalized text.
    public func version(_ version: Int, of device: String) throws -> (record: ApprovalRecord, text: String) {
        let chain = try chain(for: device)
        return (try chain.record(version), String(decoding: try chain.content(version), as: UTF8.self))
    }

    /// Approves `config` (normalized, secrets masked) as the next version of `device`.
    ///
    /// - Parameter expectedHead: the version the approver reviewed against (0 when none), or nil
    ///   to append after whatever is latest (`--yes` in scripts).
    public func approve(device: String, config: String, draft: ApprovalDraft, expectedHead: Int?) throws
        -> ApprovalRecord
    {
        var text = config
        if !text.isEmpty, !text.hasSuffix("\n") { text += "\n" }
        return try chain(for: device).append(content: Data(text.utf8), draft: draft, expectedHead: expectedHead)
    }

    /// Verifies every device chain and every standard chain; an empty result means intact.
    public func verifyAll() -> [VerificationIssue] {
        var issues: [VerificationIssue] = []
        for device in devices() {
            if let chain = try? chain(for: device) { issues += chain.verify() }
        }
        issues += standards.verifyAll()
        return issues
    }

    /// Checks that `name` is usable as a folder name: letters, digits, `.`, `_`, `-`, at most
    /// 128 characters, not starting with `.` or `-`.
    public static func validateName(_ name: String, what: String) throws {
        let allowed = name.unicodeScalars.allSatisfy { scalar in
            (scalar.value < 128)
                && (CharacterSet.alphanumerics.contains(scalar) || scalar == "." || scalar == "_" || scalar == "-")
        }
        guard !name.isEmpty, name.count <= 128, allowed, !name.hasPrefix("."), !name.hasPrefix("-") else {
            throw BaselineError(
                .invalidName,
                "\(what) name \(name.debugDescription) cannot be used: use letters, digits, '.', '_' and '-' (at most 128, not starting with '.' or '-')"
            )
        }
    }
}
