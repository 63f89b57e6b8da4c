import Foundation

extension SyslogMessage {
    /// The user a config-change message names, nil when it names none.
    ///
    /// Tried in order: the RFC 5424 structured-data parameter `username` (JunOS), `User 'alice'` /
    /// `user 'alice'` (JunOS, IOS-XR, ASA), `as alice on` (IOS-XE programmatic changes),
    /// `by alice on` (IOS, EOS, NX-OS), then `by alice` at the end of a phrase (IOS-XR). A terminal
    /// line or origin (`vty0`, `console`, `pts/0`, an address) is not taken for a user.
    public var configChangeUser: String? {
        for element in structuredData {
            if let user = element["username"] ?? element["user"], let clean = Self.cleanUser(user) {
                return clean
            }
        }
        return Self.user(in: text)
    }

    /// The user named in a message text (see ``configChangeUser``).
    public static func user(in text: String) -> String? {
        if let quoted = quotedUser(in: text) { return quoted }
        if let sd = afterWord("username=\"", in: text, until: "\"") { return cleanUser(sd) }
        for keyword in [" as ", " by "] {
            var search = text[...]
            while let range = search.range(of: keyword) {
                let after = text[range.upperBound...]
                let word = after.prefix { !$0.isWhitespace }
                search = text[range.upperBound...]
                let rest = after[word.endIndex...]
                if keyword == " as " {
                    guard rest.hasPrefix(" on ") else { continue }
                }
                if keyword == " by ", word.lowercased() == "user" {
                    continue  // "committed by user 'alice'" is handled above.
                }
                if let user = cleanUser(String(word)) { return user }
                if keyword == " by " { return nil }  // "by vty0": the message names no user.
                break
            }
        }
        return nil
    }

    /// `User 'alice'`, `user 'alice'`, `user "alice"`.
    static func quotedUser(in text: String) -> String? {
        var search = text[...]
        while let range = search.range(of: "user ", options: .caseInsensitive) {
            let after = text[range.upperBound...]
            search = after
            guard let quote = after.first, quote == "'" || quote == "\"" else { continue }
            let body = after.dropFirst()
            guard let close = body.firstIndex(of: quote) else { continue }
            if let user = cleanUser(String(body[..<close])) { return user }
        }
        return nil
    }

    static func afterWord(_ prefix: String, in text: String, until end: Character) -> String? {
        guard let range = text.range(of: prefix) else { return nil }
        let after = text[range.upperBound...]
        guard let close = after.firstIndex(of: end) else { return nil }
        return String(after[..<close])
    }

    /// A plausible user name, or nil for a terminal line, an origin or an address.
    static func cleanUser(_ raw: String) -> String? {
        var word = Substring(raw)
        while let last = word.last, ".,;:)'\"".contains(last) { word.removeLast() }
        while let first = word.first, "('\"".contains(first) { word.removeFirst() }
        guard !word.isEmpty, word.count <= 64, !word.contains(where: { $0.isWhitespace }) else {
            return nil
        }
        let lower = word.lowercased()
        let notUsers: Set<String> = [
            "console", "con", "vty", "tty", "aux", "line", "memory", "process", "network",
            "terminal", "snmp", "http", "https", "ssh", "telnet", "unknown", "system", "user",
            "none", "-", "local", "nvram",
        ]
        if notUsers.contains(lower) { return nil }
        // Lines: vty0, con0, tty3, aux0, pts/0, ttyS0.
        for line in ["vty", "con", "tty", "aux", "pts/", "ttys", "line"] where lower.hasPrefix(line) {
            let suffix = lower.dropFirst(line.count)
            if !suffix.isEmpty, suffix.allSatisfy({ $0.isNumber || $0 == "/" }) { return nil }
        }
        // Addresses: 10.0.0.5, 2001:db8::1, tftp://…
        if lower.allSatisfy({ $0.isNumber || $0 == "." }) || lower.contains(":") { return nil }
        return String(word)
    }
}
