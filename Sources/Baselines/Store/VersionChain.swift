import Foundation

/// The approved versions of one subject (a device's baseline or a standard) in one folder:
/// `v<N>.<content extension>` plus `v<N>.json`, hash-chained through `previous_sha256`.
///
/// Versions are immutable. ``append(content:draft:expectedHead:)`` holds an exclusive lock on
/// the folder's `.lock` file, creates the content file and then the record, each written to a
/// temporary file, fsynced and published with a create-only `link(2)` (never replacing a
/// file): the record's appearance is the commit point, so a crash leaves at worst an unsigned
/// content file that ``verify()`` reports.
public struct VersionChain: Sendable {
    /// The folder holding the versions.
    public let folder: URL
    /// `cfg` for baselines, `yaml` for standards.
    public let contentExtension: String
    /// Baseline or standard.
    public let kind: ApprovalRecord.Kind
    /// The device or standard name.
    public let subject: String

    /// Creates a chain view of `folder`; nothing is read or written.
    public init(folder: URL, contentExtension: String, kind: ApprovalRecord.Kind, subject: String) {
        self.folder = folder
        self.contentExtension = contentExtension
        self.kind = kind
        self.subject = subject
    }

    /// The content file of version `version`.
    public func contentURL(_ version: Int) -> URL { folder.appendingPathComponent("v\(version).\(contentExtension)") }
    /// The record file of version `version`.
    public func recordURL(_ version: Int) -> URL { folder.appendingPathComponent("v\(version).json") }

    /// The version numbers present on disk: (with content, with record).
    func filesPresent() -> (content: Set<Int>, records: Set<Int>) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        var content: Set<Int> = []
        var records: Set<Int> = []
        for name in names where name.hasPrefix("v") {
            let parts = name.dropFirst().split(separator: ".", maxSplits: 1)
            guard parts.count == 2, let number = Int(parts[0]), number >= 1, String(number) == parts[0] else {
                continue
            }
            if parts[1] == contentExtension {
                content.insert(number)
            } else if parts[1] == "json" {
                records.insert(number)
            }
        }
        return (content, records)
    }

    /// The highest version that has a record, nil when nothing was approved yet.
    public func latestVersion() -> Int? { filesPresent().records.max() }

    /// Every version number that has a record, ascending.
    public func versions() -> [Int] { filesPresent().records.sorted() }

    /// The record of `version`.
    public func record(_ version: Int) throws -> ApprovalRecord {
        let url = recordURL(version)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw BaselineError(
                .notFound,
                "\(kind.rawValue) \(subject) has no version \(version); see 'driftwatch \(kind == .baseline ? "baseline history \(subject)" : "standards list")'",
                file: url.path)
        }
        return try ApprovalRecord.decode(try FileSystem.read(url), file: url.path)
    }

    /// The content bytes of `version`, checked against the record's sha256.
    public func content(_ version: Int) throws -> Data {
        let record = try record(version)
        let url = contentURL(version)
        let data = try FileSystem.read(url)
        guard SHA256Hex.of(data) == record.contentSHA256 else {
            throw BaselineError(
                .integrityFailure,
                "content does not match the sha256 approved in v\(version).json; run 'driftwatch baseline verify'",
                file: url.path)
        }
        return data
    }

    /// Appends a new version under the folder lock and returns its record.
    ///
    /// - Parameter expectedHead: when non-nil, the latest version the caller previewed (0 for
    ///   none); if another approval landed since, nothing is written and `.concurrentChange` is
    ///   thrown. Pass nil to append after whatever is latest.
    /// - Throws: `.integrityFailure` when the existing chain does not verify (nothing is appended
    ///   to a broken history).
    public func append(content: Data, draft: ApprovalDraft, expectedHead: Int?) throws -> ApprovalRecord {
        try FileSystem.makeFolder(folder)
        return try FileSystem.withExclusiveLock(folder.appendingPathComponent(".lock")) {
            let issues = verify()
            if let first = issues.first {
                throw BaselineError(
                    .integrityFailure,
                    "the history of \(kind.rawValue) \(subject) does not verify (\(first)); nothing was written. Run 'driftwatch baseline verify', restore the files from your baselines repository, then approve again",
                    file: first.file)
            }
            let head = latestVersion() ?? 0
            if let expectedHead, expectedHead != head {
                throw BaselineError(
                    .concurrentChange,
                    "\(kind.rawValue) \(subject) moved from v\(expectedHead) to v\(head) while you were reviewing; nothing was written. Review again and re-run the command"
                )
            }
            let previousHash = head == 0 ? nil : SHA256Hex.of(try FileSystem.read(recordURL(head)))
            let version = head + 1
            let record = ApprovalRecord(
                kind: kind, subject: subject, version: version, approver: draft.approver,
                approvedAt: ApprovalDraft.timestamp(draft.time), reason: draft.reason, ticket: draft.ticket,
                source: draft.source, platform: draft.platform, mode: kind == .baseline ? draft.mode : nil,
                ignore: draft.ignore, contentSHA256: SHA256Hex.of(content), previousSHA256: previousHash)
            // Both files are created, never replaced: even a writer that ignores the lock (or a
            // file system where flock does nothing) cannot overwrite an approved version.
            guard try FileSystem.createAtomically(content, at: contentURL(version)) else {
                throw BaselineError(
                    .concurrentChange,
                    "v\(version).\(contentExtension) appeared while the lock was held; another program writes to this folder without the lock",
                    file: contentURL(version).path)
            }
            guard try FileSystem.createAtomically(try record.jsonData(), at: recordURL(version)) else {
                throw BaselineError(
                    .concurrentChange,
                    "v\(version).json appeared while the lock was held; another program writes to this folder without the lock",
                    file: recordURL(version).path)
            }
            return record
        }
    }

    /// Recomputes the chain and returns every problem, ascending by version.
    public func verify() -> [VerificationIssue] {
        let (contentVersions, recordVersions) = filesPresent()
        guard let maxVersion = contentVersions.union(recordVersions).max() else { return [] }
        var issues: [VerificationIssue] = []
        func issue(_ version: Int, _ kind: VerificationIssue.Kind, _ file: URL, _ message: String) {
            issues.append(
                VerificationIssue(
                    scope: self.kind, subject: subject, version: version, kind: kind, file: file.path, message: message)
            )
        }
        var records: [Int: ApprovalRecord] = [:]
        var recordHashes: [Int: String] = [:]
        var misplaced: Set<Int> = []
        for version in recordVersions.sorted() {
            let url = recordURL(version)
            do {
                let data = try FileSystem.read(url)
                recordHashes[version] = SHA256Hex.of(data)
                let record = try ApprovalRecord.decode(data, file: url.path)
                records[version] = record
                if record.version != version || record.subject != subject || record.kind != kind {
                    misplaced.insert(version)
                    issue(
                        version, .reordered, url,
                        "v\(version).json holds the record of \(record.kind.rawValue) \(record.subject) v\(record.version): files were renamed, swapped or copied; restore them from your baselines repository"
                    )
                }
            } catch let error as BaselineError {
                issue(version, .malformed, url, "\(error.description)")
            } catch {
                issue(version, .malformed, url, "\(error)")
            }
        }
        let approvedHashes = Dictionary(
            records.map { ($0.value.contentSHA256, $0.key) }, uniquingKeysWith: { first, _ in first })
        for version in 1...maxVersion {
            let hasContent = contentVersions.contains(version)
            let hasRecord = recordVersions.contains(version)
            switch (hasContent, hasRecord) {
            case (false, false):
                issue(
                    version, .removed, contentURL(version),
                    "version \(version) is missing (v\(version).\(contentExtension) and v\(version).json were removed) though later versions exist"
                )
                continue
            case (true, false):
                issue(
                    version, .unsigned, contentURL(version),
                    "v\(version).\(contentExtension) has no v\(version).json: nobody approved this content (the record was removed, or an approval was interrupted)"
                )
                continue
            case (false, true):
                issue(
                    version, .removed, contentURL(version),
                    "v\(version).\(contentExtension) was removed; its record v\(version).json remains")
            case (true, true):
                break
            }
            guard let record = records[version] else { continue }
            if hasContent, !misplaced.contains(version) {
                let actual = (try? FileSystem.read(contentURL(version))).map { SHA256Hex.of($0) } ?? ""
                if actual != record.contentSHA256 {
                    if let other = approvedHashes[actual], other != version {
                        issue(
                            version, .reordered, contentURL(version),
                            "v\(version).\(contentExtension) holds the content approved as v\(other): content files were swapped or renamed"
                        )
                    } else {
                        issue(
                            version, .edited, contentURL(version),
                            "v\(version).\(contentExtension) was edited: its sha256 is \(actual), v\(version).json approved \(record.contentSHA256)"
                        )
                    }
                }
            }
            guard !misplaced.contains(version) else { continue }
            if version == 1 {
                if record.previousSHA256 != nil {
                    issue(
                        version, .reordered, recordURL(version),
                        "v1.json names a previous version, so it was not the first record: versions were renumbered")
                }
            } else if let previousHash = recordHashes[version - 1], !misplaced.contains(version - 1),
                records[version - 1] != nil
            {
                if record.previousSHA256 != previousHash {
                    issue(
                        version - 1, .edited, recordURL(version - 1),
                        "v\(version - 1).json was edited or replaced: its sha256 \(previousHash) differs from the one v\(version).json recorded (\(record.previousSHA256 ?? "none"))"
                    )
                }
            }
        }
        return issues.sorted { ($0.version, $0.kind.rawValue) < ($1.version, $1.kind.rawValue) }
    }
}
