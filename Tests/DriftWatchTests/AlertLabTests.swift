import DeviceLab
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

@testable import DriftWatch

#if canImport(Glibc)
    import Glibc
#endif

/// Alerting end to end: `driftwatch watch` as a real child process against the device lab (real
/// sshd), delivering through a real SMTP server (aiosmtpd, STARTTLS with the lab's CA and AUTH)
/// and a real webhook receiver on loopback; the tests read what was delivered (the Maildir, the
/// HTTP bodies).
///
/// - ``lifecycleOnTheDeviceLab()``: open, update, remind, ack (CLI, audited, stops reminders),
///   resolve by revert, resolve by approval, digest over a threshold; threading across all of
///   them; the remediation in the email equals `check --json`'s and the HTTP API's and takes the
///   device back to its baseline; no canary secret of the lab configs in any delivered byte.
/// - ``anSMTPOutageAndAKillNineDeliverEachOpeningOnce()``: the SMTP server down, 10 drifts, the
///   watcher killed with SIGKILL and restarted, the server back: exactly 10 opening emails, none
///   twice.
///
/// Heavy and timing-sensitive (reminders, digest windows, retry backoff): run it in its own
/// group of scripts/test.sh.
@Suite(.tags(.lab), .serialized) struct AlertLabTests {
    static let canaryBefore = "CANARY-AL-ro-7f3e1a"
    static let canaryAfter = "CANARY-AL-rw-52c9d0"
    static let enableHash = "$9$nhEmQVczB7dqsO$X.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
    static let hookSecret = "hook-secret-CANARY-AL-91ab"
    static let apiToken = "api-token-CANARY-AL-c3d4"

    /// What the webhook receiver got.
    final class Hooks: Sendable {
        let bodies = Mutex<[String]>([])
        var all: [String] { bodies.withLock { $0 } }
    }

    // MARK: Helpers

    static func messages(_ mail: MailLab, device: String? = nil) throws -> [MailLabMessage] {
        let all = try mail.messages()
        guard let device else { return all }
        return all.filter { $0.header("X-DriftWatch-Device") == device }
    }

    static func events(_ mail: MailLab, device: String) throws -> [String] {
        try messages(mail, device: device).map { $0.header("X-DriftWatch-Event") ?? "?" }
    }

    /// Waits until `device` has `count` emails with event `event`; returns them all.
    static func waitForEvent(
        _ mail: MailLab, device: String, event: String, count: Int = 1, timeout: Duration
    ) async throws -> [MailLabMessage] {
        let arrived = try await WatcherWorld.waitFor(timeout) {
            try messages(mail, device: device).filter { $0.header("X-DriftWatch-Event") == event }.count >= count
        }
        let seen = try events(mail, device: device)
        #expect(arrived != nil, "no \(event) email for \(device) within \(timeout); events so far: \(seen)")
        return try messages(mail, device: device)
    }

    /// The indented lines after `title` in the text part, up to the next blank line, without
    /// their two-space indent.
    static func block(_ title: String, in text: String) -> [String] {
        var lines = text.components(separatedBy: "\n")[...]
        while let line = lines.popFirst(), line != title {}
        var out: [String] = []
        while let line = lines.popFirst(), !line.isEmpty { out.append(String(line.dropFirst(2))) }
        return out
    }

    static func router(_ hooks: Hooks) -> Router<BasicRequestContext> {
        let router = Router()
        router.post("hook") { request, _ -> HTTPResponse.Status in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 22)
            hooks.bodies.withLock { $0.append(String(buffer: body)) }
            return .noContent
        }
        return router
    }

    /// Every secret that must never reach a delivered message or webhook body.
    static func secrets(lab: DeviceLab, mail: MailLab) -> [String] {
        [canaryBefore, canaryAfter, enableHash, "$9$abc$def", hookSecret, apiToken, lab.password, lab.enableSecret,
            mail.password]
    }

    // MARK: Lifecycle

    @Test func lifecycleOnTheDeviceLab() async throws {
        let specs =
            [LabDeviceSpec("l-ios1", platform: .ciscoIOS)] + (1...4).map { LabDeviceSpec("d-ios\($0)", platform: .ciscoIOS) }
        try await DeviceLab.withLab(DeviceLabOptions(devices: specs)) { lab in
            try await MailLab.withLab(MailLabOptions(security: .startTLS, requireAuth: true)) { mail in
                let hooks = Hooks()
                let app = Application(
                    router: Self.router(hooks), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
                try await app.test(.live) { client in
                    let hookPort = try #require(client.port)
                    try await Self.lifecycle(lab: lab, mail: mail, hooks: hooks, hookPort: hookPort)
                }
            }
        }
    }

    static func lifecycle(lab: DeviceLab, mail: MailLab, hooks: Hooks, hookPort: Int) async throws {
        let device = "l-ios1"
        let digestDevices = (1...4).map { "d-ios\($0)" }
        let base = try lab.config(device: device).replacingOccurrences(of: "s3cr3t-ro", with: canaryBefore)
        #expect(base.contains(canaryBefore) && base.contains(enableHash))
        try lab.setConfig(device: device, base)
        let httpPort = try WatcherWorld.freePort()
        let caFile = try #require(mail.caFile)
        let extra = """
            alerts:
              email:
                smtp: { host: 127.0.0.1, port: \(mail.port), starttls: true, ca_file: \(caFile), username: \(mail.username), password_env: SMTP_PASS }
                from: "DriftWatch <driftwatch@example.net>"
                to: [oncall@example.net, net-team@example.net]
              webhooks:
                - { url: "http://127.0.0.1:\(hookPort)/hook", secret_env: HOOK_SECRET }
              reminder_after: 12s
              digest: { threshold: 3, window: 10s }
            http: { listen: "127.0.0.1:\(httpPort)", token_env: API_TOKEN }

            """
        let world = try WatcherWorld.make(
            lab: lab, entries: WatcherWorld.entries(lab), interval: "3s", timeout: "4s", timeLimit: "8s", extra: extra)
        defer { world.remove() }
        let runner = WatcherWorld.CLI(
            world: world, binary: try BaselineCLITests.binary().path,
            extra: ["SMTP_PASS": mail.password, "HOOK_SECRET": hookSecret, "API_TOKEN": apiToken])
        let store = try SQLiteStateStore(path: world.statePath)
        let context = try world.context()

        // Start; approve every device's first collection; all clean, no email.
        let watch = try runner.watch()
        let unbaselined = try await WatcherWorld.waitFor(.seconds(40)) {
            let states = try await store.deviceStates()
            return states.count == 5 && states.allSatisfy { $0.status == .unbaselined }
        }
        let startStates = try await store.deviceStates().map { "\($0.device)=\($0.status)" }
        try #require(unbaselined != nil, "\(startStates)")
        try await world.approveLatest([device] + digestDevices, store: store, baselines: context.baselines)
        let clean = try await WatcherWorld.waitFor(.seconds(20)) {
            try await store.deviceStates().allSatisfy { $0.status == .clean }
        }
        try #require(clean != nil)
        #expect(try mail.messages().isEmpty)

        // 1. Open: a changed description and a changed (masked) SNMP community.
        let drifted = base.replacingOccurrences(
            of: " description uplink-1 to core\n", with: " description uplink-1 to core-sw-02\n"
        ).replacingOccurrences(of: canaryBefore, with: canaryAfter)
        #expect(drifted != base)
        try lab.setConfig(device: device, drifted)
        var thread = try await waitForEvent(mail, device: device, event: "opened", timeout: .seconds(20))
        let opening = try #require(thread.first)
        let parsedOpening = try await mail.parse(opening)
        #expect(parsedOpening.defects.isEmpty)
        #expect(parsedOpening.header("Subject") == "[DriftWatch] DRIFT \(device): +2 \u{2212}2 lines vs baseline v1")
        #expect(parsedOpening.parts.map(\.contentType) == ["text/plain", "text/html"])
        #expect(opening.header("From") == "DriftWatch <driftwatch@example.net>")
        #expect(Set(opening.envelopeRecipients) == ["oncall@example.net", "net-team@example.net"])
        let alert = try #require(try await store.alerts(includeResolved: false).first { $0.device == device })
        let alertID = try #require(alert.id)
        let root = try #require(alert.messageIDRoot)
        let text = parsedOpening.parts[0].content
        #expect(text.contains("Changes against baseline v1:\n  interface GigabitEthernet0/1\n"), "\(text)")
        #expect(text.contains("-   description uplink-1 to core\n"), "\(text)")
        #expect(text.contains("+   description uplink-1 to core-sw-02\n"), "\(text)")
        #expect(text.contains("Baseline:") && text.contains("approved by alice"), "\(text)")
        #expect(text.contains("driftwatch baseline approve \(device) --snapshot "), "\(text)")
        #expect(text.contains("driftwatch alerts ack \(alertID) --as NAME"), "\(text)")
        #expect(parsedOpening.parts[1].content.contains("driftwatch alerts ack \(alertID) --as NAME"))

        // Remediation: back to the baseline, and the same lines in the email, `check --json` and
        // the HTTP API.
        let emailed = block("To revert, apply on the device:", in: text)
        #expect(emailed.contains(" description uplink-1 to core"), "\(emailed)")
        #expect(!emailed.contains(" description uplink-1 to core-sw-02"), "\(emailed)")
        let diffLines = text.components(separatedBy: "\n")
        let oldCommunity = try #require(diffLines.first { $0.hasPrefix("- snmp-server community <secret:") })
        let newCommunity = try #require(diffLines.first { $0.hasPrefix("+ snmp-server community <secret:") })
        #expect(emailed.contains(String(oldCommunity.dropFirst(2))), "\(emailed) should restore \(oldCommunity)")
        #expect(emailed.contains("no " + newCommunity.dropFirst(2)), "\(emailed) should remove \(newCommunity)")
        let checked = try await runner.run(["check", device, "--json"])
        #expect(checked.status == 1, "\(checked.error)")
        let checkJSON = try JSONSerialization.jsonObject(with: Data(checked.output.utf8)) as? [String: Any]
        let checkDevice = (checkJSON?["devices"] as? [[String: Any]])?.first
        #expect(checkDevice?["remediation"] as? [String] == emailed, "check --json: \(checked.output)")
        let api = try await HTTPTestSupport.request(
            .GET, "/api/v1/devices/\(device)/drift", port: httpPort, token: apiToken)
        #expect(api.status == 200, "\(api.body)")
        #expect(api.json["remediation"] as? [String] == emailed, "HTTP API: \(api.body)")

        // 2. Update: the drift changes.
        try lab.setConfig(
            device: device,
            drifted.replacingOccurrences(of: "to core-sw-02\n", with: "to core-sw-03\n"))
        thread = try await waitForEvent(mail, device: device, event: "updated", timeout: .seconds(20))
        let updated = try #require(thread.last { $0.header("X-DriftWatch-Event") == "updated" })
        #expect(
            try await mail.parse(updated).header("Subject")
                == "[DriftWatch] UPDATED \(device): +2 \u{2212}2 lines vs baseline v1")
        #expect(updated.header("X-DriftWatch-Alert") == String(alertID))

        // 3. Remind: still open 12 s after the last email.
        thread = try await waitForEvent(mail, device: device, event: "reminded", timeout: .seconds(40))
        #expect(try events(mail, device: device).prefix(3) == ["opened", "updated", "reminded"])
        let reminder = try #require(thread.last)
        // The raw header is RFC 2047-encoded (the subject has a U+2212 minus): read it decoded.
        let reminderSubject = try await mail.parse(reminder).header("Subject") ?? ""
        #expect(reminderSubject.hasPrefix("[DriftWatch] REMINDER \(device): drift open since"), "\(reminderSubject)")

        // 4. Ack through the CLI: audited, no more reminders (waited past reminder_after + a tick).
        let acked = try await runner.run(["alerts", "ack", String(alertID), "--as", "carol", "--yes"])
        #expect(acked.status == 0 && acked.output.contains("acknowledged alert \(alertID)"), "\(acked)")
        let audit = try await store.auditRecords(since: nil)
        #expect(audit.contains { $0.action == "alert.ack" && $0.actor == "carol" }, "\(audit.map(\.action))")
        #expect(try await store.alert(id: alertID)?.status == .acknowledged)
        let remindersAtAck = try events(mail, device: device).filter { $0 == "reminded" }.count
        try await Task.sleep(for: .seconds(20))
        #expect(try events(mail, device: device).filter { $0 == "reminded" }.count == remindersAtAck)

        // 5. Resolve by revert: back to baseline v1 (an acknowledged alert still gets it).
        try lab.setConfig(device: device, base)
        thread = try await waitForEvent(mail, device: device, event: "resolved", timeout: .seconds(20))
        let reverted = try #require(thread.last)
        #expect(try await mail.parse(reverted).header("Subject") == "[DriftWatch] RESOLVED \(device): back to baseline v1")

        // 6. Resolve by approval: a new drift opens a new alert; approving it resolves it.
        try lab.setConfig(device: device, base.replacingOccurrences(of: "no ip http server\n", with: "ip http server\n"))
        thread = try await waitForEvent(mail, device: device, event: "opened", count: 2, timeout: .seconds(20))
        let secondOpening = try #require(thread.last)
        #expect(secondOpening.header("X-DriftWatch-Alert") != String(alertID))
        let approved = try await runner.run(
            ["baseline", "approve", device, "--snapshot", "latest", "--reason", "http server wanted", "--yes"])
        #expect(approved.status == 0, "\(approved)")
        thread = try await waitForEvent(mail, device: device, event: "resolved", count: 2, timeout: .seconds(20))
        let approvedEmail = try #require(thread.last)
        #expect(
            try await mail.parse(approvedEmail).header("Subject")
                == "[DriftWatch] RESOLVED \(device): new baseline v2 approved by alice")
        let openedAt = Date()

        // The whole device thread: distinct ids, all replying to the one per-device root.
        let all = try messages(mail, device: device)
        #expect(Set(all.compactMap { $0.header("Message-ID") }).count == all.count)
        for message in all {
            #expect(message.header("In-Reply-To") == root)
            #expect(message.header("References")?.contains(root) == true)
        }
        #expect(
            try events(mail, device: device).filter { $0 != "reminded" }
                == ["opened", "updated", "resolved", "opened", "resolved"])

        // 7. Digest: 4 devices drift within the 10 s window, threshold 3: two emails of their own,
        // then one digest listing the other two. (Start a window after the last opening.)
        try await Task.sleep(for: .seconds(max(0, 11 - Date().timeIntervalSince(openedAt))))
        for name in digestDevices {
            let config = try lab.config(device: name)
            try lab.setConfig(
                device: name,
                config.replacingOccurrences(of: " description uplink-2 to core\n", with: " description uplink-2 moved\n"))
        }
        let digested = try await WatcherWorld.waitFor(.seconds(40)) {
            try mail.messages().contains { $0.header("X-DriftWatch-Event") == "digest" }
        }
        let subjects = try mail.messages().map { $0.header("Subject") ?? "" }
        #expect(digested != nil, "no digest; subjects: \(subjects)")
        let digest = try #require(try mail.messages().first { $0.header("X-DriftWatch-Event") == "digest" })
        let parsedDigest = try await mail.parse(digest)
        #expect(parsedDigest.header("Subject") == "[DriftWatch] DIGEST 2 devices drifted")
        let individual = Set(
            try mail.messages().filter { digestDevices.contains($0.header("X-DriftWatch-Device") ?? "") }
                .compactMap { $0.header("X-DriftWatch-Device") })
        #expect(individual.count == 2, "\(individual)")
        let listed = Set(digestDevices.filter { parsedDigest.parts.first?.content.contains($0) == true })
        #expect(listed == Set(digestDevices).subtracting(individual), "digest lists \(listed), emailed \(individual)")

        // 8. Stop; every message delivered, no canary anywhere.
        watch.signal(SIGTERM)
        let stopped = await watch.wait()
        #expect(stopped.status == 0, "\(stopped.error.suffix(500))")
        let delivered = try mail.messages()
        let outbox = try await store.outboxMessages(statuses: Set(OutboxStatus.allCases))
        // Reminders of the digest devices may still be pending at the stop; what was sent arrived.
        let sentEmails = outbox.filter { $0.channel == "email" && $0.status == .sent }
        #expect(Set(sentEmails.map(\.messageID)) == Set(delivered.compactMap { $0.header("Message-ID") }))
        #expect(sentEmails.count == delivered.count)
        #expect(!outbox.contains { $0.status == .failed })
        let bodies = hooks.all
        #expect(bodies.count == outbox.filter { $0.channel == "webhook" && $0.status == .sent }.count)
        #expect(bodies.contains { $0.contains("<secret:") }, "the community change is in a webhook, masked")
        var decoded: [String] = []
        for message in delivered { decoded += try await mail.parse(message).parts.map(\.content) }
        let haystacks = delivered.map { String(decoding: $0.raw, as: UTF8.self) } + decoded + bodies
        for secret in secrets(lab: lab, mail: mail) {
            #expect(!haystacks.contains { $0.contains(secret) }, "a delivered message or webhook contains a secret")
        }
        #expect(decoded.contains { $0.contains("<secret:") }, "the masked community token is in the emails")
        #expect(!stopped.error.contains(canaryBefore) && !stopped.error.contains(canaryAfter))
    }

    // MARK: Outage

    @Test func anSMTPOutageAndAKillNineDeliverEachOpeningOnce() async throws {
        let names = (1...10).map { "o-ios\($0)" }
        let specs = names.map { LabDeviceSpec($0, platform: .ciscoIOS) }
        try await DeviceLab.withLab(DeviceLabOptions(devices: specs)) { lab in
            try await MailLab.withLab(MailLabOptions()) { mail in
                try await Self.outage(lab: lab, mail: mail, names: names)
            }
        }
    }

    static func outage(lab: DeviceLab, mail: MailLab, names: [String]) async throws {
        let extra = """
            alerts:
              email:
                smtp: { host: 127.0.0.1, port: \(mail.port), starttls: false }
                from: driftwatch@example.net
                to: [oncall@example.net]

            """
        let world = try WatcherWorld.make(
            lab: lab, entries: WatcherWorld.entries(lab), interval: "2s", timeout: "4s", timeLimit: "8s", extra: extra)
        defer { world.remove() }
        let runner = WatcherWorld.CLI(world: world, binary: try BaselineCLITests.binary().path)
        let store = try SQLiteStateStore(path: world.statePath)
        let context = try world.context()

        let first = try runner.watch()
        let unbaselined = try await WatcherWorld.waitFor(.seconds(40)) {
            let states = try await store.deviceStates()
            return states.count == names.count && states.allSatisfy { $0.status == .unbaselined }
        }
        try #require(unbaselined != nil)
        try await world.approveLatest(names, store: store, baselines: context.baselines)
        let clean = try await WatcherWorld.waitFor(.seconds(20)) {
            try await store.deviceStates().allSatisfy { $0.status == .clean }
        }
        try #require(clean != nil)

        // The SMTP server goes away; 10 devices drift; every opening is tried and fails.
        await mail.stopServer()
        for name in names {
            let config = try lab.config(device: name)
            try lab.setConfig(device: name, config.replacingOccurrences(of: "ntp server 192.0.2.123\n", with: "ntp server 192.0.2.124\n"))
        }
        let tried = try await WatcherWorld.waitFor(.seconds(30)) {
            let emails = try await store.outboxMessages(statuses: Set(OutboxStatus.allCases))
            // Each first attempt over (its error recorded): none is claimed at the kill, and the next
            // attempts are a 30 s backoff away.
            return emails.count == names.count
                && emails.allSatisfy { $0.attempts >= 1 && $0.status == .pending && $0.lastError != nil }
        }
        let pending = try await store.outboxMessages(statuses: Set(OutboxStatus.allCases))
        try #require(tried != nil, "\(pending.map { "\($0.status) \($0.attempts) \($0.lastError ?? "")" })")
        #expect(pending.allSatisfy { $0.lastError != nil })

        // kill -9, restart, the server comes back.
        first.signal(SIGKILL)
        let killed = await first.wait()
        #expect(killed.status == SIGKILL)
        let second = try runner.watch()
        try await mail.startServer()

        // Exactly one opening email per device (the backoff after the first failure is 30 s).
        let arrived = try await WatcherWorld.waitFor(.seconds(90)) { try mail.messages().count >= names.count }
        let arrivedCount = try mail.messages().count
        #expect(arrived != nil, "\(arrivedCount) of \(names.count) delivered")
        // Past the sender's next polls and a few watcher rounds: nothing more arrives.
        try await Task.sleep(for: .seconds(8))
        let delivered = try mail.messages()
        #expect(delivered.count == names.count)
        let ids = delivered.compactMap { $0.header("Message-ID") }
        #expect(Set(ids).count == ids.count, "duplicate Message-IDs: \(ids)")
        #expect(Set(delivered.compactMap { $0.header("X-DriftWatch-Device") }) == Set(names))
        #expect(delivered.allSatisfy { $0.header("X-DriftWatch-Event") == "opened" })
        for message in delivered {
            let subject = try await mail.parse(message).header("Subject") ?? ""
            #expect(subject.hasPrefix("[DriftWatch] DRIFT o-ios"), "\(subject)")
        }
        let stored = try await store.outboxMessages(statuses: Set(OutboxStatus.allCases))
        #expect(stored.count == names.count && stored.allSatisfy { $0.status == .sent })
        #expect(Set(stored.map(\.messageID)) == Set(ids), "delivered with the Message-IDs stored before the kill")
        #expect(Set(pending.map(\.messageID)) == Set(ids))

        second.signal(SIGTERM)
        let stopped = await second.wait()
        #expect(stopped.status == 0, "\(stopped.error.suffix(500))")
    }
}
