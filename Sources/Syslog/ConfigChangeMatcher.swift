/// Decides whether a syslog message reports a configuration change, from a platform's
/// `syslog_config_change:` patterns.
///
/// A pattern is a substring (`%SYS-5-CONFIG_I`, case-sensitive), or a regular expression when
/// written between slashes (`/\bUI_COMMIT\b/`). Patterns are tried in order; the first that
/// matches is reported.
public struct ConfigChangeMatcher {
    enum Compiled {
        case substring(String)
        case regex(Regex<AnyRegexOutput>)
    }

    /// The patterns, as written.
    public let patterns: [String]
    let compiled: [Compiled]

    /// Compiles the patterns; throws ``SyslogError/Code/invalidPattern`` naming the first one
    /// that is not a valid regular expression.
    public init(patterns: [String]) throws(SyslogError) {
        self.patterns = patterns
        var compiled: [Compiled] = []
        for pattern in patterns {
            if pattern.count >= 2, pattern.hasPrefix("/"), pattern.hasSuffix("/") {
                let body = String(pattern.dropFirst().dropLast())
                do {
                    compiled.append(.regex(try Regex(body)))
                } catch {
                    throw SyslogError(
                        .invalidPattern,
                        "syslog_config_change pattern \(pattern) is not a valid regular expression (\(error)). Fix the pattern in the platform profile, or write it without the surrounding slashes to match it as plain text."
                    )
                }
            } else {
                compiled.append(.substring(pattern))
            }
        }
        self.compiled = compiled
    }

    /// Checks that every pattern compiles (for validating profiles when they are loaded).
    public static func validate(_ patterns: [String]) throws(SyslogError) {
        _ = try ConfigChangeMatcher(patterns: patterns)
    }

    /// The first pattern found in `text`, nil when none is. An empty pattern never matches.
    public func firstMatch(in text: String) -> String? {
        for (pattern, compiled) in zip(patterns, compiled) {
            switch compiled {
            case .substring(let needle):
                if !needle.isEmpty, text.contains(needle) { return pattern }
            case .regex(let regex):
                if (try? regex.firstMatch(in: text)) != nil { return pattern }
            }
        }
        return nil
    }

    /// The first pattern found in the message's ``SyslogMessage/searchableText``.
    public func firstMatch(in message: SyslogMessage) -> String? {
        firstMatch(in: message.searchableText)
    }
}
