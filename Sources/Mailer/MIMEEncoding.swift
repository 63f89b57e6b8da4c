import Foundation

/// The encodings a message needs on the wire: quoted-printable bodies (RFC 2045), encoded words
/// for non-ASCII headers (RFC 2047), header folding (RFC 5322 §2.2.3) and the RFC 5322 date.
public enum MIMEEncoding {
    /// The longest encoded body line, without CRLF (RFC 2045 §6.7).
    public static let maximumBodyLineLength = 76
    /// The longest header line we write when it can be folded, without CRLF (RFC 5322 §2.1.1).
    public static let maximumHeaderLineLength = 78

    // MARK: - Quoted-printable

    /// Encodes `text` as UTF-8 quoted-printable with CRLF line ends and lines of at most 76
    /// characters (soft breaks `=` where a line is longer). Any of CRLF, LF or CR in `text` is a
    /// line break; a trailing space or tab is encoded so that no transport can strip it.
    public static func quotedPrintable(_ text: String) -> String {
        var output = ""
        let lines = normalizedLines(text)
        for (index, line) in lines.enumerated() {
            output += encodeQPLine(Array(line.utf8))
            if index < lines.count - 1 { output += "\r\n" }
        }
        return output
    }

    /// Decodes quoted-printable text (soft breaks removed, `=XX` decoded) to a UTF-8 string with
    /// LF line ends, or `nil` when the bytes are not UTF-8.
    public static func decodeQuotedPrintable(_ encoded: String) -> String? {
        var bytes: [UInt8] = []
        let lines = encoded.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            var chars = Array(line.utf8)
            var soft = false
            if chars.last == UInt8(ascii: "=") {
                soft = true
                chars.removeLast()
            }
            var position = 0
            while position < chars.count {
                if chars[position] == UInt8(ascii: "="), position + 2 < chars.count,
                    let high = hexValue(chars[position + 1]), let low = hexValue(chars[position + 2])
                {
                    bytes.append(high << 4 | low)
                    position += 3
                } else {
                    bytes.append(chars[position])
                    position += 1
                }
            }
            if !soft && index < lines.count - 1 { bytes.append(UInt8(ascii: "\n")) }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func encodeQPLine(_ bytes: [UInt8]) -> String {
        // Encode each byte to a token, then pack tokens into lines of ≤ 75 characters plus a
        // soft break "=", never splitting a token.
        var tokens: [String] = []
        tokens.reserveCapacity(bytes.count)
        for (index, byte) in bytes.enumerated() {
            let isLast = index == bytes.count - 1
            switch byte {
            case UInt8(ascii: " "), UInt8(ascii: "\t"):
                tokens.append(isLast ? escape(byte) : String(UnicodeScalar(byte)))
            case 33...126 where byte != UInt8(ascii: "="):
                tokens.append(String(UnicodeScalar(byte)))
            default:
                tokens.append(escape(byte))
            }
        }
        var output = ""
        var lineLength = 0
        for (index, token) in tokens.enumerated() {
            let isLast = index == tokens.count - 1
            // The last token may fill the line to 76; others must leave room for the soft break.
            let limit = isLast ? maximumBodyLineLength : maximumBodyLineLength - 1
            if lineLength + token.count > limit {
                output += "=\r\n"
                lineLength = 0
            }
            output += token
            lineLength += token.count
        }
        return output
    }

    private static func escape(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "=" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0F)])
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        default: return nil
        }
    }

    /// `text` split into lines on CRLF, LF or CR.
    static func normalizedLines(_ text: String) -> [Substring] {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false)
    }

    // MARK: - Headers

    /// True when `text` is printable US-ASCII (and space/tab) only.
    static func isPlainASCII(_ text: String) -> Bool {
        text.utf8.allSatisfy { $0 == 9 || (32...126).contains($0) }
    }

    /// RFC 2047 `B` encoded words (`=?UTF-8?B?…?=`), each at most 75 characters and never
    /// splitting a character, for a header value that is not ASCII.
    /// `firstWordLength` bounds the first word (the room left after `Name: ` on the first line).
    public static func encodedWords(_ text: String, firstWordLength: Int = 75) -> [String] {
        // A word is "=?UTF-8?B?" + base64 + "?=": 12 characters plus 4 per 3 bytes. 75 → 45 bytes.
        func bytes(forLength length: Int) -> Int { max(3, (min(length, 75) - 12) / 4 * 3) }
        var maximumBytes = bytes(forLength: firstWordLength)
        var words: [String] = []
        var chunk: [UInt8] = []
        for character in text {
            let bytes = Array(String(character).utf8)
            if !chunk.isEmpty, chunk.count + bytes.count > maximumBytes {
                maximumBytes = 45
                words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=")
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=") }
        return words
    }

    /// One header field, `Name: value` with CRLF, folded at spaces so that lines stay within 78
    /// characters where possible. CR and LF in `value` become spaces (no header injection);
    /// non-ASCII values become encoded words. For address headers (`isAddress`), only display
    /// names are encoded and each `<address>` is kept readable.
    static func header(_ name: String, _ value: String, isAddress: Bool = false) -> String {
        let cleaned = value.map { $0 == "\r" || $0 == "\n" || $0 == "\r\n" ? " " : String($0) }.joined()
        var words: [String]
        if isPlainASCII(cleaned) {
            words = cleaned.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        } else if isAddress {
            words = []
            for (index, address) in splitAddresses(cleaned).enumerated() {
                if index > 0, !words.isEmpty { words[words.count - 1] += "," }
                words += addressWords(address)
            }
        } else {
            words = encodedWords(cleaned, firstWordLength: maximumHeaderLineLength - name.count - 2)
        }
        return fold(name: name, words: words)
    }

    /// Joins `words` with single spaces after `Name:`, starting a continuation line (CRLF SP)
    /// where the next word would pass 78 characters.
    static func fold(name: String, words: [String]) -> String {
        var output = name + ":"
        var lineLength = output.count
        for word in words {
            if lineLength + 1 + word.count > maximumHeaderLineLength, lineLength > name.count + 1 {
                output += "\r\n"
                lineLength = 0
            }
            output += " " + word
            lineLength += 1 + word.count
        }
        return output + "\r\n"
    }

    /// Splits an address list at commas outside quotes and angle brackets.
    static func splitAddresses(_ list: String) -> [String] {
        var result: [String] = []
        var current = ""
        var inQuotes = false
        var inAngle = false
        for character in list {
            switch character {
            case "\"": inQuotes.toggle()
            case "<" where !inQuotes: inAngle = true
            case ">" where !inQuotes: inAngle = false
            case "," where !inQuotes && !inAngle:
                result.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
                continue
            default: break
            }
            current.append(character)
        }
        let last = current.trimmingCharacters(in: .whitespaces)
        if !last.isEmpty { result.append(last) }
        return result
    }

    /// `Display Name <addr>` as words, with the display name encoded when it is not ASCII.
    private static func addressWords(_ address: String) -> [String] {
        guard let open = address.lastIndex(of: "<") else {
            return isPlainASCII(address) ? [address] : encodedWords(address)
        }
        var display = address[..<open].trimmingCharacters(in: .whitespaces)
        let angle = String(address[open...])
        if display.hasPrefix("\""), display.hasSuffix("\""), display.count >= 2 {
            display = String(display.dropFirst().dropLast())
        }
        if display.isEmpty { return [angle] }
        if isPlainASCII(display) {
            return address[..<open].split(separator: " ").map(String.init) + [angle]
        }
        return encodedWords(display) + [angle]
    }

    // MARK: - Date

    /// `date` in RFC 5322 form in UTC, such as `Mon, 23 Nov 2026 08:43:30 +0000`.
    public static func rfc5322Date(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second, .weekday], from: date)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let weekday = days[((parts.weekday ?? 1) - 1 + 7) % 7]
        let month = months[((parts.month ?? 1) - 1 + 12) % 12]
        func two(_ value: Int?) -> String {
            let number = value ?? 0
            return number < 10 ? "0\(number)" : "\(number)"
        }
        return "\(weekday), \(two(parts.day)) \(month) \(parts.year ?? 1970) \(two(parts.hour)):\(two(parts.minute)):\(two(parts.second)) +0000"
    }
}
