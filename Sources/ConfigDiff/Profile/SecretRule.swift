import Foundation

/// One secret pattern of a profile: which values on a line are secrets.
///
/// `regex` is matched against each line without its indentation; the text of every capture
/// group that took part in a match is a secret value and is replaced by its mask, everything
/// else (keywords, hash-type digits, quotes) stays. Use `(?:…)` for groups that are structure.
/// `contains` is a literal the line must contain for the regex to be tried at all: a cheap
/// prefilter that keeps normalization fast on large configurations.
public struct SecretRule: Sendable, Hashable, CustomStringConvertible {
    /// A short name for messages and coverage tests (`name:`).
    public let name: String
    /// A literal every matching line contains (`contains:`), or `nil` to try the regex on every line.
    public let literal: String?
    /// The regular expression source (`regex:`).
    public let pattern: String
    /// Whether the regex ignores case (`ignore_case:`).
    public let ignoreCase: Bool
    let compiled: SendableRegex
    let literalBytes: [UInt8]

    /// Creates a rule; throws ``ConfigDiffError`` `.invalidPattern` when the regex does not compile
    /// or has no capture group.
    public init(name: String, contains literal: String?, regex pattern: String, ignoreCase: Bool = false) throws {
        self.name = name
        self.literal = literal.flatMap { $0.isEmpty ? nil : $0 }
        self.pattern = pattern
        self.ignoreCase = ignoreCase
        let regex: NSRegularExpression
        do {
            regex = try NSRegularExpression(pattern: pattern, options: ignoreCase ? [.caseInsensitive] : [])
        } catch {
            throw ConfigDiffError(
                .invalidPattern,
                "secret rule \(name.debugDescription): regular expression \(pattern.debugDescription) does not compile: \(error.localizedDescription)"
            )
        }
        guard regex.numberOfCaptureGroups > 0 else {
            throw ConfigDiffError(
                .invalidPattern,
                "secret rule \(name.debugDescription): regular expression \(pattern.debugDescription) has no capture group; put the secret value in ( ) and structure in (?: )"
            )
        }
        compiled = SendableRegex(regex)
        literalBytes = Array((ignoreCase ? (self.literal ?? "").lowercased() : (self.literal ?? "")).utf8)
    }

    /// The rule's name and pattern.
    public var description: String { "\(name): \(pattern.debugDescription)" }

    /// Compares by name, literal and pattern.
    public static func == (lhs: SecretRule, rhs: SecretRule) -> Bool {
        lhs.name == rhs.name && lhs.literal == rhs.literal && lhs.pattern == rhs.pattern
            && lhs.ignoreCase == rhs.ignoreCase
    }

    /// Hashes name and pattern.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(pattern)
    }

    /// The UTF-16 ranges of the secret values on `line` (a line without indentation), in order.
    func secretRanges(in line: String) -> [NSRange] {
        let ns = NSRange(location: 0, length: (line as NSString).length)
        var ranges: [NSRange] = []
        for match in compiled.regex.matches(in: line, options: [], range: ns) {
            for group in 1..<match.numberOfRanges {
                let range = match.range(at: group)
                if range.location != NSNotFound && range.length > 0 { ranges.append(range) }
            }
        }
        return ranges
    }
}

/// `NSRegularExpression` is immutable after creation and documented as safe to use from several
/// threads at once; this box only carries it across concurrency domains.
final class SendableRegex: @unchecked Sendable {
    let regex: NSRegularExpression
    init(_ regex: NSRegularExpression) { self.regex = regex }
}
