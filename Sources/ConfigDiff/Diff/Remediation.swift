/// Advisory remediation: the commands that, entered on a device whose configuration is the
/// delta's source, would give the delta's target. Pass `compare(from: actual, to: reference)`
/// to get the commands that take a drifted device back to its reference.
///
/// One element per command; a multi-line statement (a banner) is one element with its lines
/// joined by `\n`. Parents always come before their children.
///
/// ## Rules per negation style
///
/// - ``DiffOptions/Negation/noPrefix`` (IOS, IOS-XE, NX-OS, EOS, IOS-XR, ASA): the enclosing
///   sections are entered first, one space of indentation per level, and left with `exit`
///   (indented like the commands inside them) as soon as the next change is outside them, so
///   every block is closed. A removed statement `X` becomes `no X`; a removed `no X` becomes
///   `X`, unless the same section gets an added statement `X` or `X …` (entering that replaces
///   the `no X`, as `ip address 10.0.0.1 …` replaces `no ip address`); a removed section is one
///   `no <section>` (its children go with it); a removed banner `banner motd ^C…` becomes
///   `no banner motd`. An added statement is entered as is; an added section is entered,
///   followed by its children and an `exit`. An added `no X` right after the removal of `X` in
///   the same section is not repeated (the `no X` already entered does both).
/// - ``DiffOptions/Negation/delete`` (JunOS, both forms): flat `set`/`delete` statements. The
///   words of a statement are its section path and text joined by spaces (a leading `set ` is
///   dropped from each part): a removal is `delete <words>` (a whole section at once), an
///   addition is `set <words>` for every leaf of the added subtree.
/// - ``DiffOptions/Negation/none`` (Linux files, generic text): the reference lines to restore.
///   A `# <section > path>` header line precedes the lines of each section; an added statement
///   is listed as is (its subtree indented two spaces per level); a removed one as
///   `# remove: <text>`.
///
/// `style` is the hierarchy style of the configurations; the negation style decides the form.
public enum Remediation {
    /// The remediation commands for `delta` (see the type's documentation for the rules).
    public static func lines(for delta: ConfigDelta, style: HierarchyStyle, negation: DiffOptions.Negation) -> [String] {
        switch negation {
        case .noPrefix: return indented(delta)
        case .delete: return setStatements(delta, style: style)
        case .none: return listing(delta)
        }
    }

    /// The `no` form of a statement (IOS-like): `X` → `no X`, `no X` → `X`, and for a multi-line
    /// banner only its keyword and type (`banner motd`).
    public static func negated(_ text: String) -> String {
        var head = text
        if let newline = firstLineBreak(text) {
            head = String(text[..<newline])
            let words = head.split(separator: " ", omittingEmptySubsequences: true)
            if words.first == "banner" && words.count >= 2 { head = words.prefix(2).joined(separator: " ") }
        }
        if head.hasPrefix("no ") { return String(head.dropFirst(3)) }
        return "no " + head
    }

    /// Where `text` has its first `"\n"` Character, found on the UTF-8 bytes (a search by
    /// Character walks grapheme clusters, hundreds of times slower). A line feed is a Character
    /// of its own unless a carriage return comes right before it (`"\r\n"` is one Character,
    /// not equal to `"\n"`), so that is the one case skipped.
    static func firstLineBreak(_ text: String) -> String.Index? {
        let utf8 = text.utf8
        var previous: UInt8 = 0
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "\n") && previous != UInt8(ascii: "\r") { return index }
            previous = byte
            index = utf8.index(after: index)
        }
        return nil
    }

    // MARK: IOS-like

    private static func indented(_ delta: ConfigDelta) -> [String] {
        // Added statement texts per section, to leave out restores that an addition covers.
        var addedIn: [SectionPath: [String]] = [:]
        for change in delta.changes where change.kind == .added { addedIn[change.path, default: []].append(change.text) }
        var out: [String] = []
        var stack: SectionPath = []
        var entered: [Set<String>] = [[]]  // commands entered at each open level
        func pad(_ depth: Int) -> String { String(repeating: " ", count: depth) }
        for change in delta.changes {
            var common = 0
            while common < stack.count && common < change.path.count && stack[common] == change.path[common] {
                common += 1
            }
            while stack.count > common {
                out.append(pad(stack.count) + "exit")
                stack.removeLast()
                entered.removeLast()
            }
            while stack.count < change.path.count {
                out.append(pad(stack.count) + change.path[stack.count])
                stack.append(change.path[stack.count])
                entered.append([])
            }
            let depth = stack.count
            switch change.kind {
            case .removed:
                let command = negated(change.text)
                if change.text.hasPrefix("no "), change.children.isEmpty,
                    let added = addedIn[change.path], added.contains(where: { $0 == command || $0.hasPrefix(command + " ") })
                {
                    continue
                }
                out.append(pad(depth) + command)
                entered[depth].insert(command)
            case .added:
                if change.children.isEmpty && change.text.hasPrefix("no ") && entered[depth].contains(change.text) {
                    continue
                }
                emit(change.node, depth: depth, into: &out)
                entered[depth].insert(change.text)
            }
        }
        while !stack.isEmpty {
            out.append(pad(stack.count) + "exit")
            stack.removeLast()
        }
        return out
    }

    private static func emit(_ node: ConfigNode, depth: Int, into out: inout [String]) {
        out.append(String(repeating: " ", count: depth) + node.text)
        guard !node.children.isEmpty else { return }
        for child in node.children { emit(child, depth: depth + 1, into: &out) }
        out.append(String(repeating: " ", count: depth + 1) + "exit")
    }

    // MARK: set / delete

    private static func words(_ parts: [String]) -> String {
        parts.map { $0.hasPrefix("set ") ? String($0.dropFirst(4)) : $0 }
            .filter { !$0.isEmpty }
            .joined(separator: " ")
    }

    private static func setStatements(_ delta: ConfigDelta, style: HierarchyStyle) -> [String] {
        var out: [String] = []
        for change in delta.changes {
            switch change.kind {
            case .removed:
                out.append("delete " + words(change.path + [change.text]))
            case .added:
                leaves(change.node, prefix: change.path, into: &out)
            }
        }
        return out
    }

    private static func leaves(_ node: ConfigNode, prefix: [String], into out: inout [String]) {
        let path = prefix + [node.text]
        if node.children.isEmpty {
            out.append("set " + words(path))
            return
        }
        for child in node.children { leaves(child, prefix: path, into: &out) }
    }

    // MARK: plain listing

    private static func listing(_ delta: ConfigDelta) -> [String] {
        var out: [String] = []
        var previous: SectionPath?
        for change in delta.changes {
            if previous != change.path {
                if !change.path.isEmpty { out.append("# " + change.path.joined(separator: " > ")) }
                previous = change.path
            }
            switch change.kind {
            case .removed:
                out.append("# remove: " + change.text)
            case .added:
                list(change.node, depth: 0, into: &out)
            }
        }
        return out
    }

    private static func list(_ node: ConfigNode, depth: Int, into out: inout [String]) {
        out.append(String(repeating: "  ", count: depth) + node.text)
        for child in node.children { list(child, depth: depth + 1, into: &out) }
    }
}
