import DeviceLab
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `driftwatch demo` end to end (issue 7): the built binary run as a child process, as
/// `scripts/demo.sh` runs it, in a sandbox whose `HOME` and `TMPDIR` are empty folders of their
/// own, so any file the demo writes outside its `--dir` is found. And the shell completions.
///
/// Runs in the timing-sensitive pass with the watcher suites (scripts/test.sh): the demo waits
/// for emails with bounds, and a 26-device watcher lab beside it would stretch them.
@Suite(.tags(.lab), .serialized) struct DemoEndToEndTests {
    /// The repository root, from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A sandbox: `work/` (the current folder, which gets `demo/`), `home/` and `tmp/`.
    struct Sandbox {
        let base: URL
        var work: URL { base.appendingPathComponent("work") }
        var home: URL { base.appendingPathComponent("home") }
        var tmp: URL { base.appendingPathComponent("tmp") }
        var demo: URL { work.appendingPathComponent("demo") }

        init() throws {
            base = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("dw-demo-e2e-\(UUID().uuidString)")
            for folder in [work, home, tmp] {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            }
            chmod(base.path, 0o755)
            chmod(work.path, 0o755)
        }

        var environment: [String: String] {
            var environment = ProcessInfo.processInfo.environment
            environment["HOME"] = home.path
            environment["TMPDIR"] = tmp.path + "/"
            if environment["DRIFTWATCH_VENV"] == nil {
                environment["DRIFTWATCH_VENV"] = DemoEndToEndTests.root.appendingPathComponent(".build/venv").path
            }
            return environment
        }

        /// Files left anywhere but in `demo/`: in `home/`, `tmp/`, or beside `demo/` in `work/`.
        func strayFiles() -> [String] {
            let fileManager = FileManager.default
            var stray = ((try? fileManager.contentsOfDirectory(atPath: work.path)) ?? []).filter { $0 != "demo" }
                .map { "work/\($0)" }
            stray += ((try? fileManager.subpathsOfDirectory(atPath: home.path)) ?? []).map { "home/\($0)" }
            stray += ((try? fileManager.subpathsOfDirectory(atPath: tmp.path)) ?? []).map { "tmp/\($0)" }
            return stray
        }

        /// Processes whose command line names the sandbox (sshd, the watcher, aiosmtpd).
        func processes() -> [String] {
            let ids = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).filter { $0.allSatisfy(\.isNumber) }
            return ids.compactMap { id -> String? in
                guard let data = FileManager.default.contents(atPath: "/proc/\(id)/cmdline") else { return nil }
                let line = String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
                return line.contains(base.path) ? "\(id): \(line)" : nil
            }
        }

        /// Files under `demo/` that contain `text`.
        func demoFiles(containing text: String) -> [String] {
            let paths = (try? FileManager.default.subpathsOfDirectory(atPath: demo.path)) ?? []
            return paths.filter { path in
                FileManager.default.contents(atPath: demo.appendingPathComponent(path).path)?.range(of: Data(text.utf8)) != nil
            }
        }

        func remove() { try? FileManager.default.removeItem(at: base) }
    }

    /// What `demo-summary.json` holds (decoded independently of the library's type).
    struct Summary: Decodable {
        var directory: String
        var changedDevice: String
        var volatileDevice: String
        var changeToEmailMilliseconds: Int
        var alertSubject: String
        var resolvedSubject: String
        var alertEmail: String
        var alertHTML: String
        var resolvedEmail: String
        var emails: [String]
    }

    /// The whole demo, non-interactive: the alert email names the device, the diff lines and the
    /// approve command; the volatile-only change sends nothing; the approval sends the resolved
    /// email; no process and no file is left outside the demo folder; no secret in any file.
    @Test(.timeLimit(.minutes(10))) func demoRunsEndToEnd() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let binary = try BaselineCLITests.binary().path
        let result = try await ChildProcess.run(
            binary, ["demo", "--dir", sandbox.demo.path, "--non-interactive"], in: sandbox.work, environment: sandbox.environment)
        let output = result.output
        #expect(result.status == 0, "exit \(result.status)\n\(result.error.suffix(3000))\n\(output.suffix(3000))")
        print("demo output (tail):\n\(output.suffix(2500))")

        // Progress, step by step, and the email on the terminal.
        for step in 1...12 { #expect(output.contains("[\(step)/12] "), "step \(step) missing") }
        #expect(output.contains("change → email: "))
        #expect(output.contains("Changes against baseline v1"), "the alert's text part is not on the terminal")

        let summaryData = try Data(contentsOf: sandbox.demo.appendingPathComponent("demo-summary.json"))
        let summary = try JSONDecoder().decode(Summary.self, from: summaryData)
        #expect(summary.directory == sandbox.demo.path)
        #expect(summary.changedDevice == "edge-ios-1" && summary.volatileDevice == "fw-asa-1")
        #expect(summary.changeToEmailMilliseconds > 0 && summary.changeToEmailMilliseconds < 60_000)

        // The alert email as received, parsed by Python's email package.
        let alert = try await MailLab.parse(file: summary.alertEmail)
        let subject = alert.header("Subject") ?? ""
        #expect(subject.contains("DRIFT edge-ios-1") && subject.contains("vs baseline v1"), "\(subject)")
        #expect(alert.header("X-DriftWatch-Device") == "edge-ios-1")
        #expect(alert.header("X-DriftWatch-Event") == "opened")
        #expect(alert.defects.isEmpty, "\(alert.defects)")
        let text = alert.parts.first { $0.contentType == "text/plain" }?.content ?? ""
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.contains { $0.hasPrefix("Device:") && $0.hasSuffix(" edge-ios-1 (cisco_ios)") }, "\(text)")
        #expect(lines.contains { $0.hasPrefix("Trigger:") && $0.hasSuffix(" syslog, changed by alice") }, "\(text)")
        for line in [
            "-   description uplink-1 to core", "+   description uplink-1 to core-sw-02 (moved, CHG-DEMO-1)",
            "+ ntp server 198.51.100.77",
        ] {
            #expect(lines.contains(line), "the diff lacks '\(line)':\n\(text)")
        }
        #expect(lines.contains { $0.hasPrefix("+ snmp-server community <secret:") && $0.hasSuffix("> RW") }, "\(text)")
        // The remediation takes the device back: the old description, the additions removed.
        let revert = text.components(separatedBy: "To revert, apply on the device:").last ?? ""
        for line in ["   description uplink-1 to core", "  no ntp server 198.51.100.77"] {
            #expect(revert.split(separator: "\n").contains { $0 == line }, "the remediation lacks '\(line)':\n\(revert)")
        }
        #expect(!revert.contains("core-sw-02 (moved") || revert.contains("no description uplink-1 to core-sw-02"), "\(revert)")
        #expect(lines.contains { $0.hasPrefix("  driftwatch baseline approve edge-ios-1 --snapshot ") }, "\(text)")
        let html = try String(contentsOfFile: summary.alertHTML, encoding: .utf8)
        #expect(html.contains("<html") && html.contains("198.51.100.77"), "\(html.prefix(500))")

        // Nothing about the volatile-only change; the resolved email after the approval.
        let received = try await summary.emails.asyncMap { try await MailLab.parse(file: $0) }
        #expect(received.count == 2, "\(received.map { $0.header("Subject") ?? "?" })")
        #expect(!received.contains { $0.header("X-DriftWatch-Device") == "fw-asa-1" || ($0.header("Subject") ?? "").contains("fw-asa-1") })
        let resolved = try await MailLab.parse(file: summary.resolvedEmail)
        let resolvedSubject = resolved.header("Subject") ?? ""
        #expect(resolvedSubject.contains("RESOLVED edge-ios-1"), "\(resolvedSubject)")
        #expect(resolved.header("X-DriftWatch-Event") == "resolved")
        let resolvedText = resolved.parts.first { $0.contentType == "text/plain" }?.content ?? ""
        #expect(resolvedText.contains("demo-approver"), "\(resolvedText)")

        // Stopped and contained: no process, no file outside demo/, the labs' folders removed,
        // no cleartext secret in any file.
        #expect(sandbox.processes().isEmpty, "\(sandbox.processes())")
        #expect(sandbox.strayFiles().isEmpty, "files outside the demo folder: \(sandbox.strayFiles())")
        let left = (try? FileManager.default.contentsOfDirectory(atPath: sandbox.demo.path)) ?? []
        #expect(!left.contains { $0.hasPrefix("driftwatch-lab-") || $0.hasPrefix("driftwatch-mail-") }, "\(left)")
        #expect(sandbox.demoFiles(containing: "DemoSecret").isEmpty, "\(sandbox.demoFiles(containing: "DemoSecret"))")
        #expect(FileManager.default.fileExists(atPath: sandbox.demo.appendingPathComponent("watcher.log").path))
    }

    /// `--keep-running`: the labs and the watcher stay up (the HTTP health endpoint answers,
    /// `driftwatch status` works) until SIGTERM, which stops everything and exits 0.
    @Test(.timeLimit(.minutes(10))) func keepRunningUntilSIGTERM() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        let binary = try BaselineCLITests.binary().path
        let log = sandbox.base.appendingPathComponent("demo.out").path
        let demo = try ChildProcess.start(
            "/bin/sh", ["-c", "exec \"$0\" demo --dir \"$1\" --keep-running --non-interactive >\"$2\" 2>&1", binary, sandbox.demo.path, log],
            in: sandbox.work, environment: sandbox.environment)
        var waiting = false
        for _ in 0..<2400 where !waiting {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            waiting = text.contains("Stop with Ctrl-C or SIGTERM")
            if text.contains("driftwatch demo: ") { break }
            if !waiting { try await Task.sleep(for: .milliseconds(100)) }
        }
        let before = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(waiting, "\(before.suffix(3000))")
        if waiting {
            #expect(!sandbox.processes().isEmpty, "the lab and the watcher should still run")
            // While everything runs, nothing lives in HOME or TMPDIR either (the labs' folders
            // and the output files of the watcher child process are inside the demo folder).
            #expect(sandbox.strayFiles().isEmpty, "files outside the demo folder while running: \(sandbox.strayFiles())")
            let status = try await ChildProcess.run(
                binary, ["status", "--config", sandbox.demo.appendingPathComponent("driftwatch.yaml").path], in: sandbox.demo,
                environment: sandbox.environment)
            #expect(status.status == 0 && status.output.contains("edge-ios-1"), "\(status)")
            let port = before.split(separator: "\n").first { $0.contains("curl -s http://127.0.0.1:") }
                .flatMap { $0.split(separator: ":").last?.split(separator: "/").first }.map(String.init) ?? ""
            let health = try await ChildProcess.run("/usr/bin/env", ["python3", "-c", "import urllib.request,sys; print(urllib.request.urlopen('http://127.0.0.1:\(port)/healthz').status)"])
            #expect(health.output.contains("200"), "healthz on port '\(port)': \(health)")
        }
        demo.signal(SIGTERM)
        let ended = await demo.wait()
        let after = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(ended.status == 0, "exit \(ended.status): \(after.suffix(2000))")
        #expect(after.contains("device lab stopped") && after.contains("watcher stopped"), "\(after.suffix(1000))")
        #expect(sandbox.processes().isEmpty, "\(sandbox.processes())")
        try? FileManager.default.removeItem(atPath: log)
        #expect(sandbox.strayFiles().isEmpty, "\(sandbox.strayFiles())")
    }

    /// A `--dir` that holds files is refused before anything starts (exit 2, why and what to do).
    @Test func refusesANonEmptyFolder() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.remove() }
        try FileManager.default.createDirectory(at: sandbox.demo, withIntermediateDirectories: true)
        try "keep me".write(to: sandbox.demo.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        let result = try await ChildProcess.run(
            try BaselineCLITests.binary().path, ["demo", "--dir", sandbox.demo.path, "--non-interactive"], in: sandbox.work,
            environment: sandbox.environment)
        #expect(result.status == 2, "\(result)")
        #expect(result.error.contains("is not an empty folder") && result.error.contains("What to do:"), "\(result.error)")
        #expect(try String(contentsOf: sandbox.demo.appendingPathComponent("notes.txt"), encoding: .utf8) == "keep me")
    }

    /// `scripts/completions.sh` prints a completion script for each shell that names the
    /// subcommands; the bash one passes `bash -n`; an unknown shell is a usage error (64).
    @Test(arguments: ["bash", "zsh", "fish"]) func completionScripts(shell: String) async throws {
        let binary = try BaselineCLITests.binary().path
        let script = Self.root.appendingPathComponent("scripts/completions.sh").path
        let result = try await ChildProcess.run("/bin/bash", [script, shell, binary])
        #expect(result.status == 0, "\(result.error)")
        for command in ["hostkeys", "baseline", "check", "collect", "status", "normalize", "compare", "demo"] {
            #expect(result.output.contains(command), "the \(shell) script does not mention \(command)")
        }
        if shell == "bash" {
            let syntax = try await ChildProcess.run("/bin/bash", ["-n"], input: Data(result.output.utf8))
            #expect(syntax.status == 0, "\(syntax.error)")
        }
    }

    /// An unknown shell name is refused with the usage status.
    @Test func completionsRefuseUnknownShell() async throws {
        let script = Self.root.appendingPathComponent("scripts/completions.sh").path
        let result = try await ChildProcess.run("/bin/bash", [script, "tcsh", try BaselineCLITests.binary().path])
        #expect(result.status == 64 && result.error.contains("usage"), "\(result)")
    }
}

extension Array {
    fileprivate func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
