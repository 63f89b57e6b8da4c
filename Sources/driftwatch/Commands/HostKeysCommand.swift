import ArgumentParser
import DriftWatch
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// `driftwatch hostkeys list | trust DEVICE [--fingerprint SHA256:…] [--yes] | forget DEVICE`.
struct HostKeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hostkeys",
        abstract: "List, trust or forget the SSH host keys of devices (<state dir>/known_hosts).",
        discussion: """
            Under host_key_policy strict, a device whose key is not trusted is not collected; \
            'trust' fetches the key the device presents, shows its SHA256 fingerprint and asks. \
            Every trust and forget is recorded in the audit log.

            Examples:
              driftwatch hostkeys list
              driftwatch hostkeys trust core-sw-01
              driftwatch hostkeys trust core-sw-01 --fingerprint SHA256:abc… 
              driftwatch hostkeys forget core-sw-01
            """,
        subcommands: [List.self, Trust.self, Forget.self]
    )

    /// `hostkeys list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list", abstract: "Show the trusted host key of every device.",
            discussion: "Example:\n  driftwatch hostkeys list")
        @OptionGroup var global: GlobalOptions

        func run() async throws {
            try await CheckCommand.guarded("hostkeys list") {
                let manager = HostKeyManager(context: try OneShotContext.open(configPath: global.config))
                for entry in try manager.list() {
                    if entry.keys.isEmpty {
                        CheckCommand.write(
                            "\(entry.device)\t\(entry.address)\tnot trusted (run 'driftwatch hostkeys trust \(entry.device)')"
                        )
                    }
                    for key in entry.keys {
                        CheckCommand.write("\(entry.device)\t\(entry.address)\t\(key.keyType)\t\(key.fingerprint)")
                    }
                }
                return 0
            }
        }
    }

    /// `hostkeys trust DEVICE`.
    struct Trust: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "trust", abstract: "Fetch a device's host key, show its fingerprint and trust it.",
            discussion: """
                Without a terminal, refuses unless --yes is given or --fingerprint matches the key \
                the device presents. A different --fingerprint is refused whatever else is given.

                Examples:
                  driftwatch hostkeys trust core-sw-01
                  driftwatch hostkeys trust core-sw-01 --fingerprint SHA256:n3dZ… 
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The device name, as in driftwatch.yaml.") var device: String
        @Option(
            help: ArgumentHelp(
                "The fingerprint you expect; the key is trusted only if it matches.", valueName: "SHA256:…"))
        var fingerprint: String?
        @Flag(help: "Trust without asking (no terminal needed).") var yes = false
        @Option(
            name: .customLong("as"),
            help: ArgumentHelp("Record this name as the actor instead of your login name.", valueName: "NAME"))
        var actor: String?

        func run() async throws {
            try await CheckCommand.guarded("hostkeys trust") {
                let context = try OneShotContext.open(configPath: global.config)
                let entry = try context.configuration.device(named: device)
                let manager = HostKeyManager(context: context)
                let key = try await manager.presentedKey(of: entry)
                CheckCommand.write("\(device) (\(entry.host):\(entry.port)) presents \(key.keyType) \(key.fingerprint)")
                if let fingerprint, fingerprint != key.fingerprint {
                    throw DriftWatchError(
                        .declined,
                        "the device presents \(key.fingerprint), not the expected \(fingerprint); nothing was trusted")
                }
                if fingerprint == nil, !yes {
                    guard isatty(0) == 1 else {
                        throw DriftWatchError(
                            .confirmationRequired,
                            "standard input is not a terminal, so nobody can confirm; re-run with --yes or --fingerprint \(key.fingerprint) after checking it; nothing was trusted"
                        )
                    }
                    FileHandle.standardOutput.write(Data("Trust this key for \(device)? [y/N] ".utf8))
                    let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
                    guard answer == "y" || answer == "yes" else {
                        throw DriftWatchError(.declined, "not confirmed; nothing was trusted")
                    }
                }
                let who = try ApproverIdentity.resolve(actor)
                try await manager.trust(key, device: entry, actor: who)
                CheckCommand.write("trusted \(key.fingerprint) for \(device) (recorded in the audit log)")
                return 0
            }
        }
    }

    /// `hostkeys forget DEVICE`.
    struct Forget: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "forget", abstract: "Remove the trusted host key of a device.",
            discussion: "Example:\n  driftwatch hostkeys forget core-sw-01")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The device name, as in driftwatch.yaml.") var device: String
        @Option(
            name: .customLong("as"),
            help: ArgumentHelp("Record this name as the actor instead of your login name.", valueName: "NAME"))
        var actor: String?

        func run() async throws {
            try await CheckCommand.guarded("hostkeys forget") {
                let context = try OneShotContext.open(configPath: global.config)
                let entry = try context.configuration.device(named: device)
                let removed = try await HostKeyManager(context: context).forget(
                    device: entry, actor: try ApproverIdentity.resolve(actor))
                CheckCommand.write("forgot \(removed) key(s) of \(device) (recorded in the audit log)")
                return 0
            }
        }
    }
}
