import Foundation

/// A capture's lines as byte ranges of one buffer: the byte-level form normalization works on.
///
/// Built in one pass like ``ConfigParser/cleanLines(_:)``: every `\r` removed, lines split at
/// `\n` (a final newline does not make an extra empty line), trailing spaces and tabs trimmed.
/// A line that a step rewrites (a masked secret) gets its new bytes appended after the text and
/// its range moved there, so no step copies the lines it leaves alone.
struct CaptureLines {
    /// The text's bytes (`\r` removed), then the bytes of rewritten lines.
    private(set) var bytes: [UInt8]
    /// Per line, where it starts in `bytes`.
    private(set) var starts: [Int]
    /// Per line, where it ends (exclusive, trailing spaces and tabs trimmed).
    private(set) var ends: [Int]

    /// Splits `text` into cleaned lines.
    init(_ text: String) {
        var bytes = Array(text.utf8)
        let hasCarriageReturn = bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return false }
            return memchr(base, 13, buffer.count) != nil
        }
        if hasCarriageReturn { bytes.removeAll { $0 == UInt8(ascii: "\r") } }
        var starts: [Int] = []
        var ends: [Int] = []
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            let count = buffer.count
            // About one line per 24 bytes in device configurations.
            starts.reserveCapacity(count / 24 + 1)
            ends.reserveCapacity(count / 24 + 1)
            var start = 0
            while start < count {
                let newline: Int
                if let found = memchr(base + start, 10, count - start) {
                    newline = UnsafeRawPointer(found) - UnsafeRawPointer(base)
                } else {
                    newline = count
                }
                var end = newline
                while end > start, buffer[end - 1] == UInt8(ascii: " ") || buffer[end - 1] == UInt8(ascii: "\t") {
                    end -= 1
                }
                starts.append(start)
                ends.append(end)
                start = newline + 1
            }
        }
        self.bytes = bytes
        self.starts = starts
        self.ends = ends
    }

    /// The number of lines.
    var count: Int { starts.count }

    /// Line `index` as a string of its own (for the steps that need `String` semantics).
    func string(_ index: Int) -> String {
        bytes.withUnsafeBufferPointer { buffer in
            String(decoding: UnsafeBufferPointer(rebasing: buffer[starts[index]..<ends[index]]), as: UTF8.self)
        }
    }

    /// Line `index` as a substring of a string of its own.
    func substring(_ index: Int) -> Substring {
        Substring(string(index))
    }

    /// All lines as substrings, as ``ConfigParser/cleanLines(_:)`` gives them.
    func substrings() -> [Substring] {
        (0..<count).map(substring)
    }

    /// Replaces line `index` by `text` (which holds no newline).
    mutating func replace(_ index: Int, with text: String) {
        let start = bytes.count
        bytes.append(contentsOf: text.utf8)
        starts[index] = start
        ends[index] = bytes.count
    }
}
