/// Unified-diff rendering (`--- a` / `+++ b` / `@@ … @@` hunks) whose hunk headers name the
/// section the change is in, like `diff -p` does for C functions:
///
/// ```
/// @@ -12,7 +12,7 @@ interface GigabitEthernet0/1
///  interface GigabitEthernet0/1
///   description uplink
/// - ip address 10.0.0.1 255.255.255.0
/// + ip address 10.0.0.2 255.255.255.0
/// ```
///
/// The section named is the path (outermost first, joined by ` > `) of the first changed line
/// of the hunk; a hunk whose first change is at the top level has no name. An empty string
/// means the inputs are equal.
public enum UnifiedDiff {
    /// Renders the difference between two texts. `style` tells how to find a line's section:
    /// by indentation (`indent`, `sections`), by `{`/`}` (`brace`), or not at all (`set`,
    /// `flat`).
    public static func render(
        from old: String, to new: String, oldLabel: String = "a", newLabel: String = "b",
        context: Int = 3, style: HierarchyStyle = .indent
    ) -> String {
        let a = TextLines(old)
        let b = TextLines(new)
        var interner = LineInterner(expected: a.count + b.count)
        let edits = LineDiff.script(a.ids(&interner), b.ids(&interner))
        let oldSections = SectionFinder(a, style: style)
        let newSections = SectionFinder(b, style: style)
        return render(
            edits: edits, oldLine: { a[$0] }, newLine: { b[$0] }, oldPath: { oldSections.path(of: $0) },
            newPath: { newSections.path(of: $0) }, oldLabel: oldLabel, newLabel: newLabel,
            context: context)
    }

    /// The section paths of one text's lines. For the indentation styles, each line's enclosing
    /// header is found for all lines in one pass, on the first question: walking back from every
    /// hunk was O(hunks × section length), two thirds of rendering the IOS-XR corpus pair (a
    /// 14,543-line `prefix-set`). The brace style still walks back
    /// (``UnifiedDiff/sectionPath(of:in:style:)``, the reference this is tested against).
    final class SectionFinder {
        let lines: TextLines
        let style: HierarchyStyle
        private lazy var enclosing: [Int32] = Self.enclosingHeaders(lines)

        init(_ lines: TextLines, style: HierarchyStyle) {
            self.lines = lines
            self.style = style
        }

        func path(of index: Int) -> SectionPath {
            guard style == .indent || style == .sections else { return UnifiedDiff.sectionPath(of: index, in: lines, style: style) }
            guard index < lines.count, !lines.isBlank(index) else { return [] }
            var path: SectionPath = []
            var header = enclosing[index]
            while header >= 0 {
                path.append(lines[Int(header)].diffTrimmingBlanks())
                header = enclosing[Int(header)]
            }
            return path.reversed()
        }

        /// For each line, the nearest earlier line with less indentation that is neither blank
        /// nor a comment (`!`, `#`), or -1: a stack of such lines, indentation increasing.
        static func enclosingHeaders(_ lines: TextLines) -> [Int32] {
            var enclosing = [Int32](repeating: -1, count: lines.count)
            var stack: [(indent: Int, line: Int32)] = []
            for index in 0..<lines.count where !lines.isBlank(index) {
                let indent = lines.indentation(index)
                // A comment line does not hide the headers before it, so it only looks.
                var top = stack.count - 1
                while top >= 0 && stack[top].indent >= indent { top -= 1 }
                enclosing[index] = top >= 0 ? stack[top].line : -1
                if isComment(lines, index) { continue }
                stack.removeSubrange((top + 1)...)
                stack.append((indent, Int32(index)))
            }
            return enclosing
        }

        /// Whether the line's first character after blanks (spaces, tabs, CRs) is `!` or `#`.
        static func isComment(_ lines: TextLines, _ index: Int) -> Bool {
            for position in lines.ranges[index] {
                let byte = lines.bytes[position]
                if byte == 32 || byte == 9 || byte == 13 { continue }
                return byte == UInt8(ascii: "!") || byte == UInt8(ascii: "#")
            }
            return false
        }
    }

    /// Renders the difference between two trees, each laid out in its canonical form
    /// (see ``ConfigTree/layoutLines()``); hunk headers use the trees' own section paths.
    public static func render(
        from old: ConfigTree, to new: ConfigTree, oldLabel: String = "a", newLabel: String = "b", context: Int = 3
    ) -> String {
        let a = old.layoutLines()
        let b = new.layoutLines()
        let edits = LineDiff.edits(from: a.map(\.text), to: b.map(\.text))
        return render(
            edits: edits, oldLine: { a[$0].text }, newLine: { b[$0].text }, oldPath: { a[$0].path },
            newPath: { b[$0].path }, oldLabel: oldLabel, newLabel: newLabel, context: context)
    }

    static func render(
        edits: [LineDiff.Edit], oldLine: (Int) -> String, newLine: (Int) -> String,
        oldPath: (Int) -> SectionPath, newPath: (Int) -> SectionPath,
        oldLabel: String, newLabel: String, context: Int
    ) -> String {
        let changes = edits.indices.filter {
            if case .equal = edits[$0] { return false }
            return true
        }
        guard let firstChange = changes.first else { return "" }
        // Lines of old/new consumed before each edit.
        var oldBefore = [Int](repeating: 0, count: edits.count + 1)
        var newBefore = [Int](repeating: 0, count: edits.count + 1)
        for (index, edit) in edits.enumerated() {
            switch edit {
            case .equal:
                oldBefore[index + 1] = oldBefore[index] + 1
                newBefore[index + 1] = newBefore[index] + 1
            case .delete:
                oldBefore[index + 1] = oldBefore[index] + 1
                newBefore[index + 1] = newBefore[index]
            case .insert:
                oldBefore[index + 1] = oldBefore[index]
                newBefore[index + 1] = newBefore[index] + 1
            }
        }
        var out = "--- \(oldLabel)\n+++ \(newLabel)\n"
        var hunkFirstChange = firstChange
        var hunkLastChange = firstChange
        func flush() {
            let start = max(0, hunkFirstChange - context)
            let end = min(edits.count, hunkLastChange + 1 + context)
            let oldCount = oldBefore[end] - oldBefore[start]
            let newCount = newBefore[end] - newBefore[start]
            let oldStart = oldCount > 0 ? oldBefore[start] + 1 : oldBefore[start]
            let newStart = newCount > 0 ? newBefore[start] + 1 : newBefore[start]
            let path: SectionPath
            switch edits[hunkFirstChange] {
            case .delete(let old): path = oldPath(old)
            case .insert(let new): path = newPath(new)
            case .equal: path = []
            }
            out += "@@ -\(range(oldStart, oldCount)) +\(range(newStart, newCount)) @@"
            if !path.isEmpty { out += " " + path.map(firstLine).joined(separator: " > ") }
            out += "\n"
            for index in start..<end {
                switch edits[index] {
                case .equal(let old, _): out += " " + oldLine(old) + "\n"
                case .delete(let old): out += "-" + oldLine(old) + "\n"
                case .insert(let new): out += "+" + newLine(new) + "\n"
                }
            }
        }
        for change in changes.dropFirst() {
            if change - hunkLastChange - 1 > 2 * context {
                flush()
                hunkFirstChange = change
            }
            hunkLastChange = change
        }
        flush()
        return out
    }

    private static func range(_ start: Int, _ count: Int) -> String {
        count == 1 ? "\(start)" : "\(start),\(count)"
    }

    private static func firstLine(_ text: String) -> String {
        if let newline = text.firstIndex(of: "\n") { return String(text[..<newline]) }
        return text
    }

    /// The section path of line `index` of a text, found from its layout by scanning back: the
    /// nearest less-indented lines (`indent`, `sections`; `!` and `#` lines are not sections), or
    /// the enclosing `name {` lines (`brace`); none for `set` and `flat`.
    static func sectionPath(of index: Int, in lines: TextLines, style: HierarchyStyle) -> SectionPath {
        var path: SectionPath = []
        switch style {
        case .set, .flat:
            return []
        case .brace:
            var depth = 0
            var line = index - 1
            while line >= 0 {
                let text = lines[line].diffTrimmingBlanks()
                let topLevel = lines.indentation(line) == 0
                if text.hasPrefix("}") {
                    // A block closed at the top level: nothing further back encloses the line.
                    if topLevel && depth == 0 { break }
                    depth += 1
                } else if text.hasSuffix("{") {
                    if depth > 0 {
                        depth -= 1
                    } else {
                        path.insert(String(text.dropLast()).diffTrimmingBlanks(), at: 0)
                        if topLevel { break }
                    }
                }
                line -= 1
            }
        case .indent, .sections:
            guard index < lines.count, !lines.isBlank(index) else { return [] }
            var limit = lines.indentation(index)
            var line = index - 1
            while line >= 0 && limit > 0 {
                if !lines.isBlank(line) {
                    let indent = lines.indentation(line)
                    if indent < limit {
                        let text = lines[line].diffTrimmingBlanks()
                        if !text.hasPrefix("!") && !text.hasPrefix("#") {
                            path.insert(text, at: 0)
                            limit = indent
                        }
                    }
                }
                line -= 1
            }
        }
        return path
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and carriage returns.
    func diffTrimmingBlanks() -> String {
        let utf8 = self.utf8
        var start = utf8.startIndex
        var end = utf8.endIndex
        while start < end, let byte = utf8[safe: start], byte == 32 || byte == 9 || byte == 13 {
            start = utf8.index(after: start)
        }
        while end > start {
            let before = utf8.index(before: end)
            let byte = utf8[before]
            if byte == 32 || byte == 9 || byte == 13 { end = before } else { break }
        }
        return String(self[start..<end])
    }
}

extension String.UTF8View {
    fileprivate subscript(safe index: String.UTF8View.Index) -> UInt8? {
        index < endIndex ? self[index] : nil
    }
}
