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
    /// For a regex anchored with `^` and starting with literal text: that text, a cheap
    /// prefilter that spares the regex engine on most lines.
    let requiredPrefix: [UInt8]
    /// The pattern's UTF-8 bytes, for the literal kinds.
    let patternBytes: [UInt8]

    /// Creates a predicate; throws ``ConfigDiffError`` with code `.invalidPattern` when a regex
    /// does not compile.
    public init(_ kind: Kind, _ pattern: String) throws {
        self.kind = kind
        self.pattern = pattern
        self.patternBytes = Array(pattern.utf8)
        if kind == .regex {
            do {
                compiled = CompiledRegex(try NSRegularExpression(pattern: pattern, options: []))
            } catch {
                throw ConfigDiffError(.invalidPattern, "regular expression \(pattern.debugDescription) does not compile: \(error.localizedDescription)")
            }
            requiredPrefix = Self.literalPrefix(of: pattern)
        } else {
            compiled = nil
            requiredPrefix = []
        }
    }

    /// The byte every matching line starts with, when the predicate fixes one (a prefilter).
    var firstByte: UInt8? {
        switch kind {
        case .equals, .startsWith: return pattern.utf8.first
        case .regex: return requiredPrefix.first
        case .contains, .endsWith: return nil
        }
    }

    /// The literal text a match must start with, for `^literal…` patterns without alternation.
    static func literalPrefix(of pattern: String) -> [UInt8] {
        let bytes = Array(pattern.utf8)
        guard bytes.first == UInt8(ascii: "^"), !hasTopLevelAlternation(bytes) else { return [] }
        let plain = Set(Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_:!#%=,/@<>'\"~;&".utf8))
        var prefix: [UInt8] = []
        var index = 1
        while index < bytes.count, plain.contains(bytes[index]) {
            prefix.append(bytes[index])
            index += 1
        }
        if index < bytes.count, [UInt8(ascii: "?"), UInt8(ascii: "*"), UInt8(ascii: "{")].contains(bytes[index]), !prefix.isEmpty {
            prefix.removeLast()
        }
        return prefix
    }

    /// True when the pattern has a `|` outside every group and character class (then a `^` at
    /// the start anchors only the first alternative).
    static func hasTopLevelAlternation(_ bytes: [UInt8]) -> Bool {
        var depth = 0
        var inClass = false
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\\") {
                index += 2
                continue
            }
            if inClass {
                if byte == UInt8(ascii: "]") { inClass = false }
            } else {
                switch byte {
                case UInt8(ascii: "["): inClass = true
                case UInt8(ascii: "("): depth += 1
                case UInt8(ascii: ")"): depth = max(0, depth - 1)
                case UInt8(ascii: "|") where depth == 0: return true
                default: break
                }
            }
            index += 1
        }
        return false
    }

    /// True when `line` (a statement's text, without indentation) satisfies the predicate.
    ///
    /// Literal kinds compare UTF-8 bytes (no Unicode normalization), which is what device
    /// configurations need and much faster than `Character` comparison.
    public func matches(_ line: String) -> Bool {
        matches(Substring(line))
    }

    /// True when `line` (a statement's text, without indentation) satisfies the predicate.
    public func matches(_ line: Substring) -> Bool {
        switch kind {
        case .equals: return line.utf8.elementsEqual(pattern.utf8)
        case .startsWith: return line.utf8.starts(with: pattern.utf8)
        case .contains: return ByteSearch.contains(line.utf8, patternBytes)
        case .endsWith:
            let utf8 = line.utf8
            let count = pattern.utf8.count
            guard utf8.count >= count else { return false }
            return utf8[utf8.index(utf8.endIndex, offsetBy: -count)...].elementsEqual(pattern.utf8)
        case .regex:
            guard let regex = compiled?.regex else { return false }
            if !requiredPrefix.isEmpty && !line.utf8.starts(with: requiredPrefix) { return false }
            let string = String(line)
            let range = NSRange(location: 0, length: (string as NSString).length)
            return regex.firstMatch(in: string, options: [], range: range) != nil
        }
    }

    /// True when `line` (a statement's UTF-8 bytes, without indentation) satisfies the
    /// predicate: the same answer as `matches(_:)` on that text, with no `String`
    /// made unless a regex has to run.
    func matches(bytes line: UnsafeBufferPointer<UInt8>) -> Bool {
        switch kind {
        case .equals: return line.count == patternBytes.count && ByteSearch.hasPrefix(line, patternBytes)
        case .startsWith: return ByteSearch.hasPrefix(line, patternBytes)
        case .contains: return ByteSearch.search(line, patternBytes, ignoreCase: false)
        case .endsWith: return line.count >= patternBytes.count && line.suffix(patternBytes.count).elementsEqual(patternBytes)
        case .regex:
            guard let regex = compiled?.regex else { return false }
            if !requiredPrefix.isEmpty && !ByteSearch.hasPrefix(line, requiredPrefix) { return false }
            let string = String(decoding: line, as: UTF8.self)
            let range = NSRange(location: 0, length: (string as NSString).length)
            return regex.firstMatch(in: string, options: [], range: range) != nil
        }
    }

    /// `kind: "pattern"`, as in YAML.
    public var description: String { "\(kind.rawValue): \(pattern.debugDescription)" }

    /// Compares by kind and pattern.
    public static func == (lhs: LinePredicate, rhs: LinePredicate) -> Bool {
        lhs.kind == rhs.kind && lhs.pattern == rhs.pattern
    }

    /// Hashes kind and pattern.
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

/// A list of predicates with a first-byte prefilter: most lines are rejected by one table
/// lookup instead of one test per predicate. Used on every line of every capture.
struct LineMatcher: Sendable {
    let predicates: [LinePredicate]
    private let anchoredOnly: Bool
    private let firstBytes: [Bool]
    /// Each predicate's required first byte, or -1.
    private let required: [Int16]
    /// Per predicate, the bytes a matching line must start with (`startsWith`, `equals`, a
    /// regex's literal prefix; empty for the other kinds), checked here by `memcmp` before the
    /// predicate itself is asked; and whether the predicate is answered by them alone.
    private let prefixes: [[UInt8]]
    private let prefixDecides: [Bool]
    private let exactLength: [Int]

    init(_ predicates: [LinePredicate]) {
        self.predicates = predicates
        var table = [Bool](repeating: false, count: 256)
        var anchored = true
        for predicate in predicates {
            if let byte = predicate.firstByte { table[Int(byte)] = true } else { anchored = false }
        }
        anchoredOnly = anchored
        firstBytes = table
        required = predicates.map { $0.firstByte.map(Int16.init) ?? -1 }
        prefixes = predicates.map { predicate in
            switch predicate.kind {
            case .startsWith, .equals: return predicate.patternBytes
            case .regex: return predicate.requiredPrefix
            case .contains, .endsWith: return []
            }
        }
        prefixDecides = predicates.map { $0.kind == .startsWith || $0.kind == .equals }
        exactLength = predicates.map { $0.kind == .equals ? $0.patternBytes.count : -1 }
    }

    /// The index of the first predicate `line` satisfies.
    @inline(__always)
    func firstMatch(_ line: Substring) -> Int? {
        if predicates.isEmpty { return nil }
        let first = line.utf8.first.map(Int16.init) ?? -2
        if anchoredOnly {
            guard first >= 0, firstBytes[Int(first)] else { return nil }
        }
        for index in predicates.indices where required[index] < 0 || required[index] == first {
            if predicates[index].matches(line) { return index }
        }
        return nil
    }

    /// The index of the first predicate the text with UTF-8 bytes `line` satisfies.
    @inline(__always)
    func firstMatch(bytes line: UnsafeBufferPointer<UInt8>) -> Int? {
        if predicates.isEmpty { return nil }
        let first = line.first.map(Int16.init) ?? -2
        if anchoredOnly {
            guard first >= 0, firstBytes[Int(first)] else { return nil }
        }
        return slowMatch(bytes: line, first: first)
    }

    @inline(never)
    private func slowMatch(bytes line: UnsafeBufferPointer<UInt8>, first: Int16) -> Int? {
        // The literal kinds are answered from `prefixes` without touching the predicate (a
        // copy of it retains each of its fields); a regex runs only past its literal prefix.
        for index in predicates.indices where required[index] < 0 || required[index] == first {
            if exactLength[index] >= 0 && line.count != exactLength[index] { continue }
            if !ByteSearch.hasPrefix(line, prefixes[index]) { continue }
            if prefixDecides[index] || predicates[index].matches(bytes: line) { return index }
        }
        return nil
    }
}

/// Byte-level substring search, the cheap prefilter of predicates and secret rules.
enum ByteSearch {
    /// True when `line` starts with `prefix` (an empty prefix always does), compared with `memcmp`.
    @inline(__always)
    static func hasPrefix(_ line: UnsafeBufferPointer<UInt8>, _ prefix: [UInt8]) -> Bool {
        let count = prefix.count
        guard count > 0 else { return true }
        guard line.count >= count, let base = line.baseAddress else { return false }
        return prefix.withUnsafeBufferPointer { bytes in
            guard let start = bytes.baseAddress else { return false }
            return memcmp(base, start, count) == 0
        }
    }

    /// True when `needle` occurs in `haystack` (an empty needle always does).
    @inline(__always)
    static func contains<C: Collection>(_ haystack: C, _ needle: [UInt8], ignoreCase: Bool = false) -> Bool where C.Element == UInt8 {
        if let found = haystack.withContiguousStorageIfAvailable({ search($0, needle, ignoreCase: ignoreCase) }) {
            return found
        }
        return Array(haystack).withUnsafeBufferPointer { search($0, needle, ignoreCase: ignoreCase) }
    }

    static func search(_ haystack: UnsafeBufferPointer<UInt8>, _ needle: [UInt8], ignoreCase: Bool) -> Bool {
        let count = needle.count
        guard count > 0 else { return true }
        guard haystack.count >= count else { return false }
        let first = needle[0]
        let last = haystack.count - count
        var index = 0
        while index <= last {
            let byte = ignoreCase ? lower(haystack[index]) : haystack[index]
            if byte == first {
                var offset = 1
                while offset < count {
                    let other = ignoreCase ? lower(haystack[index + offset]) : haystack[index + offset]
                    if other != needle[offset] { break }
                    offset += 1
                }
                if offset == count { return true }
            }
            index += 1
        }
        return false
    }

    @inline(__always)
    static func lower(_ byte: UInt8) -> UInt8 {
        byte >= 65 && byte <= 90 ? byte | 0x20 : byte
    }
}
