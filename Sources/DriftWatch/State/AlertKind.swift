/// What an alert is about. String-backed so that alerting can add kinds without a schema change.
public struct AlertKind: RawRepresentable, Sendable, Hashable, Codable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    /// The stored name.
    public let rawValue: String

    /// Creates a kind from its stored name.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Creates a kind from a literal.
    public init(stringLiteral value: String) { self.rawValue = value }

    /// The stored name.
    public var description: String { rawValue }

    /// The configuration deviates from its baseline or a standard.
    public static let drift: AlertKind = "drift"
    /// Collections failed N times in a row.
    public static let unreachable: AlertKind = "unreachable"
    /// The device refused the credentials.
    public static let authFailed: AlertKind = "auth_failed"
    /// No good collection for 3 intervals.
    public static let stale: AlertKind = "stale"
    /// Security: the device presented a different host key.
    public static let hostKeyChanged: AlertKind = "host_key_changed"
    /// Security: `baseline verify` failed.
    public static let verifyFailed: AlertKind = "verify_failed"
}
