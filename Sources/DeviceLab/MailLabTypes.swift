import Foundation

/// How a ``MailLab`` server is secured and what it requires.
public struct MailLabOptions: Sendable, Hashable {
    /// The TLS mode of the lab server.
    public enum Security: String, Sendable, Hashable, CaseIterable {
        /// Plain SMTP, no TLS offered.
        case plain
        /// `STARTTLS` offered and required before `MAIL` (a test certificate signed by the lab's CA).
        case startTLS = "starttls"
        /// TLS from the first byte (SMTPS, like port 465).
        case implicitTLS = "implicit"
    }

    /// The TLS mode.
    public var security: Security
    /// Whether AUTH PLAIN/LOGIN is required (with ``MailLab/username`` and ``MailLab/password``).
    /// In TLS modes AUTH is offered only once TLS is up.
    public var requireAuth: Bool
    /// The AUTH mechanisms offered, among `PLAIN` and `LOGIN` (both by default).
    public var authMechanisms: [String]
    /// The largest message the server accepts (advertised as `SIZE`).
    public var sizeLimit: Int
    /// The subject alternative names of the server certificate (TLS modes), such as
    /// `DNS:localhost` and `IP:127.0.0.1` (the default). A test sets another name to check that
    /// clients verify the host name.
    public var certificateNames: [String]
    /// The folder the lab's own folder is created in (default: the temporary directory).
    public var parentDirectory: String?

    /// Makes options.
    public init(
        security: Security = .plain, requireAuth: Bool = false, authMechanisms: [String] = ["PLAIN", "LOGIN"],
        sizeLimit: Int = 33_554_432, certificateNames: [String] = ["DNS:localhost", "IP:127.0.0.1"],
        parentDirectory: String? = nil
    ) {
        self.parentDirectory = parentDirectory
        self.certificateNames = certificateNames
        self.security = security
        self.requireAuth = requireAuth
        self.authMechanisms = authMechanisms
        self.sizeLimit = sizeLimit
    }
}

/// A reply the lab server gives instead of accepting, set at run time with
/// ``MailLab/setFailures(_:)``.
public enum MailLabFailure: Sendable, Hashable {
    /// Answer `MAIL FROM` with `code text`.
    case mail(code: Int, text: String)
    /// Answer `RCPT TO` with `code text`: for every recipient, or only for `address`.
    case rcpt(code: Int, text: String, address: String? = nil)
    /// Answer the end of `DATA` with `code text`.
    case data(code: Int, text: String)

    var line: String {
        switch self {
        case .mail(let code, let text): return "MAIL \(code) \(Self.oneLine(text))"
        case .rcpt(let code, let text, let address):
            return (address.map { "RCPT:\($0)" } ?? "RCPT") + " \(code) \(Self.oneLine(text))"
        case .data(let code, let text): return "DATA \(code) \(Self.oneLine(text))"
        }
    }

    private static func oneLine(_ text: String) -> String {
        text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
    }
}

/// One header line of a delivered message (unfolded, not decoded).
public struct MailLabHeader: Sendable, Hashable, Codable {
    /// The header name as written.
    public var name: String
    /// The value, unfolded (continuation line breaks removed), still RFC 2047-encoded if it was.
    public var value: String
}

/// A message the lab server delivered into its Maildir.
public struct MailLabMessage: Sendable, Hashable {
    /// The Maildir file.
    public var path: String
    /// The file's bytes: the lab's `X-Peer`, `X-MailFrom`, `X-RcptTo` headers, then the message
    /// exactly as the server received it after `DATA` (dot-unstuffed).
    public var raw: Data
    /// The header block, in order.
    public var headers: [MailLabHeader]
    /// Everything after the blank line that ends the headers.
    public var body: String

    /// The first header named `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }

    /// Every header named `name` (case-insensitive).
    public func headers(named name: String) -> [String] {
        headers.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }.map(\.value)
    }

    /// The envelope recipients the server accepted (from `X-RcptTo`).
    public var envelopeRecipients: [String] {
        (header("X-RcptTo") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// Reads a Maildir file.
    init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DeviceLabError("cannot read the delivered message \(path).")
        }
        self.path = path
        self.raw = data
        let text = String(decoding: data, as: UTF8.self)
        var headers: [MailLabHeader] = []
        var body = ""
        // Split on LF bytes: as Characters, CRLF is one grapheme and never equals "\n".
        var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .map { String(decoding: $0.last == 13 ? $0.dropLast() : $0, as: UTF8.self) }[...]
        _ = text
        while let trimmed = lines.popFirst() {
            if trimmed.isEmpty {
                body = lines.joined(separator: "\n")
                break
            }
            if trimmed.first == " " || trimmed.first == "\t", !headers.isEmpty {
                headers[headers.count - 1].value += trimmed
            } else if let colon = trimmed.firstIndex(of: ":") {
                let value = trimmed[trimmed.index(after: colon)...].drop { $0 == " " || $0 == "\t" }
                headers.append(MailLabHeader(name: String(trimmed[..<colon]), value: String(value)))
            }
        }
        self.headers = headers
        self.body = body
    }
}

/// A delivered message as Python's `email` package (policy `default`) reads it: an independent
/// parser that decodes RFC 2047 headers and quoted-printable or base64 parts.
public struct MailLabParsedMessage: Sendable, Hashable, Codable {
    /// One leaf MIME part.
    public struct Part: Sendable, Hashable, Codable {
        /// Such as `text/plain`.
        public var contentType: String
        /// The declared charset, or empty.
        public var charset: String
        /// The declared `Content-Transfer-Encoding`, or empty.
        public var transferEncoding: String
        /// The decoded content.
        public var content: String
    }

    /// Headers with RFC 2047 words decoded, in order (as name/value pairs).
    public var headers: [[String]]
    /// The top-level content type.
    public var contentType: String
    /// The defects Python's parser found (class names); empty for a well-formed message.
    public var defects: [String]
    /// The leaf parts in order.
    public var parts: [Part]

    /// The first decoded header named `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        headers.first { $0.first?.caseInsensitiveCompare(name) == .orderedSame }.flatMap { $0.count > 1 ? $0[1] : nil }
    }
}
