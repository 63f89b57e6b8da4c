/// Where a syslog message goes: which device it is about and the config-change patterns of the
/// device's platform (from its profile's `syslog_config_change:`).
///
/// A pattern is a plain substring (`%SYS-5-CONFIG_I`), or a regular expression when written
/// between slashes (`/\bUI_COMMIT\b/`). See ``ConfigChangeMatcher``.
public struct SyslogRoute: Sendable, Hashable {
    /// The device.
    public var device: String
    /// Substrings or patterns that mark a configuration change on its platform.
    public var patterns: [String]

    /// Creates a route.
    public init(device: String, patterns: [String]) {
        self.device = device
        self.patterns = patterns
    }
}
