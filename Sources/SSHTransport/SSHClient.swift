import NIOPosix
import Synchronization

/// Opens SSH sessions. libssh2 work runs on the client's own thread pool, never on Swift's
/// cooperative pool, so hundreds of sessions at once do not stall other tasks.
///
/// ```swift
/// let client = SSHClient.shared
/// let config = try await client.withSession(to: SSHEndpoint(host: "192.0.2.10"),
///                                          credentials: .privateKey(username: "netops", path: keyPath),
///                                          options: SSHOptions(knownHosts: KnownHosts(path: ".driftwatch/known_hosts"))) { session in
///     try await session.exec("show running-config").stdoutText
/// }
/// ```
public final class SSHClient: Sendable {
    /// A process-wide client with 64 threads (started on first use, never shut down).
    public static let shared = SSHClient(threads: 64)

    let pool: NIOThreadPool

    /// A client with its own pool of `threads` threads: the number of sessions that can be inside
    /// a libssh2 call at the same moment (others wait their turn without blocking any thread).
    public init(threads: Int) {
        pool = NIOThreadPool(numberOfThreads: max(1, threads))
        pool.start()
    }

    /// Stops the client's threads. Sessions still open fail with ``SSHTransportError/Code/sessionClosed``.
    public func shutdown() async throws {
        try await pool.shutdownGracefully()
    }

    /// Connects to `endpoint`, verifies its host key, authenticates, runs `body` with the session
    /// and closes the session afterwards, whether `body` returns or throws.
    public func withSession<Result>(
        to endpoint: SSHEndpoint, credentials: SSHCredentials, options: SSHOptions,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (SSHSession) async throws -> Result
    ) async throws -> Result {
        let session = try await connect(to: endpoint, credentials: credentials, options: options)
        do {
            let result = try await body(session)
            await session.close()
            return result
        } catch {
            await session.close()
            throw error
        }
    }

    /// Connects without a scope; the caller must call ``SSHSession/close()``. Prefer ``withSession(to:credentials:options:isolation:_:)``.
    public func connect(to endpoint: SSHEndpoint, credentials: SSHCredentials, options: SSHOptions) async throws -> SSHSession {
        let handle = try await run(endpoint) {
            SessionHandle(try LibSSH2Connection.open(endpoint: endpoint, credentials: credentials, options: options))
        }
        return SSHSession(client: self, handle: handle, endpoint: endpoint, options: options)
    }

    /// Does the SSH handshake only and returns the host key the server presents, without
    /// verifying it or logging in: what `driftwatch hostkeys trust` shows before pinning it. The
    /// key type asked for follows ``SSHOptions/hostKeyAlgorithms`` or, by default, `known_hosts`
    /// then ed25519, ECDSA, RSA.
    public func scanHostKey(of endpoint: SSHEndpoint, options: SSHOptions) async throws -> SSHHostKey {
        try await run(endpoint) { try LibSSH2Connection.scanHostKey(endpoint: endpoint, options: options) }
    }

    /// Runs blocking libssh2 work on the pool, mapping pool errors to ``SSHTransportError``.
    func run<T: Sendable>(_ endpoint: SSHEndpoint, _ work: @escaping @Sendable () throws -> T) async throws -> T {
        do {
            return try await pool.runIfActive(work)
        } catch let error as SSHTransportError {
            throw error
        } catch {
            throw SSHTransportError(
                .sessionClosed, endpoint: endpoint,
                message: "\(endpoint): the SSH client is shut down (\(error)); no new work can start.")
        }
    }
}

/// The libssh2 connection of one session.
///
/// Invariant: the connection (a libssh2 session, its socket and channels) is only touched inside
/// `connection.withLock`, and only from the client's thread pool, so exactly one thread uses it
/// at a time; concurrent calls on one session queue on the lock (on pool threads, never on the
/// cooperative pool). `Mutex` makes the handle `Sendable` without `@unchecked`.
final class SessionHandle: Sendable {
    let connection: Mutex<LibSSH2Connection?>

    init(_ connection: sending LibSSH2Connection) {
        self.connection = Mutex(connection)
    }

    /// Runs `work` with the live connection, or throws `.sessionClosed` once closed.
    func with<T>(_ endpoint: SSHEndpoint, _ work: (LibSSH2Connection) throws(SSHTransportError) -> sending T) throws(SSHTransportError) -> sending T {
        try connection.withLock { (value: inout LibSSH2Connection?) throws(SSHTransportError) -> sending T in
            guard let live = value else {
                throw SSHTransportError(.sessionClosed, endpoint: endpoint, message: "\(endpoint): the session is closed. Open a new session.")
            }
            return try work(live)
        }
    }

    /// Tears the connection down (once) and forgets it.
    func close() {
        connection.withLock { value in
            value?.teardown()
            value = nil
        }
    }
}
