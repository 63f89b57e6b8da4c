extension SyslogMessage {
    /// Parses one message (one datagram, or one TCP frame without its framing). Invalid UTF-8
    /// is replaced, trailing CR, LF and NUL are dropped. Never fails.
    public init(parsing bytes: some Sequence<UInt8>) {
        self.init(parsing: String(decoding: Array(bytes), as: UTF8.self))
    }

    /// Parses one message from text. Never fails.
    public init(parsing raw: String) {
        var s = Substring(raw)
        while let last = s.last, last == "\n" || last == "\r" || last == "\0" || last == "\r\n" {
            s.removeLast()
        }
        guard let pri = SyslogScanner.priority(&s) else {
            self.init(format: .unknown, text: String(s))
            return
        }
        if s.hasPrefix("1 ") {
            s.removeFirst(2)
            self = SyslogScanner.rfc5424(s, priority: pri)
        } else {
            self = SyslogScanner.rfc3164(s, priority: pri)
        }
    }
}

/// The scanning functions behind ``SyslogMessage/init(parsing:)-(String)``: each consumes from a
/// `Substring` and gives up without consuming when the text does not fit.
enum SyslogScanner {
    static let months: Set<Substring> = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ]

    static func digit(_ c: Character) -> Int? {
        guard c.isASCII, let v = c.wholeNumberValue else { return nil }
        return v
    }

    /// `<N>` with 1–3 digits and N ≤ 191.
    static func priority(_ s: inout Substring) -> Int? {
        guard s.first == "<" else { return nil }
        var i = s.index(after: s.startIndex)
        var value = 0
        var count = 0
        while i < s.endIndex, count < 3, let d = digit(s[i]) {
            value = value * 10 + d
            count += 1
            i = s.index(after: i)
        }
        guard count > 0, i < s.endIndex, s[i] == ">", value <= 191 else { return nil }
        s = s[s.index(after: i)...]
        return value
    }

    /// Takes the text up to the next space and the space itself.
    static func token(_ s: inout Substring) -> Substring? {
        guard !s.isEmpty else { return nil }
        if let space = s.firstIndex(of: " ") {
            let t = s[..<space]
            s = s[s.index(after: space)...]
            return t
        }
        let t = s
        s = s[s.endIndex...]
        return t
    }

    static func nilValue(_ t: Substring?) -> String? {
        guard let t, t != "-", !t.isEmpty else { return nil }
        return String(t)
    }

    static func rfc5424(_ input: Substring, priority: Int) -> SyslogMessage {
        var s = input
        let timestamp = nilValue(token(&s))
        let hostname = nilValue(token(&s))
        let app = nilValue(token(&s))
        let procID = nilValue(token(&s))
        let msgID = nilValue(token(&s))
        var elements: [StructuredDataElement] = []
        if s.hasPrefix("-") {
            s.removeFirst()
        } else if s.first == "[" {
            var rest = s
            if let parsed = structuredData(&rest) {
                elements = parsed
                s = rest
            }
        }
        if s.first == " " { s.removeFirst() }
        if s.first == "\u{FEFF}" { s.removeFirst() }
        return SyslogMessage(
            format: .rfc5424, facility: priority / 8, severity: priority % 8, timestamp: timestamp,
            hostname: hostname, appName: app, procID: procID, msgID: msgID,
            structuredData: elements, text: String(s))
    }

    /// One or more `[id name="value" …]`; nil (nothing consumed) when malformed.
    static func structuredData(_ s: inout Substring) -> [StructuredDataElement]? {
        var elements: [StructuredDataElement] = []
        var rest = s
        while rest.first == "[" {
            rest.removeFirst()
            guard let idEnd = rest.firstIndex(where: { $0 == " " || $0 == "]" }) else { return nil }
            let id = String(rest[..<idEnd])
            guard !id.isEmpty else { return nil }
            rest = rest[idEnd...]
            var parameters: [StructuredDataElement.Parameter] = []
            while true {
                while rest.first == " " { rest.removeFirst() }
                guard let first = rest.first else { return nil }
                if first == "]" {
                    rest.removeFirst()
                    break
                }
                guard let equals = rest.firstIndex(of: "=") else { return nil }
                let name = String(rest[..<equals])
                guard !name.isEmpty, !name.contains(" "), !name.contains("]") else { return nil }
                rest = rest[rest.index(after: equals)...]
                guard rest.first == "\"" else { return nil }
                rest.removeFirst()
                var value = ""
                var closed = false
                while let c = rest.first {
                    rest.removeFirst()
                    if c == "\\", let next = rest.first, next == "\"" || next == "\\" || next == "]" {
                        value.append(next)
                        rest.removeFirst()
                    } else if c == "\"" {
                        closed = true
                        break
                    } else {
                        value.append(c)
                    }
                }
                guard closed else { return nil }
                parameters.append(.init(name: name, value: value))
            }
            elements.append(StructuredDataElement(id: id, parameters: parameters))
        }
        s = rest
        return elements
    }

    static func rfc3164(_ input: Substring, priority: Int) -> SyslogMessage {
        var s = input
        var message = SyslogMessage(
            format: .rfc3164, facility: priority / 8, severity: priority % 8, text: "")

        // Cisco sequence number: "57: ".
        if let (number, rest) = numberColon(s) {
            message.sequence = number
            s = rest
        } else if s.hasPrefix(": ") {
            s = s.dropFirst(2)  // NX-OS: "<189>: 2026 Nov 23 …"
        }
        // Cisco origin-id before the clock: "r1: *Nov 23 …".
        if let colon = s.firstIndex(of: ":"), !s[..<colon].isEmpty, !s[..<colon].contains(" "),
            s[s.index(after: colon)...].hasPrefix(" ")
        {
            let after = s[s.index(after: colon)...].dropFirst()
            if timestamp(after) != nil {
                message.hostname = String(s[..<colon])
                s = after
            }
        }
        // IOS-XR node id glued to the clock: "RP/0/RSP0/CPU0:Nov 23 …".
        if let colon = s.firstIndex(of: ":"), s[..<colon].contains("/"), !s[..<colon].contains(" ") {
            let after = s[s.index(after: colon)...]
            if timestamp(after) != nil { s = after }
        }
        if let (stamp, rest, ciscoStyle) = timestamp(s) {
            message.timestamp = String(stamp)
            s = rest
            if !ciscoStyle, message.hostname == nil {
                var probe = s
                if let host = token(&probe), !host.isEmpty, !probe.isEmpty, !host.hasSuffix(":"),
                    !host.contains("["), !host.hasPrefix("%")
                {
                    message.hostname = String(host)
                    s = probe
                }
            }
        }
        while s.first == " " { s.removeFirst() }
        message.text = String(s)
        // TAG[pid]: or %FAC-SEV-MNEMONIC:
        let tagChars = s.prefix { $0.isASCII && ($0.isLetter || $0.isNumber || "_-./%".contains($0)) }
        if !tagChars.isEmpty {
            let after = s[tagChars.endIndex...]
            if after.first == ":" {
                message.appName = String(tagChars)
            } else if after.first == "[", let close = after.firstIndex(of: "]"),
                after[after.index(after: close)...].first == ":"
            {
                message.appName = String(tagChars)
                message.procID = String(after[after.index(after: after.startIndex)..<close])
            }
        }
        return message
    }

    /// "57: " → 57 and the rest.
    static func numberColon(_ s: Substring) -> (Int, Substring)? {
        let digits = s.prefix { digit($0) != nil }
        guard !digits.isEmpty, digits.count <= 10, let value = Int(digits) else { return nil }
        let rest = s[digits.endIndex...]
        guard rest.hasPrefix(": ") else { return nil }
        return (value, rest.dropFirst(2))
    }

    /// A clock at the start of `s`: BSD (`Nov 23 10:00:00`, Cisco `*Nov 23 2026 10:00:00.123 UTC:`)
    /// or ISO 8601 (`2026-11-23T10:00:00.123+00:00`). Returns the stamp, the rest after it and its
    /// separator, and whether it was the Cisco form ending in a colon (no hostname follows).
    static func timestamp(_ input: Substring) -> (Substring, Substring, Bool)? {
        var s = input
        if s.first == "*" || s.first == "." { s.removeFirst() }
        let whole = s
        let start = s.startIndex
        let end: Substring.Index
        // NX-OS puts the year first: "2026 Nov 23 10:00:00".
        let year = s.prefix { digit($0) != nil }
        if year.count == 4, s[year.endIndex...].first == " ",
            months.contains(s[year.endIndex...].dropFirst().prefix(3))
        {
            s = s[year.endIndex...].dropFirst()
        }
        if let month = Optional(s.prefix(3)), months.contains(month) {
            var rest = s.dropFirst(3)
            guard rest.first == " " else { return nil }
            while rest.first == " " { rest.removeFirst() }
            let day = rest.prefix { digit($0) != nil }
            guard (1...2).contains(day.count) else { return nil }
            rest = rest[day.endIndex...]
            guard rest.first == " " else { return nil }
            rest.removeFirst()
            let maybeYear = rest.prefix { digit($0) != nil }
            if maybeYear.count == 4, rest[maybeYear.endIndex...].first == " " {
                rest = rest[maybeYear.endIndex...].dropFirst()
            }
            guard let afterClock = clock(rest) else { return nil }
            rest = afterClock
            end = rest.startIndex
        } else if let isoEnd = iso8601End(s) {
            end = isoEnd
        } else {
            return nil
        }
        var rest = s[end...]
        // Cisco: "…:" or "… UTC:" ends the clock.
        if rest.first == ":" {
            let stamp = whole[start..<end]
            return (stamp, rest.dropFirst(), true)
        }
        if rest.first == " " {
            let zone = rest.dropFirst().prefix { $0.isASCII && $0.isLetter && $0.isUppercase }
            if (1...6).contains(zone.count), rest.dropFirst()[zone.endIndex...].first == ":" {
                let stamp = whole[start..<zone.endIndex]
                return (stamp, rest.dropFirst()[zone.endIndex...].dropFirst(), true)
            }
            // IOS-XR puts a space before the colon: "10:00:00.123 : config[…]".
            if rest.hasPrefix(" : ") {
                return (whole[start..<end], rest.dropFirst(3), true)
            }
            rest.removeFirst()
            return (whole[start..<end], rest, false)
        }
        if rest.isEmpty { return (whole[start..<end], rest, false) }
        return nil
    }

    /// `hh:mm:ss` with optional `.fraction`; the rest after it.
    static func clock(_ s: Substring) -> Substring? {
        let chars = Array(s.prefix(8))
        guard chars.count == 8, digit(chars[0]) != nil, digit(chars[1]) != nil, chars[2] == ":",
            digit(chars[3]) != nil, digit(chars[4]) != nil, chars[5] == ":",
            digit(chars[6]) != nil, digit(chars[7]) != nil
        else { return nil }
        var rest = s.dropFirst(8)
        if rest.first == ".", let next = rest.dropFirst().first, digit(next) != nil {
            rest = rest.dropFirst().drop { digit($0) != nil }
        }
        return rest
    }

    /// The end of an ISO 8601 date-time at the start of `s` (`YYYY-MM-DDThh:mm:ss[.f][Z|±hh:mm]`).
    static func iso8601End(_ s: Substring) -> Substring.Index? {
        let chars = Array(s.prefix(11))
        guard chars.count == 11, chars[4] == "-", chars[7] == "-", chars[10] == "T",
            chars.enumerated().allSatisfy({ [4, 7, 10].contains($0.offset) || digit($0.element) != nil })
        else { return nil }
        guard var rest = clock(s.dropFirst(11)) else { return nil }
        if rest.first == "Z" {
            rest.removeFirst()
        } else if rest.first == "+" || rest.first == "-" {
            let zone = Array(rest.dropFirst().prefix(5))
            if zone.count == 5, zone[2] == ":" { rest = rest.dropFirst(6) }
        }
        return rest.startIndex
    }
}
