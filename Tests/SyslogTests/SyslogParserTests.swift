import Testing

@testable import Syslog

/// One real-world message shape and what the parser must read from it.
struct ParseCase: Sendable, CustomTestStringConvertible {
    var name: String
    var raw: String
    var format: SyslogMessage.Format
    var facility: Int?
    var severity: Int?
    var sequence: Int? = nil
    var timestamp: String? = nil
    var hostname: String? = nil
    var appName: String? = nil
    var procID: String? = nil
    var msgID: String? = nil
    var text: String

    var testDescription: String { name }
}

let parseCases: [ParseCase] = [
    ParseCase(
        name: "IOS with sequence number, synced clock marker and zone",
        raw: "<189>57: *Nov 23 10:00:00.123 UTC: %SYS-5-CONFIG_I: Configured from console by alice on vty0 (10.0.0.5)",
        format: .rfc3164, facility: 23, severity: 5, sequence: 57, timestamp: "Nov 23 10:00:00.123 UTC",
        appName: "%SYS-5-CONFIG_I",
        text: "%SYS-5-CONFIG_I: Configured from console by alice on vty0 (10.0.0.5)"),
    ParseCase(
        name: "IOS with origin-id hostname and unsynced clock marker",
        raw: "<189>58: r1: .Nov 23 10:00:00.123: %SYS-5-CONFIG_I: Configured from console by vty0 (10.1.1.1)",
        format: .rfc3164, facility: 23, severity: 5, sequence: 58, timestamp: "Nov 23 10:00:00.123",
        hostname: "r1", appName: "%SYS-5-CONFIG_I",
        text: "%SYS-5-CONFIG_I: Configured from console by vty0 (10.1.1.1)"),
    ParseCase(
        name: "IOS with year in the clock (service timestamps log datetime year)",
        raw:
            "<189>1201: Nov 23 2026 10:00:00.123 CET: %SYS-5-CONFIG_I: Configured from console by alice on vty0 (10.0.0.5)",
        format: .rfc3164, facility: 23, severity: 5, sequence: 1201,
        timestamp: "Nov 23 2026 10:00:00.123 CET", appName: "%SYS-5-CONFIG_I",
        text: "%SYS-5-CONFIG_I: Configured from console by alice on vty0 (10.0.0.5)"),
    ParseCase(
        name: "IOS without clock (no service timestamps)",
        raw: "<189>12: %SYS-5-CONFIG_I: Configured from memory by console",
        format: .rfc3164, facility: 23, severity: 5, sequence: 12, appName: "%SYS-5-CONFIG_I",
        text: "%SYS-5-CONFIG_I: Configured from memory by console"),
    ParseCase(
        name: "NX-OS year-first clock after '<PRI>: '",
        raw:
            "<189>: 2026 Nov 23 10:00:00 UTC: %VSHD-5-VSHD_SYSLOG_CONFIG_I: Configured from vty by admin on 10.0.0.1@pts/0",
        format: .rfc3164, facility: 23, severity: 5, timestamp: "2026 Nov 23 10:00:00 UTC",
        appName: "%VSHD-5-VSHD_SYSLOG_CONFIG_I",
        text: "%VSHD-5-VSHD_SYSLOG_CONFIG_I: Configured from vty by admin on 10.0.0.1@pts/0"),
    ParseCase(
        name: "EOS: BSD header with hostname and agent tag",
        raw:
            "<189>Nov 23 10:00:00 eos1 ConfigAgent: %SYS-5-CONFIG_I: Configured from console by admin on vty3 (10.0.0.9)",
        format: .rfc3164, facility: 23, severity: 5, timestamp: "Nov 23 10:00:00", hostname: "eos1",
        appName: "ConfigAgent",
        text: "ConfigAgent: %SYS-5-CONFIG_I: Configured from console by admin on vty3 (10.0.0.9)"),
    ParseCase(
        name: "EOS with single-digit day padded by two spaces",
        raw:
            "<189>Nov  3 09:05:01 eos1 ConfigAgent: %SYS-5-CONFIG_I: Configured from console by admin on vty3 (10.0.0.9)",
        format: .rfc3164, facility: 23, severity: 5, timestamp: "Nov  3 09:05:01", hostname: "eos1",
        appName: "ConfigAgent",
        text: "ConfigAgent: %SYS-5-CONFIG_I: Configured from console by admin on vty3 (10.0.0.9)"),
    ParseCase(
        name: "IOS-XR node id glued to the clock, space before the colon",
        raw:
            "<189>2435: RP/0/RSP0/CPU0:Nov 23 10:00:00.123 : config[65742]: %MGBL-CONFIG-6-DB_COMMIT : Configuration committed by user 'alice'. Use 'show configuration commit changes 1000000123' to view the changes.",
        format: .rfc3164, facility: 23, severity: 5, sequence: 2435, timestamp: "Nov 23 10:00:00.123",
        appName: "config", procID: "65742",
        text:
            "config[65742]: %MGBL-CONFIG-6-DB_COMMIT : Configuration committed by user 'alice'. Use 'show configuration commit changes 1000000123' to view the changes."
    ),
    ParseCase(
        name: "IOS-XR CONFIG_I with zone",
        raw:
            "<189>2436: RP/0/RP0/CPU0:Nov 23 10:00:01.456 UTC: config[65742]: %MGBL-SYS-5-CONFIG_I : Configured from console by lab",
        format: .rfc3164, facility: 23, severity: 5, sequence: 2436, timestamp: "Nov 23 10:00:01.456 UTC",
        appName: "config", procID: "65742",
        text: "config[65742]: %MGBL-SYS-5-CONFIG_I : Configured from console by lab"),
    ParseCase(
        name: "JunOS BSD form with tag[pid]",
        raw: "<189>Nov 23 10:00:00 r1 mgd[1234]: UI_COMMIT: User 'alice' requested 'commit' operation (comment: none)",
        format: .rfc3164, facility: 23, severity: 5, timestamp: "Nov 23 10:00:00", hostname: "r1",
        appName: "mgd", procID: "1234",
        text: "mgd[1234]: UI_COMMIT: User 'alice' requested 'commit' operation (comment: none)"),
    ParseCase(
        name: "ASA with year and no hostname",
        raw: "<165>Nov 23 2026 10:00:00: %ASA-5-111008: User 'enable_15' executed the 'hostname fw1' command.",
        format: .rfc3164, facility: 20, severity: 5, timestamp: "Nov 23 2026 10:00:00",
        appName: "%ASA-5-111008",
        text: "%ASA-5-111008: User 'enable_15' executed the 'hostname fw1' command."),
    ParseCase(
        name: "rsyslog high-precision timestamp forwarding",
        raw:
            "<189>2026-11-23T10:00:00.123456+01:00 relay1 ConfigAgent: %SYS-5-CONFIG_I: Configured from console by admin on vty3 (10.0.0.9)\n",
        format: .rfc3164, facility: 23, severity: 5, timestamp: "2026-11-23T10:00:00.123456+01:00",
        hostname: "relay1", appName: "ConfigAgent",
        text: "ConfigAgent: %SYS-5-CONFIG_I: Configured from console by admin on vty3 (10.0.0.9)"),
    ParseCase(
        name: "RFC 3164 example from the RFC",
        raw: "<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8",
        format: .rfc3164, facility: 4, severity: 2, timestamp: "Oct 11 22:14:15", hostname: "mymachine",
        appName: "su", text: "su: 'su root' failed for lonvick on /dev/pts/8"),
    ParseCase(
        name: "RFC 5424 example with nil values and BOM",
        raw:
            "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - \u{FEFF}'su root' failed for lonvick on /dev/pts/8",
        format: .rfc5424, facility: 4, severity: 2, timestamp: "2003-10-11T22:14:15.003Z",
        hostname: "mymachine.example.com", appName: "su", msgID: "ID47",
        text: "'su root' failed for lonvick on /dev/pts/8"),
    ParseCase(
        name: "RFC 5424 all nil, no message",
        raw: "<0>1 - - - - - -",
        format: .rfc5424, facility: 0, severity: 0, text: ""),
    ParseCase(
        name: "JunOS RFC 5424 with structured data",
        raw:
            "<189>1 2026-11-23T10:00:00.000Z r1 mgd 1234 UI_COMMIT [junos@2636.1.1.1.2.18 username=\"alice\" command=\"commit\" message=\"none\"] User 'alice' requested 'commit' operation (comment: none)",
        format: .rfc5424, facility: 23, severity: 5, timestamp: "2026-11-23T10:00:00.000Z", hostname: "r1",
        appName: "mgd", procID: "1234", msgID: "UI_COMMIT",
        text: "User 'alice' requested 'commit' operation (comment: none)"),
    ParseCase(
        name: "no PRI: kept whole",
        raw: "%SYS-5-CONFIG_I: Configured from console by alice on vty0",
        format: .unknown, facility: nil, severity: nil,
        text: "%SYS-5-CONFIG_I: Configured from console by alice on vty0"),
    ParseCase(
        name: "PRI above 191 is not a PRI",
        raw: "<192>Nov 23 10:00:00 h t: x",
        format: .unknown, facility: nil, severity: nil, text: "<192>Nov 23 10:00:00 h t: x"),
]

@Test(arguments: parseCases)
func parsesHeaderFields(_ sample: ParseCase) {
    let message = SyslogMessage(parsing: sample.raw)
    #expect(message.format == sample.format)
    #expect(message.facility == sample.facility)
    #expect(message.severity == sample.severity)
    #expect(message.sequence == sample.sequence)
    #expect(message.timestamp == sample.timestamp)
    #expect(message.hostname == sample.hostname)
    #expect(message.appName == sample.appName)
    #expect(message.procID == sample.procID)
    #expect(message.msgID == sample.msgID)
    #expect(message.text == sample.text)
}

@Test func bytesAndTextParseTheSame() {
    for sample in parseCases {
        #expect(SyslogMessage(parsing: Array(sample.raw.utf8)) == SyslogMessage(parsing: sample.raw))
    }
}

@Test func structuredDataUnescapesQuotesBackslashesAndBrackets() {
    let raw =
        #"<165>1 2026-11-23T10:00:00Z h app - ID1 [exampleSDID@32473 iut="3" eventSource="Appl\"ic\\ation" note="a\]b"][examplePriority@32473 class="high"] text"#
    let message = SyslogMessage(parsing: raw)
    #expect(message.structuredData.count == 2)
    #expect(message.structuredData.first?.id == "exampleSDID@32473")
    #expect(message.structuredData.first?["iut"] == "3")
    #expect(message.structuredData.first?["eventSource"] == #"Appl"ic\ation"#)
    #expect(message.structuredData.first?["note"] == "a]b")
    #expect(message.structuredData.last?["class"] == "high")
    #expect(message.text == "text")
}

@Test func malformedStructuredDataStaysInTheText() {
    let message = SyslogMessage(parsing: #"<165>1 - h app - - [id a="unterminated] rest"#)
    #expect(message.format == .rfc5424)
    #expect(message.structuredData.isEmpty)
    #expect(message.text == #"[id a="unterminated] rest"#)
}

@Test func invalidUTF8IsReplacedNotFatal() {
    let bytes: [UInt8] =
        Array("<189>Nov 23 10:00:00 r1 tag: ".utf8) + [0xFF, 0xFE, 0xC3] + Array(" by alice on vty0".utf8)
    let message = SyslogMessage(parsing: bytes)
    #expect(message.hostname == "r1")
    #expect(message.text.hasSuffix(" by alice on vty0"))
    #expect(message.text.contains("\u{FFFD}"))
}

@Test func searchableTextOfRFC5424IncludesAppAndMsgID() {
    let message = SyslogMessage(parsing: "<189>1 2026-11-23T10:00:00Z r1 mgd 1 UI_COMMIT_COMPLETED - commit complete")
    #expect(message.searchableText == "mgd UI_COMMIT_COMPLETED commit complete")
    let bsd = SyslogMessage(parsing: "<189>Nov 23 10:00:00 r1 mgd[1]: UI_COMMIT_COMPLETED: commit complete")
    #expect(bsd.searchableText == "mgd[1]: UI_COMMIT_COMPLETED: commit complete")
}
