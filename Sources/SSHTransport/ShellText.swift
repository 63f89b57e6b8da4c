/// Turning what a PTY shows into text: pager prompts, terminal erase sequences, command echo
/// and the closing prompt are removed; CRLF becomes LF. Pure functions, tested without I/O.
enum ShellText {
    /// The last (unfinished) line of `raw` as a terminal would show it, trailing blanks removed.
    static func lastLine(_ raw: [UInt8]) -> String {
        let start = raw.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
        return render(raw[start...]).trimmingTrailingBlanks()
    }

    /// One line rendered like a terminal: `\r` returns to column 0, backspace moves left,
    /// other bytes overwrite; ANSI CSI sequences (`ESC [ … letter`) are dropped.
    static func render(_ line: ArraySlice<UInt8>) -> String {
        var cells: [UInt8] = []
        var cursor = 0
        var index = line.startIndex
        while index < line.endIndex {
            let byte = line[index]
            index += 1
            switch byte {
            case 0x0D: cursor = 0
            case 0x08: cursor = max(0, cursor - 1)
            case 0x1B:
                if index < line.endIndex, line[index] == UInt8(ascii: "[") {
                    index += 1
                    while index < line.endIndex, !(0x40...0x7E).contains(line[index]) { index += 1 }
                    if index < line.endIndex { index += 1 }
                }
            case 0x07: break
            default:
                if cursor < cells.count { cells[cursor] = byte } else { cells.append(byte) }
                cursor += 1
            }
        }
        return String(decoding: cells, as: UTF8.self)
    }

    /// The output of one command: `raw` is everything read after sending it, ending with the
    /// prompt line. Removes pager prompts with the erase sequence that follows them, renders each
    /// line, drops the command echo (first line ending with the command) and the prompt line.
    static func commandOutput(_ raw: [UInt8], command: String?, pager: Regex<AnyRegexOutput>?) -> String {
        var bytes = raw
        if let pager {
            bytes = removePagerPrompts(bytes, pager: pager)
        }
        var lines = split(bytes).map { render($0[...]) }
        if !lines.isEmpty { lines.removeLast() }  // the prompt
        if let command, let first = lines.first {
            let trimmed = command.trimmingTrailingBlanks()
            if first.trimmingTrailingBlanks().hasSuffix(trimmed) { lines.removeFirst() }
        }
        return lines.map { $0 + "\n" }.joined()
    }

    /// Text before the first prompt (banner, MOTD), rendered, without the prompt line.
    static func banner(_ raw: [UInt8]) -> String {
        commandOutput(raw, command: nil, pager: nil)
    }

    static func split(_ bytes: [UInt8]) -> [[UInt8]] {
        bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
    }

    /// Removes every pager prompt, and the erase sequence a device sends after the space
    /// (backspaces-spaces-backspaces, or CR-spaces-CR), keeping line breaks intact.
    static func removePagerPrompts(_ bytes: [UInt8], pager: Regex<AnyRegexOutput>) -> [UInt8] {
        let text = String(decoding: bytes, as: UTF8.self)
        var result: [UInt8] = []
        var lineStart = text.unicodeScalars.startIndex
        let scalars = text.unicodeScalars
        // Work line by line (split on LF only), so a pager match never swallows a line break.
        var index = scalars.startIndex
        func flush(_ end: String.UnicodeScalarView.Index, newline: Bool) {
            let line = String(scalars[lineStart..<end])
            let cleaned = removeMatches(line, pager)
            result += Array(cleaned.utf8)
            if newline { result.append(0x0A) }
        }
        while index < scalars.endIndex {
            if scalars[index] == "\n" {
                flush(index, newline: true)
                lineStart = scalars.index(after: index)
            }
            index = scalars.index(after: index)
        }
        flush(scalars.endIndex, newline: false)
        return result
    }

    private static func removeMatches(_ line: String, _ pager: Regex<AnyRegexOutput>) -> String {
        guard (try? pager.firstMatch(in: line)) != nil else { return line }
        var output = ""
        var rest = Substring(line)
        while let match = try? pager.firstMatch(in: rest), match.range.lowerBound < match.range.upperBound {
            output += rest[rest.startIndex..<match.range.lowerBound]
            rest = rest[match.range.upperBound...]
            rest = dropEraseSequence(rest)
        }
        return output + rest
    }

    /// Drops `\b+ *\b+` or `\r *\r` (or a lone run of `\b`/`\r`) at the start of `text`.
    private static func dropEraseSequence(_ text: Substring) -> Substring {
        let scalars = Array(text.unicodeScalars)
        var index = 0
        func run(_ scalar: Unicode.Scalar) -> Int {
            var count = 0
            while index + count < scalars.count, scalars[index + count] == scalar { count += 1 }
            return count
        }
        for eraser in ["\u{08}", "\r"] as [Unicode.Scalar] {
            index = 0
            let first = run(eraser)
            guard first > 0 else { continue }
            index += first
            let spaces = run(" ")
            index += spaces
            let second = run(eraser)
            if spaces > 0, second > 0 { index += second } else if spaces > 0 { index -= spaces }
            return Substring(String(String.UnicodeScalarView(scalars[index...])))
        }
        return text
    }

    /// `bytes` without its trailing CR and LF: the secret itself, as a device would echo it.
    static func withoutLineEnding(_ bytes: [UInt8]) -> [UInt8] {
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
        return Array(bytes[..<end])
    }

    /// `raw` with every occurrence of `secret` replaced by `<redacted>` (`raw` itself when
    /// `secret` is empty).
    static func redacting(_ secret: [UInt8], in raw: [UInt8]) -> [UInt8] {
        guard !secret.isEmpty, raw.count >= secret.count else { return raw }
        let marker = Array("<redacted>".utf8)
        var result: [UInt8] = []
        result.reserveCapacity(raw.count)
        var index = 0
        while index < raw.count {
            if raw[index] == secret[0], index + secret.count <= raw.count, raw[index..<index + secret.count].elementsEqual(secret) {
                result += marker
                index += secret.count
            } else {
                result.append(raw[index])
                index += 1
            }
        }
        return result
    }

    /// The last 200 characters of `raw`, rendered, for error messages.
    static func tail(_ raw: [UInt8]) -> String {
        let text = split(Array(raw.suffix(400))).map { render($0[...]) }.joined(separator: "\n")
        return "'" + String(text.suffix(200)) + "'"
    }
}

extension StringProtocol {
    func trimmingTrailingBlanks() -> String {
        var scalars = Array(unicodeScalars)
        while let last = scalars.last, last == " " || last == "\t" || last == "\r" { scalars.removeLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}
