import ArgumentParser
import ConfigDiff
import DriftWatch
import Foundation

/// `driftwatch compare A B --platform P [--json]`: offline hierarchical diff and remediation of
/// two files. Behaviour lives in ``ConfigComparison``; this command reads files, picks the key
/// and prints.
struct CompareCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Offline: hierarchical diff and remediation of two configuration files.",
        discussion: """
            A is the reference (for example the baseline or the intended config), B the actual
            configuration (for example the running config). Both are normalized with the platform
            profile first (volatile lines dropped, secrets masked). The output is what B changed
            relative to A, with section context ('-' lines are in A only, '+' lines in B only),
            then the remediation: the commands that bring B back to A.

            Secrets are masked with the install's key (<state dir>/masking.key) when it exists, so
            tokens match those of baselines and 'driftwatch normalize'. Without a key file, a
            random key for this run only is used and nothing is written: equal secrets still
            compare equal within the run.

            Exit status: 0 equivalent, 1 different, 2 error (missing file, unknown platform,
            parse failure, truncated capture).

            Examples:
              driftwatch compare baselines/devices/core-sw-01/v3.cfg running.cfg --platform cisco_ios
              driftwatch compare intended.conf running.conf --platform juniper_junos --json
            """
    )
    @Argument(help: "The reference configuration (for example the baseline).") var a: String
    @Argument(help: "The configuration to compare with it (for example the running config).") var b: String
    @Option(help: "The platform profile (cisco_ios, cisco_nxos, cisco_iosxr, arista_eos, juniper_junos, juniper_junos_set, cisco_asa, linux, generic, or a user profile).")
    var platform: String
    @Flag(help: "Print the stable JSON form: {platform, reference, actual, same, diff{changes, summary}, remediation}.")
    var json = false
    @Option(help: "A directory of user profiles (*.yaml) that add or override built-in ones.") var profiles: String?
    @Option(help: "The state directory holding masking.key.") var stateDir: String = MaskingKey.defaultStateDirectory
    @Flag(help: "Compare even when a file looks truncated (a configuration fragment, e.g. a partial intended config).")
    var allowIncomplete = false

    func run() async throws {
        let comparison: ConfigComparison
        do {
            comparison = try compare()
        } catch let failure as Failure {
            FileHandle.standardError.write(Data("driftwatch compare: \(failure.text)\n".utf8))
            throw ExitCode(2)
        }
        if json {
            var data = try comparison.jsonData()
            data.append(0x0A)
            FileHandle.standardOutput.write(data)
        } else {
            FileHandle.standardOutput.write(Data(comparison.report().utf8))
        }
        if !comparison.isSame { throw ExitCode(1) }
    }

    private struct Failure: Error { let text: String }

    private func compare() throws -> ConfigComparison {
        let profile: PlatformProfile
        do {
            profile = try ProfileCatalog(userDirectory: profiles).profile(PlatformID(platform))
        } catch let error as ConfigDiffError {
            throw Failure(text: error.message)
        }
        let reference = try read(a)
        let actual = try read(b)
        let key: [UInt8]
        if FileManager.default.fileExists(atPath: MaskingKey.path(stateDirectory: stateDir)) {
            do {
                key = try MaskingKey.load(stateDirectory: stateDir)
            } catch let error as MaskingKey.LoadError {
                throw Failure(text: "\(error)")
            }
        } else {
            var generator = SystemRandomNumberGenerator()
            key = (0..<MaskingKey.size).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        }
        do {
            return try ConfigComparison(
                reference: reference, named: a, actual: actual, named: b, profile: profile,
                masker: SecretMasker(key: key), checkCompleteness: !allowIncomplete)
        } catch let error as ConfigDiffError {
            let hint = error.code == .incompleteCapture ? " (use --allow-incomplete for a configuration fragment)" : ""
            throw Failure(text: error.message + hint)
        }
    }

    private func read(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read (check its permissions)" : "does not exist"
            throw Failure(text: "\(path): the file \(reason)")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
