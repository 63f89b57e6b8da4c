/// Splits a TCP byte stream into syslog messages: octet counting (`MSG-LEN SP MSG`, RFC 6587
/// 3.4.1) when a frame starts with a digit 1–9, otherwise non-transparent framing ended by LF
/// (a CR before it is dropped). Each frame chooses on its own, so a sender may mix them.
///
/// Memory is bounded: a frame longer than ``maxFrameLength`` is cut there and marked
/// ``Frame/truncated``; the rest of it is skipped, never buffered.
public struct SyslogFrameDecoder: Sendable {
    /// One message taken from the stream.
    public struct Frame: Sendable, Hashable {
        /// The message bytes (at most ``SyslogFrameDecoder/maxFrameLength``).
        public var bytes: [UInt8]
        /// The message was longer and was cut.
        public var truncated: Bool

        /// Creates a frame.
        public init(bytes: [UInt8], truncated: Bool) {
            self.bytes = bytes
            self.truncated = truncated
        }
    }

    enum State: Sendable {
        /// Between frames.
        case start
        /// Reading the MSG-LEN digits of an octet-counted frame.
        case length(value: Int, digits: [UInt8])
        /// Reading an octet-counted frame with `remaining` bytes to go.
        case counted(remaining: Int)
        /// Reading a frame that ends at LF.
        case line
    }

    /// The longest frame kept; longer ones are truncated.
    public let maxFrameLength: Int
    var state: State = .start
    var buffer: [UInt8] = []
    var truncated = false

    /// Creates a decoder keeping at most `maxFrameLength` bytes per frame (at least 1).
    public init(maxFrameLength: Int = 8192) {
        self.maxFrameLength = max(1, maxFrameLength)
    }

    /// The number of bytes held for the frame in progress (never above ``maxFrameLength``).
    public var bufferedByteCount: Int { buffer.count }

    /// Feeds bytes received and returns the frames they complete, in order.
    public mutating func decode(_ bytes: some Sequence<UInt8>) -> [Frame] {
        var frames: [Frame] = []
        for byte in bytes {
            switch state {
            case .start:
                if (UInt8(ascii: "1")...UInt8(ascii: "9")).contains(byte) {
                    state = .length(value: Int(byte - UInt8(ascii: "0")), digits: [byte])
                } else if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") || byte == 0
                    || byte == UInt8(ascii: " ")
                {
                    continue  // blank between frames
                } else {
                    state = .line
                    append(byte)
                }
            case .length(let value, let digits):
                if byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), digits.count < 9 {
                    state = .length(
                        value: value * 10 + Int(byte - UInt8(ascii: "0")), digits: digits + [byte])
                } else if byte == UInt8(ascii: " ") {
                    state = .counted(remaining: value)
                } else {
                    // Not a length after all: a line that starts with digits.
                    state = .line
                    for digit in digits { append(digit) }
                    if byte == UInt8(ascii: "\n") {
                        frames.append(finishLine())
                    } else {
                        append(byte)
                    }
                }
            case .counted(let remaining):
                append(byte)
                if remaining <= 1 {
                    frames.append(take())
                    state = .start
                } else {
                    state = .counted(remaining: remaining - 1)
                }
            case .line:
                if byte == UInt8(ascii: "\n") {
                    frames.append(finishLine())
                } else {
                    append(byte)
                }
            }
        }
        return frames
    }

    /// The end of the stream: a last LF-framed message without its LF is returned; an
    /// octet-counted frame cut short by the close is dropped (it is incomplete).
    public mutating func finish() -> Frame? {
        defer {
            state = .start
            buffer = []
            truncated = false
        }
        switch state {
        case .line:
            let frame = finishLine()
            return frame.bytes.isEmpty ? nil : frame
        case .length(_, let digits):
            return Frame(bytes: digits, truncated: false)
        case .start, .counted:
            return nil
        }
    }

    mutating func append(_ byte: UInt8) {
        if buffer.count < maxFrameLength {
            buffer.append(byte)
        } else {
            truncated = true
        }
    }

    mutating func finishLine() -> Frame {
        if !truncated, buffer.last == UInt8(ascii: "\r") { buffer.removeLast() }
        state = .start
        return take()
    }

    mutating func take() -> Frame {
        let frame = Frame(bytes: buffer, truncated: truncated)
        buffer = []
        buffer.reserveCapacity(256)
        truncated = false
        return frame
    }
}
