import DeviceLab
import Foundation
import Testing

@testable import Mailer

/// A drift email like alerting sends: a non-ASCII subject, threading headers, a long diff line.
func sampleMessage(html: String? = "<p>r1 drifted</p>", text: String? = nil) -> MailMessage {
    MailMessage(
        from: "DriftWatch <driftwatch@lab.test>", to: ["ops@lab.test", "Zoë Ops <zoe@lab.test>"],
        subject: "[DriftWatch] core-sw-01: 3 lines changed (+2 −1) since baseline v7, détecté",
        messageID: "alert-12.3@driftwatch.lab.test", inReplyTo: "alert-12.2@driftwatch.lab.test",
        references: ["alert-12.1@driftwatch.lab.test", "alert-12.2@driftwatch.lab.test"],
        date: Date(timeIntervalSince1970: 1_795_424_610),  // Mon, 23 Nov 2026 09:03:30 UTC
        text: text ?? sampleDiffText, html: html,
        extraHeaders: [("X-DriftWatch-Device", "core-sw-01")])
}

let sampleDiffText = """
    Device core-sw-01 drifted from baseline v7.

    --- baseline v7
    +++ running
    @@ interface GigabitEthernet0/1 @@
    - description uplink to core
    + description uplink to core-sw-02 via the long path through building B, rack 12, patch panel 3, port 48 = spare
    + snmp-server community <secret:3f9a1c22> RO
    .hidden line that starts with a dot
    .
    trailing spaces   \("")
    naïve café −1
    """

@Suite struct MailMessageRenderingTests {
    @Test func usesCRLFOnlyAndKeepsLinesShort() {
        let rendered = sampleMessage().rendered()
        let bytes = Array(rendered.utf8)
        for (index, byte) in bytes.enumerated() where byte == 10 {
            #expect(index > 0 && bytes[index - 1] == 13, "bare LF at byte \(index)")
        }
        for (index, byte) in bytes.enumerated() where byte == 13 {
            #expect(index + 1 < bytes.count && bytes[index + 1] == 10, "bare CR at byte \(index)")
        }
        let lines = rendered.components(separatedBy: "\r\n")
        guard let blank = lines.firstIndex(of: "") else {
            Issue.record("no blank line after the headers")
            return
        }
        for line in lines[..<blank] { #expect(line.count <= 78, "header line too long: \(line)") }
        for line in lines[blank...] { #expect(line.utf8.count <= 76, "body line too long: \(line)") }
        #expect(rendered.utf8.allSatisfy { $0 < 128 }, "the rendered message must be 7-bit")
    }

    @Test func writesRFC5322HeadersAndThreading() {
        let rendered = sampleMessage().rendered()
        #expect(rendered.hasPrefix("Date: Mon, 23 Nov 2026 09:03:30 +0000\r\n"))
        #expect(rendered.contains("\r\nMessage-ID: <alert-12.3@driftwatch.lab.test>\r\n"))
        #expect(rendered.contains("\r\nIn-Reply-To: <alert-12.2@driftwatch.lab.test>\r\n"))
        #expect(rendered.contains("\r\nReferences: <alert-12.1@driftwatch.lab.test> <alert-12.2@driftwatch.lab.test>\r\n"))
        #expect(rendered.contains("\r\nMIME-Version: 1.0\r\n"))
        #expect(rendered.contains("\r\nX-DriftWatch-Device: core-sw-01\r\n"))
        #expect(rendered.contains("\r\nFrom: DriftWatch <driftwatch@lab.test>\r\n"))
        // The non-ASCII display name is encoded, the address stays readable.
        #expect(rendered.contains("ops@lab.test, =?UTF-8?B?"))
        #expect(rendered.contains("<zoe@lab.test>"))
    }

    @Test func encodesTheSubjectAsRFC2047Words() throws {
        let message = sampleMessage()
        let rendered = message.rendered()
        let start = try #require(rendered.range(of: "\r\nSubject:"))
        let rest = rendered[start.upperBound...]
        let end = try #require(rest.range(of: "\r\n", options: [], range: rest.startIndex..<rest.endIndex))
        // Unfold: the subject continues on lines that start with a space.
        var value = String(rest[..<end.lowerBound])
        var tail = rest[end.upperBound...]
        while tail.first == " ", let next = tail.range(of: "\r\n") {
            value += String(tail[..<next.lowerBound])
            tail = tail[next.upperBound...]
        }
        let words = value.split(separator: " ")
        #expect(!words.isEmpty)
        var decoded = Data()
        for word in words {
            #expect(word.hasPrefix("=?UTF-8?B?") && word.hasSuffix("?="), "not an encoded word: \(word)")
            #expect(word.count <= 75)
            let payload = word.dropFirst(10).dropLast(2)
            decoded += try #require(Data(base64Encoded: String(payload)))
        }
        #expect(String(decoding: decoded, as: UTF8.self) == message.subject)
    }

    @Test(arguments: [
        sampleDiffText,
        String(repeating: "x", count: 300),
        String(repeating: "é", count: 100) + "\n" + String(repeating: "=", count: 80),
        "ends with a space ",
        "tab\tinside and at end\t",
        "",
        "−",
    ])
    func quotedPrintableRoundTrips(_ text: String) throws {
        let encoded = MIMEEncoding.quotedPrintable(text)
        for line in encoded.components(separatedBy: "\r\n") {
            #expect(line.count <= 76, "QP line too long: \(line)")
            #expect(!line.hasSuffix(" ") && !line.hasSuffix("\t"))
        }
        #expect(MIMEEncoding.decodeQuotedPrintable(encoded) == text)
    }

    @Test func boundaryCannotOccurInTheParts() {
        let message = sampleMessage(html: "<pre>--=_DriftWatch_ tricky</pre>", text: "--\(sampleMessage().boundary)\nin the text")
        let rendered = message.rendered()
        let boundary = message.boundary
        #expect(rendered.contains("boundary=\"\(boundary)\""))
        let delimiterLines = rendered.components(separatedBy: "\r\n").filter { $0.hasPrefix("--" + boundary) }
        #expect(delimiterLines == ["--" + boundary, "--" + boundary, "--" + boundary + "--"])
    }

    @Test func textOnlyWhenThereIsNoHTML() {
        let rendered = sampleMessage(html: nil).rendered()
        #expect(!rendered.contains("multipart"))
        #expect(rendered.contains("\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"))
    }

    @Test func headerValuesCannotInjectHeaders() {
        var message = sampleMessage()
        message.subject = "drift\r\nBcc: victim@evil.test"
        message.extraHeaders = [("X-Device", "r1\nX-Injected: yes")]
        let rendered = message.rendered()
        #expect(!rendered.contains("\r\nBcc:"))
        #expect(!rendered.contains("\r\nX-Injected:"))
    }

    @Test func foldsLongReferences() {
        var message = sampleMessage()
        message.references = (1...12).map { "alert-12.\($0)@driftwatch.lab.test" }
        let rendered = message.rendered()
        let head = rendered.components(separatedBy: "\r\n\r\n")[0]
        for line in head.components(separatedBy: "\r\n") { #expect(line.count <= 78) }
        #expect(head.contains("\r\n <alert-12."))
    }

    @Test func dataContentDotStuffsAndTerminates() {
        let content = String(decoding: SMTPClient.dataContent("a\r\n.b\r\n.\r\nc\nd\r\n"), as: UTF8.self)
        #expect(content == "a\r\n..b\r\n..\r\nc\r\nd\r\n.\r\n")
        #expect(String(decoding: SMTPClient.dataContent("no final line end"), as: UTF8.self) == "no final line end\r\n.\r\n")
    }

    @Test func pythonsEmailParserReadsBothParts() async throws {
        let message = sampleMessage(html: "<p>core-sw-01 drifted: <b>−1</b></p>")
        let path = NSTemporaryDirectory() + "driftwatch-mailer-\(UUID().uuidString).eml"
        try Data(message.rendered().utf8).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let parsed = try await MailLab.parse(file: path)
        #expect(parsed.defects.isEmpty)
        #expect(parsed.contentType == "multipart/alternative")
        #expect(parsed.header("Subject") == message.subject)
        #expect(parsed.parts.map(\.contentType) == ["text/plain", "text/html"])
        #expect(parsed.parts.first?.content == message.text)
        #expect(parsed.parts.last?.content == "<p>core-sw-01 drifted: <b>−1</b></p>")
    }
}

@Suite struct SMTPReplyDecoderTests {
    @Test func parsesMultiLineReplies() throws {
        var decoder = SMTPReplyDecoder()
        #expect(try decoder.consume("250-mail.lab.test") == nil)
        #expect(try decoder.consume("250-SIZE 1000") == nil)
        #expect(try decoder.consume("250-AUTH PLAIN LOGIN") == nil)
        let reply = try #require(try decoder.consume("250 STARTTLS"))
        #expect(reply.code == 250)
        let extensions = SMTPClient.extensions(of: reply)
        #expect(extensions["SIZE"] == ["1000"])
        #expect(extensions["AUTH"] == ["PLAIN", "LOGIN"])
        #expect(extensions["STARTTLS"] == [])
        #expect(try decoder.consume("354") == SMTPReply(code: 354, lines: [""]))
    }

    @Test func rejectsWhatIsNotSMTP() {
        var decoder = SMTPReplyDecoder()
        #expect(throws: SMTPProtocolViolation.self) { try decoder.consume("SSH-2.0-OpenSSH_9.2") }
        var mixed = SMTPReplyDecoder()
        _ = try? mixed.consume("250-first")
        #expect(throws: SMTPProtocolViolation.self) { try mixed.consume("550 second") }
    }
}
