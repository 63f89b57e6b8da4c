import ConfigDiff
import Foundation

extension ApprovalRecord {
    static let keys: [String] = [
        "approved_at", "approver", "content_sha256", "format", "ignore", "kind", "mode", "platform",
        "previous_sha256", "reason", "source", "subject", "ticket", "version",
    ]

    /// The record as the exact bytes written to `v<N>.json` (pretty, sorted keys, trailing newline).
    public func jsonData() throws -> Data {
        var object: [String: Any] = [
            "format": format,
            "kind": kind.rawValue,
            "subject": subject,
            "version": version,
            "approver": approver,
            "approved_at": approvedAt,
            "reason": reason,
            "ticket": ticket.map { $0 as Any } ?? NSNull(),
            "source": ["kind": source.kind.rawValue, "ref": source.ref],
            "content_sha256": contentSHA256,
            "previous_sha256": previousSHA256.map { $0 as Any } ?? NSNull(),
            "ignore": ignore.map { [$0.kind.rawValue: $0.pattern] },
        ]
        object["platform"] = platform.map { $0 as Any } ?? NSNull()
        object["mode"] = mode.map { $0.rawValue as Any } ?? NSNull()
        do {
            var data = try JSONSerialization.data(
                withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
            data.append(0x0A)
            return data
        } catch {
            throw BaselineError(.ioFailed, "could not encode the approval record: \(error.localizedDescription)")
        }
    }

    /// Decodes a record file strictly: unknown keys, missing keys and wrong types are errors
    /// naming `file`, the line (when it can be found) and the key.
    public static func decode(_ data: Data, file: String) throws -> ApprovalRecord {
        let text = String(decoding: data, as: UTF8.self)
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: data, options: [])
        } catch {
            let nsError = error as NSError
            let detail = (nsError.userInfo[NSDebugDescriptionErrorKey] as? String) ?? nsError.localizedDescription
            throw BaselineError(
                .malformedFile, "not valid JSON (\(detail)); restore it from your baselines repository or re-approve",
                file: file, line: lineNumber(in: detail, text: text))
        }
        guard let object = parsed as? [String: Any] else {
            throw BaselineError(.malformedFile, "expected a JSON object at the top level", file: file, line: 1)
        }
        func fail(_ key: String, _ reason: String) -> BaselineError {
            BaselineError(.malformedFile, "key '\(key)': \(reason)", file: file, line: line(ofKey: key, in: text))
        }
        for key in object.keys.sorted() where !keys.contains(key) {
            throw fail(key, "unknown key; allowed: \(keys.joined(separator: ", "))")
        }
        func string(_ key: String, optional: Bool = false) throws -> String? {
            let value = object[key]
            if value == nil || value is NSNull {
                if optional { return nil }
                throw BaselineError(.malformedFile, "missing required key '\(key)'", file: file)
            }
            guard let text = value as? String else { throw fail(key, "expected a string") }
            return text
        }
        func int(_ key: String) throws -> Int {
            guard let value = object[key], !(value is NSNull) else {
                throw BaselineError(.malformedFile, "missing required key '\(key)'", file: file)
            }
            guard let number = value as? NSNumber, !(value is String), String(cString: number.objCType) != "c",
                let int = Int(exactly: number.doubleValue)
            else {
                throw fail(key, "expected a whole number")
            }
            return int
        }
        func hex(_ key: String, optional: Bool) throws -> String? {
            guard let value = try string(key, optional: optional) else { return nil }
            guard value.count == 64, value.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else {
                throw fail(key, "expected 64 lowercase hex digits (a sha256)")
            }
            return value
        }
        let format = try int("format")
        guard format == 1 else { throw fail("format", "unsupported format \(format); this DriftWatch reads format 1") }
        let kindText = try string("kind") ?? ""
        guard let kind = Kind(rawValue: kindText) else { throw fail("kind", "expected baseline or standard") }
        let version = try int("version")
        guard version >= 1 else { throw fail("version", "must be 1 or more") }
        guard let sourceObject = object["source"] as? [String: Any],
            let sourceKindText = sourceObject["kind"] as? String,
            let sourceKind = ApprovalSource.Kind(rawValue: sourceKindText),
            let sourceRef = sourceObject["ref"] as? String, sourceObject.count == 2
        else {
            throw fail("source", "expected {\"kind\": snapshot|file|rollback, \"ref\": text}")
        }
        var mode: BaselineMode?
        if let modeText = try string("mode", optional: true) {
            guard let parsedMode = BaselineMode(rawValue: modeText) else {
                throw fail("mode", "expected full or partial")
            }
            mode = parsedMode
        }
        var ignore: [LinePredicate] = []
        if let rules = object["ignore"], !(rules is NSNull) {
            guard let list = rules as? [Any] else { throw fail("ignore", "expected a list of predicates") }
            for entry in list {
                guard let map = entry as? [String: String], map.count == 1, let (kindName, pattern) = map.first,
                    let predicateKind = LinePredicate.Kind(rawValue: kindName)
                else {
                    throw fail("ignore", "each entry must be one of {startsWith|contains|endsWith|equals|regex: text}")
                }
                do {
                    ignore.append(try LinePredicate(predicateKind, pattern))
                } catch {
                    throw fail("ignore", "\(error)")
                }
            }
        }
        return ApprovalRecord(
            kind: kind, subject: try string("subject") ?? "", version: version, approver: try string("approver") ?? "",
            approvedAt: try string("approved_at") ?? "", reason: try string("reason") ?? "",
            ticket: try string("ticket", optional: true),
            source: ApprovalSource(sourceKind, sourceRef), platform: try string("platform", optional: true), mode: mode,
            ignore: ignore, contentSHA256: try hex("content_sha256", optional: false) ?? "",
            previousSHA256: try hex("previous_sha256", optional: true), format: format)
    }

    static func line(ofKey key: String, in text: String) -> Int? {
        var number = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            number += 1
            if line.contains("\"\(key)\"") { return number }
        }
        return nil
    }

    /// The line a JSON parser message points at: `line N`, `character N` (an offset), or the
    /// last line for an unexpected end of file.
    static func lineNumber(in detail: String, text: String) -> Int? {
        if let range = detail.range(of: #"line (\d+)"#, options: .regularExpression) {
            return Int(detail[range].dropFirst(5))
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        if let range = detail.range(of: #"character (\d+)"#, options: .regularExpression),
            let offset = Int(detail[range].dropFirst(10))
        {
            let prefix = text.utf8.prefix(offset)
            return prefix.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
        }
        if detail.lowercased().contains("end of file") {
            return text.hasSuffix("\n") ? max(1, lines.count - 1) : lines.count
        }
        return nil
    }
}
