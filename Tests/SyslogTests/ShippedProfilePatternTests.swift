import Foundation
import Testing

@testable import Syslog

/// The `syslog_config_change:` patterns of a shipped profile, read from its YAML line (the
/// Syslog module does not depend on ConfigDiff; this reads the same file the watcher loads).
func shippedPatterns(_ platform: String) throws -> [String] {
    let profiles = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/ConfigDiff/Profiles")
    let yaml = try String(contentsOf: profiles.appendingPathComponent("\(platform).yaml"), encoding: .utf8)
    let line = try #require(
        yaml.split(separator: "\n").first { $0.hasPrefix("syslog_config_change:") },
        "\(platform).yaml has no syslog_config_change line")
    // A flow list of single-quoted strings: ['a', 'b'].
    return line.split(separator: "'", omittingEmptySubsequences: false).enumerated()
        .filter { $0.offset % 2 == 1 }.map { String($0.element) }
}

struct ProfileSample: Sendable, CustomTestStringConvertible {
    var platform: String
    var raw: String
    var isChange: Bool
    var user: String?
    var testDescription: String { "\(platform): \(raw.prefix(90))" }
}

let profileSamples: [ProfileSample] = [
    ProfileSample(
        platform: "cisco_ios",
        raw: "<189>57: *Nov 23 10:00:00.123 UTC: %SYS-5-CONFIG_I: Configured from console by alice on vty0 (10.0.0.5)",
        isChange: true, user: "alice"),
    ProfileSample(
        platform: "cisco_ios",
        raw: "<189>58: *Nov 23 10:00:00.123 UTC: %SYS-5-CONFIG_I: Configured from console by vty0 (10.1.1.1)",
        isChange: true, user: nil),
    ProfileSample(
        platform: "cisco_ios",
        raw:
            "<189>59: *Nov 23 10:00:00.123 UTC: %SYS-5-CONFIG_P: Configured programmatically by process iosp_dmi_agent_comm_pro from console as admin on vty2147483647",
        isChange: true, user: "admin"),
    ProfileSample(
        platform: "cisco_ios",
        raw: "<187>60: *Nov 23 10:00:00.123 UTC: %LINK-3-UPDOWN: Interface GigabitEthernet0/1, changed state to down",
        isChange: false),
    ProfileSample(
        platform: "cisco_ios",
        raw: "<189>61: *Nov 23 10:00:00.123 UTC: %PARSER-5-CFGLOG_LOGGEDCMD: User:alice  logged command:hostname r2",
        isChange: false),
    ProfileSample(
        platform: "cisco_nxos",
        raw:
            "<189>: 2026 Nov 23 10:00:00 UTC: %VSHD-5-VSHD_SYSLOG_CONFIG_I: Configured from vty by admin on 10.0.0.1@pts/0",
        isChange: true, user: "admin"),
    ProfileSample(
        platform: "arista_eos",
        raw:
            "<189>Nov 23 10:00:00 eos1 ConfigAgent: %SYS-5-CONFIG_I: Configured from console by admin on vty3 (10.0.0.9)",
        isChange: true, user: "admin"),
    ProfileSample(
        platform: "arista_eos",
        raw:
            "<189>Nov 23 09:59:00 eos1 ConfigAgent: %SYS-5-CONFIG_E: Enter configuration mode from console by admin on vty3 (10.0.0.9)",
        isChange: false),
    ProfileSample(
        platform: "cisco_iosxr",
        raw:
            "<189>2436: RP/0/RP0/CPU0:Nov 23 10:00:01.456 UTC: config[65742]: %MGBL-SYS-5-CONFIG_I : Configured from console by lab",
        isChange: true, user: "lab"),
    ProfileSample(
        platform: "cisco_iosxr",
        raw:
            "<190>2435: RP/0/RSP0/CPU0:Nov 23 10:00:00.123 : config[65742]: %MGBL-CONFIG-6-DB_COMMIT : Configuration committed by user 'alice'. Use 'show configuration commit changes 1000000123' to view the changes.",
        isChange: true, user: "alice"),
    ProfileSample(
        platform: "juniper_junos",
        raw: "<189>Nov 23 10:00:00 r1 mgd[1234]: UI_COMMIT: User 'alice' requested 'commit' operation (comment: none)",
        isChange: true, user: "alice"),
    ProfileSample(
        platform: "juniper_junos",
        raw:
            "<189>1 2026-11-23T10:00:00.000Z r1 mgd 1234 UI_COMMIT [junos@2636.1.1.1.2.18 username=\"alice\" command=\"commit\" message=\"none\"] User 'alice' requested 'commit' operation (comment: none)",
        isChange: true, user: "alice"),
    ProfileSample(
        platform: "juniper_junos", raw: "<189>Nov 23 10:00:02 r1 mgd[1234]: UI_COMMIT_COMPLETED: commit complete",
        isChange: true, user: nil),
    ProfileSample(
        platform: "juniper_junos",
        raw:
            "<190>Nov 23 10:00:01 r1 mgd[1234]: UI_COMMIT_PROGRESS: Commit operation in progress: start loading commit script changes",
        isChange: false),
    ProfileSample(
        platform: "juniper_junos_set",
        raw: "<189>1 2026-11-23T10:00:02.000Z r1 mgd 1234 UI_COMMIT_COMPLETED - commit complete", isChange: true,
        user: nil),
    ProfileSample(
        platform: "cisco_asa",
        raw: "<165>Nov 23 2026 10:00:00: %ASA-5-111008: User 'enable_15' executed the 'hostname fw1' command.",
        isChange: true, user: "enable_15"),
    ProfileSample(
        platform: "cisco_asa",
        raw:
            "<165>Nov 23 2026 10:00:00: %ASA-5-111010: User 'erin', running 'CLI' from IP 10.0.0.5, executed 'hostname fw1'",
        isChange: true, user: "erin"),
    ProfileSample(
        platform: "cisco_asa",
        raw:
            "<166>Nov 23 2026 10:00:00: %ASA-6-302013: Built inbound TCP connection 1 for outside:192.0.2.1/5000 (192.0.2.1/5000) to inside:10.0.0.1/22 (10.0.0.1/22)",
        isChange: false),
]

@Test(arguments: profileSamples)
func shippedProfilePatternsRecogniseRealMessages(_ sample: ProfileSample) throws {
    let matcher = try ConfigChangeMatcher(patterns: try shippedPatterns(sample.platform))
    let message = SyslogMessage(parsing: sample.raw)
    #expect((matcher.firstMatch(in: message) != nil) == sample.isChange)
    if sample.isChange { #expect(message.configChangeUser == sample.user) }
}

@Test(arguments: [
    "cisco_ios", "cisco_nxos", "arista_eos", "cisco_iosxr", "juniper_junos", "juniper_junos_set", "cisco_asa",
])
func shippedProfilePatternsCompile(_ platform: String) throws {
    let patterns = try shippedPatterns(platform)
    #expect(!patterns.isEmpty)
    try ConfigChangeMatcher.validate(patterns)
}
