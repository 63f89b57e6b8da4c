import NIOCore

/// One SMTP reply: a three-digit code and its text lines (several for a multi-line reply).
public struct SMTPReply: Sendable, Hashable, CustomStringConvertible {
    /// The reply code, such as 250.
    public var code: Int
    /// The text of each line after the code and separator.
    public var lines: [String]

    /// Makes a reply.
    public init(code: Int, lines: [String]) {
        self.code = code
        self.lines = lines
    }

    /// 2xx.
    public var isPositive: Bool { (200..<300).contains(code) }
    /// 3xx: the server waits for more (DATA content, AUTH continuation).
    public var isIntermediate: Bool { (300..<400).contains(code) }
    /// 4xx: try again later.
    public var isTransientFailure: Bool { (400..<500).contains(code) }

    /// The reply as the server wrote it, lines joined by ` / `.
    public var description: String { "\(code) " + lines.joined(separator: " / ") }
}

/// Decodes bytes into ``SMTPReply`` values: lines `ddd-text` continue a reply, `ddd text` (or
/// `ddd`) end it (RFC 5321 §4.2). Accepts LF as well as CRLF. Fails on a malformed line or a line
/// longer than ``maximumLineLength``.
struct SMTPReplyDecoder: ByteToMessageDecoder {
    typealias InboundOut = SMTPReply

    /// RFC 5321 allows 512 octets per reply line; be lenient but bounded.
    static let maximumLineLength = 8192
    /// A reply with more lines than this is not a server we want to talk to.
    static let maximumLines = 512

    private var pending: [String] = []
    private var pendingCode: Int?

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > Self.maximumLineLength {
                throw SMTPProtocolViolation(detail: "a reply line longer than \(Self.maximumLineLength) bytes")
            }
            return .needMoreData
        }
        let length = newline - buffer.readerIndex
        guard var line = buffer.readString(length: length) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 1)
        if line.hasSuffix("\r") { line.removeLast() }
        if let reply = try consume(line) {
            context.fireChannelRead(wrapInboundOut(reply))
        }
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }

    /// Adds one line; returns the reply when the line ends it.
    mutating func consume(_ line: String) throws -> SMTPReply? {
        let bytes = Array(line.utf8)
        guard bytes.count >= 3, bytes[0...2].allSatisfy({ (48...57).contains($0) }), let code = Int(String(line.prefix(3))),
            (200...599).contains(code)
        else {
            throw SMTPProtocolViolation(detail: "a line that is not an SMTP reply: \(line.prefix(120))")
        }
        if let pendingCode, pendingCode != code {
            throw SMTPProtocolViolation(detail: "a multi-line reply whose code changes from \(pendingCode) to \(code)")
        }
        let separator = bytes.count > 3 ? bytes[3] : UInt8(ascii: " ")
        let text = bytes.count > 4 ? String(line.dropFirst(4)) : ""
        pending.append(text)
        if separator == UInt8(ascii: "-") {
            pendingCode = code
            if pending.count > Self.maximumLines {
                throw SMTPProtocolViolation(detail: "a reply of more than \(Self.maximumLines) lines")
            }
            return nil
        }
        guard separator == UInt8(ascii: " ") else {
            throw SMTPProtocolViolation(detail: "a reply line with separator other than ' ' or '-': \(line.prefix(120))")
        }
        defer {
            pending = []
            pendingCode = nil
        }
        return SMTPReply(code: code, lines: pending)
    }
}

/// The server sent something that is not SMTP.
struct SMTPProtocolViolation: Error {
    var detail: String
}
