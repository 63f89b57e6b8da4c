import ConfigDiff
import Testing

@testable import Baselines

@Suite struct BaselineComparisonTests {
    static let running = """
        hostname r1
        ntp clock-period 17179869
        ntp server 192.0.2.1
        interface GigabitEthernet0/1
         description uplink
         ip address 10.0.0.1 255.255.255.0
        interface GigabitEthernet0/2
         shutdown
        """

    func tree(_ text: String) throws -> ConfigTree { try ConfigParser.parse(text, style: .indent) }

    @Test func fullModeComparesEverything() throws {
        let baseline = try tree(Self.running.replacingOccurrences(of: " shutdown", with: " no shutdown"))
        let delta = BaselineComparison.compare(
            baseline: baseline, configuration: try tree(Self.running), mode: .full, ignore: [], options: DiffOptions())
        #expect(
            delta.changes.map(\.description) == [
                "- interface GigabitEthernet0/2 > no shutdown", "+ interface GigabitEthernet0/2 > shutdown",
            ])
    }

    @Test func partialModeComparesOnlyTheBaselineSections() throws {
        let snippet = try tree(
            "interface GigabitEthernet0/1\n description uplink\n ip address 10.0.0.1 255.255.255.0\nntp server 192.0.2.1\n"
        )
        let clean = BaselineComparison.compare(
            baseline: snippet, configuration: try tree(Self.running), mode: .partial, ignore: [], options: DiffOptions()
        )
        #expect(clean.isEmpty)
        let drifted = try tree(
            Self.running.replacingOccurrences(of: "10.0.0.1", with: "10.0.0.9").replacingOccurrences(
                of: "ntp server 192.0.2.1\n", with: ""))
        let delta = BaselineComparison.compare(
            baseline: snippet, configuration: drifted, mode: .partial, ignore: [], options: DiffOptions())
        #expect(
            Set(delta.changes.map(\.description)) == [
                "- interface GigabitEthernet0/1 > ip address 10.0.0.1 255.255.255.0",
                "+ interface GigabitEthernet0/1 > ip address 10.0.0.9 255.255.255.0",
                "- ntp server 192.0.2.1",
            ])
        let full = BaselineComparison.compare(
            baseline: snippet, configuration: try tree(Self.running), mode: .full, ignore: [], options: DiffOptions())
        #expect(!full.isEmpty)
    }

    @Test func ignoreRulesOfTheRecordApply() throws {
        let baseline = try tree(Self.running.replacingOccurrences(of: "17179869", with: "17180000"))
        let running = try tree(Self.running)
        #expect(
            !BaselineComparison.compare(
                baseline: baseline, configuration: running, mode: .full, ignore: [], options: DiffOptions()
            ).isEmpty)
        let record = ApprovalRecord(
            kind: .baseline, subject: "r1", version: 1, approver: "a", approvedAt: "2026-11-23T06:30:00Z", reason: "r",
            ticket: nil, source: ApprovalSource(.file, "f"), platform: "cisco_ios", mode: .full,
            ignore: [try LinePredicate(.startsWith, "ntp clock-period")],
            contentSHA256: String(repeating: "0", count: 64),
            previousSHA256: nil)
        #expect(
            BaselineComparison.compare(
                baseline: baseline, record: record, configuration: running, options: DiffOptions()
            ).isEmpty)
    }
}
