import AsyncHTTPClient
import Crypto
import Foundation
import Logging
import Mailer
import NIOCore
import ServiceLifecycle

/// Delivers the outbox: claims each due message (``StateStore/claimNextDueMessage(now:claimSeconds:)``),
/// sends it by SMTP (`alerts.email`) or as a webhook POST (`alerts.webhooks`), and marks it sent
/// or failed with exponential backoff (``RetryPolicy``). An SMTP 5xx or an HTTP 4xx other than
/// 408 and 429 fails the message for good, with the server's words in the outbox; anything else
/// is retried.
///
/// A `Service`: it wakes at once when alerting enqueues (``OutboxWakeup``), otherwise every
/// ``pollInterval`` for retries that became due; on graceful shutdown it finishes the message in
/// flight and returns. A claim lasts ``claimSeconds``: if the process dies mid-send, the message
/// is claimed again after that and re-sent with the same `Message-ID`.
///
/// Secrets (SMTP password, webhook token and signing secret) are read from their environment
/// variable or file at each send and never logged or stored.
public struct OutboxSender: Service {
    /// The outbox.
    public let store: any StateStore
    /// Where `alerts:` and relative paths come from.
    public let configuration: DriftWatchConfiguration
    /// The environment secrets are read from.
    public let environment: [String: String]
    /// Backoff after a failed attempt.
    public let policy: RetryPolicy
    /// Signalled by alerting after each enqueue.
    public let wakeup: OutboxWakeup
    /// How long a claim lasts (longer than one send's timeouts).
    public let claimSeconds: Double
    /// How often to look for due retries when nothing wakes the sender.
    public let pollInterval: Duration
    /// SMTP and HTTP timeout per step.
    public let timeout: Duration
    /// Logs deliveries (message ids, never bodies or secrets).
    public let logger: Logger
    /// The clock for claims and retry times (tests move it forward).
    public let now: @Sendable () -> Date

    /// Creates a sender.
    public init(
        store: any StateStore, configuration: DriftWatchConfiguration, environment: [String: String],
        policy: RetryPolicy = RetryPolicy(), wakeup: OutboxWakeup, claimSeconds: Double = 300,
        pollInterval: Duration = .seconds(5), timeout: Duration = .seconds(30), logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.now = now
        self.store = store
        self.configuration = configuration
        self.environment = environment
        self.policy = policy
        self.wakeup = wakeup
        self.claimSeconds = claimSeconds
        self.pollInterval = pollInterval
        self.timeout = timeout
        self.logger = logger
    }

    /// Runs until graceful shutdown or cancellation.
    public func run() async throws {
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let sent = await deliverDue(http: http)
            if sent == 0 && !Task.isShuttingDownGracefully {
                try? await cancelWhenGracefulShutdown { await wakeup.wait(timeout: pollInterval) }
            }
        }
        try? await http.shutdown()
    }

    /// Delivers every message due now, one at a time; stops early on graceful shutdown. Returns
    /// the number of attempts made.
    @discardableResult
    public func deliverDue(http: HTTPClient) async -> Int {
        var attempts = 0
        while !Task.isShuttingDownGracefully {
            let message: OutboxMessage?
            do {
                message = try await store.claimNextDueMessage(now: now(), claimSeconds: claimSeconds)
            } catch {
                logger.error("the outbox could not be read", metadata: ["error": "\(error)"])
                return attempts
            }
            guard let message else { return attempts }
            attempts += 1
            await deliver(message, http: http)
        }
        return attempts
    }

    /// A failed delivery: whether a retry may succeed, and what to record.
    struct Failure: Error {
        var transient: Bool
        var message: String
    }

    /// Sends one claimed message and records the outcome.
    func deliver(_ message: OutboxMessage, http: HTTPClient) async {
        var logger = self.logger
        logger[metadataKey: "outbox.id"] = "\(message.id)"
        logger[metadataKey: "outbox.channel"] = "\(message.channel)"
        logger[metadataKey: "outbox.message_id"] = "\(message.messageID)"
        do {
            switch message.channel {
            case "email": try await sendEmail(message)
            case "webhook": try await sendWebhook(message, http: http)
            default: throw Failure(transient: false, message: "unknown channel '\(message.channel)'")
            }
            try await store.markSent(messageID: message.id, at: now())
            logger.info("outbox message delivered", metadata: ["outbox.attempts": "\(message.attempts)"])
        } catch {
            let failure: Failure
            switch error {
            case let error as Failure: failure = error
            case let error as SMTPError:
                failure = Failure(
                    transient: error.isTransient,
                    message: error.code.map { "SMTP \($0): \(error.message)" } ?? error.message)
            default: failure = Failure(transient: true, message: "\(error)")
            }
            do {
                let stored = try await store.markFailed(
                    messageID: message.id, error: failure.message, permanent: !failure.transient, at: now(),
                    policy: policy)
                let level: Logger.Level = stored.status == .failed ? .error : .warning
                logger.log(
                    level: level, "outbox delivery failed",
                    metadata: [
                        "outbox.status": "\(stored.status.rawValue)", "outbox.attempts": "\(stored.attempts)",
                        "error": "\(failure.message)",
                    ])
            } catch {
                logger.error("outbox failure could not be recorded", metadata: ["error": "\(error)"])
            }
        }
    }

    // MARK: Email

    func sendEmail(_ message: OutboxMessage) async throws {
        guard let email = configuration.alerts?.email else {
            throw Failure(
                transient: true,
                message: "no 'alerts.email' in \(configuration.file): add it to deliver this email (kept for retry)")
        }
        let username = try email.username ?? email.usernameEnv.map { try secret(env: $0, file: nil, what: "alerts.email.smtp username") }
        var password: String?
        if email.passwordEnv != nil || email.passwordFile != nil {
            password = try secret(env: email.passwordEnv, file: email.passwordFile, what: "alerts.email.smtp password")
        }
        let security: SMTPConfiguration.Security =
            email.smtpPort == 465 ? .implicitTLS : (email.startTLS ? .startTLS : .none)
        let smtp = SMTPConfiguration(
            host: email.smtpHost, port: email.smtpPort, security: security,
            caFile: email.caFile.map { configuration.resolve($0).path }, username: username, password: password,
            heloName: ProcessInfo.processInfo.hostName, timeout: timeout)
        try await SMTPClient(configuration: smtp, logger: logger).send(
            from: Self.address(email.from), to: message.recipients, message: message.body)
    }

    /// The bare address of `name <addr>` or `addr`.
    static func address(_ from: String) -> String {
        guard let open = from.lastIndex(of: "<"), let close = from.lastIndex(of: ">"), open < close else { return from }
        return String(from[from.index(after: open)..<close])
    }

    // MARK: Webhook

    func sendWebhook(_ message: OutboxMessage, http: HTTPClient) async throws {
        guard let url = message.recipients.first else { throw Failure(transient: false, message: "webhook without URL") }
        guard let hook = configuration.alerts?.webhooks.first(where: { $0.url == url }) else {
            throw Failure(
                transient: true,
                message: "the webhook \(url) is no longer in 'alerts.webhooks' of \(configuration.file) (kept for retry)")
        }
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "DriftWatch")
        request.headers.add(name: "X-DriftWatch-Message-Id", value: message.messageID)
        if hook.secretEnv != nil || hook.secretFile != nil {
            let key = try secret(env: hook.secretEnv, file: hook.secretFile, what: "webhook \(url) secret")
            request.headers.add(name: "X-DriftWatch-Signature", value: Self.signature(body: message.body, secret: key))
        }
        if hook.tokenEnv != nil || hook.tokenFile != nil {
            let token = try secret(env: hook.tokenEnv, file: hook.tokenFile, what: "webhook \(url) token")
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
        }
        request.body = .bytes(ByteBuffer(string: message.body))
        let seconds = timeout.components.seconds
        let response: HTTPClientResponse
        do {
            response = try await http.execute(request, timeout: .seconds(seconds))
        } catch {
            throw Failure(transient: true, message: "webhook \(url): \(error)")
        }
        let answer = (try? await response.body.collect(upTo: 4096)).map { String(buffer: $0) } ?? ""
        let code = Int(response.status.code)
        guard !(200..<300).contains(code) else { return }
        let words = answer.trimmingCharacters(in: .whitespacesAndNewlines).prefix(300)
        throw Failure(
            transient: code >= 500 || code == 408 || code == 429,
            message: "webhook \(url) answered HTTP \(code) \(response.status.reasonPhrase)\(words.isEmpty ? "" : ": \(words)")")
    }

    /// `sha256=<hex HMAC-SHA256 of body under secret>`: the `X-DriftWatch-Signature` value.
    public static func signature(body: String, secret: String) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data(body.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return "sha256=" + code.map { String(format: "%02x", $0) }.joined()
    }

    // MARK: Secrets

    /// The value of environment variable `env`, else the first line of `file`; never logged.
    func secret(env: String?, file: String?, what: String) throws -> String {
        if let env {
            guard let value = environment[env], !value.isEmpty else {
                throw Failure(
                    transient: true,
                    message: "\(what): environment variable \(env) is not set; set it for the watcher (kept for retry)")
            }
            return value
        }
        if let file {
            let path = configuration.resolve(file).path
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw Failure(transient: true, message: "\(what): cannot read \(path); check the file (kept for retry)")
            }
            let value = text.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
            guard !value.isEmpty else {
                throw Failure(transient: true, message: "\(what): \(path) is empty (kept for retry)")
            }
            return value
        }
        throw Failure(transient: false, message: "\(what): no reference configured")
    }
}
