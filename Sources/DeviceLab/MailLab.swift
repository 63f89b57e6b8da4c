import Foundation
import Synchronization

/// A real SMTP server (aiosmtpd, from the project's Python venv) on a free loopback port, for
/// the Mailer and alerting tests and for the demo.
///
/// The server is `Emulator/smtp_lab.py`, run with `$DRIFTWATCH_VENV/bin/python` (default
/// `<package root>/.build/venv/bin/python`; `scripts/install-deps.sh` creates it). It writes
/// every delivered message, as received, into a Maildir in the lab folder; ``messages()`` reads
/// them back. In ``MailLabOptions/Security/startTLS`` and ``MailLabOptions/Security/implicitTLS``
/// modes the server presents a certificate for `localhost` and `127.0.0.1` signed by a CA the lab
/// generates with `openssl` (``caFile``). With ``MailLabOptions/requireAuth`` it requires AUTH
/// PLAIN or LOGIN with ``username`` and ``password``. ``setFailures(_:)`` makes it answer 4xx or
/// 5xx to MAIL, RCPT or DATA from the next command on. ``stopServer()`` and ``startServer()``
/// stop and restart it on the same port (an outage).
///
/// ```swift
/// try await MailLab.withLab(MailLabOptions(security: .startTLS, requireAuth: true)) { lab in
///     // SMTPConfiguration(host: lab.host, port: lab.port, caFile: lab.caFile, …)
///     let delivered = try await lab.waitForMessages(count: 1)
/// }
/// ```
public final class MailLab: Sendable {
    /// The lab's temporary folder (removed by ``stop()``).
    public let directory: String
    /// `127.0.0.1`.
    public let host = "127.0.0.1"
    /// The port the server listens on (the same after a restart).
    public let port: Int
    /// The options the lab was started with.
    public let options: MailLabOptions
    /// The login AUTH accepts (when ``MailLabOptions/requireAuth``).
    public let username = "driftwatch-lab"
    /// The password AUTH accepts (random per lab).
    public let password: String
    /// The PEM file of the CA that signed the server certificate (TLS modes), else `nil`.
    public let caFile: String?
    /// The Maildir the server delivers into.
    public var maildir: String { "\(directory)/maildir" }

    private struct State {
        var process: LabProcess?
        var stopped = false
    }

    private let python: String
    private let script: String
    private let state: Mutex<State>

    private init(
        directory: String, port: Int, options: MailLabOptions, password: String, caFile: String?, python: String,
        script: String, process: LabProcess
    ) {
        self.directory = directory
        self.port = port
        self.options = options
        self.password = password
        self.caFile = caFile
        self.python = python
        self.script = script
        self.state = Mutex(State(process: process))
    }

    deinit {
        // Last resort when stop() was not awaited: leave no process and no folder behind.
        let (process, stopped) = state.withLock { ($0.process, $0.stopped) }
        if !stopped {
            process?.signal(SIGKILL)
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    /// The Python interpreter of the project venv: `$DRIFTWATCH_VENV/bin/python`, else
    /// `<package root>/.build/venv/bin/python`.
    public static func pythonPath(packageRoot: String = packageRoot()) -> String {
        if let venv = ProcessInfo.processInfo.environment["DRIFTWATCH_VENV"], !venv.isEmpty {
            return "\(venv)/bin/python"
        }
        return "\(packageRoot)/.build/venv/bin/python"
    }

    /// The package root, found from this source file's path.
    public static func packageRoot(_ file: String = #filePath) -> String {
        URL(fileURLWithPath: file).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    }

    /// Starts a lab server; stop it with ``stop()`` (or use ``withLab(_:isolation:_:)``).
    public static func start(_ options: MailLabOptions = MailLabOptions()) async throws -> MailLab {
        let python = pythonPath()
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw DeviceLabError(
                "MailLab needs aiosmtpd in a Python venv, and \(python) does not exist: run "
                    + "'bash scripts/install-deps.sh' (or set DRIFTWATCH_VENV to the venv it created).")
        }
        guard let emulator = Bundle.module.url(forResource: "Emulator", withExtension: nil) else {
            throw DeviceLabError("the DeviceLab Emulator resource is missing from the build.")
        }
        let script = emulator.appendingPathComponent("smtp_lab.py").path
        let directory = try makeDirectory(in: options.parentDirectory)
        do {
            let password = "pw-" + randomToken(20)
            try DeviceLab.writeFile("\(directory)/password", password + "\n", mode: 0o600)
            try DeviceLab.writeFile("\(directory)/failure", "")
            var caFile: String?
            if options.security != .plain {
                try await makeCertificates(directory: directory, names: options.certificateNames)
                caFile = "\(directory)/ca.pem"
            }
            let (process, port) = try await launch(
                python: python, script: script, directory: directory, port: 0, options: options)
            return MailLab(
                directory: directory, port: port, options: options, password: password, caFile: caFile, python: python,
                script: script, process: process)
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
    }

    /// Starts a lab, runs `body`, and stops the lab whether `body` returns or throws.
    public static func withLab<Result>(
        _ options: MailLabOptions = MailLabOptions(), isolation: isolated (any Actor)? = #isolation,
        _ body: (MailLab) async throws -> Result
    ) async throws -> Result {
        let lab = try await start(options)
        do {
            let result = try await body(lab)
            await lab.stop()
            return result
        } catch {
            await lab.stop()
            throw error
        }
    }

    /// Stops the server and removes the lab folder. Idempotent.
    public func stop() async {
        let process = state.withLock { state -> LabProcess? in
            if state.stopped { return nil }
            state.stopped = true
            defer { state.process = nil }
            return state.process
        }
        if let process { await Self.terminate(process) }
        try? FileManager.default.removeItem(atPath: directory)
    }

    /// Stops the server process but keeps the lab (its Maildir, certificate and port): an outage.
    /// Connections are refused until ``startServer()``.
    public func stopServer() async {
        let process = state.withLock { state -> LabProcess? in
            defer { state.process = nil }
            return state.process
        }
        if let process { await Self.terminate(process) }
    }

    /// Starts the server again on the same port after ``stopServer()``.
    public func startServer() async throws {
        let running = state.withLock { $0.process != nil || $0.stopped }
        if running { return }
        var lastError: Error?
        // The port was ours a moment ago; retry briefly in case the old socket lingers.
        for _ in 0..<20 {
            do {
                let (process, _) = try await Self.launch(
                    python: python, script: script, directory: directory, port: port, options: options)
                let keep = state.withLock { state -> Bool in
                    if state.stopped { return false }
                    state.process = process
                    return true
                }
                if !keep { await Self.terminate(process) }
                return
            } catch {
                lastError = error
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        throw lastError ?? DeviceLabError("the MailLab server did not restart on port \(port).")
    }

    /// Makes the server answer with these failures from the next command on (empty: accept all).
    public func setFailures(_ failures: [MailLabFailure]) throws {
        try DeviceLab.writeFile("\(directory)/failure", failures.map { $0.line + "\n" }.joined())
    }

    /// The messages delivered so far, oldest first.
    public func messages() throws -> [MailLabMessage] {
        let folder = "\(maildir)/new"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return try names.sorted { lhs, rhs in
            let left = Int(lhs.prefix { $0 != "." }) ?? 0
            let right = Int(rhs.prefix { $0 != "." }) ?? 0
            return left == right ? lhs < rhs : left < right
        }
        .map { try MailLabMessage(path: "\(folder)/\($0)") }
    }

    /// Waits until at least `count` messages were delivered and returns them all; throws when
    /// they do not arrive within `timeout`.
    public func waitForMessages(count: Int, timeout: Duration = .seconds(10)) async throws -> [MailLabMessage] {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while true {
            let delivered = try messages()
            if delivered.count >= count { return delivered }
            if ContinuousClock.now >= deadline {
                throw DeviceLabError(
                    "MailLab (\(host):\(port)): \(delivered.count) message(s) delivered after \(timeout), expected \(count). "
                        + "Server log: \(serverLog().suffix(2000))")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Parses a delivered message with Python's `email` package (an independent MIME parser).
    public func parse(_ message: MailLabMessage) async throws -> MailLabParsedMessage {
        try await Self.parse(file: message.path)
    }

    /// Parses an RFC 5322 message file with Python's `email` package from the venv.
    public static func parse(file path: String) async throws -> MailLabParsedMessage {
        let python = pythonPath()
        guard let emulator = Bundle.module.url(forResource: "Emulator", withExtension: nil) else {
            throw DeviceLabError("the DeviceLab Emulator resource is missing from the build.")
        }
        let script = emulator.appendingPathComponent("smtp_lab.py").path
        let result = try await ChildProcess.run(python, [script, "parse", path])
        guard result.status == 0 else {
            throw DeviceLabError("parsing \(path) with Python's email package failed: \(result.error.suffix(2000))")
        }
        do {
            return try JSONDecoder().decode(MailLabParsedMessage.self, from: Data(result.output.utf8))
        } catch {
            throw DeviceLabError("smtp_lab.py parse printed unexpected JSON for \(path): \(error)")
        }
    }

    /// What the server printed (aiosmtpd logs, Python errors).
    public func serverLog() -> String {
        (try? String(contentsOfFile: "\(directory)/server.log", encoding: .utf8)) ?? ""
    }

    // MARK: - Starting

    private static func terminate(_ process: LabProcess) async {
        process.signal(SIGTERM)
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                _ = await process.waitForExit()
                return true
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(5))
                return false
            }
            let first = await group.next() ?? false
            if !first { process.signal(SIGKILL) }
            await group.waitForAll()
        }
    }

    private static func launch(
        python: String, script: String, directory: String, port: Int, options: MailLabOptions
    ) async throws -> (LabProcess, Int) {
        var arguments = [
            "-u", script, "serve", "--dir", directory, "--port", String(port), "--mode", options.security.rawValue,
            "--size-limit", String(options.sizeLimit),
        ]
        if options.security != .plain {
            arguments += ["--cert", "\(directory)/server.pem", "--key", "\(directory)/server.key"]
        }
        if options.requireAuth {
            arguments += ["--user", "driftwatch-lab", "--password-file", "\(directory)/password"]
            let excluded = ["PLAIN", "LOGIN"].filter { mechanism in
                !options.authMechanisms.contains { $0.uppercased() == mechanism }
            }
            if !excluded.isEmpty { arguments += ["--exclude-auth", excluded.joined(separator: ",")] }
        }
        let outputPath = "\(directory)/server.out"
        let process = try LabProcess.launch(
            python, arguments, logPath: outputPath, errorPath: "\(directory)/server.log")
        let deadline = ContinuousClock.now.advanced(by: .seconds(30))
        while ContinuousClock.now < deadline {
            let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
            if let line = output.split(separator: "\n").first(where: { $0.hasPrefix("READY ") }),
                let ready = Int(line.dropFirst(6).trimmingCharacters(in: .whitespaces))
            {
                return (process, ready)
            }
            if !process.isRunning { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        process.signal(SIGKILL)
        _ = await process.waitForExit()
        let log = (try? String(contentsOfFile: "\(directory)/server.log", encoding: .utf8)) ?? ""
        throw DeviceLabError(
            "the MailLab SMTP server (\(script)) did not start on 127.0.0.1:\(port): \(log.suffix(2000)) "
                + "If aiosmtpd is missing, run 'bash scripts/install-deps.sh'.")
    }

    /// A CA and a server certificate for `names` (subject alternative names) that it signs
    /// (EC P-256, 2 days).
    private static func makeCertificates(directory: String, names: [String]) async throws {
        let openssl = "/usr/bin/openssl"
        guard FileManager.default.isExecutableFile(atPath: openssl) else {
            throw DeviceLabError("\(openssl) is missing: run scripts/install-deps.sh (openssl).")
        }
        try DeviceLab.writeFile(
            "\(directory)/server.ext",
            """
            basicConstraints=critical,CA:FALSE
            keyUsage=critical,digitalSignature,keyEncipherment
            extendedKeyUsage=serverAuth
            subjectAltName=\(names.joined(separator: ","))

            """)
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        let steps: [[String]] = [
            ["req", "-x509"] + ec + [
                "-keyout", "\(directory)/ca.key", "-out", "\(directory)/ca.pem", "-days", "2", "-subj",
                "/CN=DriftWatch MailLab CA", "-addext", "basicConstraints=critical,CA:TRUE",
                "-addext", "keyUsage=critical,keyCertSign,cRLSign",
            ],
            ["req"] + ec + ["-keyout", "\(directory)/server.key", "-out", "\(directory)/server.csr", "-subj", "/CN=localhost"],
            [
                "x509", "-req", "-in", "\(directory)/server.csr", "-CA", "\(directory)/ca.pem", "-CAkey", "\(directory)/ca.key",
                "-CAcreateserial", "-out", "\(directory)/server.pem", "-days", "2", "-extfile", "\(directory)/server.ext",
            ],
        ]
        for step in steps {
            let (status, output) = try await LabProcess.run(openssl, step)
            if status != 0 {
                throw DeviceLabError("openssl \(step.prefix(2).joined(separator: " ")) failed for the MailLab certificate: \(output)")
            }
        }
    }

    private static func makeDirectory(in parent: String?) throws -> String {
        let base = parent.map { $0.hasSuffix("/") ? $0 : $0 + "/" } ?? NSTemporaryDirectory()
        var template = Array((base + "driftwatch-mail-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }) else {
            throw DeviceLabError("cannot create a temporary folder for the mail lab: \(String(cString: strerror(errno))).")
        }
        return String(cString: made)
    }

    private static func randomToken(_ count: Int) -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyz23456789")
        return String((0..<count).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] })
    }
}
