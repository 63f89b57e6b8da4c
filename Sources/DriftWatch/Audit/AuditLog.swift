import Baselines
import Foundation

/// The append-only, hash-chained audit log: `<state folder>/audit.jsonl` (see ``AuditRecord``).
///
/// Appends hold an exclusive lock (`audit.jsonl.lock`), write one line with `O_APPEND` and
/// fsync it. The watcher's state store adopts this format and chain.
public struct AuditLog: Sendable {
    /// The log file.
    public let file: URL

    /// Creates a log view; nothing is read or written.
    public init(file: URL) { self.file = file }

    /// The log of a state folder: `<folder>/audit.jsonl`.
    public init(stateFolder: URL) { self.file = stateFolder.appendingPathComponent("audit.jsonl") }

    /// One line of the log as read back.
    public struct Entry: Sendable, Hashable {
        /// 1-based line number in the file.
        public var line: Int
        /// The record, when the line is well formed.
        public var record: AuditRecord?
    }

    /// One problem found by ``verify()``.
    public struct Issue: Sendable, Hashable, CustomStringConvertible {
        /// 1-based line number.
        public var line: Int
        /// What is wrong.
        public var message: String

        /// `audit.jsonl:7: …`.
        public var description: String { "line \(line): \(message)" }
    }

    /// Appends a record and returns it.
    @discardableResult
    public func append(actor: String, action: String, target: String, details: [String: String], time: Date = Date())
        throws -> AuditRecord
    {
        do {
            try FileSystem.makeFolder(file.deletingLastPathComponent())
            return try FileSystem.withExclusiveLock(file.appendingPathExtension("lock")) {
                let existing = FileManager.default.fileExists(atPath: file.path) ? try FileSystem.read(file) : Data()
                var last: AuditRecord?
                for line in existing.split(separator: 0x0A).reversed() {
                    if case .success(let record) = AuditRecord.decode(Substring(String(decoding: line, as: UTF8.self)))
                    {
                        last = record
                        break
                    }
                }
                let record = try AuditRecord(
                    sequence: (last?.sequence ?? 0) + 1, time: ApprovalDraft.timestamp(time), actor: actor,
                    action: action,
                    target: target, details: details, previousSHA256: last?.sha256)
                var data = Data()
                if let lastByte = existing.last, lastByte != 0x0A { data.append(0x0A) }
                data.append(try record.line())
                data.append(0x0A)
                try FileSystem.append(data, to: file)
                return record
            }
        } catch let error as BaselineError {
            throw DriftWatchError(
                .auditLogFailed, "could not append to the audit log: \(error.message)", file: file.path)
        }
    }

    /// Every line of the log (an absent log is empty).
    public func entries() throws -> [Entry] {
        guard FileManager.default.fileExists(atPath: file.path) else { return [] }
        let data: Data
        do {
            data = try FileSystem.read(file)
        } catch let error as BaselineError {
            throw DriftWatchError(.auditLogFailed, error.message, file: file.path)
        }
        let text = String(decoding: data, as: UTF8.self)
        var result: [Entry] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.isEmpty {
            if case .success(let record) = AuditRecord.decode(line) {
                result.append(Entry(line: index + 1, record: record))
            } else {
                result.append(Entry(line: index + 1, record: nil))
            }
        }
        return result
    }

    /// Recomputes every hash and link (``AuditChain/verify(_:anchor:)``); an empty result means
    /// the log is intact. Issues carry the line number.
    public func verify() throws -> [Issue] {
        guard FileManager.default.fileExists(atPath: file.path) else { return [] }
        let text: String
        do {
            text = String(decoding: try FileSystem.read(file), as: UTF8.self)
        } catch let error as BaselineError {
            throw DriftWatchError(.auditLogFailed, error.message, file: file.path)
        }
        var links: [AuditChain.Link] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.isEmpty {
            let number = index + 1
            switch AuditRecord.decode(line) {
            case .failure(let reason):
                links.append(
                    AuditChain.Link(
                        position: number,
                        unreadable: "not a valid audit record (\(reason.text)): the line was edited or truncated",
                        name: "line \(number)"))
            case .success(let record):
                links.append(
                    AuditChain.Link(
                        position: number, record: record, name: "the record on line \(number) (seq \(record.sequence))"))
            }
        }
        return AuditChain.verify(links).map { Issue(line: $0.position, message: $0.message) }
    }
}
