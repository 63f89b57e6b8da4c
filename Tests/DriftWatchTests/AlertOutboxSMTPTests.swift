import AsyncHTTPClient
import Baselines
import DeviceLab
import Foundation
import Logging
import Synchronization
import Testing

@testable import DriftWatch

/// Alerting's outbox against a real SMTP server (aiosmtpd through DeviceLab's MailLab) on
/// loopback: STARTTLS with the lab's CA and AUTH, a thread of opened → updated → resolved as an
/// independent parser (Python's `email`) reads it from the Maildir (headers, both MIME parts, the
/// diff with its section header, the approve/ack/revert commands), a 4xx retried after its
/// backoff, a 5xx failed with the server's words, an outage and a crashed sender's claim: every
/// message delivered once, with its stored Message-ID.
@Suite(.serialized) struct AlertOutboxSMTPTests {
    typealias S = AlertSamples

    /// A clock the test moves.
    final class TestClock: Sendable {
        let time = Mutex(Date())
        func now() -> Date { time.withLock { $0 } }
        func advance(_ seconds: Double) { time.withLock { $0 = $0.addingTimeInterval(seconds) } }
    }

    struct Rig {
        let fixture: StateFixture
        let configuration: DriftWatchConfiguration
        let center: AlertCenter
        let sender: OutboxSender
        let clock: TestClock
        let http: HTTPClient

        init(lab: MailLab, devices: [String] = ["core-sw-01"]) throws {
            let fixture = try StateFixture()
            self.fixture = fixture
            let auth = lab.options.requireAuth
            configuration = DriftWatchConfiguration(
                file: "driftwatch.yaml", folder: fixture.folder,
                alerts: AlertSettings(
                    email: EmailSettings(
                        smtpHost: lab.host, smtpPort: lab.port, startTLS: lab.options.security == .startTLS,
                        caFile: lab.caFile, username: auth ? lab.username : nil, passwordEnv: auth ? "SMTP_PASS" : nil,
                        from: "DriftWatch <driftwatch@example.net>", to: ["oncall@example.net", "net-team@example.net"])),
                devices: devices.map { DeviceEntry(name: $0, host: "127.0.0.1", platform: "cisco_ios", groups: ["core"]) })
            let wakeup = OutboxWakeup()
            center = AlertCenter(
                configuration: configuration, store: fixture.store,
                baselines: BaselineStoreFixture.empty(fixture.folder),
                composer: AlertEmailComposer(configuration: configuration), lifecycle: AlertLifecycle(),
                wakeup: wakeup, verifyInterval: nil, logger: Logger(label: "test"))
            let clock = TestClock()
            self.clock = clock
            sender = OutboxSender(
                store: fixture.store, configuration: configuration, environment: ["SMTP_PASS": lab.password],
                policy: RetryPolicy(initialDelaySeconds: 30, maximumDelaySeconds: 600, maximumAttempts: 10),
                wakeup: wakeup, timeout: .seconds(10), logger: Logger(label: "test"), now: { clock.now() })
            http = HTTPClient(eventLoopGroupProvider: .singleton)
        }

        func entry(_ device: String) -> DeviceEntry {
            configuration.devices.first { $0.name == device } ?? configuration.devices[0]
        }

        func drift(
            _ device: String = "core-sw-01", added: [String] = ["description uplink to core-sw-02", "shutdown"],
            at seconds: Double = 0
        ) async {
            let facts = S.facts(added: added)
            let check = DeviceCheck(
                device: device, platform: "cisco_ios", state: .drifted, collection: .ok, message: nil, snapshotID: 42,
                attempts: 1, durationMilliseconds: 5, baselineVersion: 7, inMaintenance: false, delta: facts.delta,
                remediation: facts.remediation, findings: [], hint: nil)
            await center.deviceChecked(check, device: entry(device), trigger: .syslog, changedBy: "bob", at: S.at(seconds))
        }

        func clean(_ device: String = "core-sw-01", at seconds: Double) async {
            let check = DeviceCheck(
                device: device, platform: "cisco_ios", state: .clean, collection: .ok, message: nil, snapshotID: 43,
                attempts: 1, durationMilliseconds: 5, baselineVersion: 7, inMaintenance: false, delta: nil,
                remediation: [], findings: [], hint: nil)
            await center.deviceChecked(check, device: entry(device), trigger: .poll, changedBy: nil, at: S.at(seconds))
        }

        func deliver() async -> Int { await sender.deliverDue(http: http) }

        func outbox() async throws -> [OutboxMessage] {
            try await fixture.store.outboxMessages(statuses: Set(OutboxStatus.allCases)).sorted { $0.id < $1.id }
        }

        func finish() async {
            try? await http.shutdown()
            fixture.remove()
        }
    }

    @Test func startTLSWithAuthDeliversAThreadOfTwoPartEmails() async throws {
        try await MailLab.withLab(MailLabOptions(security: .startTLS, requireAuth: true)) { lab in
            let rig = try Rig(lab: lab)
            await rig.drift()
            #expect(await rig.deliver() == 1)
            await rig.drift(added: ["description uplink to core-sw-03"], at: 30)
            #expect(await rig.deliver() == 1)
            await rig.clean(at: 60)
            #expect(await rig.deliver() == 1)
            let delivered = try await lab.waitForMessages(count: 3)
            #expect(delivered.count == 3)
            let stored = try await rig.outbox()
            #expect(stored.count == 3 && stored.allSatisfy { $0.status == .sent })
            let alert = try #require(try await rig.fixture.store.alerts(includeResolved: true).first)
            let alertID = try #require(alert.id)
            let root = try #require(alert.messageIDRoot)

            // Threading: one root per device, one Message-ID per message, as stored.
            #expect(delivered.map { $0.header("Message-ID") } == stored.map(\.messageID))
            #expect(Set(delivered.compactMap { $0.header("Message-ID") }).count == 3)
            for message in delivered {
                #expect(message.header("In-Reply-To") == root)
                #expect(message.header("References")?.contains(root) == true)
                #expect(message.header("From") == "DriftWatch <driftwatch@example.net>")
                #expect(message.header("To")?.contains("oncall@example.net") == true)
                #expect(message.header("To")?.contains("net-team@example.net") == true)
                #expect(Set(message.envelopeRecipients) == ["oncall@example.net", "net-team@example.net"])
                #expect(message.header("X-MailFrom") == "driftwatch@example.net")
                #expect(!String(decoding: message.raw, as: UTF8.self).contains(lab.password))
            }

            // The opening email as Python's email package reads it.
            let opening = try await lab.parse(delivered[0])
            #expect(opening.defects.isEmpty, "\(opening.defects)")
            #expect(opening.contentType == "multipart/alternative")
            #expect(opening.parts.map(\.contentType) == ["text/plain", "text/html"])
            #expect(opening.header("Subject") == "[DriftWatch] DRIFT core-sw-01: +2 \u{2212}1 lines vs baseline v7")
            #expect(opening.header("X-DriftWatch-Event") == "opened")
            let text = opening.parts[0].content
            let html = opening.parts[1].content
            #expect(text.contains("Changes against baseline v7:\n  interface GigabitEthernet0/1\n"), "\(text)")
            #expect(text.contains("-   description uplink\n"), "\(text)")
            #expect(text.contains("+   description uplink to core-sw-02\n"), "\(text)")
            #expect(text.contains("+   shutdown\n"), "\(text)")
            #expect(text.contains("To revert, apply on the device:\n  interface GigabitEthernet0/1\n   description uplink\n"))
            #expect(text.contains("driftwatch baseline approve core-sw-01 --snapshot 42 --reason \"describe the change\""))
            #expect(text.contains("driftwatch alerts ack \(alertID) --as NAME"))
            #expect(text.contains("Trigger:") && text.contains("bob"))
            #expect(html.contains("background-color:#e6ffec"))
            #expect(html.contains("background-color:#ffebe9"))
            #expect(html.contains("description uplink to core-sw-02"))
            #expect(html.contains("driftwatch baseline approve core-sw-01 --snapshot 42"))
            #expect(html.contains("driftwatch alerts ack \(alertID) --as NAME"))
            #expect(!html.contains("<script") && !html.contains("<link"))

            let updated = try await lab.parse(delivered[1])
            #expect(updated.header("Subject") == "[DriftWatch] UPDATED core-sw-01: +1 \u{2212}1 lines vs baseline v7")
            #expect(updated.parts.map(\.contentType) == ["text/plain", "text/html"])
            #expect(updated.parts[0].content.contains("+   description uplink to core-sw-03\n"))
            let resolved = try await lab.parse(delivered[2])
            #expect(resolved.header("Subject") == "[DriftWatch] RESOLVED core-sw-01: back to baseline v7")
            #expect(resolved.header("X-DriftWatch-Event") == "resolved")
            await rig.finish()
        }
    }

    @Test func a4xxIsRetriedAfterItsBackoffAndA5xxFailsWithTheServersWords() async throws {
        try await MailLab.withLab(MailLabOptions()) { lab in
            let rig = try Rig(lab: lab, devices: ["r1", "r2"])
            try lab.setFailures([.mail(code: 451, text: "4.3.0 mailbox busy, try later")])
            await rig.drift("r1")
            #expect(await rig.deliver() == 1)
            var message = try #require(try await rig.outbox().first)
            #expect(message.status == .pending)
            #expect(message.attempts == 1)
            #expect(message.lastError?.contains("451") == true, "\(message.lastError ?? "")")
            #expect(message.lastError?.contains("mailbox busy") == true, "\(message.lastError ?? "")")
            // Not due before the backoff, even with the server fixed.
            try lab.setFailures([])
            #expect(await rig.deliver() == 0)
            rig.clock.advance(31)
            #expect(await rig.deliver() == 1)
            message = try #require(try await rig.outbox().first)
            #expect(message.status == .sent)
            #expect(message.attempts == 2)
            #expect(try lab.messages().count == 1)

            try lab.setFailures([.rcpt(code: 550, text: "5.1.1 no such user here")])
            await rig.drift("r2")
            #expect(await rig.deliver() == 1)
            let failed = try #require(try await rig.outbox().last)
            #expect(failed.status == .failed)
            #expect(failed.lastError?.contains("550") == true, "\(failed.lastError ?? "")")
            #expect(failed.lastError?.contains("no such user here") == true, "\(failed.lastError ?? "")")
            try lab.setFailures([])
            rig.clock.advance(3600)
            #expect(await rig.deliver() == 0)
            #expect(try lab.messages().count == 1)
            await rig.finish()
        }
    }

    @Test func anOutageAndACrashedSenderDeliverEveryMessageOnceWithItsMessageID() async throws {
        try await MailLab.withLab(MailLabOptions()) { lab in
            let devices = (1...5).map { "sw-\($0)" }
            let rig = try Rig(lab: lab, devices: devices)
            await lab.stopServer()
            for (index, device) in devices.enumerated() { await rig.drift(device, at: Double(index)) }
            #expect(await rig.deliver() == 5)
            #expect(try await rig.outbox().allSatisfy { $0.status == .pending && $0.lastError != nil })
            try await lab.startServer()
            // A sender that claimed one message and died before sending it.
            rig.clock.advance(31)
            let orphan = try #require(
                try await rig.fixture.store.claimNextDueMessage(now: rig.clock.now(), claimSeconds: 120))
            #expect(await rig.deliver() == 4)
            #expect(try lab.messages().count == 4)
            // The claim expires: the orphan goes out with the Message-ID it was stored with.
            rig.clock.advance(121)
            #expect(await rig.deliver() == 1)
            #expect(await rig.deliver() == 0)
            let delivered = try lab.messages()
            #expect(delivered.count == 5)
            let stored = try await rig.outbox()
            #expect(stored.allSatisfy { $0.status == .sent })
            #expect(Set(delivered.compactMap { $0.header("Message-ID") }) == Set(stored.map(\.messageID)))
            #expect(delivered.contains { $0.header("Message-ID") == orphan.messageID })
            await rig.finish()
        }
    }
}
