import Foundation

/// Technical standards in `baselines/standards/`: the working files `<name>.yaml` that people
/// edit and review, and their approved versions in `.versions/<name>/v<N>.yaml` + `v<N>.json`,
/// hash-chained exactly like baselines.
///
/// Evaluation uses a standard's latest approved version; a standard that was never approved is
/// evaluated from its working file and reported as unapproved.
public struct StandardsStore: Sendable {
    /// The `baselines/standards` folder.
    public let root: URL

    /// Creates a store view; nothing is read or written.
    public init(root: URL) { self.root = root }

    /// Where a standard stands with respect to approval.
    public enum Status: Sendable, Hashable {
        /// Never approved: evaluated from the working file.
        case unapproved
        /// The working file equals approved version N.
        case approved(version: Int)
        /// Version N is approved, but the working file was changed since (or removed).
        case modified(approvedVersion: Int)
    }

    /// A standard ready to evaluate, with its provenance.
    public struct Loaded: Sendable {
        /// The parsed standard.
        public var standard: Standard
        /// The file it was parsed from.
        public var file: String
        /// Its approval status.
        public var status: Status
        /// The approved version evaluated, nil when evaluated from the working file.
        public var approvedVersion: Int?
    }

    /// The working file of `name`.
    public func workingFile(_ name: String) -> URL { root.appendingPathComponent("\(name).yaml") }

    /// The approval chain of `name`.
    public func chain(for name: String) throws -> VersionChain {
        try BaselineStore.validateName(name, what: "standard")
        return VersionChain(
            folder: root.appendingPathComponent(".versions").appendingPathComponent(name), contentExtension: "yaml",
            kind: .standard, subject: name)
    }

    /// Names of every standard with a working file or an approved version, sorted.
    public func names() -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        var names = Set(files.filter { $0.hasSuffix(".yaml") && !$0.hasPrefix(".") }.map { String($0.dropLast(5)) })
        let versions =
            (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(".versions").path)) ?? []
        names.formUnion(versions.filter { !$0.hasPrefix(".") })
        return names.sorted()
    }

    /// Parses the working file of `name`.
    public func loadWorkingFile(_ name: String) throws -> Standard {
        let url = workingFile(name)
        let data = try FileSystem.read(url)
        return try Standard.parse(yaml: String(decoding: data, as: UTF8.self), file: url.path, expectedName: name)
    }

    /// The approval status of `name`.
    public func status(_ name: String) throws -> Status {
        let chain = try chain(for: name)
        guard let latest = chain.latestVersion() else { return .unapproved }
        let record = try chain.record(latest)
        guard let working = try? FileSystem.read(workingFile(name)), SHA256Hex.of(working) == record.contentSHA256
        else {
            return .modified(approvedVersion: latest)
        }
        return .approved(version: latest)
    }

    /// Loads what evaluation uses for `name`: the latest approved version, or the working file
    /// when none was approved.
    public func load(_ name: String) throws -> Loaded {
        let status = try status(name)
        let chain = try chain(for: name)
        if let latest = chain.latestVersion() {
            let data = try chain.content(latest)
            let file = chain.contentURL(latest).path
            let standard = try Standard.parse(
                yaml: String(decoding: data, as: UTF8.self), file: file, expectedName: name)
            return Loaded(standard: standard, file: file, status: status, approvedVersion: latest)
        }
        return Loaded(
            standard: try loadWorkingFile(name), file: workingFile(name).path, status: status, approvedVersion: nil)
    }

    /// Loads every standard (see ``load(_:)``); throws on the first malformed one.
    public func loadAll() throws -> [Loaded] {
        try names().map(load)
    }

    /// Approves the working file of `name` as its next version. The file must parse.
    public func approve(_ name: String, draft: ApprovalDraft, expectedHead: Int?) throws -> ApprovalRecord {
        let url = workingFile(name)
        let data = try FileSystem.read(url)
        _ = try Standard.parse(yaml: String(decoding: data, as: UTF8.self), file: url.path, expectedName: name)
        var standardDraft = draft
        standardDraft.platform = nil
        standardDraft.ignore = []
        return try chain(for: name).append(content: data, draft: standardDraft, expectedHead: expectedHead)
    }

    /// Verifies every standard's approval chain.
    public func verifyAll() -> [VerificationIssue] {
        let versions =
            (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(".versions").path)) ?? []
        return versions.filter { !$0.hasPrefix(".") }.sorted().flatMap { name in
            (try? chain(for: name))?.verify() ?? []
        }
    }
}
