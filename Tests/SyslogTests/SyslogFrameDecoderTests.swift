import Testing

@testable import Syslog

func text(_ frames: [SyslogFrameDecoder.Frame]) -> [String] {
    frames.map { String(decoding: $0.bytes, as: UTF8.self) }
}

func octetCounted(_ message: String) -> String { "\(message.utf8.count) \(message)" }

let streamMessages = [
    "<189>57: *Nov 23 10:00:00.123 UTC: %SYS-5-CONFIG_I: Configured from console by alice on vty0 (10.0.0.5)",
    "<189>1 2026-11-23T10:00:00.000Z r1 mgd 1234 UI_COMMIT [junos@2636.1.1.1.2.18 username=\"alice\"] line one\nline two",
    "<13>Nov 23 10:00:00 h t: ünïcødé",
]

@Test func octetCountingCarriesNewLinesInsideMessages() {
    var decoder = SyslogFrameDecoder()
    let stream = streamMessages.map(octetCounted).joined()
    #expect(text(decoder.decode(Array(stream.utf8))) == streamMessages)
    #expect(decoder.finish() == nil)
}

@Test func newLineFramingDropsCRAndBlankLines() {
    var decoder = SyslogFrameDecoder()
    let frames = decoder.decode(Array("<13>a b: one\r\n\n<13>a b: two\n<13>a b: three".utf8))
    #expect(text(frames) == ["<13>a b: one", "<13>a b: two"])
    #expect(decoder.finish().map { text([$0]) } == ["<13>a b: three"])
}

@Test func framingsMayBeMixedOnOneConnection() {
    var decoder = SyslogFrameDecoder()
    let stream = octetCounted("<13>x y: counted") + "<13>x y: lined\n" + octetCounted("<13>x y: again")
    #expect(text(decoder.decode(Array(stream.utf8))) == ["<13>x y: counted", "<13>x y: lined", "<13>x y: again"])
}

@Test(arguments: [1, 2, 3, 7, 64])
func anySplitOfTheStreamGivesTheSameFrames(chunkSize: Int) {
    let stream = Array((streamMessages.map(octetCounted).joined() + streamMessages[0] + "\n").utf8)
    var decoder = SyslogFrameDecoder()
    var frames: [SyslogFrameDecoder.Frame] = []
    var index = 0
    while index < stream.count {
        let end = min(stream.count, index + chunkSize)
        frames += decoder.decode(stream[index..<end])
        index = end
    }
    #expect(text(frames) == streamMessages + [streamMessages[0]])
}

@Test func oversizedLineIsTruncatedAndTheNextFrameIsIntact() {
    var decoder = SyslogFrameDecoder(maxFrameLength: 16)
    let long = "<13>" + String(repeating: "x", count: 10_000)
    var frames = decoder.decode(Array(long.utf8))
    #expect(frames.isEmpty)
    #expect(decoder.bufferedByteCount == 16)
    frames += decoder.decode(Array("\n<13>h t: short\n".utf8))
    #expect(frames.map(\.truncated) == [true, false])
    #expect(text(frames) == ["<13>" + String(repeating: "x", count: 12), "<13>h t: short"])
}

@Test func oversizedCountedFrameIsTruncatedAndSkipped() {
    var decoder = SyslogFrameDecoder(maxFrameLength: 8)
    let body = String(repeating: "y", count: 100)
    let frames = decoder.decode(Array((octetCounted(body) + octetCounted("<13>ok")).utf8))
    #expect(frames.map(\.truncated) == [true, false])
    #expect(text(frames) == ["yyyyyyyy", "<13>ok"])
}

@Test func hugeDeclaredLengthHoldsAtMostTheLimit() {
    var decoder = SyslogFrameDecoder(maxFrameLength: 32)
    let frames = decoder.decode(Array(("999999999 " + String(repeating: "z", count: 5000)).utf8))
    #expect(frames.isEmpty)
    #expect(decoder.bufferedByteCount == 32)
    #expect(decoder.finish() == nil)  // incomplete counted frame: dropped at close
}

@Test func digitsNotFollowedBySpaceAreALine() {
    var decoder = SyslogFrameDecoder()
    #expect(text(decoder.decode(Array("123abc\n42\n".utf8))) == ["123abc", "42"])
}

@Test func lengthWithTooManyDigitsFallsBackToALine() {
    var decoder = SyslogFrameDecoder()
    #expect(text(decoder.decode(Array("12345678901 x\n".utf8))) == ["12345678901 x"])
}
