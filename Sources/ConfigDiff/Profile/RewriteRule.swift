import Foundation

/// A line rewrite of a profile (`rewrite:`): where a volatile value sits inside a statement
/// that must stay, such as the packet counters of an `iptables-save` chain line
/// (`:INPUT ACCEPT [1234:56789]` → `:INPUT ACCEPT [0:0]`).
///
/// `regex` is matched against each line without its indentation and every match is replaced by
/// `replace` (an `NSRegularExpression` template: `$1` is the first group). Rewrites run after
/// secret masking and must be idempotent: rewriting a rewritten line changes nothing.
public struct RewriteRule: Sendable, Hashable {
    /// A literal the line must contain for the regex to be tried (`contains:`).
    public let literal: String?
    /// The regular expression source (`regex:`).
    public let pattern: String
    /// The replacement template (`replace:`).
    public let template: String
    let compiled: SendableRegex

    /// Creates a rule; throws ``ConfigDiffError`` `.invalidPattern` when the regex does not compile.
    public init(contains literal: String?, regex pattern: String, replace template: String) throws {
        self.literal = literal.flatMap { $0.isEmpty ? nil : $0 }
        self.pattern = pattern
        self.template = template
        do {
            compiled = SendableRegex(try NSRegularExpression(pattern: pattern, options: []))
        } catch {
            throw ConfigDiffError(
                .invalidPattern,
                "rewrite: regular expression \(pattern.debugDescription) does not compile: \(error.localizedDescription)"
            )
        }
    }

    /// Compares by pattern and template.
    public static func == (lhs: RewriteRule, rhs: RewriteRule) -> Bool {
        lhs.literal == rhs.literal && lhs.pattern == rhs.pattern && lhs.template == rhs.template
    }

    /// Hashes pattern and template.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(pattern)
        hasher.combine(template)
    }

    /// The rewritten line, or `nil` when the rule does not apply.
    func apply(_ body: Substring) -> String? {
        if let literal, !ByteSearch.contains(body.utf8, Array(literal.utf8)) { return nil }
        let string = String(body)
        let range = NSRange(location: 0, length: (string as NSString).length)
        guard compiled.regex.firstMatch(in: string, options: [], range: range) != nil else { return nil }
        let result = compiled.regex.stringByReplacingMatches(
            in: string, options: [], range: range, withTemplate: template)
        return result == string ? nil : result
    }
}
