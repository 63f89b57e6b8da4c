import Testing

@testable import Syslog

@Test func substringPatternsMatchAnywhereAndReportTheFirstListed() throws {
    let matcher = try ConfigChangeMatcher(patterns: ["%SYS-5-CONFIG_I", "CONFIG"])
    let message = SyslogMessage(
        parsing:
            "<189>57: *Nov 23 10:00:00.123 UTC: %SYS-5-CONFIG_I: Configured from console by alice on vty0 (10.0.0.5)")
    #expect(matcher.firstMatch(in: message) == "%SYS-5-CONFIG_I")
    #expect(matcher.firstMatch(in: "link up on CONFIGURED port") == "CONFIG")
    #expect(matcher.firstMatch(in: "%LINK-3-UPDOWN: Interface Gi0/1, changed state to up") == nil)
}

@Test func substringsAreCaseSensitive() throws {
    let matcher = try ConfigChangeMatcher(patterns: ["%SYS-5-CONFIG_I"])
    #expect(matcher.firstMatch(in: "%sys-5-config_i: configured") == nil)
}

@Test func slashedPatternsAreRegularExpressions() throws {
    let matcher = try ConfigChangeMatcher(patterns: [#"/\bUI_COMMIT\b/"#, "UI_COMMIT_COMPLETED"])
    let commit = SyslogMessage(
        parsing: "<189>1 2026-11-23T10:00:00Z r1 mgd 1 UI_COMMIT [junos@2636.1.1.1.2.18 username=\"alice\"] x")
    let completed = SyslogMessage(parsing: "<189>Nov 23 10:00:00 r1 mgd[1]: UI_COMMIT_COMPLETED: commit complete")
    let progress = SyslogMessage(
        parsing: "<189>Nov 23 10:00:00 r1 mgd[1]: UI_COMMIT_PROGRESS: Commit operation in progress: start loading")
    #expect(matcher.firstMatch(in: commit) == #"/\bUI_COMMIT\b/"#)
    #expect(matcher.firstMatch(in: completed) == "UI_COMMIT_COMPLETED")
    #expect(matcher.firstMatch(in: progress) == nil)
}

@Test func anInvalidRegularExpressionIsAnErrorNamingIt() {
    #expect {
        try ConfigChangeMatcher(patterns: ["%SYS-5-CONFIG_I", "/(unclosed/"])
    } throws: { error in
        guard let error = error as? SyslogError else { return false }
        return error.code == .invalidPattern && error.message.contains("/(unclosed/")
    }
}

@Test func emptyPatternsNeverMatch() throws {
    #expect(try ConfigChangeMatcher(patterns: []).firstMatch(in: "anything") == nil)
    #expect(try ConfigChangeMatcher(patterns: [""]).firstMatch(in: "anything") == nil)
    #expect(try ConfigChangeMatcher(patterns: ["/"]).firstMatch(in: "a/b") == "/")
}
