import DeviceLab
import DriftWatch
import Foundation
import Synchronization
import UnixSignals

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// `driftwatch demo`: starts a device lab (a real sshd serving emulated devices and the real
/// Linux host) and an SMTP receiver on loopback, writes a `driftwatch.yaml` for them, trusts,
/// collects and approves, starts `driftwatch watch` as a child process, makes a real change and
/// a volatile-only change, and shows the alert and the resolved email as received.
///
/// Every command the demo runs is the `driftwatch` binary as a user would run it, so the demo
/// shows (and tests) the command-line contract. Progress goes to `report`; nothing is printed.
/// Everything is stopped at the end, on error and on SIGINT/SIGTERM; with
/// ``DemoOptions/keepRunning`` the labs and the watcher stay up until SIGINT or SIGTERM.
public enum DemoRunner {
    /// Runs the demo; returns what it produced, or throws a ``DemoError`` that says which step
    /// failed, why and what to do.
    public static func run(_ options: DemoOptions, report: @escaping @Sendable (DemoEvent) -> Void) async throws -> DemoSummary {
        let session = DemoSession(options: options, report: report)
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
        do {
            let summary = try await withThrowingTaskGroup(of: DemoSummary?.self) { group in
                group.addTask { try await session.tour() }
                // The first SIGINT or SIGTERM ends the demo (nil); cancellation ends the wait.
                group.addTask {
                    for await signal in signals {
                        report(.warning("\(signal) received: stopping"))
                        return nil
                    }
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let summary = first else {
                    throw DemoError(
                        step: session.currentStep, reason: "interrupted by a signal",
                        remedy: "run the demo again; the files made so far are in \(session.folderDescription)")
                }
                if options.keepRunning {
                    report(.info("Stop with Ctrl-C or SIGTERM: the labs and the watcher are stopped, the folder is kept."))
                    _ = try await group.next()
                }
                return summary
            }
            await session.stopAll()
            return summary
        } catch let error as DemoError {
            await session.stopAll()
            throw error
        } catch {
            await session.stopAll()
            throw DemoError(
                step: session.currentStep, reason: "\(error)",
                remedy: "see the message above; the files made so far are in \(session.folderDescription)")
        }
    }
}

/// The state of one demo run: what it started (to stop it) and where its files are.
final class DemoSession: Sendable {
    private struct State {
        var step = "preparing"
        var folder: String?
        var deviceLab: DeviceLab?
        var mailLab: MailLab?
        var watcher: ChildProcess?
        var stopped = false
    }

    static let totalSteps = 12

    let options: DemoOptions
    let report: @Sendable (DemoEvent) -> Void
    private let state = Mutex(State())

    init(options: DemoOptions, report: @escaping @Sendable (DemoEvent) -> Void) {
        self.options = options
        self.report = report
    }

    var currentStep: String { state.withLock { $0.step } }
    var folderDescription: String { state.withLock { $0.folder } ?? "(no folder was made)" }

    // MARK: - Steps

    private func step(_ number: Int, _ title: String) {
        state.withLock { $0.step = "Step \(number) (\(title))" }
        report(.step(number: number, of: Self.totalSteps, title: title))
    }

    private func fail(_ reason: String, _ remedy: String) -> DemoError {
        DemoError(step: currentStep, reason: reason, remedy: remedy)
    }

    /// The whole tour, steps 1 to 12.
    func tour() async throws -> DemoSummary {
        step(1, "Prepare the demo folder")
        let folder = try prepareFolder()
        state.withLock { $0.folder = folder }
        report(.info("folder: \(folder)"))

        step(2, "Start the device lab (a real sshd on 127.0.0.1, one port per device)")
        let lab: DeviceLab
        do {
            lab = try await DeviceLab.start(
                DeviceLabOptions(devices: DemoInventory.devices.map { LabDeviceSpec($0.name, platform: $0.lab) }, parentDirectory: folder))
        } catch {
            throw fail(
                "\(error)",
                "the lab needs root, /usr/sbin/sshd, unshare and openssl: run 'bash scripts/install-deps.sh' as root (or 'bash scripts/demo.sh', which does)")
        }
        state.withLock { $0.deviceLab = lab }
        try DemoInventory.prepare(lab)
        for device in DemoInventory.devices {
            let served = try lab.device(device.name)
            let emulates = device.lab == .linux ? "the real Linux host over exec and SFTP" : "an emulated \(device.lab.rawValue) CLI"
            report(.info("\(device.name)\t127.0.0.1:\(served.port)\t\(device.platform)\t(\(emulates))"))
        }
        let labFolder = String(lab.directory.dropFirst(folder.count + 1))

        step(3, "Start the SMTP receiver (aiosmtpd on 127.0.0.1)")
        let mail: MailLab
        do {
            mail = try await MailLab.start(MailLabOptions(parentDirectory: folder))
        } catch {
            throw fail(
                "\(error)",
                "the receiver is aiosmtpd from the project's venv: run 'bash scripts/install-deps.sh' (it creates .build/venv), or set DRIFTWATCH_VENV to a venv with aiosmtpd")
        }
        state.withLock { $0.mailLab = mail }
        report(.info("SMTP 127.0.0.1:\(mail.port), delivering into \(mail.maildir)"))

        step(4, "Write driftwatch.yaml")
        let syslogPort = try DemoNetwork.freePort()
        let httpPort = try DemoNetwork.freePort()
        let configPath = "\(folder)/driftwatch.yaml"
        do {
            try FileManager.default.createDirectory(atPath: "\(folder)/profiles", withIntermediateDirectories: true)
            try DemoInventory.linuxProfile(lab, folder: folder).write(toFile: "\(folder)/profiles/linux.yaml", atomically: true, encoding: .utf8)
            let token = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
            try Self.writePrivate("\(folder)/http.token", token + "\n")
            let yaml = try DemoInventory.configuration(
                lab: lab, labFolder: labFolder, smtpPort: mail.port, syslogPort: syslogPort, httpPort: httpPort)
            try yaml.write(toFile: configPath, atomically: true, encoding: .utf8)
            report(.block(title: configPath, text: yaml))
            report(.info("profiles/linux.yaml replaces the built-in 'linux' profile for the lab host (see the comment in it)"))
        } catch {
            throw fail("cannot write into \(folder): \(error)", "check that the folder is writable and the disk is not full")
        }

        step(5, "Trust the devices' SSH host keys (host_key_policy: strict)")
        report(.info("one sshd serves every lab device, so they all present its host key"))
        let known = Set(lab.hostKeyFingerprints.values)
        for device in DemoInventory.devices {
            let result = try await driftwatch(["hostkeys", "trust", device.name, "--yes", "--as", DemoInventory.approver], config: configPath)
            guard result.status == 0 else {
                throw fail(
                    "'driftwatch hostkeys trust \(device.name)' exited \(result.status): \(Self.lastLines(result.error + result.output))",
                    "see \(folder)/\(labFolder)/sshd-0.log for the lab sshd's side")
            }
            let fingerprint = result.output.split(whereSeparator: { $0 == " " || $0 == "\n" }).first { $0.hasPrefix("SHA256:") }
                .map(String.init) ?? "?"
            guard known.contains(fingerprint) else {
                throw fail(
                    "\(device.name) presented \(fingerprint), which is none of the lab's host keys (\(known.sorted().joined(separator: ", ")))",
                    "something else answers on 127.0.0.1:\(try lab.device(device.name).port); run the demo again (it picks new ports)")
            }
            report(.ok("\(device.name): \(fingerprint) (matches the lab's ssh-keygen -l)"))
        }

        step(6, "Collect every device once")
        let collect = try await driftwatch(["collect"], config: configPath)
        report(.block(title: "driftwatch collect", text: collect.output))
        guard collect.status == 0 else {
            throw fail(
                "'driftwatch collect' exited \(collect.status): \(Self.lastLines(collect.error))",
                "the lines above name the device and the cause; the lab sshd's log is \(folder)/\(labFolder)/sshd-0.log")
        }

        step(7, "Approve the first baselines as '\(DemoInventory.approver)'")
        for device in DemoInventory.devices {
            let approved = try await driftwatch(
                ["baseline", "approve", device.name, "--snapshot", "latest", "--reason", "demo: initial baseline", "--as", DemoInventory.approver, "--yes"],
                config: configPath)
            guard approved.status == 0 else {
                throw fail(
                    "'driftwatch baseline approve \(device.name)' exited \(approved.status): \(Self.lastLines(approved.error + approved.output))",
                    "the approver must be listed under 'approvers' in \(configPath) for every group of the device")
            }
            report(.ok(approved.output.split(separator: "\n").last { $0.hasPrefix("approved ") }.map(String.init) ?? "approved \(device.name)"))
        }

        step(8, "Start the watcher: driftwatch watch --config \(configPath)")
        let watcherLog = "\(folder)/watcher.log"
        let watcher = try startWatcher(configPath: configPath, log: watcherLog)
        state.withLock { $0.watcher = watcher }
        let listening = try await waitFor(.seconds(30)) {
            let log = (try? String(contentsOfFile: watcherLog, encoding: .utf8)) ?? ""
            if log.contains("driftwatch watch:") { throw fail("the watcher stopped: \(Self.lastLines(log))", "read \(watcherLog)") }
            return log.contains("syslog listening on") && log.contains("watching \(DemoInventory.devices.count) devices")
        }
        guard listening != nil else {
            throw fail(
                "the watcher did not report its listeners within 30 s: \(Self.lastLines((try? String(contentsOfFile: watcherLog, encoding: .utf8)) ?? ""))",
                "read \(watcherLog); a port may have been taken in the meantime: run the demo again")
        }
        report(.ok("watching \(DemoInventory.devices.count) devices; syslog on 127.0.0.1:\(syslogPort) (UDP and TCP), HTTP on 127.0.0.1:\(httpPort); log: \(watcherLog)"))
        let store = try SQLiteStateStore(path: "\(folder)/.driftwatch/state.sqlite")
        // `collect` while a watcher runs puts every device at the front of its queue; a
        // triggered run replaces the device's first-round poll, so no poll of the changed
        // device comes between the change below and its syslog message.
        let watchStart = Date()
        let queued = try await driftwatch(["collect"], config: configPath)
        report(.block(title: "driftwatch collect", text: queued.output))
        guard queued.status == 0 else {
            throw fail("'driftwatch collect' exited \(queued.status): \(Self.lastLines(queued.error))", "read \(watcherLog)")
        }
        let names = DemoInventory.devices.map(\.name)
        let checked = try await waitFor(.seconds(60)) {
            for name in names {
                let runs = try await store.collectionRuns(device: name, limit: 3)
                if !runs.contains(where: { $0.trigger == .manual && $0.startedAt > watchStart }) { return false }
            }
            return try await store.deviceStates().filter { names.contains($0.device) }.allSatisfy { $0.status == .clean }
        }
        guard checked != nil else {
            let states = try await store.deviceStates().map { "\($0.device)=\($0.status.rawValue)" }.joined(separator: ", ")
            throw fail(
                "the watcher did not find every device clean within 60 s of 'driftwatch collect' (\(states))",
                "read \(watcherLog) and run 'driftwatch status --config \(configPath)'")
        }
        report(.ok("the watcher collected all \(names.count) devices: all clean against their baselines"))

        step(9, "Change \(DemoInventory.changed) and send the syslog message it would send")
        let changedAt = ContinuousClock.now
        try lab.setConfig(device: DemoInventory.changed, DemoInventory.change(try lab.config(device: DemoInventory.changed)))
        report(.info("\(DemoInventory.changed): uplink description changed, an NTP server and an SNMP community (a secret) added"))
        let iosMessage = DemoNetwork.rfc3164(
            host: DemoInventory.changed, tag: "4711",
            text: "%SYS-5-CONFIG_I: Configured from console by alice on vty0 (10.0.0.5)")
        try DemoNetwork.sendSyslog(iosMessage, port: syslogPort)
        report(.info("sent to udp/\(syslogPort): \(iosMessage)"))
        let alert = try await waitForEmail(mail, device: DemoInventory.changed, event: "opened", after: [])
        let changeToEmail = ContinuousClock.now - changedAt
        let emailsFolder = "\(folder)/emails"
        try FileManager.default.createDirectory(atPath: emailsFolder, withIntermediateDirectories: true)
        let alertParsed = try await mail.parse(alert)
        let alertText = alertParsed.parts.first { $0.contentType == "text/plain" }?.content ?? alert.body
        let alertHTML = alertParsed.parts.first { $0.contentType == "text/html" }?.content ?? ""
        try alert.raw.write(to: URL(fileURLWithPath: "\(emailsFolder)/alert.eml"))
        try alertText.write(toFile: "\(emailsFolder)/alert.txt", atomically: true, encoding: .utf8)
        try alertHTML.write(toFile: "\(emailsFolder)/alert.html", atomically: true, encoding: .utf8)
        let subject = alertParsed.header("Subject") ?? alert.header("Subject") ?? ""
        report(.block(title: "Email received: \(subject)", text: alertText))
        report(.ok("change → email: \(Self.seconds(changeToEmail)) (syslog debounce 1 s, SSH collection, diff, SMTP)"))
        report(.info("saved: \(emailsFolder)/alert.eml, alert.txt, alert.html (open the HTML part in a browser)"))

        step(10, "Volatile-only change on \(DemoInventory.volatile) (must not alert)")
        let volatileDate = Date()
        try lab.setConfig(
            device: DemoInventory.volatile,
            DemoInventory.asaConfig(written: Self.asaTime(volatileDate), checksum: String(UInt64.random(in: 1...UInt64.max), radix: 16)))
        report(.info("\(DemoInventory.volatile): 'Cryptochecksum:' and ': Written by' changed (both volatile in the cisco_asa profile)"))
        let asaMessage = DemoNetwork.rfc3164(
            host: DemoInventory.volatile, tag: "4712", text: "%ASA-5-111008: User 'bob' executed the 'write memory' command.")
        try DemoNetwork.sendSyslog(asaMessage, port: syslogPort)
        report(.info("sent to udp/\(syslogPort): \(asaMessage)"))
        let collected = try await waitFor(.seconds(30)) {
            try await store.collectionRuns(device: DemoInventory.volatile, limit: 5).contains {
                $0.trigger == .syslog && $0.result == .ok && $0.startedAt > volatileDate
            }
        }
        guard collected != nil else {
            throw fail(
                "the watcher did not collect \(DemoInventory.volatile) within 30 s of its syslog message",
                "read \(watcherLog) (run with the watcher at --log-level debug to see dropped messages)")
        }
        // The alert email of step 9 took about a second from collection to delivery; give a
        // wrong alert three times that to arrive before concluding there is none.
        try await Task.sleep(for: .seconds(3))
        let asaState = try await store.deviceStates().first { $0.device == DemoInventory.volatile }
        let asaAlerts = try await store.alerts(includeResolved: true).filter { $0.device == DemoInventory.volatile }
        let asaEmails = try mail.messages().filter { $0.header("X-DriftWatch-Device") == DemoInventory.volatile }
        guard asaState?.status == .clean, asaAlerts.isEmpty, asaEmails.isEmpty else {
            throw fail(
                "the volatile-only change was reported: state \(asaState.map { "\($0.status)" } ?? "none"), \(asaAlerts.count) alert(s), \(asaEmails.count) email(s)",
                "this is a bug in the cisco_asa profile's volatile rules or in drift detection; please report it with \(folder)")
        }
        report(.ok("\(DemoInventory.volatile) collected after the change (trigger syslog), still clean, no alert, no email"))

        step(11, "Approve the change; the watcher re-checks and resolves the alert")
        guard let snapshot = Self.snapshotToApprove(in: alertText, device: DemoInventory.changed) else {
            throw fail(
                "the alert email names no 'driftwatch baseline approve \(DemoInventory.changed) --snapshot N' command",
                "see \(emailsFolder)/alert.txt; this is a bug in the alert email")
        }
        let approvedAt = ContinuousClock.now
        let approve = try await driftwatch(
            [
                "baseline", "approve", DemoInventory.changed, "--snapshot", snapshot, "--reason", "demo: uplink moved, NTP server added",
                "--ticket", "CHG-DEMO-1", "--as", DemoInventory.approver, "--yes",
            ], config: configPath)
        report(.block(title: "the email's command, with --as \(DemoInventory.approver) --yes", text: approve.output))
        guard approve.status == 0 else {
            throw fail("'driftwatch baseline approve' exited \(approve.status): \(Self.lastLines(approve.error))", "read the message above")
        }
        let resolved = try await waitForEmail(mail, device: DemoInventory.changed, event: "resolved", after: [alert.path])
        let approvalToEmail = ContinuousClock.now - approvedAt
        let resolvedParsed = try await mail.parse(resolved)
        let resolvedText = resolvedParsed.parts.first { $0.contentType == "text/plain" }?.content ?? resolved.body
        try resolved.raw.write(to: URL(fileURLWithPath: "\(emailsFolder)/resolved.eml"))
        try resolvedText.write(toFile: "\(emailsFolder)/resolved.txt", atomically: true, encoding: .utf8)
        let resolvedSubject = resolvedParsed.header("Subject") ?? resolved.header("Subject") ?? ""
        report(.block(title: "Email received: \(resolvedSubject)", text: resolvedText))
        report(.ok("approval → resolved email: \(Self.seconds(approvalToEmail))"))

        step(12, "Check the folder for secrets, then \(options.keepRunning ? "keep running" : "stop everything")")
        var saved: [String] = []
        for (index, message) in try mail.messages().enumerated() {
            let device = message.header("X-DriftWatch-Device") ?? "unknown"
            let event = message.header("X-DriftWatch-Event") ?? "message"
            let path = "\(emailsFolder)/\(index + 1)-\(device)-\(event).eml"
            try message.raw.write(to: URL(fileURLWithPath: path))
            saved.append(path)
        }
        let summary = DemoSummary(
            directory: folder, changedDevice: DemoInventory.changed, volatileDevice: DemoInventory.volatile,
            changeToEmailMilliseconds: Self.milliseconds(changeToEmail), approvalToEmailMilliseconds: Self.milliseconds(approvalToEmail),
            alertSubject: subject, resolvedSubject: resolvedSubject, alertEmail: "\(emailsFolder)/alert.eml",
            alertText: "\(emailsFolder)/alert.txt", alertHTML: "\(emailsFolder)/alert.html", resolvedEmail: "\(emailsFolder)/resolved.eml",
            resolvedText: "\(emailsFolder)/resolved.txt", emails: saved, watcherLog: watcherLog)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try encoder.encode(summary).write(to: URL(fileURLWithPath: "\(folder)/demo-summary.json"))
        let exposed = try Self.filesContaining(
            DemoInventory.canary, [lab.enableSecret, lab.password], in: folder, skipping: [lab.directory, mail.directory])
        guard exposed.isEmpty else {
            throw fail("a device secret appears in cleartext in \(exposed.joined(separator: ", "))", "this is a bug: please report it")
        }
        report(.ok("no device secret in any file of \(folder) outside the labs' own folders"))
        if options.keepRunning {
            let token = "$(cat \(folder)/http.token)"
            report(.info("The lab and the watcher keep running. Try:"))
            report(.command("cd \(folder)"))
            report(.command("\(options.binary) status"))
            report(.command("\(options.binary) alerts list --all"))
            report(.command("\(options.binary) baseline history \(DemoInventory.changed)"))
            report(.command("\(options.binary) audit"))
            report(.command("curl -s http://127.0.0.1:\(httpPort)/healthz"))
            report(.command("curl -s -H \"Authorization: Bearer \(token)\" http://127.0.0.1:\(httpPort)/api/v1/devices"))
            report(
                .command(
                    "ssh -o UserKnownHostsFile=\(folder)/.driftwatch/known_hosts -p \(try lab.device(DemoInventory.changed).port) -i \(lab.clientKeyPath(.ed25519)) \(lab.username)@127.0.0.1 'show running-config'"
                ))
        }
        return summary
    }

    // MARK: - Stopping

    /// Stops the watcher (SIGTERM, then SIGKILL after 15 s), the SMTP receiver and the device
    /// lab, and says where the files are. Idempotent.
    func stopAll() async {
        let (watcher, mail, lab, folder, already) = state.withLock { state in
            defer { state.stopped = true }
            return (state.watcher, state.mailLab, state.deviceLab, state.folder, state.stopped)
        }
        if already { return }
        if let watcher {
            watcher.signal(SIGTERM)
            let ended = await withTaskGroup(of: Bool.self) { group in
                group.addTask {
                    _ = await watcher.wait()
                    return true
                }
                group.addTask {
                    try? await Task.sleep(for: .seconds(15))
                    return false
                }
                let first = await group.next() ?? false
                if !first { watcher.signal(SIGKILL) }
                await group.waitForAll()
                return first
            }
            report(ended ? .ok("watcher stopped (SIGTERM, exit after in-flight work)") : .warning("the watcher did not stop within 15 s of SIGTERM and was killed"))
        }
        if let mail {
            await mail.stop()
            report(.ok("SMTP receiver stopped"))
        }
        if let lab {
            await lab.stop()
            report(.ok("device lab stopped (sshd and every session process)"))
        }
        if let folder { report(.info("Files: \(folder) (driftwatch.yaml, emails/, watcher.log, baselines/, .driftwatch/, demo-summary.json)")) }
    }

    // MARK: - Helpers

    private func prepareFolder() throws -> String {
        let fileManager = FileManager.default
        let folder: String
        if let given = options.directory {
            let absolute = URL(fileURLWithPath: given, relativeTo: URL(fileURLWithPath: fileManager.currentDirectoryPath)).standardizedFileURL.path
            var isDirectory: ObjCBool = false
            if fileManager.fileExists(atPath: absolute, isDirectory: &isDirectory) {
                guard isDirectory.boolValue, (try? fileManager.contentsOfDirectory(atPath: absolute))?.isEmpty == true else {
                    throw fail("\(absolute) exists and is not an empty folder", "give --dir a new or empty folder, or leave --dir out for a fresh one")
                }
            } else {
                do {
                    try fileManager.createDirectory(atPath: absolute, withIntermediateDirectories: true)
                } catch {
                    throw fail("cannot create \(absolute): \(error.localizedDescription)", "give --dir a folder you can write to")
                }
            }
            folder = absolute
        } else {
            var template = Array((NSTemporaryDirectory() + "driftwatch-demo-XXXXXX").utf8CString)
            guard let made = template.withUnsafeMutableBufferPointer({ $0.baseAddress.flatMap { mkdtemp($0) } }) else {
                throw fail("cannot create a folder in \(NSTemporaryDirectory()): \(String(cString: strerror(errno)))", "pass --dir PATH")
            }
            folder = String(cString: made)
        }
        // The lab's sshd runs device sessions as an unprivileged lab user, who must reach the
        // emulator and the lab files inside this folder.
        chmod(folder, 0o755)
        var parent = URL(fileURLWithPath: folder)
        while parent.path != "/" {
            parent = parent.deletingLastPathComponent()
            var info = stat()
            if stat(parent.path, &info) == 0, info.st_mode & 0o001 == 0 {
                throw fail(
                    "\(parent.path) cannot be traversed by other users (mode \(String(info.st_mode & 0o777, radix: 8))), and the lab's sshd serves devices as an unprivileged user from inside the demo folder",
                    "use a --dir whose parent folders are world-traversable, e.g. under /tmp or /srv (leave --dir out for a fresh folder in \(NSTemporaryDirectory()))")
            }
        }
        return folder
    }

    /// Runs `driftwatch ARGS --config CONFIG` in the demo folder and shows the command.
    private func driftwatch(_ arguments: [String], config: String) async throws -> ChildProcess.Result {
        report(.command((["driftwatch"] + arguments.map(Self.quoted)).joined(separator: " ")))
        let folder = URL(fileURLWithPath: config).deletingLastPathComponent()
        return try await ChildProcess.run(
            options.binary, arguments + ["--config", config], in: folder, temporaryDirectory: folder.path)
    }

    /// `driftwatch watch --config CONFIG` with its output appended to `log`.
    private func startWatcher(configPath: String, log: String) throws -> ChildProcess {
        report(.command("driftwatch watch --config \(configPath) >>\(log) 2>&1 &"))
        return try ChildProcess.start(
            "/bin/sh", ["-c", "exec \"$0\" watch --config \"$1\" >>\"$2\" 2>&1", options.binary, configPath, log],
            in: URL(fileURLWithPath: configPath).deletingLastPathComponent(),
            temporaryDirectory: URL(fileURLWithPath: configPath).deletingLastPathComponent().path)
    }

    /// Waits for the first email about `device` with `X-DriftWatch-Event: event` that is not
    /// one of `seen` (Maildir paths).
    private func waitForEmail(_ mail: MailLab, device: String, event: String, after seen: [String]) async throws -> MailLabMessage {
        var found: MailLabMessage?
        let waited = try await waitFor(options.emailTimeout) {
            found = try mail.messages().first {
                !seen.contains($0.path) && $0.header("X-DriftWatch-Device") == device && $0.header("X-DriftWatch-Event") == event
            }
            return found != nil
        }
        guard waited != nil, let found else {
            let others = ((try? mail.messages()) ?? []).map { $0.header("Subject") ?? "?" }
            throw fail(
                "no '\(event)' email about \(device) arrived within \(options.emailTimeout) (received: \(others.isEmpty ? "nothing" : others.joined(separator: "; ")))",
                "read the watcher's log (watcher.log in the demo folder): it says whether the device was collected, drift found and the email sent")
        }
        return found
    }

    /// Polls `condition` every 50 ms until it holds or `timeout` passes; returns how long it
    /// took, or nil.
    private func waitFor(_ timeout: Duration, _ condition: () async throws -> Bool) async throws -> Duration? {
        let start = ContinuousClock.now
        while ContinuousClock.now - start < timeout {
            if try await condition() { return ContinuousClock.now - start }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try await condition() ? ContinuousClock.now - start : nil
    }

    static func snapshotToApprove(in text: String, device: String) -> String? {
        let prefix = "driftwatch baseline approve \(device) --snapshot "
        for line in text.split(separator: "\n") {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix(prefix) else { continue }
            let id = trimmed.dropFirst(prefix.count).prefix { $0.isNumber }
            if !id.isEmpty { return String(id) }
        }
        return nil
    }

    /// Files under `folder` (except `skipping`) that contain `canary` or one of `secrets`.
    static func filesContaining(_ canary: String, _ secrets: [String], in folder: String, skipping: [String]) throws -> [String] {
        let needles = ([canary] + secrets).filter { !$0.isEmpty }.map { Data($0.utf8) }
        var found: [String] = []
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return [] }
        while let relative = enumerator.nextObject() as? String {
            let path = "\(folder)/\(relative)"
            if skipping.contains(where: { path == $0 || path.hasPrefix($0 + "/") }) { continue }
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                let data = FileManager.default.contents(atPath: path)
            else { continue }
            if needles.contains(where: { data.range(of: $0) != nil }) { found.append(relative) }
        }
        return found
    }

    private static func writePrivate(_ path: String, _ text: String) throws {
        _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    static func lastLines(_ text: String, _ count: Int = 6) -> String {
        text.split(separator: "\n").suffix(count).joined(separator: " | ")
    }

    static func quoted(_ argument: String) -> String {
        argument.contains(where: { $0 == " " || $0 == "'" || $0 == "\"" }) ? "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'" : argument
    }

    static func milliseconds(_ duration: Duration) -> Int {
        Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
    }

    static func seconds(_ duration: Duration) -> String {
        String(format: "%.2f s", Double(milliseconds(duration)) / 1000)
    }

    static func asaTime(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "HH:mm:ss.SSS 'UTC' EEE MMM d yyyy"
        return formatter.string(from: date)
    }
}
