import Baselines
import ConfigDiff
import Foundation
import Mailer

/// Turns an alert notice into the messages to enqueue: one `multipart/alternative` email (text
/// and inline-styled HTML) and one JSON body per webhook. Pure: no I/O, no clock.
///
/// Subjects: `[DriftWatch] DRIFT core-sw-01: +2 −1 lines vs baseline v7`, and `UPDATED`,
/// `REMINDER`, `RESOLVED`, `UNREACHABLE`, `AUTH FAILED`, `STALE`, `SECURITY` and `DIGEST`
/// variants. Threading: every email about one device replies to one per-device thread root
/// (``threadRoot(device:)``, stable for the install); each email has its own `Message-ID`
/// derived from the alert id, the alert's message sequence and its opening time
/// (``messageID(alertID:sequence:openedAt:)``),
/// and the outbox keeps it, so a message re-sent after a crash carries the same id.
///
/// Only masked text enters: the delta, remediation lines and collector messages were masked
/// before anything stored them, and nothing here reads a configuration or a credential.
public struct AlertEmailComposer: Sendable {
    /// `From:` of the emails.
    public var from: String
    /// Email recipients (empty: no email channel).
    public var to: [String]
    /// Webhook URLs (one JSON message each).
    public var webhookURLs: [String]
    /// A short stable id of this install, part of every `Message-ID`.
    public var install: String

    /// Creates a composer.
    public init(from: String, to: [String], webhookURLs: [String] = [], install: String) {
        self.from = from
        self.to = to
        self.webhookURLs = webhookURLs
        self.install = install
    }

    /// The right-hand side of every `Message-ID`: the sender's domain.
    public var domain: String {
        let address = from.split(separator: "<").last.map { $0.replacingOccurrences(of: ">", with: "") } ?? from
        guard let at = address.lastIndex(of: "@") else { return "driftwatch.invalid" }
        let host = Self.atom(String(address[address.index(after: at)...]).trimmingCharacters(in: .whitespaces))
        return host.isEmpty ? "driftwatch.invalid" : host
    }

    /// The per-device thread root (without angle brackets): every email about `device` replies
    /// to it. Stable for the device and the install.
    public func threadRoot(device: String) -> String {
        "driftwatch.\(Self.atom(device)).\(SHA256Hex.of(device).prefix(8)).\(install)@\(domain)"
    }

    /// The `Message-ID` (without angle brackets) of the `sequence`-th message of alert `alertID`
    /// opened at `openedAt`: `alert-17.1.<opened at, ms base 36>.<install>@domain`.
    ///
    /// Stable: composed again from the stored alert (a re-send after a crash or a restart) it is
    /// the same, and the outbox keeps the id it was enqueued with anyway. Unique: alert ids are
    /// unique within a state store, and the opening time tells apart alert 17 of a state store
    /// that was deleted and created again at the same path (same ``install``) from the old one,
    /// whose emails a mail client would otherwise take for duplicates and hide.
    public func messageID(alertID: Int64, sequence: Int, openedAt: Date) -> String {
        let opened = String(StateTime.milliseconds(openedAt), radix: 36)
        return "alert-\(alertID).\(sequence).\(opened).\(install)@\(domain)"
    }

    /// The subject of `notice` about `alert`.
    public func subject(_ notice: AlertNotice, alert: Alert, details: AlertDetails) -> String {
        let device = alert.device
        switch alert.kind {
        case .drift:
            let counts = Self.counts(details.drift)
            switch notice {
            case .opened: return "[DriftWatch] DRIFT \(device): \(counts)"
            case .updated: return "[DriftWatch] UPDATED \(device): \(counts)"
            case .reminded:
                return "[DriftWatch] REMINDER \(device): drift open since \(Self.time(alert.openedAt)) (\(counts))"
            case .resolved: return "[DriftWatch] RESOLVED \(device): \(Self.resolutionLine(details.resolution))"
            }
        default:
            let label = Self.label(alert.kind)
            let what = Self.conditionSummary(alert.kind, details: details)
            switch notice {
            case .opened: return "[DriftWatch] \(label) \(device): \(what)"
            case .updated: return "[DriftWatch] \(label) \(device): \(what) (changed)"
            case .reminded: return "[DriftWatch] REMINDER \(label) \(device): open since \(Self.time(alert.openedAt))"
            case .resolved:
                return "[DriftWatch] RESOLVED \(device): \(Self.recoveredLine(alert.kind))"
            }
        }
    }

    /// The email for `notice` (sequence number `sequence`) about a stored `alert`.
    public func email(
        _ notice: AlertNotice, alert: Alert, alertID: Int64, sequence: Int, details: AlertDetails,
        context: AlertContext, at now: Date
    ) -> MailMessage {
        // The root stored with the alert when it opened: an open alert keeps its thread even if
        // the install id changed since (the state folder moved).
        let stored = alert.messageIDRoot.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "<>")) }
        let root = stored.flatMap { $0.isEmpty ? nil : $0 } ?? threadRoot(device: alert.device)
        let body = AlertBody(
            notice: notice, alert: alert, alertID: alertID, details: details, context: context)
        var headers: [(String, String)] = [
            ("X-DriftWatch-Device", alert.device), ("X-DriftWatch-Alert", String(alertID)),
            ("X-DriftWatch-Kind", alert.kind.rawValue), ("X-DriftWatch-Event", notice.rawValue),
            ("Auto-Submitted", "auto-generated"),
        ]
        if let version = details.drift?.baselineVersion { headers.append(("X-DriftWatch-Baseline-Version", "v\(version)")) }
        if let snapshot = details.drift?.snapshotID { headers.append(("X-DriftWatch-Snapshot", String(snapshot))) }
        return MailMessage(
            from: from, to: to, subject: subject(notice, alert: alert, details: details),
            messageID: messageID(alertID: alertID, sequence: sequence, openedAt: alert.openedAt), inReplyTo: root, references: [root], date: now,
            text: body.text(), html: body.html(), extraHeaders: headers)
    }

    /// The outbox drafts for `notice`: the email (when there are recipients) and one JSON message
    /// per webhook, all numbered `sequence`.
    public func drafts(
        _ notice: AlertNotice, alert: Alert, alertID: Int64, sequence: Int, details: AlertDetails,
        context: AlertContext, at now: Date
    ) -> [OutboxDraft] {
        let message = email(
            notice, alert: alert, alertID: alertID, sequence: sequence, details: details, context: context, at: now)
        var drafts: [OutboxDraft] = []
        if !to.isEmpty {
            drafts.append(
                OutboxDraft(
                    channel: "email", recipients: to, subject: message.subject, body: message.rendered(),
                    messageID: "<\(message.messageID)>"))
        }
        for (index, url) in webhookURLs.enumerated() {
            let json = AlertBody(notice: notice, alert: alert, alertID: alertID, details: details, context: context)
                .webhookJSON(subject: message.subject, messageID: message.messageID, at: now)
            drafts.append(
                OutboxDraft(
                    channel: "webhook", recipients: [url], subject: message.subject, body: json,
                    messageID: "<webhook-\(index).\(message.messageID)>"))
        }
        return drafts
    }

    /// One member of a digest.
    public struct DigestMember: Sendable, Hashable {
        /// The alert (stored, with its id).
        public var alert: Alert
        /// Its details.
        public var details: AlertDetails
        /// Its context.
        public var context: AlertContext

        /// Creates a member.
        public init(alert: Alert, details: AlertDetails, context: AlertContext) {
            self.alert = alert
            self.details = details
            self.context = context
        }
    }

    /// The digest of batch `batch` (milliseconds since 1970) listing `members`: one email and one
    /// JSON message per webhook, with stable `Message-ID`s derived from the batch.
    public func digest(batch: Int64, members: [DigestMember], at now: Date) -> [OutboxDraft] {
        let id = "digest-\(batch).\(install)@\(domain)"
        let subject = "[DriftWatch] DIGEST \(members.count) devices drifted"
        let text = DigestBody(members: members, batch: batch).text()
        let html = DigestBody(members: members, batch: batch).html()
        let message = MailMessage(
            from: from, to: to, subject: subject, messageID: id, date: now, text: text, html: html,
            extraHeaders: [
                ("X-DriftWatch-Event", "digest"), ("X-DriftWatch-Devices", String(members.count)),
                ("Auto-Submitted", "auto-generated"),
            ])
        var drafts: [OutboxDraft] = []
        if !to.isEmpty {
            drafts.append(
                OutboxDraft(channel: "email", recipients: to, subject: subject, body: message.rendered(), messageID: "<\(id)>"))
        }
        for (index, url) in webhookURLs.enumerated() {
            drafts.append(
                OutboxDraft(
                    channel: "webhook", recipients: [url], subject: subject,
                    body: DigestBody(members: members, batch: batch).webhookJSON(subject: subject, messageID: id, at: now),
                    messageID: "<webhook-\(index).\(id)>"))
        }
        return drafts
    }

    // MARK: Shared wording

    /// `+2 −1 lines vs baseline v7[, 3 standards violated]`.
    static func counts(_ facts: DriftFacts?) -> String {
        guard let facts else { return "drift" }
        var text = "+\(facts.delta.addedLines) \u{2212}\(facts.delta.removedLines) lines vs baseline"
        if let version = facts.baselineVersion { text += " v\(version)" }
        if !facts.findings.isEmpty {
            text += ", \(facts.findings.count) standard\(facts.findings.count == 1 ? "" : "s") violated"
        }
        return text
    }

    static func resolutionLine(_ resolution: AlertResolution?) -> String {
        guard let resolution else { return "resolved" }
        switch resolution.kind {
        case .reverted: return "back to baseline" + (resolution.version.map { " v\($0)" } ?? "")
        case .approved:
            return "new baseline" + (resolution.version.map { " v\($0)" } ?? "") + " approved"
                + (resolution.approver.map { " by \($0)" } ?? "")
        case .recovered: return "condition cleared"
        }
    }

    static func recoveredLine(_ kind: AlertKind) -> String {
        switch kind {
        case .unreachable, .stale: return "reachable again, collections succeed"
        case .authFailed: return "credentials accepted again"
        case .hostKeyChanged: return "host key trusted again"
        case .verifyFailed: return "baseline verify passes again"
        default: return "condition cleared"
        }
    }

    static func label(_ kind: AlertKind) -> String {
        switch kind {
        case .drift: return "DRIFT"
        case .unreachable: return "UNREACHABLE"
        case .authFailed: return "AUTH FAILED"
        case .stale: return "STALE"
        case .hostKeyChanged, .verifyFailed: return "SECURITY"
        default: return kind.rawValue.uppercased()
        }
    }

    static func conditionSummary(_ kind: AlertKind, details: AlertDetails) -> String {
        switch kind {
        case .unreachable: return "\(details.failures) collections in a row failed"
        case .authFailed: return "the device refused the credentials"
        case .stale: return "no good collection for 3 intervals"
        case .hostKeyChanged: return "host key changed"
        case .verifyFailed: return "baseline verify failed"
        default: return kind.rawValue
        }
    }

    /// A time as `2026-11-23 08:12:03 UTC`.
    static func time(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        return "\(c.year ?? 0)-\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute)):\(two(c.second)) UTC"
    }

    /// Characters allowed in a `Message-ID` part; others become `-`.
    static func atom(_ text: String) -> String {
        String(
            text.unicodeScalars.map { scalar -> Character in
                let allowed = CharacterSet.alphanumerics.contains(scalar) && scalar.isASCII || "-_.".unicodeScalars.contains(scalar)
                return allowed ? Character(scalar) : "-"
            })
    }

    /// `text` quoted for a POSIX shell when it needs it.
    static func shellQuoted(_ text: String) -> String {
        let safe = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:@")
        if !text.isEmpty, text.unicodeScalars.allSatisfy({ safe.contains($0) }) { return text }
        return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
