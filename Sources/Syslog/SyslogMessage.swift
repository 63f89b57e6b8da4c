import Foundation

/// One syslog message, parsed from RFC 5424, RFC 3164 (with the Cisco variants: sequence
/// numbers, `*`/`.` clock markers, time zones, origin-id hostnames, IOS-XR node ids) or, when
/// neither fits, kept whole as text.
///
/// Parsing never fails and never traps: what cannot be read as a header stays in ``text``.
public struct SyslogMessage: Sendable, Hashable {
    /// Which syntax the message was read as.
    public enum Format: Sendable, Hashable {
        /// `<PRI>1 TIMESTAMP HOSTNAME APP PROCID MSGID SD MSG`.
        case rfc5424
        /// `<PRI>[TIMESTAMP HOSTNAME ]TAG: MSG`, and the Cisco forms of it.
        case rfc3164
        /// No valid PRI: the whole message is ``text``.
        case unknown
    }

    /// Which syntax the message was read as.
    public var format: Format
    /// The facility (PRI / 8), when the message has a valid PRI.
    public var facility: Int?
    /// The severity (PRI % 8), when the message has a valid PRI.
    public var severity: Int?
    /// The Cisco sequence number (`<189>57: …`), when present.
    public var sequence: Int?
    /// The timestamp as written (not interpreted: devices' clocks and zones vary).
    public var timestamp: String?
    /// The HOSTNAME field (or Cisco origin-id), when present and not the NILVALUE.
    public var hostname: String?
    /// The RFC 5424 APP-NAME, or the RFC 3164 TAG (`mgd`, `ConfigAgent`, `%SYS-5-CONFIG_I`).
    public var appName: String?
    /// The RFC 5424 PROCID, or the pid in an RFC 3164 `tag[pid]:`.
    public var procID: String?
    /// The RFC 5424 MSGID (`UI_COMMIT`).
    public var msgID: String?
    /// The RFC 5424 structured data.
    public var structuredData: [StructuredDataElement]
    /// The MSG part as received (RFC 3164: tag and content; RFC 5424: after the structured
    /// data, without the BOM).
    public var text: String

    /// Creates a message from its parts.
    public init(
        format: Format, facility: Int? = nil, severity: Int? = nil, sequence: Int? = nil,
        timestamp: String? = nil, hostname: String? = nil, appName: String? = nil,
        procID: String? = nil, msgID: String? = nil, structuredData: [StructuredDataElement] = [],
        text: String
    ) {
        self.format = format
        self.facility = facility
        self.severity = severity
        self.sequence = sequence
        self.timestamp = timestamp
        self.hostname = hostname
        self.appName = appName
        self.procID = procID
        self.msgID = msgID
        self.structuredData = structuredData
        self.text = text
    }

    /// The text config-change patterns are matched against: the MSG, preceded for RFC 5424 by
    /// APP-NAME and MSGID (JunOS puts `UI_COMMIT` in the MSGID).
    public var searchableText: String {
        guard format == .rfc5424 else { return text }
        return [appName, msgID, text].compactMap { $0 }.joined(separator: " ")
    }
}
