@testable import SSHTransport
import Testing

/// How PTY output becomes text, without I/O.
@Suite("shell output cleaning")
struct ShellTextTests {
    func makePager() throws -> Regex<AnyRegexOutput> {
        try Regex(ShellOptions().pagerPattern).matchingSemantics(.unicodeScalar)
    }

    @Test("echo, CRLF and the closing prompt are removed")
    func echoAndPrompt() throws {
        let pager = try makePager()
        let raw = Array("show run\r\nhostname r1\r\n!\r\nend\r\nr1#".utf8)
        #expect(ShellText.commandOutput(raw, command: "show run", pager: pager) == "hostname r1\n!\nend\n")
    }

    @Test("Cisco-style pager prompts and their backspace erase sequence disappear")
    func ciscoPager() throws {
        let pager = try makePager()
        let erase = String(repeating: "\u{08}", count: 9) + String(repeating: " ", count: 9) + String(repeating: "\u{08}", count: 9)
        let raw = Array("show run\r\na\r\nb\r\n --More-- \(erase)c\r\n!\r\nr1#".utf8)
        #expect(ShellText.commandOutput(raw, command: "show run", pager: pager) == "a\nb\nc\n!\n")
    }

    @Test("JunOS-style pager prompts erased with CR-spaces-CR disappear")
    func junosPager() throws {
        let pager = try makePager()
        let raw = Array("show configuration\r\na;\r\n---(more)---\r            \rb;\r\nlab@r3> ".utf8)
        #expect(ShellText.commandOutput(raw, command: "show configuration", pager: pager) == "a;\nb;\n")
    }

    @Test("backspaces and bare CRs render like a terminal; ANSI sequences are dropped")
    func terminalRendering() {
        #expect(ShellText.render(Array("abc\u{08}\u{08}XY".utf8)[...]) == "aXY")
        #expect(ShellText.render(Array("12345\rab".utf8)[...]) == "ab345")
        #expect(ShellText.render(Array("\u{1B}[2Kline\u{1B}[0m".utf8)[...]) == "line")
    }

    @Test("an echoed secret is replaced wherever it occurs, and only the secret without its line ending")
    func redactingEchoedSecret() {
        let secret = ShellText.withoutLineEnding(Array("s3cr3t\r\n".utf8))
        #expect(secret == Array("s3cr3t".utf8))
        let raw = Array("s3cr3t\r\n% Access denied s3cr3\r\nr1>s3cr3ts3cr3t".utf8)
        #expect(String(decoding: ShellText.redacting(secret, in: raw), as: UTF8.self) == "<redacted>\r\n% Access denied s3cr3\r\nr1><redacted><redacted>")
        #expect(ShellText.redacting([], in: raw) == raw)
        #expect(ShellText.redacting(secret, in: Array("s3c".utf8)) == Array("s3c".utf8))
    }

    @Test("the last line is what the prompt is matched against")
    func lastLine() {
        #expect(ShellText.lastLine(Array("banner\r\nr1> ".utf8)) == "r1>")
        #expect(ShellText.lastLine(Array("x\r\n".utf8)) == "")
    }
}
