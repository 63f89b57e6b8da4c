import DeviceLab
import Foundation
import Logging
import Testing

@testable import Mailer

extension Tag {
    @Tag static var integration: Self
}

/// A configuration for the lab server.
func configuration(
    for lab: MailLab, security: SMTPConfiguration.Security? = nil, caFile: String?? = nil, auth: Bool = false,
    password: String? = nil, timeout: Duration = .seconds(10)
) -> SMTPConfiguration {
    let mode: SMTPConfiguration.Security
    switch lab.options.security {
    case .plain: mode = .none
    case .startTLS: mode = .startTLS
    case .implicitTLS: mode = .implicitTLS
    }
    return SMTPConfiguration(
        host: lab.host, port: lab.port, security: security ?? mode, caFile: caFile ?? lab.caFile,
        username: auth ? lab.username : nil, password: auth ? (password ?? lab.password) : nil, heloName: "driftwatch.lab.test",
        timeout: timeout)
}

/// Sends `message` and returns the error, if any.
func sendExpectingError(_ client: SMTPClient, _ message: MailMessage, to recipients: [String]? = nil) async -> SMTPError? {
    do {
        try await client.send(from: "driftwatch@lab.test", to: recipients ?? ["ops@lab.test", "zoe@lab.test"], message: message.rendered())
        return nil
    } catch let error as SMTPError {
        return error
    } catch {
        Issue.record("send threw a non-SMTPError: \(error)")
        return nil
    }
}

@Suite(.tags(.integration), .serialized) struct SMTPClientLabTests {
    @Test func deliversToSeveralRecipientsWithBothPartsAndThreading() async throws {
        try await MailLab.withLab { lab in
            let (logger, log) = RecordingLogHandler.logger()
            let client = SMTPClient(configuration: configuration(for: lab), logger: logger)
            let message = sampleMessage()
            let recipients = ["ops@lab.test", "zoe@lab.test", "noc@lab.test"]
            try await client.send(from: "driftwatch@lab.test", to: recipients, message: message.rendered())

            let delivered = try await lab.waitForMessages(count: 1)
            #expect(delivered.count == 1)
            let mail = try #require(delivered.first)
            #expect(mail.envelopeRecipients == recipients)
            #expect(mail.header("X-MailFrom") == "driftwatch@lab.test")
            #expect(mail.header("Message-ID") == "<alert-12.3@driftwatch.lab.test>")
            #expect(mail.header("In-Reply-To") == "<alert-12.2@driftwatch.lab.test>")
            #expect(mail.header("References") == "<alert-12.1@driftwatch.lab.test> <alert-12.2@driftwatch.lab.test>")
            // The server received exactly what was rendered (dot-stuffing undone by the server).
            let received = String(decoding: mail.raw, as: UTF8.self)
            #expect(received.hasSuffix(message.rendered()))

            let parsed = try await lab.parse(mail)
            #expect(parsed.defects.isEmpty)
            #expect(parsed.header("Subject") == message.subject)
            #expect(parsed.contentType == "multipart/alternative")
            #expect(parsed.parts.map(\.contentType) == ["text/plain", "text/html"])
            #expect(parsed.parts.allSatisfy { $0.charset == "utf-8" && $0.transferEncoding == "quoted-printable" })
            let text = try #require(parsed.parts.first?.content)
            #expect(text.contains("+ description uplink to core-sw-02 via the long path through building B, rack 12, patch panel 3, port 48 = spare\n"))
            #expect(text.contains("\n.hidden line that starts with a dot\n.\n"))
            #expect(text.contains("naïve café −1"))
            #expect(parsed.parts.last?.content.contains("<p>r1 drifted</p>") == true)

            let lines = log.lines
            #expect(lines.contains { $0.contains("smtp.command=MAIL FROM:<driftwatch@lab.test>") })
            #expect(!lines.contains { $0.contains("uplink to core") }, "the message body must not be logged")
        }
    }

    @Test func startTLSWithTheLabCA() async throws {
        try await MailLab.withLab(MailLabOptions(security: .startTLS)) { lab in
            let (logger, log) = RecordingLogHandler.logger()
            let client = SMTPClient(configuration: configuration(for: lab), logger: logger)
            try await client.send(from: "driftwatch@lab.test", to: ["ops@lab.test"], message: sampleMessage().rendered())
            let delivered = try await lab.waitForMessages(count: 1)
            #expect(delivered.first?.envelopeRecipients == ["ops@lab.test"])
            #expect(log.lines.contains { $0.contains("smtp.command=STARTTLS") })
        }
    }

    @Test func startTLSFailsWhenTheCAIsNotTrusted() async throws {
        try await MailLab.withLab(MailLabOptions(security: .startTLS)) { lab in
            let client = SMTPClient(configuration: configuration(for: lab, caFile: .some(nil)), logger: Logger(label: "test"))
            let error = try #require(await sendExpectingError(client, sampleMessage()))
            #expect(error.kind == .tls)
            #expect(!error.isTransient)
            #expect(try lab.messages().isEmpty)
        }
    }

    @Test func startTLSFailsWhenTheHostNameDoesNotMatch() async throws {
        // A certificate from the trusted lab CA, but for another name than 127.0.0.1.
        try await MailLab.withLab(MailLabOptions(security: .startTLS, certificateNames: ["DNS:mail.elsewhere.test"])) { lab in
            let client = SMTPClient(configuration: configuration(for: lab), logger: Logger(label: "test"))
            let error = try #require(await sendExpectingError(client, sampleMessage()))
            #expect(error.kind == .tls)
            #expect(!error.isTransient)
            #expect(try lab.messages().isEmpty)
        }
    }

    @Test func refusesWhenSTARTTLSIsRequiredButNotOffered() async throws {
        try await MailLab.withLab { lab in
            let client = SMTPClient(configuration: configuration(for: lab, security: .startTLS), logger: Logger(label: "test"))
            let error = try #require(await sendExpectingError(client, sampleMessage()))
            #expect(error.kind == .unsupported)
            #expect(!error.isTransient)
            #expect(error.message.contains("STARTTLS"))
            #expect(try lab.messages().isEmpty)
        }
    }

    @Test(arguments: ["PLAIN", "LOGIN"])
    func authenticatesOverSTARTTLS(mechanism: String) async throws {
        try await MailLab.withLab(MailLabOptions(security: .startTLS, requireAuth: true, authMechanisms: [mechanism])) { lab in
            let (logger, log) = RecordingLogHandler.logger()
            let client = SMTPClient(configuration: configuration(for: lab, auth: true), logger: logger)
            try await client.send(from: "driftwatch@lab.test", to: ["ops@lab.test"], message: sampleMessage().rendered())
            #expect(try await lab.waitForMessages(count: 1).count == 1)
            let lines = log.lines
            #expect(lines.contains { $0.contains("smtp.command=AUTH \(mechanism)") })
            #expect(lines.contains { $0.contains("smtp.reply=235") })
            let secrets = [lab.password, Data(lab.password.utf8).base64EncodedString(), Data(([0] + Array(lab.username.utf8) + [0] + Array(lab.password.utf8))).base64EncodedString()]
            for secret in secrets {
                #expect(!lines.contains { $0.contains(secret) }, "a credential was logged")
            }
        }
    }

    @Test func wrongPasswordIsAPermanentFailureWithTheServersWords() async throws {
        try await MailLab.withLab(MailLabOptions(security: .startTLS, requireAuth: true)) { lab in
            let client = SMTPClient(configuration: configuration(for: lab, auth: true, password: "not-the-password"), logger: Logger(label: "test"))
            let error = try #require(await sendExpectingError(client, sampleMessage()))
            #expect(error.kind == .authentication)
            #expect(!error.isTransient)
            #expect(error.code == 535)
            #expect(error.message.contains("Authentication credentials invalid"))
            #expect(!error.message.contains("not-the-password"))
            #expect(try lab.messages().isEmpty)
        }
    }

    @Test func implicitTLS() async throws {
        try await MailLab.withLab(MailLabOptions(security: .implicitTLS, requireAuth: true)) { lab in
            let client = SMTPClient(configuration: configuration(for: lab, auth: true), logger: Logger(label: "test"))
            try await client.send(from: "driftwatch@lab.test", to: ["ops@lab.test"], message: sampleMessage().rendered())
            let mail = try #require(try await lab.waitForMessages(count: 1).first)
            #expect(mail.header("Message-ID") == "<alert-12.3@driftwatch.lab.test>")
        }
    }

    @Test(arguments: [
        (MailLabFailure.mail(code: 451, text: "4.3.0 Mailbox busy, try later"), true, 451),
        (MailLabFailure.rcpt(code: 450, text: "4.2.1 Greylisted"), true, 450),
        (MailLabFailure.data(code: 452, text: "4.3.1 Insufficient system storage"), true, 452),
        (MailLabFailure.mail(code: 550, text: "5.7.1 Sender rejected"), false, 550),
        (MailLabFailure.rcpt(code: 550, text: "5.1.1 No such user"), false, 550),
        (MailLabFailure.data(code: 554, text: "5.6.0 Message rejected"), false, 554),
    ])
    func classifiesServerRefusals(failure: MailLabFailure, transient: Bool, code: Int) async throws {
        try await MailLab.withLab { lab in
            try lab.setFailures([failure])
            let client = SMTPClient(configuration: configuration(for: lab), logger: Logger(label: "test"))
            let error = try #require(await sendExpectingError(client, sampleMessage()))
            #expect(error.isTransient == transient)
            #expect(error.code == code)
            #expect(error.kind == .rejected)
            let words: String
            switch failure {
            case .mail(_, let text), .rcpt(_, let text, _), .data(_, let text): words = text
            }
            #expect(error.message.contains(words), "the error must carry the server's words: \(error.message)")
            #expect(try lab.messages().isEmpty)

            // The server recovers: the same client delivers.
            try lab.setFailures([])
            try await client.send(from: "driftwatch@lab.test", to: ["ops@lab.test"], message: sampleMessage().rendered())
            #expect(try await lab.waitForMessages(count: 1).count == 1)
        }
    }

    @Test func oneRefusedRecipientAmongSeveralStopsTheWholeMessage() async throws {
        try await MailLab.withLab { lab in
            try lab.setFailures([.rcpt(code: 550, text: "5.1.1 <typo@lab.test> No such user", address: "typo@lab.test")])
            let client = SMTPClient(configuration: configuration(for: lab), logger: Logger(label: "test"))
            let error = try #require(
                await sendExpectingError(client, sampleMessage(), to: ["ops@lab.test", "typo@lab.test", "noc@lab.test"]))
            #expect(!error.isTransient)
            #expect(error.code == 550)
            #expect(error.message.contains("RCPT TO:<typo@lab.test>"))
            #expect(error.message.contains("No such user"))
            // All-or-nothing: the accepted recipients did not get it either (no duplicates on retry).
            try await Task.sleep(for: .milliseconds(300))
            #expect(try lab.messages().isEmpty)
        }
    }

    @Test func refusesAMessageLargerThanTheServersSIZE() async throws {
        try await MailLab.withLab(MailLabOptions(sizeLimit: 2000)) { lab in
            let client = SMTPClient(configuration: configuration(for: lab), logger: Logger(label: "test"))
            let big = sampleMessage(text: String(repeating: "interface Gi0/1\n description big\n", count: 200))
            let error = try #require(await sendExpectingError(client, big))
            #expect(error.kind == .messageTooLarge)
            #expect(!error.isTransient)
            #expect(try lab.messages().isEmpty)
        }
    }

    @Test func aStoppedServerIsTransientAndARestartedOneDelivers() async throws {
        try await MailLab.withLab { lab in
            let client = SMTPClient(configuration: configuration(for: lab), logger: Logger(label: "test"))
            await lab.stopServer()
            let error = try #require(await sendExpectingError(client, sampleMessage()))
            #expect(error.kind == .connect)
            #expect(error.isTransient)
            try await lab.startServer()
            try await client.send(from: "driftwatch@lab.test", to: ["ops@lab.test"], message: sampleMessage().rendered())
            #expect(try await lab.waitForMessages(count: 1).count == 1)
        }
    }

    @Test func aServerThatNeverAnswersTimesOut() async throws {
        let listener = try SilentListener()
        defer { listener.stop() }
        let timeout = Duration.milliseconds(500)
        let client = SMTPClient(
            configuration: SMTPConfiguration(host: "127.0.0.1", port: listener.port, security: .none, timeout: timeout),
            logger: Logger(label: "test"))
        let clock = ContinuousClock()
        let start = clock.now
        let error = try #require(await sendExpectingError(client, sampleMessage()))
        let elapsed = clock.now - start
        #expect(error.kind == .timeout)
        #expect(error.isTransient)
        #expect(elapsed >= timeout)
        // Generous for a loaded 2-core machine, but far below a hang.
        #expect(elapsed < timeout + .seconds(10))
    }
}

/// A TCP listener on 127.0.0.1 that never accepts: the kernel completes the handshake into its
/// backlog, so a client connects and then waits forever for the greeting.
struct SilentListener {
    let descriptor: Int32
    let port: Int

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw DeviceLabError("socket() failed: \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 8) == 0 else {
            close(fd)
            throw DeviceLabError("bind/listen failed: \(String(cString: strerror(errno)))")
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        descriptor = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func stop() { close(descriptor) }
}
