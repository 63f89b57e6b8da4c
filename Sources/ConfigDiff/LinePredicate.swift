import Foundation

/// The one predicate language shared by platform profiles, standards rules and ignore rules
/// (after hier_config's `MatchRule`).
///
/// In YAML a predicate is a one-key mapping: `{startsWith: "interface "}`, `{contains: x}`,
/// `{endsWith: x}`, `{equals: x}` or `{regex: "^ntp server "}`. Several predicates chained form a
/// ``SectionMatcher`` that walks down a section path, one predicate per level.
public struct LinePredicate: Sendable, Hashable, CustomStringConvertible {
    /// What kind of test the predicate performs.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case equals, startsWith, contains, endsWith, regex
    }

    /// The kind of test.
    public let kind: Kind
    /// The literal or the regular-expression source.
    public let pattern: String
    private let compiled: CompiledRegex?

    /// Creates a predicate; throws ``ConfigDiffError`` with code `.invalidPattern` when a regex
    /// does not compile.
    public init(_ kind: Kind, _ pattern: String) throws {
        self.kind = kind
        self.pattern = pattern
        if kind == .regex {
            do {
                compiled = CompiledRegex(try NSRegularExpression(pattern: pattern, options: []))
            } catch {
                throw ConfigDiffError(.invalidPattern, "regular expression \(pattern.debugDescription) does not compile: \(error.localizedDescription)")
            }
        } else {
            compiled = nil
        }
    }

    /// True when `line` (a statement's text, without indentation) satisfies the predicate.
    public func matches(_ line: String) -> Bool {
        switch kind {
        case .equals: return line == pattern
        case .startsWith: return line.hasPrefix(pattern)
        case .contains: return line.contains(pattern)
        case .endsWith: return line.hasSuffix(pattern)
        case .regex:
            guard let regex = compiled?.regex else { return false }
            let range = NSRange(line.startIndex..<line.endIndex, in: line)
            return regex.firstMatch(in: line, options: [], range: range) != nil
        }
    }

    public var description: String { "\(kind.rawValue): \(pattern.debugDescription)" }

    public static func == (lhs: LinePredicate, rhs: LinePredicate) -> Bool {
        lhs.kind == rhs.kind && lhs.pattern == rhs.pattern
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        hasher.combine(pattern)
    }
}

/// A chain of predicates, one per level of a section path, outermost first.
/// `[{startsWith: "router bgp"}, {startsWith: "address-family"}]` matches every
/// `address-family` section under any `router bgp`.
public struct SectionMatcher: Sendable, Hashable {
    /// One predicate per level.
    public var levels: [LinePredicate]

    /// Creates a matcher.
    public init(_ levels: [LinePredicate]) { self.levels = levels }

    /// True when `path` (outermost first) has exactly as many levels as the matcher and every
    /// level matches.
    public func matches(_ path: SectionPath) -> Bool {
        guard path.count == levels.count else { return false }
        for (predicate, text) in zip(levels, path) where !predicate.matches(text) { return false }
        return true
    }
}

/// `NSRegularExpression` is immutable after creation and documented as safe to use from
/// several threads at once; this box only carries it across concurrency domains.
private final class CompiledRegex: @unchecked Sendable {
    let regex: NSRegularExpression
    init(_ regex: NSRegularExpression) { self.regex = regex }
}
