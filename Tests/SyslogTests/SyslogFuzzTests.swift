import Testing

@testable import Syslog

/// SplitMix64: a seeded generator, so a failing fuzz case can be replayed from its seed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Bytes that look like syslog often enough to reach deep parser states.
let syslogAlphabet: [UInt8] =
    Array("<>0123456789 -[]=\"\\:*.%/TZ+NovJanUIby on'user\n\r".utf8) + [0, 0xEF, 0xBB, 0xBF, 0xFF]

@Test(arguments: [UInt64(1), 2, 3, 4])
func parsingRandomBytesNeverTraps(seed: UInt64) {
    var random = SeededGenerator(seed: seed)
    for _ in 0..<3_000 {
        let length = Int.random(in: 0...200, using: &random)
        let useAlphabet = Bool.random(using: &random)
        let bytes = (0..<length).map { _ in
            useAlphabet
                ? syslogAlphabet[Int.random(in: 0..<syslogAlphabet.count, using: &random)]
                : UInt8.random(in: 0...255, using: &random)
        }
        let message = SyslogMessage(parsing: bytes)
        _ = message.configChangeUser
        _ = message.searchableText
        if message.format == .unknown { #expect(message.facility == nil) }
    }
}

@Test(arguments: parseCases.map(\.raw) + userCases.map(\.raw))
func everyPrefixOfARealMessageParses(raw: String) {
    let bytes = Array(raw.utf8)
    for end in 0...bytes.count {
        let message = SyslogMessage(parsing: bytes[..<end])
        _ = message.configChangeUser
    }
}

@Test(arguments: [UInt64(11), 12, 13])
func decodingRandomStreamsStaysBounded(seed: UInt64) {
    var random = SeededGenerator(seed: seed)
    var decoder = SyslogFrameDecoder(maxFrameLength: 64)
    for _ in 0..<2_000 {
        let chunk = (0..<Int.random(in: 0...300, using: &random)).map { _ in
            syslogAlphabet[Int.random(in: 0..<syslogAlphabet.count, using: &random)]
        }
        for frame in decoder.decode(chunk) {
            #expect(frame.bytes.count <= 64)
            _ = SyslogMessage(parsing: frame.bytes)
        }
        #expect(decoder.bufferedByteCount <= 64)
    }
    _ = decoder.finish()
}

@Test func truncatedOctetCountedFramesLoseOnlyThemselves() {
    // Every message cut at every length, followed by a whole one: the whole one still decodes
    // once the stream resynchronises on the next connection (a fresh decoder), and the cut
    // frame never yields more than it was given.
    let whole = octetCounted(streamMessages[0])
    for cut in 0..<whole.utf8.count {
        var decoder = SyslogFrameDecoder()
        let frames = decoder.decode(Array(whole.utf8.prefix(cut)))
        #expect(frames.isEmpty)
        if let last = decoder.finish() { #expect(last.bytes.count <= cut) }
        #expect(text(decoder.decode(Array(whole.utf8))) == [streamMessages[0]])
    }
}
