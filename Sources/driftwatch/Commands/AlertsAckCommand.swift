import ArgumentParser
import DriftWatch
import Foundation

/// `driftwatch alerts ack ID --as NAME [--yes]`.
struct AlertsAckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ack",
        abstract: "Acknowledge an alert: no more reminders (it still resolves by itself).",
        discussion: """
            The acknowledgement is recorded with your name (your login name, or --as NAME) in the \
            audit log, in the same transaction. On a terminal you are asked to confirm; without \
            one, --yes is required.

            Examples:
              driftwatch alerts ack 17 --as alice
              driftwatch alerts ack 17 --as alice --yes
            """
    )
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The alert id (see 'driftwatch alerts list').") var id: Int64
    @Option(
        name: .customLong("as"),
        help: ArgumentHelp("Acknowledge as this name instead of your login name.", valueName: "NAME")) var name: String?
    @Flag(help: "Do not ask for confirmation (required without a terminal).") var yes = false

    func run() async throws {
        try await CheckCommand.guarded("alerts ack") {
            let context = try OneShotContext.open(configPath: global.config)
            let who = try ApproverIdentity.resolve(name)
            guard let alert = try await context.store.alert(id: id) else {
                // The store's own error says there is no such alert and what to run instead.
                _ = try await context.store.acknowledgeAlert(id: id, by: who, at: Date())
                return 2
            }
            let summary = AlertsListCommand.object(alert)["summary"] as? String ?? ""
            CheckCommand.write("alert \(id): \(alert.kind.rawValue) on \(alert.device), \(alert.status.rawValue): \(summary)")
            try BaselineCommandSupport.confirm("Acknowledge alert \(id) as \(who)?", yes: yes)
            let acknowledged = try await context.store.acknowledgeAlert(id: id, by: who, at: Date())
            CheckCommand.write(
                "acknowledged alert \(id) (\(acknowledged.kind.rawValue) on \(acknowledged.device)) as \(who): no more reminders"
            )
            return 0
        }
    }
}
