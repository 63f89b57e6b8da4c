/// Mailer: an SMTP client on SwiftNIO and RFC 5322 / MIME message rendering.
///
/// Knows nothing of DriftWatch: alerting renders its emails with ``MailMessage`` and the outbox
/// sender delivers them with ``SMTPClient``.
public enum Mailer {}
