import Crypto
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// An OpenSSH `known_hosts` file: plain and hashed (`|1|salt|hmac`) host entries, the
/// `[host]:port` form for ports other than 22, `*`/`?` wildcards, `!` negations and the
/// `@revoked` marker (`@cert-authority` lines are skipped: certificates are not supported).
public struct KnownHosts: Sendable, Hashable {
    /// One key line of the file.
    public struct Entry: Sendable, Hashable {
        /// How the line names its hosts.
        public enum Hosts: Sendable, Hashable {
            /// Comma-separated patterns, as written (`host`, `[host]:2222`, `*.example.net`, `!bad`).
            case patterns([String])
            /// A hashed name: HMAC-SHA1 of the host token keyed with the salt.
            case hashed(salt: [UInt8], hash: [UInt8])
        }

        /// The hosts the line applies to.
        public var hosts: Hosts
        /// The key type, e.g. `ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`.
        public var keyType: String
        /// The public key blob (SSH wire format).
        public var keyBlob: [UInt8]
        /// Whether the line carries the `@revoked` marker.
        public var revoked: Bool
        /// 1-based line number in the file.
        public var line: Int

        /// The key's fingerprint as `ssh-keygen -l` prints it: `SHA256:<base64, no padding>`.
        public var fingerprint: String { KnownHosts.fingerprint(ofKey: keyBlob) }

        /// Whether the entry names `token` (see ``KnownHosts/hostToken(host:port:)``).
        public func matches(token: String) -> Bool {
            let token = token.lowercased()
            switch hosts {
            case .hashed(let salt, let hash):
                let mac = HMAC<Insecure.SHA1>.authenticationCode(
                    for: Array(token.utf8), using: SymmetricKey(data: salt))
                return Array(mac) == hash
            case .patterns(let patterns):
                var matched = false
                for pattern in patterns {
                    let negated = pattern.hasPrefix("!")
                    let body = negated ? String(pattern.dropFirst()) : pattern
                    if KnownHosts.wildcardMatch(body.lowercased(), token) {
                        if negated { return false }
                        matched = true
                    }
                }
                return matched
            }
        }
    }

    /// The file's path.
    public var path: String

    /// Refers to the file at `path` (it need not exist yet; ``append(host:port:keyType:keyBlob:hashed:)`` creates it).
    public init(path: String) {
        self.path = path
    }

    /// The token a host is written as: `host` for port 22, `[host]:port` otherwise.
    public static func hostToken(host: String, port: Int) -> String {
        port == 22 ? host.lowercased() : "[\(host.lowercased())]:\(port)"
    }

    /// `SHA256:` and the unpadded base64 of the SHA-256 of a public key blob, as OpenSSH prints it.
    public static func fingerprint(ofKey blob: [UInt8]) -> String {
        let digest = SHA256.hash(data: blob)
        var base64 = Data(digest).base64EncodedString()
        while base64.hasSuffix("=") { base64.removeLast() }
        return "SHA256:" + base64
    }

    /// The key type named inside a public key blob (its first SSH string), if well formed.
    public static func keyType(ofKey blob: [UInt8]) -> String? {
        guard blob.count >= 4 else { return nil }
        let length = Int(blob[0]) << 24 | Int(blob[1]) << 16 | Int(blob[2]) << 8 | Int(blob[3])
        guard length > 0, length <= blob.count - 4 else { return nil }
        return String(decoding: blob[4..<(4 + length)], as: UTF8.self)
    }

    /// Parses `known_hosts` text. Comments, blank lines, `@cert-authority` lines and lines that
    /// are not `hosts keytype base64` are skipped, as OpenSSH does.
    public static func parse(_ text: String) -> [Entry] {
        var entries: [Entry] = []
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = trimmedBlanks(rawLine)
            if line.isEmpty || line.hasPrefix("#") { continue }
            var fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
            var revoked = false
            if let first = fields.first, first.hasPrefix("@") {
                guard first == "@revoked" else { continue }
                revoked = true
                fields.removeFirst()
            }
            guard fields.count >= 3, let blob = Data(base64Encoded: fields[2]) else { continue }
            let hosts: Entry.Hosts
            if fields[0].hasPrefix("|1|") {
                let parts = fields[0].split(separator: "|", omittingEmptySubsequences: true)
                guard parts.count == 3, let salt = Data(base64Encoded: String(parts[1])),
                    let hash = Data(base64Encoded: String(parts[2]))
                else { continue }
                hosts = .hashed(salt: Array(salt), hash: Array(hash))
            } else {
                hosts = .patterns(fields[0].split(separator: ",").map(String.init))
            }
            entries.append(
                Entry(hosts: hosts, keyType: fields[1], keyBlob: Array(blob), revoked: revoked, line: lineNumber))
        }
        return entries
    }

    /// Every entry of the file; an absent file has none.
    ///
    /// Parsed files are kept in a process-wide cache keyed by path and checked against the
    /// file's identity (device, inode, size, modification and change times) on every call, so
    /// each connection no longer re-reads and re-parses the whole file (with one line per device,
    /// that made every connection cost O(devices): about 5 ms of CPU each at 1,000 devices). A
    /// file modified or changed within the last 100 ms is always re-read (git's "racy" index
    /// entries): the kernel's file timestamps are coarser (one clock tick, at most 10 ms) than a
    /// quick rewrite of the same size.
    public func entries() throws(SSHTransportError) -> [Entry] {
        try parsed().entries
    }

    /// The parsed file and its host index, from the cache when the file has not changed.
    func parsed() throws(SSHTransportError) -> Parsed {
        var info = stat()
        guard stat(path, &info) == 0 else {
            if errno == ENOENT || errno == ENOTDIR {
                KnownHosts.cache.withLock { _ = $0.removeValue(forKey: path) }
                return Parsed(entries: [])
            }
            return Parsed(entries: try readAndParse())
        }
        let identity = FileIdentity(info)
        // Parsed under the lock: the first connections of a large run all arrive at once and
        // would each parse the file (a fifth of the CPU of 200 collections in a profile).
        return try KnownHosts.cache.withLock { (cache) throws(SSHTransportError) -> Parsed in
            if let cached = cache[path], cached.identity == identity { return cached.parsed }
            let parsed = Parsed(entries: try readAndParse())
            if !Self.isRacy(info) {
                if cache.count >= 64 { cache.removeAll() }
                cache[path] = CachedFile(identity: identity, parsed: parsed)
            }
            return parsed
        }
    }

    private func readAndParse() throws(SSHTransportError) -> [Entry] {
        guard FileManager.default.fileExists(atPath: path) else { return [] }
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            return KnownHosts.parse(String(decoding: data, as: UTF8.self))
        } catch {
            throw SSHTransportError(
                .knownHostsUnavailable, endpoint: nil,
                message: "cannot read known_hosts file \(path): \(error.localizedDescription). Check the path and its permissions.")
        }
    }

    /// The entries that apply to `host` on `port`.
    public func entries(host: String, port: Int) throws(SSHTransportError) -> [Entry] {
        try parsed().entries(matching: KnownHosts.hostToken(host: host, port: port))
    }

    /// The line that ``append(host:port:keyType:keyBlob:hashed:)`` writes (without newline).
    public static func line(host: String, port: Int, keyType: String, keyBlob: [UInt8], hashed: Bool = false) -> String {
        let token = hostToken(host: host, port: port)
        var name = token
        if hashed {
            var salt = [UInt8](repeating: 0, count: 20)
            var generator = SystemRandomNumberGenerator()
            for index in salt.indices { salt[index] = UInt8.random(in: 0...255, using: &generator) }
            let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Array(token.utf8), using: SymmetricKey(data: salt))
            name = "|1|\(Data(salt).base64EncodedString())|\(Data(mac).base64EncodedString())"
        }
        return "\(name) \(keyType) \(Data(keyBlob).base64EncodedString())"
    }

    /// Appends an entry for `host`/`port`, creating the file (mode 0600) and its folder if needed.
    /// One `write` with `O_APPEND`, so concurrent appends do not interleave.
    public func append(host: String, port: Int, keyType: String, keyBlob: [UInt8], hashed: Bool = false) throws(SSHTransportError) {
        let text = KnownHosts.line(host: host, port: port, keyType: keyType, keyBlob: keyBlob, hashed: hashed) + "\n"
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw SSHTransportError(
                .knownHostsUnavailable, endpoint: SSHEndpoint(host: host, port: port),
                message: "cannot append to known_hosts file \(path): \(String(cString: strerror(errno))). Check its permissions.")
        }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else {
            throw SSHTransportError(
                .knownHostsUnavailable, endpoint: SSHEndpoint(host: host, port: port),
                message: "cannot append to known_hosts file \(path): short write. Check the disk.")
        }
    }

    /// Removes every entry that names `host`/`port` (plain or hashed, as `ssh-keygen -R` does;
    /// an entry that also names other hosts is removed whole). Returns how many lines were removed.
    @discardableResult
    public func remove(host: String, port: Int) throws(SSHTransportError) -> Int {
        guard FileManager.default.fileExists(atPath: path) else { return 0 }
        let token = KnownHosts.hostToken(host: host, port: port)
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw SSHTransportError(.knownHostsUnavailable, endpoint: SSHEndpoint(host: host, port: port),
                                    message: "cannot read known_hosts file \(path): \(error.localizedDescription).")
        }
        var kept: [Substring] = []
        var removed = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if let entry = KnownHosts.parse(String(line)).first, entry.matches(token: token) {
                removed += 1
            } else {
                kept.append(line)
            }
        }
        guard removed > 0 else { return 0 }
        do {
            try kept.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
            chmod(path, 0o600)
        } catch {
            throw SSHTransportError(.knownHostsUnavailable, endpoint: SSHEndpoint(host: host, port: port),
                                    message: "cannot rewrite known_hosts file \(path): \(error.localizedDescription).")
        }
        return removed
    }

    /// Whether the file changed so recently that a rewrite within the same timestamp tick could
    /// leave its identity unchanged (see ``entries()``).
    static func isRacy(_ info: stat) -> Bool {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        func nanoseconds(_ t: timespec) -> Int64 { Int64(t.tv_sec) * 1_000_000_000 + Int64(t.tv_nsec) }
        let latest = max(nanoseconds(info.st_mtim), nanoseconds(info.st_ctim))
        return nanoseconds(now) - latest < 100_000_000
    }

    /// `line` without leading and trailing blanks (tab and Unicode space separators: what
    /// Foundation's `.whitespaces` trims, without bridging through NSString, which made parsing
    /// about 15 µs per line).
    static func trimmedBlanks(_ line: Substring) -> Substring {
        let scalars = line.unicodeScalars
        func blank(_ scalar: Unicode.Scalar) -> Bool {
            scalar == " " || scalar == "\t" || scalar.properties.generalCategory == .spaceSeparator
        }
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, blank(scalars[start]) { start = scalars.index(after: start) }
        while end > start, blank(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
        return Substring(scalars[start..<end])
    }

    /// What identifies one version of a file for the parse cache.
    struct FileIdentity: Equatable, Sendable {
        var device: UInt64, inode: UInt64, size: Int64
        var modified: Int64, modifiedNanoseconds: Int64, changed: Int64, changedNanoseconds: Int64

        init(_ info: stat) {
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
            size = Int64(info.st_size)
            modified = Int64(info.st_mtim.tv_sec)
            modifiedNanoseconds = Int64(info.st_mtim.tv_nsec)
            changed = Int64(info.st_ctim.tv_sec)
            changedNanoseconds = Int64(info.st_ctim.tv_nsec)
        }
    }

    struct CachedFile: Sendable {
        var identity: FileIdentity
        var parsed: Parsed
    }

    /// A parsed file with an index of its plain host names.
    ///
    /// Each collection looks its device up two or three times; trying every line's patterns
    /// made a lookup O(devices) (at 1,000 devices, three million pattern matches a run). Lines
    /// whose patterns are all plain names (no `*`, `?` or `!`) are found by name; hashed lines,
    /// wildcards and negations are still tried one by one. Results keep the file's order.
    struct Parsed: Sendable {
        let entries: [Entry]
        private var byName: [String: [Int]] = [:]
        private var tryEach: [Int] = []

        init(entries: [Entry]) {
            self.entries = entries
            for (index, entry) in entries.enumerated() {
                if case .patterns(let patterns) = entry.hosts, patterns.allSatisfy(Self.isPlainName) {
                    for name in Set(patterns.map { $0.lowercased() }) { byName[name, default: []].append(index) }
                } else {
                    tryEach.append(index)
                }
            }
        }

        /// A pattern that matches only itself (ignoring case).
        static func isPlainName(_ pattern: String) -> Bool {
            !pattern.hasPrefix("!") && !pattern.utf8.contains(UInt8(ascii: "*")) && !pattern.utf8.contains(UInt8(ascii: "?"))
        }

        /// The entries that name `token`, in file order: what `entries.filter { $0.matches(token:) }` gives.
        func entries(matching token: String) -> [Entry] {
            let token = token.lowercased()
            var found = byName[token] ?? []
            for index in tryEach where entries[index].matches(token: token) { found.append(index) }
            if !tryEach.isEmpty { found.sort() }
            return found.map { entries[$0] }
        }
    }

    /// Parsed files by path (see ``entries()``); at most 64 paths, then it starts afresh.
    static let cache = Mutex<[String: CachedFile]>([:])

    /// OpenSSH pattern matching: `*` any run of characters, `?` one character.
    static func wildcardMatch(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern.utf8)
        let t = Array(text.utf8)
        var pi = 0
        var ti = 0
        var star = -1
        var mark = 0
        while ti < t.count {
            if pi < p.count, p[pi] == UInt8(ascii: "?") || p[pi] == t[ti] {
                pi += 1
                ti += 1
            } else if pi < p.count, p[pi] == UInt8(ascii: "*") {
                star = pi
                mark = ti
                pi += 1
            } else if star >= 0 {
                pi = star + 1
                mark += 1
                ti = mark
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }
}
