import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// An SMTP client on SwiftNIO: one connection and one transaction per ``send(from:to:message:)``.
///
/// The conversation: greeting, `EHLO` (`HELO` only when EHLO is refused with 500/502),
/// `STARTTLS` and a second `EHLO` when ``SMTPConfiguration/Security/startTLS`` (never falling
/// back to clear text), `AUTH PLAIN` or `AUTH LOGIN` when a username is set, the `SIZE` check,
/// `MAIL FROM`, one `RCPT TO` per recipient, `DATA` with dot-stuffing, `QUIT`. Every step has
/// ``SMTPConfiguration/timeout``. Certificates and host names are always verified, against
/// ``SMTPConfiguration/caFile`` when set, else the system's trust store.
///
/// Recipients are all-or-nothing: when the server refuses one recipient, the transaction is
/// reset (`RSET`) and nobody gets the message; the error names the recipient and carries the
/// server's reply (4xx: transient, retry the whole message later; 5xx: permanent). A retry
/// therefore never sends a duplicate to the recipients that were accepted.
///
/// The dialogue is logged at debug level without the AUTH payloads, the password or the message.
public struct SMTPClient: Sendable {
    /// The server.
    public let configuration: SMTPConfiguration
    /// Logs the dialogue at debug level (never the password or the message body).
    public let logger: Logger

    /// Creates a client.
    public init(configuration: SMTPConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    /// Sends one message (`rendered` RFC 5322 text) to `recipients` in one SMTP transaction.
    /// - Throws: ``SMTPError``: transient for 4xx replies, network failures and timeouts;
    ///   permanent for 5xx replies (with the server's words), TLS and configuration failures.
    public func send(from sender: String, to recipients: [String], message rendered: String) async throws {
        let server = "\(configuration.host):\(configuration.port)"
        var logger = self.logger
        logger[metadataKey: "smtp.server"] = "\(server)"
        try Self.validate(sender: sender, recipients: recipients, server: server)
        let content = Self.dataContent(rendered)
        let timeout = TimeAmount.nanoseconds(Self.nanoseconds(configuration.timeout))

        var tlsContext: NIOSSLContext?
        if configuration.security != .none { tlsContext = try makeTLSContext(server: server) }
        let serverHostname = Self.isIPAddress(configuration.host) ? nil : configuration.host
        var step = "connecting"
        let connection: SMTPConnection
        do {
            connection = try await SMTPConnection.connect(
                host: configuration.host, port: configuration.port, timeout: timeout,
                tls: configuration.security == .implicitTLS ? tlsContext.map { (context: $0, serverHostname: serverHostname) } : nil, logger: logger)
        } catch {
            throw mapError(error, step: step, server: server)
        }
        do {
            step = "waiting for the greeting"
            try check(try await connection.reply(), step: step, server: server, expecting: 220)

            step = "EHLO"
            var extensions = try await hello(connection, server: server)

            if configuration.security == .startTLS {
                guard extensions["STARTTLS"] != nil, let tlsContext else {
                    throw SMTPError(
                        isTransient: false, kind: .unsupported,
                        message: "SMTP server \(server) does not offer STARTTLS, and the configuration requires it: "
                            + "refusing to send in clear text. Check the port (587 for STARTTLS, 465 for implicit TLS) "
                            + "or the server's TLS setup.")
                }
                step = "STARTTLS"
                try check(try await connection.command("STARTTLS"), step: step, server: server, expecting: 220)
                step = "EHLO after STARTTLS"
                let reply = try await connection.startTLS(
                    context: tlsContext, serverHostname: serverHostname, then: "EHLO \(configuration.heloName)")
                try check(reply, step: step, server: server, expecting: 250)
                extensions = Self.extensions(of: reply)
            }

            if let username = configuration.username {
                step = "AUTH"
                try await authenticate(connection, username: username, extensions: extensions, server: server)
            }

            var sizeParameter = ""
            if let limits = extensions["SIZE"] {
                if let limit = limits.first.flatMap({ Int($0) }), limit > 0, content.count > limit {
                    throw SMTPError(
                        isTransient: false, kind: .messageTooLarge,
                        message: "SMTP server \(server) accepts messages up to \(limit) bytes (SIZE) and this one has "
                            + "\(content.count): shorten the message or raise the server's limit.")
                }
                sizeParameter = " SIZE=\(content.count)"
            }

            step = "MAIL FROM:<\(sender)>"
            try check(try await connection.command("MAIL FROM:<\(sender)>\(sizeParameter)"), step: step, server: server, expecting: 250)
            for recipient in recipients {
                step = "RCPT TO:<\(recipient)>"
                let reply = try await connection.command("RCPT TO:<\(recipient)>")
                if reply.code != 250 && reply.code != 251 {
                    _ = try? await connection.command("RSET")
                    throw Self.refusal(
                        reply, step: step, server: server,
                        advice: recipients.count > 1
                            ? "Nobody got the message (recipients are all-or-nothing)." : nil)
                }
            }
            step = "DATA"
            try check(try await connection.command("DATA"), step: step, server: server, expecting: 354)
            step = "the end of DATA"
            try check(try await connection.data(content), step: step, server: server, expecting: 250)
            logger.debug("SMTP message accepted", metadata: ["smtp.recipients": "\(recipients.count)", "smtp.bytes": "\(content.count)"])
        } catch {
            await connection.close()
            throw mapError(error, step: step, server: server)
        }
        // The message is delivered: a failing QUIT changes nothing.
        _ = try? await connection.command("QUIT")
        await connection.close()
    }

    // MARK: - Steps

    private func hello(_ connection: SMTPConnection, server: String) async throws -> [String: [String]] {
        let reply = try await connection.command("EHLO \(configuration.heloName)")
        if reply.code == 250 { return Self.extensions(of: reply) }
        if reply.code == 500 || reply.code == 502 {
            try check(try await connection.command("HELO \(configuration.heloName)"), step: "HELO", server: server, expecting: 250)
            return [:]
        }
        throw Self.refusal(reply, step: "EHLO", server: server)
    }

    private func authenticate(
        _ connection: SMTPConnection, username: String, extensions: [String: [String]], server: String
    ) async throws {
        guard let password = configuration.password else {
            throw SMTPError(
                isTransient: false, kind: .invalidRequest,
                message: "SMTP server \(server): a username is configured but no password; set the password or remove the username.")
        }
        let mechanisms = Set((extensions["AUTH"] ?? []).map { $0.uppercased() })
        if mechanisms.contains("PLAIN") {
            let token = Data(([0] + Array(username.utf8) + [0] + Array(password.utf8))).base64EncodedString()
            let reply = try await connection.command("AUTH PLAIN \(token)", logAs: "AUTH PLAIN <credentials hidden>")
            try checkAuth(reply, server: server, username: username)
        } else if mechanisms.contains("LOGIN") {
            let start = try await connection.command("AUTH LOGIN")
            guard start.code == 334 else { return try checkAuth(start, server: server, username: username) }
            let user = try await connection.command(Data(username.utf8).base64EncodedString(), logAs: "<username hidden>")
            guard user.code == 334 else { return try checkAuth(user, server: server, username: username) }
            let reply = try await connection.command(Data(password.utf8).base64EncodedString(), logAs: "<password hidden>")
            try checkAuth(reply, server: server, username: username)
        } else {
            let offered = mechanisms.isEmpty ? "no AUTH at all" : "only " + mechanisms.sorted().joined(separator: ", ")
            let hint =
                configuration.security == .none
                ? " Servers usually offer AUTH only over TLS: use STARTTLS or implicit TLS." : ""
            throw SMTPError(
                isTransient: false, kind: .unsupported,
                message: "SMTP server \(server) offers \(offered), and DriftWatch authenticates with PLAIN or LOGIN.\(hint)")
        }
    }

    private func checkAuth(_ reply: SMTPReply, server: String, username: String) throws {
        guard reply.code != 235 else { return }
        throw SMTPError(
            isTransient: reply.isTransientFailure, kind: .authentication, code: reply.code,
            message: "SMTP server \(server) refused AUTH for user '\(username)': \(reply). "
                + (reply.isTransientFailure ? "Temporary: retry later." : "Check the username and password."))
    }

    private func check(_ reply: SMTPReply, step: String, server: String, expecting code: Int) throws {
        if reply.code == code { return }
        throw Self.refusal(reply, step: step, server: server)
    }

    static func refusal(_ reply: SMTPReply, step: String, server: String, advice: String? = nil) -> SMTPError {
        let transient = reply.isTransientFailure
        let kind: SMTPError.Kind = (400...599).contains(reply.code) ? .rejected : .protocolViolation
        let tail = transient ? "Temporary failure: retry later." : "Permanent failure."
        return SMTPError(
            isTransient: transient, kind: kind, code: reply.code,
            message: "SMTP server \(server) answered \(step) with \(reply). \(tail)" + (advice.map { " " + $0 } ?? ""))
    }

    // MARK: - Helpers

    private func makeTLSContext(server: String) throws -> NIOSSLContext {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.minimumTLSVersion = .tlsv12
        tls.certificateVerification = .fullVerification
        if let caFile = configuration.caFile {
            guard FileManager.default.isReadableFile(atPath: caFile) else {
                throw SMTPError(
                    isTransient: false, kind: .tls,
                    message: "SMTP \(server): the CA file \(caFile) does not exist or is not readable; fix ca_file.")
            }
            tls.trustRoots = .file(caFile)
        }
        do {
            return try NIOSSLContext(configuration: tls)
        } catch {
            throw SMTPError(
                isTransient: false, kind: .tls,
                message: "SMTP \(server): cannot set up TLS (\(error)); check ca_file \(configuration.caFile ?? "(system trust store)").")
        }
    }

    private func mapError(_ error: any Error, step: String, server: String) -> SMTPError {
        if let channelError = error as? ChannelError, case .connectTimeout = channelError {
            return SMTPError(
                isTransient: true, kind: .connect,
                message: "SMTP server \(server): connection not established within \(configuration.timeout); check host, port and firewall.")
        }
        switch error {
        case let error as SMTPError:
            return error
        case is SMTPReplyHandler.TimedOut:
            return SMTPError(
                isTransient: true, kind: .timeout,
                message: "SMTP server \(server) did not answer \(step) within \(configuration.timeout); will retry later.")
        case let violation as SMTPProtocolViolation:
            return SMTPError(
                isTransient: false, kind: .protocolViolation,
                message: "SMTP server \(server) sent \(violation.detail) while \(step): is this an SMTP port?")
        case is NIOSSLError, is BoringSSLError, is NIOSSLExtraError:
            return SMTPError(
                isTransient: false, kind: .tls,
                message: "SMTP server \(server): TLS failed while \(step) (\(error)). Check that the server's certificate "
                    + "matches '\(configuration.host)' and is signed by \(configuration.caFile.map { "the CA in \($0)" } ?? "a CA in the system trust store").")
        default:
            if step == "connecting" {
                return SMTPError(
                    isTransient: true, kind: .connect,
                    message: "SMTP server \(server): cannot connect (\(error)); is the server running? Will retry later.")
            }
            if error is SMTPReplyHandler.Closed || error is ChannelError {
                return SMTPError(
                    isTransient: true, kind: .connectionLost,
                    message: "SMTP server \(server) closed the connection while \(step); will retry later.")
            }
            return SMTPError(
                isTransient: true, kind: .connectionLost,
                message: "SMTP server \(server): the connection failed while \(step) (\(error)); will retry later.")
        }
    }

    private static func validate(sender: String, recipients: [String], server: String) throws {
        guard !recipients.isEmpty else {
            throw SMTPError(isTransient: false, kind: .invalidRequest, message: "SMTP \(server): a message needs at least one recipient.")
        }
        for address in [sender] + recipients where address.contains(where: { $0.isNewline || $0 == "<" || $0 == ">" || $0 == " " }) {
            throw SMTPError(
                isTransient: false, kind: .invalidRequest,
                message: "SMTP \(server): '\(address.prefix(200))' is not a bare address (no spaces, line breaks or angle brackets).")
        }
    }

    /// EHLO keywords (upper-cased) and their parameters, from the lines after the first.
    static func extensions(of reply: SMTPReply) -> [String: [String]] {
        var result: [String: [String]] = [:]
        for line in reply.lines.dropFirst() {
            let words = line.split(separator: " ").map(String.init)
            guard let keyword = words.first else { continue }
            result[keyword.uppercased()] = Array(words.dropFirst())
        }
        return result
    }

    /// The DATA content: CRLF line ends, a `.` doubled at the start of a line (RFC 5321
    /// §4.5.2), a final CRLF, then `.` CRLF.
    public static func dataContent(_ rendered: String) -> [UInt8] {
        var lines = MIMEEncoding.normalizedLines(rendered)
        if lines.count > 1, lines.last?.isEmpty == true { lines.removeLast() }
        var output: [UInt8] = []
        output.reserveCapacity(rendered.utf8.count + lines.count + 8)
        for line in lines {
            if line.first == "." { output.append(UInt8(ascii: ".")) }
            output += line.utf8
            output += [13, 10]
        }
        output += [UInt8(ascii: "."), 13, 10]
        return output
    }

    static func isIPAddress(_ host: String) -> Bool {
        (try? SocketAddress(ipAddress: host, port: 0)) != nil
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let total = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if total.overflow { return .max }
        return total.partialValue + attoseconds / 1_000_000_000
    }
}
