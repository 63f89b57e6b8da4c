import DeviceLab
import Foundation
import Testing

/// `driftwatch demo` end to end (issue 7). Today only the shell completions part exists: the
/// demo itself waits for the watcher and alerting (see docs/demo.md).
@Suite struct DemoEndToEndTests {
    /// The repository root, from this file's path.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// `scripts/completions.sh` prints a completion script for each shell that names the
    /// subcommands; the bash one passes `bash -n`; an unknown shell is a usage error (64).
    @Test(arguments: ["bash", "zsh", "fish"]) func completionScripts(shell: String) async throws {
        let binary = try BaselineCLITests.binary().path
        let script = Self.root.appendingPathComponent("scripts/completions.sh").path
        let result = try await ChildProcess.run("/bin/bash", [script, shell, binary])
        #expect(result.status == 0, "\(result.error)")
        for command in ["hostkeys", "baseline", "check", "collect", "status", "normalize", "compare"] {
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
