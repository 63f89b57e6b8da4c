/// What a device returned, before normalization: one named section per command or file.
/// Held in memory only; never stored, logged or printed.
public struct RawCapture: Sendable {
    /// One command's output or one file's content.
    public struct Section: Sendable, Hashable {
        /// The section name (the profile item's name, or the command or path).
        public var name: String
        /// The raw text.
        public var text: String

        /// Creates a section.
        public init(name: String, text: String) {
            self.name = name
            self.text = text
        }
    }

    /// The sections, in the profile's order.
    public var sections: [Section]
    /// Whether the sections are laid out as `==> NAME <==` blocks (Linux hosts, several
    /// commands) or, for a single command, as its output alone.
    public var sectioned: Bool

    /// Creates a capture.
    public init(sections: [Section], sectioned: Bool) {
        self.sections = sections
        self.sectioned = sectioned
    }

    /// The text the normalizer reads: the single section's text, or every section under a
    /// `==> NAME <==` header (the `sections` hierarchy style).
    public var text: String {
        if !sectioned, sections.count == 1 { return sections[0].text }
        var out = ""
        for section in sections {
            out += "==> \(section.name) <==\n"
            out += section.text
            if !section.text.hasSuffix("\n") { out += "\n" }
        }
        return out
    }
}
