import ArgumentParser
import DriftWatchDemo
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// `driftwatch demo [--dir PATH] [--keep-running] [--non-interactive]`: the guided tour on a lab.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run DriftWatch end to end against a local lab: change a device, receive the alert email.",
        discussion: """
            Starts a device lab (a real sshd on 127.0.0.1 serving emulated Cisco IOS, Arista EOS, \
            JunOS and Cisco ASA devices and the real Linux host) and an SMTP receiver (aiosmtpd), \
            writes driftwatch.yaml for them, trusts their host keys, collects, approves baselines \
            as 'demo-approver', starts 'driftwatch watch' as a child process, changes one device \
            (and only volatile lines of another, which must not alert), sends the syslog message \
            the device would send, and shows the alert email as received with the time from \
            change to email. Then it approves the change, shows the resolved email, stops \
            everything it started and says where the files are.

            Needs root (the lab runs sshd in private namespaces), openssh-server and a Python venv \
            with aiosmtpd: 'bash scripts/install-deps.sh' (or 'bash scripts/demo.sh', which runs \
            it, builds and runs this command). Every file stays in the demo folder: by default a \
            fresh driftwatch-demo-XXXXXX in $TMPDIR (else /tmp), kept after the run. \
            Exit status: 0 when every step passed, 2 when one failed (the message says why and \
            what to do), 130 when interrupted.

            Examples:
              driftwatch demo
              driftwatch demo --dir /srv/dw-demo --keep-running
              driftwatch demo --non-interactive
            """
    )

    @Option(
        help: ArgumentHelp(
            "The demo folder: must be new or empty (default: a fresh driftwatch-demo-XXXXXX in $TMPDIR or /tmp).",
            valueName: "PATH"))
    var dir: String?

    @Flag(help: "After the tour, keep the lab, the SMTP receiver and the watcher running until Ctrl-C or SIGTERM.")
    var keepRunning = false

    @Flag(help: "Plain output for scripts and tests: no colours, never reads the terminal (implied when stdout is not a terminal).")
    var nonInteractive = false

    func run() async throws {
        let styled = !nonInteractive && isatty(1) == 1
        let options = DemoOptions(directory: dir, binary: Self.executablePath(), keepRunning: keepRunning)
        do {
            let summary = try await DemoRunner.run(options) { event in Self.print(event, styled: styled) }
            Self.write("")
            Self.write(Self.bold("Demo finished.", styled))
            Self.write("  alert email:    \(summary.alertEmail) (text: \(summary.alertText), HTML: \(summary.alertHTML))")
            Self.write("  resolved email: \(summary.resolvedEmail)")
            Self.write(String(format: "  change → email: %.2f s; approval → resolved email: %.2f s",
                Double(summary.changeToEmailMilliseconds) / 1000, Double(summary.approvalToEmailMilliseconds) / 1000))
            Self.write("  summary:        \(summary.directory)/demo-summary.json")
            Self.write("  look around:    cd \(summary.directory) && \(options.binary) status && \(options.binary) audit")
        } catch let error as DemoError {
            FileHandle.standardError.write(Data("\n\(Self.bold("driftwatch demo: \(error.step) failed", styled))\n  Why: \(error.reason)\n  What to do: \(error.remedy)\n".utf8))
            throw ExitCode(error.reason == "interrupted by a signal" ? 130 : 2)
        }
    }

    /// This executable's absolute path (the demo runs it for every command).
    static func executablePath() -> String {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if count > 0 { return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        return URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
    }

    static func print(_ event: DemoEvent, styled: Bool) {
        switch event {
        case .step(let number, let total, let title):
            write("")
            write(bold("[\(number)/\(total)] \(title)", styled))
        case .info(let text): write("    \(text)")
        case .command(let text): write("  $ \(text)")
        case .block(let title, let text):
            write("    ┌─ \(title)")
            for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast(text.hasSuffix("\n") ? 1 : 0) {
                write("    │ \(line)")
            }
            write("    └─")
        case .ok(let text): write("  ✓ \(text)")
        case .warning(let text): write("  ! \(text)")
        }
    }

    static func bold(_ text: String, _ styled: Bool) -> String { styled ? "\u{1B}[1m\(text)\u{1B}[0m" : text }

    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }
}
