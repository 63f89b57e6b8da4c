internal import CLibSSH2
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// libssh2_init, once per process, before the first session.
enum LibSSH2Library {
    static let initialized: Int32 = libssh2_init(0)
}

/// One libssh2 session and its socket, driven in non-blocking mode.
///
/// Every method blocks the calling thread (polling the socket, bounded by a deadline), so it
/// is only ever called on SSHTransport's own thread pool, never on Swift's cooperative pool.
/// Not thread-safe by itself: ``SessionHandle`` keeps it inside a `Mutex`, so one thread at a
/// time uses it.
final class LibSSH2Connection {
    let endpoint: SSHEndpoint
    let options: SSHOptions
    private(set) var session: OpaquePointer?
    private var socketFD: Int32 = -1
    /// Why the session can no longer be used (after a timeout, a lost connection, or an
    /// operation abandoned midway); `nil` while it is healthy.
    private(set) var brokenReason: String?
    /// Open shell channels by shell id.
    var shells: [Int: OpaquePointer] = [:]
    private var nextShellID = 0
    /// How many pager prompts the last ``exchange(id:send:redacted:until:pager:deadline:action:)``
    /// answered: with none, the output holds no pager prompt to remove.
    var pagerAnswersInLastExchange = 0
    /// Prompt and pager patterns compiled for this session: compiling (parsing and lowering) a
    /// pattern costs more CPU than matching it, and every shell command compiled two or three
    /// (about 8 % of a collection's CPU in a profile). Per session, because `Regex` with
    /// `AnyRegexOutput` is not `Sendable`.
    var compiledPatterns: [String: Regex<AnyRegexOutput>] = [:]

    private init(endpoint: SSHEndpoint, options: SSHOptions) {
        self.endpoint = endpoint
        self.options = options
    }

    deinit {
        teardown()
    }

    // MARK: - Connect

    /// Connects, verifies the host key and authenticates, all within `options.connectTimeout`.
    static func open(
        endpoint: SSHEndpoint, credentials: SSHCredentials, options: SSHOptions
    ) throws(SSHTransportError) -> LibSSH2Connection {
        let (connection, session, deadline) = try handshake(endpoint: endpoint, options: options)
        try connection.verifyHostKey()
        try connection.authenticate(credentials, deadline: deadline)
        if let interval = options.keepaliveInterval {
            libssh2_keepalive_config(session, 1, UInt32(max(1, interval.components.seconds)))
        }
        return connection
    }

    /// Connects and does the SSH handshake only, without verifying or authenticating, and
    /// returns the host key the server presented (for `hostkeys trust`).
    static func scanHostKey(endpoint: SSHEndpoint, options: SSHOptions) throws(SSHTransportError) -> SSHHostKey {
        let (connection, session, _) = try handshake(endpoint: endpoint, options: options)
        var length = 0
        var type: Int32 = 0
        guard let key = libssh2_session_hostkey(session, &length, &type), length > 0 else {
            throw SSHTransportError(.protocolError, endpoint: endpoint, message: "\(endpoint): the server presented no host key.")
        }
        let blob = Array(UnsafeRawBufferPointer(start: UnsafeRawPointer(key), count: length).bindMemory(to: UInt8.self))
        connection.teardown()
        return SSHHostKey(keyType: KnownHosts.keyType(ofKey: blob) ?? "unknown", keyBlob: blob)
    }

    /// The part of connecting that `open` and `scanHostKey` share: the TCP connection, a
    /// non-blocking session with the method preferences, and the SSH handshake, within
    /// `options.connectTimeout`. Returns the connection, its session and that deadline; on any
    /// failure the connection's deinit frees whatever was created.
    private static func handshake(
        endpoint: SSHEndpoint, options: SSHOptions
    ) throws(SSHTransportError) -> (LibSSH2Connection, OpaquePointer, ContinuousClock.Instant) {
        guard LibSSH2Library.initialized == 0 else {
            throw SSHTransportError(.protocolError, endpoint: endpoint, message: "libssh2_init failed; the libssh2 library cannot be used.")
        }
        let connection = LibSSH2Connection(endpoint: endpoint, options: options)
        let deadline = ContinuousClock.now.advanced(by: options.connectTimeout)
        try connection.connectSocket(deadline: deadline)
        guard let session = dw_session_init() else {
            throw SSHTransportError(.protocolError, endpoint: endpoint, message: "libssh2 could not allocate a session.")
        }
        connection.session = session
        libssh2_session_set_blocking(session, 0)
        try connection.setMethodPreferences()
        let handshake = try connection.retry(deadline: deadline, timeoutLimit: options.connectTimeout, while: "doing the SSH handshake") {
            libssh2_session_handshake(session, connection.socketFD)
        }
        guard handshake == 0 else { throw connection.handshakeError(handshake) }
        return (connection, session, deadline)
    }

    private func connectSocket(deadline: ContinuousClock.Instant) throws(SSHTransportError) {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_protocol = Int32(IPPROTO_TCP)
        hints.ai_flags = AI_ADDRCONFIG
        if endpoint.host.contains(":") { hints.ai_flags = AI_NUMERICHOST }
        var result: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(endpoint.host, String(endpoint.port), &hints, &result)
        guard status == 0, let first = result else {
            let reason = String(cString: gai_strerror(status))
            throw SSHTransportError(
                .connectionFailed, endpoint: endpoint,
                message: "\(endpoint): cannot resolve host name '\(endpoint.host)' (\(reason)). Check the device's host in the inventory and DNS.")
        }
        defer { freeaddrinfo(result) }
        var failures: [String] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor {
            cursor = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), info.pointee.ai_protocol)
            if fd < 0 {
                failures.append(String(cString: strerror(errno)))
                continue
            }
            let flags = fcntl(fd, F_GETFL, 0)
            _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
            var one: Int32 = 1
            _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            var rc = connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen)
            if rc != 0, errno == EINPROGRESS {
                while true {
                    let remaining = Self.milliseconds(until: deadline)
                    if remaining <= 0 {
                        close(fd)
                        throw timeoutError(while: "connecting", limit: options.connectTimeout)
                    }
                    var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
                    let ready = poll(&pfd, 1, remaining)
                    if ready > 0 { break }
                    if ready < 0, errno != EINTR { break }
                }
                var soError: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                _ = getsockopt(fd, SOL_SOCKET, SO_ERROR, &soError, &length)
                rc = soError == 0 ? 0 : -1
                if soError != 0 { errno = soError }
            }
            if rc == 0 {
                socketFD = fd
                return
            }
            failures.append(String(cString: strerror(errno)))
            close(fd)
        }
        throw SSHTransportError(
            .connectionFailed, endpoint: endpoint,
            message: "\(endpoint): cannot connect (\(failures.joined(separator: "; "))). Check that the device is up, that the port is right and that no firewall is in the way.")
    }

    static let supportedHostKeyTypes = [
        "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "ssh-rsa",
    ]

    /// The host-key algorithms to offer: the key types `known_hosts` already holds for this
    /// host first (so a pinned ed25519 key is not "changed" because libssh2 prefers ECDSA),
    /// then the rest, ed25519 before ECDSA before RSA.
    func hostKeyPreference() -> [String] {
        if let explicit = options.hostKeyAlgorithms { return explicit }
        let known = ((try? options.knownHosts.entries(host: endpoint.host, port: endpoint.port)) ?? [])
            .filter { !$0.revoked }.map(\.keyType)
        var order: [String] = []
        for type in known + Self.supportedHostKeyTypes where Self.supportedHostKeyTypes.contains(type) && !order.contains(type) {
            order.append(type)
        }
        return order
    }

    private func setMethodPreferences() throws(SSHTransportError) {
        guard let session else { return }
        var prefs: [(Int32, [String], String)] = [(DW_METHOD_HOSTKEY, hostKeyPreference(), "host-key algorithms")]
        if let kex = options.kexAlgorithms { prefs.append((DW_METHOD_KEX, kex, "key-exchange algorithms")) }
        if let ciphers = options.ciphers {
            prefs.append((DW_METHOD_CRYPT_CS, ciphers, "ciphers"))
            prefs.append((DW_METHOD_CRYPT_SC, ciphers, "ciphers"))
        }
        for (method, list, name) in prefs {
            let rc = libssh2_session_method_pref(session, method, list.joined(separator: ","))
            if rc != 0 {
                throw SSHTransportError(
                    .handshakeFailed, endpoint: endpoint,
                    message: "\(endpoint): libssh2 \(SSHTransportInfo.libssh2Version) supports none of the \(name) \(list.joined(separator: ",")). See docs/ssh-compatibility.md for what it supports.")
            }
        }
    }

    private func handshakeError(_ rc: Int32) -> SSHTransportError {
        let detail = lastErrorMessage()
        if rc == LIBSSH2_ERROR_SOCKET_DISCONNECT || rc == LIBSSH2_ERROR_SOCKET_RECV || rc == LIBSSH2_ERROR_SOCKET_SEND {
            return SSHTransportError(
                .connectionFailed, endpoint: endpoint,
                message: "\(endpoint): the server closed the connection during the SSH handshake (\(detail)). Is it an SSH server, and does it accept this client (MaxStartups, AllowUsers, tcp wrappers)?")
        }
        return SSHTransportError(
            .handshakeFailed, endpoint: endpoint,
            message: "\(endpoint): SSH handshake failed (\(detail)). Most often no algorithm is common to both sides: libssh2 \(SSHTransportInfo.libssh2Version) offers host keys ssh-ed25519, ecdsa-sha2-*, ssh-rsa (SHA-1 only, no rsa-sha2-*), ciphers aes*-ctr and aes*-cbc (no AES-GCM, no chacha20), MACs hmac-sha2-256/512 and hmac-sha1 (no -etm). A server with only an RSA host key must allow 'HostKeyAlgorithms +ssh-rsa'; an old device may need kexAlgorithms/ciphers set in the options. See docs/ssh-compatibility.md.")
    }

    // MARK: - Host key

    private func verifyHostKey() throws(SSHTransportError) {
        guard let session else { return }
        var length = 0
        var type: Int32 = 0
        guard let key = libssh2_session_hostkey(session, &length, &type), length > 0 else {
            throw SSHTransportError(.protocolError, endpoint: endpoint, message: "\(endpoint): the server presented no host key.")
        }
        let blob = Array(UnsafeRawBufferPointer(start: UnsafeRawPointer(key), count: length).bindMemory(to: UInt8.self))
        let keyType = KnownHosts.keyType(ofKey: blob) ?? "unknown"
        let presented = KnownHosts.fingerprint(ofKey: blob)
        let knownHosts = options.knownHosts
        let entries = try knownHosts.entries(host: endpoint.host, port: endpoint.port)
        if let revoked = entries.first(where: { $0.revoked && $0.keyBlob == blob }) {
            throw SSHTransportError(
                .hostKeyRevoked, endpoint: endpoint,
                message: "\(endpoint): the host key \(keyType) \(presented) is marked @revoked in \(knownHosts.path) (line \(revoked.line)). Refusing to connect; ask the device's administrator for its new key.",
                presentedFingerprint: presented)
        }
        let valid = entries.filter { !$0.revoked }
        if valid.contains(where: { $0.keyBlob == blob }) { return }
        let token = KnownHosts.hostToken(host: endpoint.host, port: endpoint.port)
        if valid.isEmpty {
            switch options.hostKeyPolicy {
            case .acceptNew:
                try knownHosts.append(host: endpoint.host, port: endpoint.port, keyType: keyType, keyBlob: blob)
                return
            case .strict:
                throw SSHTransportError(
                    .hostKeyUnknown, endpoint: endpoint,
                    message: "\(endpoint): host key \(keyType) \(presented) is not in \(knownHosts.path) and the host-key policy is strict. Check the fingerprint with the device's administrator, then trust it (e.g. 'driftwatch hostkeys trust DEVICE --fingerprint \(presented)'), or connect once with host_key_policy accept-new.",
                    presentedFingerprint: presented)
            }
        }
        let expected = valid.first(where: { $0.keyType == keyType }) ?? valid[0]
        let typeNote = expected.keyType == keyType ? "" : " (known_hosts holds a \(expected.keyType) key for this host, the server presented \(keyType))"
        throw SSHTransportError(
            .hostKeyChanged, endpoint: endpoint,
            message: "\(endpoint): HOST KEY CHANGED: \(knownHosts.path) line \(expected.line) expects \(expected.keyType) \(expected.fingerprint), the server presented \(keyType) \(presented)\(typeNote). Refusing to connect: this may be a man-in-the-middle attack. If the device was replaced or re-keyed, remove the old entry ('driftwatch hostkeys forget DEVICE' or 'ssh-keygen -R \"\(token)\" -f \(knownHosts.path)') and trust the new key.",
            expectedFingerprint: expected.fingerprint, presentedFingerprint: presented)
    }

    // MARK: - Authentication

    private func authenticate(_ credentials: SSHCredentials, deadline: ContinuousClock.Instant) throws(SSHTransportError) {
        guard let session else { return }
        let user = credentials.username
        let userLength = UInt32(user.utf8.count)
        var offeredPointer: UnsafeMutablePointer<CChar>?
        while true {
            offeredPointer = libssh2_userauth_list(session, user, userLength)
            if offeredPointer != nil || libssh2_userauth_authenticated(session) != 0 { break }
            let code = libssh2_session_last_errno(session)
            guard code == DW_ERROR_EAGAIN else {
                throw SSHTransportError(
                    .authenticationFailed, endpoint: endpoint,
                    message: "\(endpoint): the server did not list its authentication methods for user '\(user)' (\(lastErrorMessage())).")
            }
            try waitForSocket(deadline: deadline, limit: options.connectTimeout, while: "asking for authentication methods")
        }
        guard let offeredPointer else { return }  // "none" authentication was accepted
        let offered = String(cString: offeredPointer).split(separator: ",").map(String.init)
        let offeredText = offered.isEmpty ? "none" : offered.joined(separator: ",")

        func refused(_ method: String, _ hint: String = "") -> SSHTransportError {
            SSHTransportError(
                .authenticationFailed, endpoint: endpoint,
                message: "\(endpoint): authentication as '\(user)' with \(method) failed (server offers: \(offeredText)).\(hint) Check the username and credentials in the inventory.",
                offeredMethods: offered)
        }
        func notOffered(_ method: String) -> SSHTransportError {
            SSHTransportError(
                .authenticationFailed, endpoint: endpoint,
                message: "\(endpoint): the server does not offer \(method) authentication for '\(user)' (it offers: \(offeredText)). Use credentials of an offered method.",
                offeredMethods: offered)
        }

        switch credentials.method {
        case .privateKey(let path, let passphrase):
            guard offered.contains("publickey") else { throw notOffered("publickey") }
            let keyType = PrivateKeyFile.keyType(atPath: path)
            let rc = try retry(deadline: deadline, timeoutLimit: options.connectTimeout, while: "authenticating with a key") {
                libssh2_userauth_publickey_fromfile_ex(session, user, userLength, nil, path, passphrase)
            }
            if rc == 0 { return }
            if rc == LIBSSH2_ERROR_FILE {
                throw SSHTransportError(
                    .privateKeyUnusable, endpoint: endpoint,
                    message: "\(endpoint): cannot use private key file \(path) (\(lastErrorMessage())). Check that it exists, is readable, is in OpenSSH or PEM format, and that the passphrase is right.",
                    offeredMethods: offered)
            }
            var hint = ""
            if keyType == "ssh-rsa" {
                hint = " The key is RSA: libssh2 \(SSHTransportInfo.libssh2Version) signs with ssh-rsa (SHA-1) only, so the server must accept ssh-rsa (OpenSSH: 'PubkeyAcceptedAlgorithms +ssh-rsa'); or use an ed25519 or ECDSA key."
            }
            throw refused("public key \(path)", hint)
        case .password(let password):
            if offered.contains("password") {
                let rc = try retry(deadline: deadline, timeoutLimit: options.connectTimeout, while: "authenticating with a password") {
                    libssh2_userauth_password_ex(session, user, userLength, password, UInt32(password.utf8.count), nil)
                }
                if rc == 0 { return }
                if rc == LIBSSH2_ERROR_PASSWORD_EXPIRED {
                    throw refused("password", " The password has expired and must be changed on the device.")
                }
                throw refused("password")
            }
            guard offered.contains("keyboard-interactive") else { throw notOffered("password") }
            try keyboardInteractive(user: user, password: password, deadline: deadline, refused: refused)
        case .keyboardInteractive(let password):
            guard offered.contains("keyboard-interactive") else { throw notOffered("keyboard-interactive") }
            try keyboardInteractive(user: user, password: password, deadline: deadline, refused: refused)
        }
    }

    private func keyboardInteractive(
        user: String, password: String, deadline: ContinuousClock.Instant,
        refused: (String, String) -> SSHTransportError
    ) throws(SSHTransportError) {
        guard let session else { return }
        // The answer must stay at one address while libssh2 returns EAGAIN and is called again.
        let secret = strdup(password)
        let answer = UnsafeMutablePointer<dw_kbdint_answer>.allocate(capacity: 1)
        answer.initialize(to: dw_kbdint_answer(password: UnsafePointer(secret), length: UInt32(password.utf8.count), rounds: 0, prompts_answered: 0))
        defer {
            if let secret {
                memset(secret, 0, strlen(secret))
                free(secret)
            }
            answer.deinitialize(count: 1)
            answer.deallocate()
            libssh2_session_abstract(session)?.pointee = nil
        }
        let rc = try retry(deadline: deadline, timeoutLimit: options.connectTimeout, while: "authenticating with keyboard-interactive") {
            dw_userauth_kbdint(session, user, UInt32(user.utf8.count), answer)
        }
        if rc != 0 { throw refused("keyboard-interactive", "") }
    }

    // MARK: - Waiting

    static func milliseconds(until deadline: ContinuousClock.Instant) -> Int32 {
        let remaining = ContinuousClock.now.duration(to: deadline)
        if remaining <= .zero { return 0 }
        let ms = remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000
        return Int32(clamping: max(1, ms))
    }

    func timeoutError(while action: String, limit: Duration) -> SSHTransportError {
        SSHTransportError(
            .timeout, endpoint: endpoint,
            message: "\(endpoint): no answer within \(Self.describe(limit)) while \(action). The device may be hung or overloaded; if it is only slow, raise its timeout.")
    }

    static func describe(_ duration: Duration) -> String {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        return seconds == seconds.rounded() ? "\(Int(seconds)) s" : "\(seconds) s"
    }

    /// Waits until the socket is ready in the direction libssh2 is blocked on, sending
    /// keepalives when due. Throws `.timeout` (and marks the session broken) at the deadline.
    func waitForSocket(deadline: ContinuousClock.Instant, limit: Duration, while action: String) throws(SSHTransportError) {
        guard let session else { throw closedError() }
        var timeout = Self.milliseconds(until: deadline)
        if timeout <= 0 {
            brokenReason = "a timeout while \(action)"
            throw timeoutError(while: action, limit: limit)
        }
        let directions = libssh2_session_block_directions(session)
        // Keepalives only while libssh2 waits to read: with a packet half-written (blocked
        // outbound) libssh2 must be called again with the same call before anything else.
        if options.keepaliveInterval != nil, directions & DW_BLOCK_OUTBOUND == 0 {
            var next: Int32 = 0
            if libssh2_keepalive_send(session, &next) == 0, next > 0 { timeout = min(timeout, next * 1000) }
        }
        var events: Int16 = 0
        if directions & DW_BLOCK_INBOUND != 0 { events |= Int16(POLLIN) }
        if directions & DW_BLOCK_OUTBOUND != 0 { events |= Int16(POLLOUT) }
        if events == 0 { events = Int16(POLLIN) }
        var pfd = pollfd(fd: socketFD, events: events, revents: 0)
        _ = poll(&pfd, 1, timeout)
    }

    /// Calls `body` until it stops returning EAGAIN, waiting for the socket in between.
    func retry(
        deadline: ContinuousClock.Instant, timeoutLimit: Duration, while action: String, _ body: () -> Int32
    ) throws(SSHTransportError) -> Int32 {
        while true {
            let rc = body()
            if rc != DW_ERROR_EAGAIN { return rc }
            try waitForSocket(deadline: deadline, limit: timeoutLimit, while: action)
        }
    }

    /// Like ``retry(deadline:timeoutLimit:while:_:)`` for calls that return a pointer (NULL
    /// with EAGAIN as the session's last error means "call again").
    func retryPointer(
        deadline: ContinuousClock.Instant, timeoutLimit: Duration, while action: String, _ body: () -> OpaquePointer?
    ) throws(SSHTransportError) -> OpaquePointer? {
        guard let session else { throw closedError() }
        while true {
            if let pointer = body() { return pointer }
            if libssh2_session_last_errno(session) != DW_ERROR_EAGAIN { return nil }
            try waitForSocket(deadline: deadline, limit: timeoutLimit, while: action)
        }
    }

    func lastErrorMessage() -> String {
        guard let session else { return "no session" }
        var buffer = [CChar](repeating: 0, count: 512)
        let code = dw_last_error(session, &buffer, buffer.count)
        let text = String(decoding: buffer.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return text.isEmpty ? "libssh2 error \(code)" : text
    }

    func closedError() -> SSHTransportError {
        SSHTransportError(
            .sessionClosed, endpoint: endpoint,
            message: "\(endpoint): the session is closed\(brokenReason.map { " after \($0)" } ?? ""). Open a new session.")
    }

    /// Throws if the session was broken by an earlier failure.
    func ensureUsable() throws(SSHTransportError) {
        if session == nil || brokenReason != nil { throw closedError() }
    }

    /// Marks the session unusable: called when an operation was abandoned midway.
    func markBroken(_ reason: String) {
        if brokenReason == nil { brokenReason = reason }
    }

    /// Turns a failed libssh2 call into an error: a lost connection, or `code` with the detail.
    func failure(_ rc: Int, _ code: SSHTransportError.Code, _ action: String) -> SSHTransportError {
        let detail = lastErrorMessage()
        if rc == Int(LIBSSH2_ERROR_SOCKET_DISCONNECT) || rc == Int(LIBSSH2_ERROR_SOCKET_RECV)
            || rc == Int(LIBSSH2_ERROR_SOCKET_SEND) || rc == Int(LIBSSH2_ERROR_CHANNEL_CLOSED)
        {
            markBroken("the connection was lost")
            return SSHTransportError(
                .connectionLost, endpoint: endpoint,
                message: "\(endpoint): the connection was lost while \(action) (\(detail)). The device may have closed the session or restarted.")
        }
        markBroken("an error while \(action)")
        return SSHTransportError(code, endpoint: endpoint, message: "\(endpoint): failed while \(action): \(detail).")
    }

    // MARK: - Channels

    func openChannel(deadline: ContinuousClock.Instant) throws(SSHTransportError) -> OpaquePointer {
        guard let session else { throw closedError() }
        guard let channel = try retryPointer(deadline: deadline, timeoutLimit: options.operationTimeout, while: "opening a channel", { dw_channel_open_session(session) }) else {
            throw failure(Int(libssh2_session_last_errno(session)), .channelFailed, "opening a channel")
        }
        return channel
    }

    /// Closes and frees a channel within the deadline; if it cannot, the session is marked broken
    /// and the channel is freed with the session.
    func freeChannel(_ channel: OpaquePointer, deadline: ContinuousClock.Instant) {
        let bounded = min(deadline, ContinuousClock.now.advanced(by: .seconds(2)))
        do {
            _ = try retry(deadline: bounded, timeoutLimit: .seconds(2), while: "closing a channel") { libssh2_channel_close(channel) }
            let rc = try retry(deadline: bounded, timeoutLimit: .seconds(2), while: "freeing a channel") { libssh2_channel_free(channel) }
            if rc != 0 { markBroken("a channel that could not be freed") }
        } catch {
            markBroken("a channel that could not be closed in time")
        }
    }

    func newShellID() -> Int {
        nextShellID += 1
        return nextShellID
    }

    // MARK: - Teardown

    /// Disconnects politely (bounded to 1 s) when healthy, then frees every libssh2 resource and
    /// closes the socket. Safe to call more than once.
    func teardown() {
        if let session {
            if brokenReason == nil {
                let deadline = ContinuousClock.now.advanced(by: .seconds(1))
                for channel in shells.values { freeChannel(channel, deadline: deadline) }
                _ = try? retry(deadline: deadline, timeoutLimit: .seconds(1), while: "disconnecting") {
                    dw_session_disconnect(session, "DriftWatch closing the session")
                }
            }
            shells.removeAll()
            // After shutdown every read sees EOF and every send fails at once, so freeing never waits
            // on the peer; libssh2 frees channels still open together with the session.
            if socketFD >= 0 { shutdown(socketFD, Int32(SHUT_RDWR)) }
            var attempts = 0
            while libssh2_session_free(session) == DW_ERROR_EAGAIN, attempts < 1000 {
                attempts += 1
                var pfd = pollfd(fd: socketFD, events: Int16(POLLIN | POLLOUT), revents: 0)
                _ = poll(&pfd, 1, 1)
            }
            self.session = nil
        }
        if socketFD >= 0 {
            close(socketFD)
            socketFD = -1
        }
    }
}
