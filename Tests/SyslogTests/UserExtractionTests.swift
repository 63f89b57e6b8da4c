import Testing

@testable import Syslog

struct UserCase: Sendable, CustomTestStringConvertible {
    var raw: String
    var user: String?
    var testDescription: String { raw }
}

let userCases: [UserCase] = [
    // IOS / IOS-XE
    UserCase(
        raw: "<189>57: *Nov 23 10:00:00.123 UTC: %SYS-5-CONFIG_I: Configured from console by alice on vty0 (10.0.0.5)",
        user: "alice"),
    UserCase(
        raw: "<189>58: *Nov 23 10:00:00.123 UTC: %SYS-5-CONFIG_I: Configured from console by vty0 (10.1.1.1)", user: nil
    ),
    UserCase(raw: "<189>59: *Nov 23 10:00:00.123 UTC: %SYS-5-CONFIG_I: Configured from console by console", user: nil),
    UserCase(raw: "<189>60: %SYS-5-CONFIG_I: Configured from memory by console", user: nil),
    UserCase(
        raw:
            "<189>61: *Nov 23 10:00:00: %SYS-5-CONFIG_I: Configured from tftp://10.0.0.1/r1-confg by bob.smith on vty1 (10.0.0.7)",
        user: "bob.smith"),
    UserCase(
        raw:
            "<189>62: *Nov 23 10:00:00: %SYS-5-CONFIG_P: Configured programmatically by process iosp_dmi_agent_comm_pro from console as netconf-admin on vty2147483647",
        user: "netconf-admin"),
    // NX-OS
    UserCase(
        raw:
            "<189>: 2026 Nov 23 10:00:00 UTC: %VSHD-5-VSHD_SYSLOG_CONFIG_I: Configured from vty by admin on 10.0.0.1@pts/0",
        user: "admin"),
    UserCase(
        raw: "<189>: 2026 Nov 23 10:00:00 UTC: %VSHD-5-VSHD_SYSLOG_CONFIG_I: Configured from vty by admin on console0",
        user: "admin"),
    // EOS
    UserCase(
        raw:
            "<189>Nov 23 10:00:00 eos1 ConfigAgent: %SYS-5-CONFIG_I: Configured from console by admin on vty3 (10.0.0.9)",
        user: "admin"),
    UserCase(
        raw: "<189>Nov 23 10:00:00 eos1 ConfigAgent: %SYS-5-CONFIG_I: Configured from console by ttyS0", user: nil),
    // IOS-XR
    UserCase(
        raw:
            "<189>1: RP/0/RP0/CPU0:Nov 23 10:00:01.456 UTC: config[65742]: %MGBL-SYS-5-CONFIG_I : Configured from console by lab",
        user: "lab"),
    UserCase(
        raw:
            "<189>2: RP/0/RP0/CPU0:Nov 23 10:00:01.456 UTC: config[65742]: %MGBL-SYS-5-CONFIG_I : Configured from console by lab on vty0 (192.0.2.1)",
        user: "lab"),
    UserCase(
        raw:
            "<189>3: RP/0/RSP0/CPU0:Nov 23 10:00:00.123 : config[65742]: %MGBL-CONFIG-6-DB_COMMIT : Configuration committed by user 'alice'. Use 'show configuration commit changes 1000000123' to view the changes.",
        user: "alice"),
    // JunOS
    UserCase(
        raw: "<189>Nov 23 10:00:00 r1 mgd[1234]: UI_COMMIT: User 'alice' requested 'commit' operation (comment: none)",
        user: "alice"),
    UserCase(raw: "<189>Nov 23 10:00:00 r1 mgd[1234]: UI_COMMIT_COMPLETED: commit complete", user: nil),
    UserCase(
        raw:
            "<189>1 2026-11-23T10:00:00.000Z r1 mgd 1234 UI_COMMIT [junos@2636.1.1.1.2.18 username=\"carol\" command=\"commit\" message=\"none\"] User 'carol' requested 'commit' operation (comment: none)",
        user: "carol"),
    UserCase(
        raw:
            "<189>1 2026-11-23T10:00:00.000Z r1 mgd 1234 UI_COMMIT [junos@2636.1.1.1.2.18 username=\"dave\" command=\"commit\"]",
        user: "dave"),
    UserCase(
        raw:
            "<189>1 2026-11-23T10:00:00.000Z r1 mgd 1234 UI_COMMIT_COMPLETED [junos@2636.1.1.1.2.18 message=\"commit complete\"]",
        user: nil),
    // ASA
    UserCase(
        raw: "<165>Nov 23 2026 10:00:00: %ASA-5-111008: User 'enable_15' executed the 'hostname fw1' command.",
        user: "enable_15"),
    UserCase(
        raw:
            "<165>Nov 23 2026 10:00:00: %ASA-5-111010: User 'erin', running 'CLI' from IP 10.0.0.5, executed 'hostname fw1'",
        user: "erin"),
    UserCase(raw: "<165>Nov 23 2026 10:00:00: %ASA-5-111005: 10.0.0.5 end configuration: OK", user: nil),
]

@Test(arguments: userCases)
func extractsTheUserWhoChangedTheConfiguration(_ sample: UserCase) {
    #expect(SyslogMessage(parsing: sample.raw).configChangeUser == sample.user)
}

@Test(arguments: [
    "vty0", "con0", "console", "aux0", "tty2", "pts/3", "ttyS0", "10.0.0.5", "2001:db8::1", "(10.0.0.5)", "memory",
    "user",
])
func linesAndAddressesAreNotUsers(_ word: String) {
    #expect(SyslogMessage.cleanUser(word) == nil)
    #expect(SyslogMessage.user(in: "Configured from console by \(word)") == nil)
}

@Test(arguments: ["alice", "bob.smith", "svc-netops", "vtyadmin", "console2x", "DOMAIN\\carol"])
func plausibleNamesAreUsers(_ word: String) {
    #expect(SyslogMessage.user(in: "Configured from console by \(word) on vty0 (10.0.0.5)") == word)
}
