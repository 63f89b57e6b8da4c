import Foundation

/// Statements of an unordered section whose relative order still matters, grouped by a key.
///
/// Inside an unordered section (``DiffOptions/unorderedSections``), statements matching the
/// family's regular expression and having the same key (the text of its first capture group)
/// form one group: the diff compares each group as an ordered sequence (a moved member is one
/// removal and one addition), and the remaining statements as a set. For example
/// `^access-list (\S+) ` keeps the entries of each ASA access-list in order while the rest of the
/// top level stays order-insensitive.
public struct OrderedFamily: Sendable, Hashable, CustomStringConvertible {
    /// The family's name (documentation and messages only).
    public let name: String
    /// The regular-expression source; its first capture group is the key.
    public let pattern: String
    private let compiled: FamilyRegex
    /// For a `^literal…` pattern: the literal, a cheap prefilter before the regex.
    let requiredPrefix: [UInt8]

    /// Creates a family; throws ``ConfigDiffError`` `.invalidPattern` when the regex does not
    /// compile or has no capture group.
    public init(name: String, regex pattern: String) throws {
        self.name = name
        self.pattern = pattern
        let regex: NSRegularExpression
        do {
            regex = try NSRegularExpression(pattern: pattern, options: [])
        } catch {
            throw ConfigDiffError(
                .invalidPattern,
                "regular expression \(pattern.debugDescription) does not compile: \(error.localizedDescription)")
        }
        guard regex.numberOfCaptureGroups >= 1 else {
            throw ConfigDiffError(
                .invalidPattern,
                "ordered family \(name.debugDescription): regular expression \(pattern.debugDescription) has no capture group; its first group `( … )` is the family key, like `^access-list (\\S+) `"
            )
        }
        compiled = FamilyRegex(regex)
        requiredPrefix = LinePredicate.literalPrefix(of: pattern)
    }

    /// The family key of `text` (the first capture group), or nil when the text is not a member.
    public func key(of text: String) -> String? {
        if !requiredPrefix.isEmpty && !text.utf8.starts(with: requiredPrefix) { return nil }
        let string = text as NSString
        guard let match = compiled.regex.firstMatch(in: text, options: [], range: NSRange(location: 0, length: string.length))
        else { return nil }
        let range = match.range(at: 1)
        // An optional group that did not take part: the whole match is the key.
        if range.location == NSNotFound { return string.substring(with: match.range) }
        return string.substring(with: range)
    }

    /// `name: pattern`.
    public var description: String { "\(name): \(pattern.debugDescription)" }

    /// Compares by name and pattern.
    public static func == (lhs: OrderedFamily, rhs: OrderedFamily) -> Bool {
        lhs.name == rhs.name && lhs.pattern == rhs.pattern
    }

    /// Hashes name and pattern.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(pattern)
    }
}

private final class FamilyRegex: @unchecked Sendable {
    let regex: NSRegularExpression
    init(_ regex: NSRegularExpression) { self.regex = regex }
}
