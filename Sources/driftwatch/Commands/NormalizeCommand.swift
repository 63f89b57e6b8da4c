import ArgumentParser
import ConfigDiff
import DriftWatch
import Foundation

/// `driftwatch normalize FILE --platform P`: prints the normalized, masked text of a file.
struct NormalizeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "normalize",
        abstract: "Offline: print a configuration file normalized and with secrets masked.",
        discussion: """
            Volatile lines (timestamps, byte counts, checksums) are deleted, whitespace is made
            canonical and every secret is replaced by <secret:XXXXXXXX>, a keyed hash under the
            install's masking key (<state dir>/masking.key, created on first use; the state dir
            is --state-dir, else the folder of 'state:' in the --config file when it exists, else
            .driftwatch), so the tokens match those the watcher stores.
            A capture that looks truncated is refused (exit 2) unless --allow-incomplete is given.

            Examples:
              driftwatch normalize router.cfg --platform cisco_ios
              driftwatch normalize srx.conf --platform juniper_junos --profiles ./profiles
            """
    )
    @Argument(help: "The configuration file to normalize.") var file: String
    @Option(
        help:
            "The platform profile (cisco_ios, cisco_nxos, cisco_iosxr, arista_eos, juniper_junos, juniper_junos_set, cisco_asa, linux, generic, or a user profile)."
    )
    var platform: String
    @Option(help: "A directory of user profiles (*.yaml) that add or override built-in ones.") var profiles: String?
    @Option(
        help: ArgumentHelp(
            "The state directory holding masking.key (default: from --config, else .driftwatch).", valueName: "PATH"))
    var stateDir: String?
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Normalize even when the capture looks truncated (a configuration fragment).") var allowIncomplete =
        false

    func run() async throws {
        do {
            let output = try normalized()
            FileHandle.standardOutput.write(Data(output.utf8))
        } catch let message as FailureMessage {
            FileHandle.standardError.write(Data("driftwatch normalize: \(message.text)\n".utf8))
            throw ExitCode(2)
        }
    }

    private struct FailureMessage: Error { let text: String }

    /// `--state-dir`, else the state folder of `--config` when that file exists, else `.driftwatch`.
    private func stateDirectory() throws -> String {
        if let stateDir { return stateDir }
        guard FileManager.default.fileExists(atPath: global.config) else { return MaskingKey.defaultStateDirectory }
        do {
            return try ConfigurationLoader().load(path: global.config).stateFolder.path
        } catch let error as DriftWatchError {
            throw FailureMessage(text: "\(error)")
        }
    }

    /// Reads, normalizes and returns the text; every failure names the file.
    private func normalized() throws -> String {
        let catalog: ProfileCatalog
        let profile: PlatformProfile
        do {
            catalog = try ProfileCatalog(userDirectory: profiles)
            profile = try catalog.profile(PlatformID(platform))
        } catch let error as ConfigDiffError {
            throw FailureMessage(text: "\(file): \(error.message)")
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            let reason =
                FileManager.default.fileExists(atPath: file)
                ? "cannot be read (check its permissions)" : "does not exist"
            throw FailureMessage(text: "\(file): the file \(reason)")
        }
        let key: [UInt8]
        do {
            key = try MaskingKey.load(stateDirectory: try stateDirectory())
        } catch let error as MaskingKey.LoadError {
            throw FailureMessage(text: "\(error)")
        }
        let normalizer = Normalizer(profile: profile, masker: SecretMasker(key: key))
        do {
            return try normalizer.normalize(String(decoding: data, as: UTF8.self), checkCompleteness: !allowIncomplete)
                .text
        } catch let error as ConfigDiffError {
            let hint = error.code == .incompleteCapture ? " (use --allow-incomplete for a configuration fragment)" : ""
            throw FailureMessage(text: "\(file): \(error.message)\(hint)")
        }
    }
}
