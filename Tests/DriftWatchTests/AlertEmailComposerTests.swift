import ConfigDiff
import Foundation
import Mailer
import Testing

@testable import DriftWatch

/// What on-call reads: subjects, both parts, threading, commands, escaping, and no secret.
@Suite struct AlertEmailComposerTests {
    typealias S = AlertSamples
    let composer = AlertEmailComposer(
        from: "DriftWatch <driftwatch@example.net>", to: ["oncall@example.net"],
        webhookURLs: ["https://hooks.example.net/drift"], install: "abc123")
    let context = AlertContext(
        platform: "cisco_ios", groups: ["core", "edge"],
        baseline: BaselineFacts(
            version: 7, approver: "alice", approvedAt: "2026-11-20T10:00:00Z", reason: "CHG-41 new NTP servers",
            ticket: "CHG-41"))

    /// A stored drift alert on core-sw-01 with +2 −1 lines against v7.
    func driftAlert(_ facts: DriftFacts? = nil, status: AlertStatus = .open) -> (Alert, AlertDetails) {
        var details = AlertDetails()
        details.drift = facts ?? S.facts(added: ["description core uplink", "shutdown"], changedBy: "bob")
        details.hash = details.drift?.contentHash
        details.notified = true
        var alert = Alert(device: "core-sw-01", kind: .drift, key: "drift", openedAt: S.t0, details: details.json)
        alert.id = 17
        alert.status = status
        return (alert, details)
    }

    @Test func subjectsNameTheEventTheDeviceAndTheCounts() {
        let (alert, details) = driftAlert()
        #expect(composer.subject(.opened, alert: alert, details: details) == "[DriftWatch] DRIFT core-sw-01: +2 \u{2212}1 lines vs baseline v7")
        #expect(composer.subject(.updated, alert: alert, details: details) == "[DriftWatch] UPDATED core-sw-01: +2 \u{2212}1 lines vs baseline v7")
        #expect(composer.subject(.reminded, alert: alert, details: details).hasPrefix("[DriftWatch] REMINDER core-sw-01: drift open since 2026-"))
        var resolved = details
        resolved.resolution = AlertResolution(kind: .approved, version: 8, approver: "alice", reason: "ok")
        #expect(composer.subject(.resolved, alert: alert, details: resolved) == "[DriftWatch] RESOLVED core-sw-01: new baseline v8 approved by alice")
        resolved.resolution = AlertResolution(kind: .reverted, version: 7)
        #expect(composer.subject(.resolved, alert: alert, details: resolved) == "[DriftWatch] RESOLVED core-sw-01: back to baseline v7")
        var failure = AlertDetails()
        failure.failures = 3
        let kinds: [(AlertKind, String)] = [
            (.unreachable, "[DriftWatch] UNREACHABLE core-sw-01: 3 collections in a row failed"),
            (.authFailed, "[DriftWatch] AUTH FAILED core-sw-01: the device refused the credentials"),
            (.stale, "[DriftWatch] STALE core-sw-01: no good collection for 3 intervals"),
            (.hostKeyChanged, "[DriftWatch] SECURITY core-sw-01: host key changed"),
            (.verifyFailed, "[DriftWatch] SECURITY core-sw-01: baseline verify failed"),
        ]
        for (kind, expected) in kinds {
            let condition = Alert(device: "core-sw-01", kind: kind, key: "condition", openedAt: S.t0)
            #expect(composer.subject(.opened, alert: condition, details: failure) == expected)
        }
    }

    @Test func emailCarriesTheFactsTheDiffAndTheCommandsInBothParts() throws {
        let (alert, details) = driftAlert()
        let finding = DeviceCheck.Finding(
            standard: "baseline-security", rule: "no-shutdown-uplink", severity: "high",
            path: ["interface GigabitEthernet0/1"], message: "uplinks must not be shut down")
        var withFinding = details
        withFinding.drift?.findings = [finding]
        let mail = composer.email(
            .opened, alert: alert, alertID: 17, sequence: 1, details: withFinding, context: context, at: S.at(5))
        let html = try #require(mail.html)
        for part in [mail.text, html] {
            #expect(part.contains("core-sw-01"))
            #expect(part.contains("cisco_ios"))
            #expect(part.contains("core, edge"))
            #expect(part.contains("2026-"))  // when detected
            #expect(part.contains("poll, changed by bob"))
            #expect(part.contains("v7, approved by alice"))
            #expect(part.contains("CHG-41 new NTP servers"))
            #expect(part.contains("interface GigabitEthernet0/1"))
            #expect(part.contains("description core uplink"))
            #expect(part.contains("no-shutdown-uplink"))
            #expect(part.contains("uplinks must not be shut down"))
            #expect(part.contains("[high]"))
            #expect(part.contains("driftwatch alerts ack 17 --as NAME"))
            #expect(part.contains("driftwatch diff core-sw-01"))
            #expect(part.contains("To revert"))
        }
        #expect(mail.text.contains("driftwatch baseline approve core-sw-01 --snapshot 42 --reason \"describe the change\""))
        #expect(html.contains("driftwatch baseline approve core-sw-01 --snapshot 42 --reason &quot;describe the change&quot;"))
        #expect(mail.text.contains("+   description core uplink"))
        #expect(mail.text.contains("-   description uplink"))
        // Coloured lines, inline styles only.
        #expect(html.contains("background-color:#e6ffec"))
        #expect(html.contains("background-color:#ffebe9"))
        #expect(!html.contains("<style"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("<link"))
        let headers = Dictionary(mail.extraHeaders, uniquingKeysWith: { first, _ in first })
        #expect(headers["X-DriftWatch-Device"] == "core-sw-01")
        #expect(headers["X-DriftWatch-Alert"] == "17")
        #expect(headers["X-DriftWatch-Event"] == "opened")
        #expect(headers["X-DriftWatch-Baseline-Version"] == "v7")
        #expect(headers["X-DriftWatch-Snapshot"] == "42")
    }

    @Test func everyEmailAboutADeviceRepliesToOneStableThreadRoot() {
        let (alert, details) = driftAlert()
        let first = composer.email(.opened, alert: alert, alertID: 17, sequence: 1, details: details, context: context, at: S.t0)
        let later = composer.email(.resolved, alert: alert, alertID: 17, sequence: 2, details: details, context: context, at: S.at(60))
        let other = Alert(device: "core-sw-01", kind: .unreachable, key: "condition", openedAt: S.t0)
        let unreachable = composer.email(.opened, alert: other, alertID: 18, sequence: 1, details: AlertDetails(), context: context, at: S.t0)
        let root = composer.threadRoot(device: "core-sw-01")
        #expect(root == AlertEmailComposer(from: "x@example.net", to: [], install: "abc123").threadRoot(device: "core-sw-01"))
        #expect(root != composer.threadRoot(device: "core-sw-02"))
        #expect(root != AlertEmailComposer(from: "x@example.net", to: [], install: "other").threadRoot(device: "core-sw-01"))
        for mail in [first, later, unreachable] {
            #expect(mail.inReplyTo == root)
            #expect(mail.references == [root])
        }
        let opened = String(StateTime.milliseconds(alert.openedAt), radix: 36)
        #expect(first.messageID == "alert-17.1.\(opened).abc123@example.net")
        #expect(later.messageID == "alert-17.2.\(opened).abc123@example.net")
        // Alert 17 of a state store created again at the same path (same install id) opened at
        // another time: a different id, which a mail client does not take for a duplicate.
        var again = alert
        again.openedAt = alert.openedAt.addingTimeInterval(86_400)
        #expect(composer.email(.opened, alert: again, alertID: 17, sequence: 1, details: details, context: context, at: S.t0).messageID != first.messageID)
        // An alert keeps the thread root stored when it opened (the install id changed since).
        var moved = alert
        moved.messageIDRoot = "<\(AlertEmailComposer(from: "x@example.net", to: [], install: "before").threadRoot(device: "core-sw-01"))>"
        let movedMail = composer.email(.updated, alert: moved, alertID: 17, sequence: 3, details: details, context: context, at: S.t0)
        #expect("<\(movedMail.inReplyTo ?? "")>" == moved.messageIDRoot)
        #expect(Set([first.messageID, later.messageID, unreachable.messageID]).count == 3)
        // Composing again (a re-send after a crash) gives the same id.
        #expect(composer.email(.opened, alert: alert, alertID: 17, sequence: 1, details: details, context: context, at: S.at(99)).messageID == first.messageID)
    }

    @Test func draftsAreOneEmailAndOneSignedWebhookBodyPerHook() throws {
        let (alert, details) = driftAlert()
        let drafts = composer.drafts(.opened, alert: alert, alertID: 17, sequence: 1, details: details, context: context, at: S.t0)
        #expect(drafts.map(\.channel) == ["email", "webhook"])
        #expect(drafts[0].recipients == ["oncall@example.net"])
        #expect(drafts[0].messageID == "<alert-17.1.\(String(StateTime.milliseconds(alert.openedAt), radix: 36)).abc123@example.net>")
        #expect(drafts[1].recipients == ["https://hooks.example.net/drift"])
        #expect(drafts[1].messageID != drafts[0].messageID)
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(drafts[1].body.utf8)) as? [String: Any])
        #expect(json["event"] as? String == "opened")
        #expect((json["alert"] as? [String: Any])?["id"] as? Int == 17)
        #expect((json["drift"] as? [String: Any])?["added"] as? Int == 2)
        #expect((json["drift"] as? [String: Any])?["baselineVersion"] as? Int == 7)
    }

    @Test func htmlEscapesEverythingItShows() throws {
        let facts = S.facts(added: ["description <b>pwn</b> & \"quotes\" 'x'"], changedBy: "<script>alert(1)</script>")
        let (alert, details) = driftAlert(facts)
        let evil = AlertContext(platform: "<i>ios</i>", groups: ["a&b"], baseline: nil)
        let html = try #require(
            composer.email(.opened, alert: alert, alertID: 17, sequence: 1, details: details, context: evil, at: S.t0).html)
        #expect(!html.contains("<b>pwn"))
        #expect(!html.contains("<script>"))
        #expect(!html.contains("<i>ios"))
        #expect(html.contains("&lt;b&gt;pwn&lt;/b&gt; &amp; &quot;quotes&quot; &#39;x&#39;"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.contains("a&amp;b"))
    }

    @Test func digestListsEveryMemberOnce() throws {
        let members = (1...12).map { index -> AlertEmailComposer.DigestMember in
            var details = AlertDetails()
            details.drift = S.facts(added: ["line \(index)"])
            var alert = Alert(device: "sw-\(index)", kind: .drift, key: "drift", openedAt: S.t0)
            alert.id = Int64(index)
            return AlertEmailComposer.DigestMember(alert: alert, details: details, context: AlertContext())
        }
        let drafts = composer.digest(batch: 1_790_000_000_000, members: members, at: S.at(60))
        #expect(drafts.map(\.channel) == ["email", "webhook"])
        #expect(drafts[0].subject == "[DriftWatch] DIGEST 12 devices drifted")
        #expect(drafts[0].messageID == "<digest-1790000000000.abc123@example.net>")
        for index in 1...12 { #expect(drafts[0].body.contains("sw-\(index):")) }
    }

    /// Real masked text end to end: a configuration with canary secrets is normalized with the
    /// IOS profile, compared, and every message composed from it is free of the canaries.
    @Test func canarySecretsNeverReachAnEmailOrWebhook() throws {
        let canaries = ["CanarySnmp7qX2", "CanaryEnable9wK", "CanaryUserPw4zT"]
        let masker = SecretMasker(key: Array(repeating: UInt8(7), count: 32))
        let normalizer = Normalizer(profile: try ProfileCatalog().profile("cisco_ios"), masker: masker)
        let baseline = try normalizer.normalize(
            "hostname core-sw-01\ninterface GigabitEthernet0/1\n description uplink\n", previousSize: nil,
            checkCompleteness: false)
        let running = try normalizer.normalize(
            """
            hostname core-sw-01
            enable secret 5 \(canaries[1])
            username admin privilege 15 secret 9 \(canaries[2])
            snmp-server community \(canaries[0]) RO
            interface GigabitEthernet0/1
             description uplink
            """, previousSize: nil, checkCompleteness: false)
        let delta = HierarchicalDiff.compare(from: baseline.tree, to: running.tree)
        #expect(delta.addedLines == 3)
        let facts = DriftFacts(
            delta: delta, remediation: Remediation.lines(for: delta, style: .indent, negation: .noPrefix), findings: [],
            snapshotID: 5, baselineVersion: 1, trigger: "syslog", changedBy: "bob", detectedAt: S.t0)
        let (alert, details) = driftAlert(facts)
        var everything = ""
        for notice in AlertNotice.allCases {
            for draft in composer.drafts(notice, alert: alert, alertID: 17, sequence: 1, details: details, context: context, at: S.t0) {
                everything += draft.subject + draft.body
            }
            let mail = composer.email(notice, alert: alert, alertID: 17, sequence: 1, details: details, context: context, at: S.t0)
            everything += mail.text + (mail.html ?? "")
        }
        everything += composer.digest(
            batch: 1, members: [.init(alert: alert, details: details, context: context)], at: S.t0
        ).map { $0.subject + $0.body }.joined()
        #expect(everything.contains("<secret:") || everything.contains("&lt;secret:"))
        for canary in canaries { #expect(!everything.contains(canary), "canary \(canary) leaked") }
    }
}
