/// A multi-line block that stays intact as one node: a banner, a certificate, a macro.
///
/// The block starts on a line whose text (without indentation) matches `start`. It ends either
/// on the first following line whose text matches `end` (`certificate …` → `quit`, EOS
/// `banner login` → `EOF`, `macro name …` → `@`), or, in `delimited` mode, IOS-style: the
/// delimiter is the first character after the statement's second word (`^C` counts as one
/// delimiter, as does the real control character U+0003), and the block ends on the line that
/// contains the delimiter again (possibly the first line itself). Lines inside a block are kept
/// verbatim (trailing whitespace trimmed): no line is dropped, parsed or re-indented.
public struct BlockRule: Sendable, Hashable {
    /// How the end of the block is found.
    public enum Terminator: Sendable, Hashable {
        /// The first following line whose text matches the predicate (inclusive).
        case line(LinePredicate)
        /// IOS banner style: the delimiter after the second word, found again.
        case delimited
    }

    /// A short name (`name:`).
    public var name: String
    /// The first line of the block (`start:`).
    public var start: LinePredicate
    /// How the block ends (`end:` or `delimited: true`).
    public var terminator: Terminator

    /// Creates a rule.
    public init(name: String, start: LinePredicate, terminator: Terminator) {
        self.name = name
        self.start = start
        self.terminator = terminator
    }
}

extension BlockRule {
    /// The start of an IOS-style delimited banner: a known banner type, a space, the delimiter.
    public static let bannerStart = "^banner (?:motd|login|exec|incoming|slip-ppp|prompt-timeout|config-save) \\S"

    /// The blocks the built-in indent-style profiles share: IOS-style delimited banners,
    /// EOS `banner login`…`EOF`, `certificate`…`quit` and `macro name`…`@`. Other styles have none.
    public static func defaults(for style: HierarchyStyle) -> [BlockRule] {
        guard style == .indent else { return [] }
        do {
            return [
                BlockRule(name: "banner", start: try LinePredicate(.regex, bannerStart), terminator: .delimited),
                BlockRule(
                    name: "banner-eof", start: try LinePredicate(.regex, "^banner (login|motd)$"),
                    terminator: .line(try LinePredicate(.equals, "EOF"))),
                BlockRule(
                    name: "certificate", start: try LinePredicate(.startsWith, "certificate "),
                    terminator: .line(try LinePredicate(.equals, "quit"))),
                BlockRule(
                    name: "macro", start: try LinePredicate(.startsWith, "macro name "),
                    terminator: .line(try LinePredicate(.equals, "@"))),
            ]
        } catch {
            return []
        }
    }
}
