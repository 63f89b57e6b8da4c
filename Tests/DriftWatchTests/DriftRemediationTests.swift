import Baselines
import ConfigDiff
import Foundation
import Testing

@testable import DriftWatch

/// Remediation takes a drifted device BACK to its approved baseline, and every place that shows
/// it agrees: the check (`check --json`, `diff`, the alert email and webhook, through
/// ``DeviceCheck/remediation``), the HTTP API (from the stored delta) and an independent reverse
/// diff (``ConfigComparison``, what `driftwatch compare BASELINE RUNNING` prints).
///
/// Before the fix, the evaluator passed the baseline→configuration delta to
/// ``Remediation/lines(for:style:negation:)`` and got the commands towards the drift
/// (`ip http server` entered again, `no ntp server …` for the line the device lost).
@Suite struct DriftRemediationTests {
    static let approved = """
        hostname r1
        !
        interface GigabitEthernet0/1
         description uplink
         ip address 192.0.2.1 255.255.255.0
        !
        ntp server 192.0.2.123
        !
        end

        """
    static let running = """
        hostname r1
        !
        interface GigabitEthernet0/1
         description uplink to core-02
         ip address 192.0.2.1 255.255.255.0
        !
        ip http server
        !
        end

        """

    @Test func remediationTakesTheDeviceBackToItsBaselineEverywhere() async throws {
        let (context, folder) = try DriftStateTests.context()
        defer { try? FileManager.default.removeItem(at: folder) }
        let profile = try context.catalog.profile(PlatformID("cisco_ios"))
        let normalized = try Normalizer(profile: profile, masker: context.masker).normalize(Self.approved)
        _ = try context.baselines.approve(
            device: "r1", config: normalized.text,
            draft: ApprovalDraft(
                approver: "alice", reason: "t", source: ApprovalSource(.file, "t.cfg"), platform: "cisco_ios"),
            expectedHead: nil)
        let check = try context.driftCheck(
            transport: ScriptedTransport([.answer(Self.running)]), environment: ["PW": "pw"],
            logger: CollectorWorld.logger)
        let report = await check.run(context.configuration.devices)
        let device = try #require(report.devices.first)
        #expect(device.state == .drifted)
        let remediation = device.remediation

        // Back to the baseline: the added lines are negated, the removed and changed ones restored.
        #expect(remediation.contains("no ip http server"), "\(remediation)")
        #expect(remediation.contains("ntp server 192.0.2.123"), "\(remediation)")
        #expect(remediation.contains(" description uplink"), "\(remediation)")
        #expect(!remediation.contains("ip http server"), "\(remediation)")
        #expect(!remediation.contains("no ntp server 192.0.2.123"), "\(remediation)")
        #expect(!remediation.contains(" description uplink to core-02"), "\(remediation)")

        // The same lines as an independent reverse diff (running → approved).
        let comparison = try ConfigComparison(
            reference: Self.approved, named: "baseline", actual: Self.running, named: "running", profile: profile,
            masker: context.masker)
        #expect(Set(remediation) == Set(comparison.remediation), "\(remediation) vs \(comparison.remediation)")

        // The HTTP API computes it from the stored delta: the same lines in the same order.
        let stored = try #require(try await context.store.deviceState(device: "r1")?.drift?.delta)
        #expect(DriftRemediation.lines(for: stored, style: profile.style, negation: profile.negation) == remediation)

        // `check --json` encodes the check's remediation as is.
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(device)) as? [String: Any]
        #expect(json?["remediation"] as? [String] == remediation)
    }
}
