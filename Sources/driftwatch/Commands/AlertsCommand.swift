import ArgumentParser
import DriftWatch
import Foundation

/// `driftwatch alerts list | ack ID --as NAME | outbox`.
struct AlertsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "alerts",
        abstract: "Show and acknowledge alerts, and show the delivery outbox.",
        discussion: """
            Alerts are opened, updated, reminded and resolved by the watcher ('driftwatch watch'); \
            these commands read the state store and acknowledge.

            Examples:
              driftwatch alerts list
              driftwatch alerts list --all --json
              driftwatch alerts ack 17 --as alice --yes
              driftwatch alerts outbox
            """,
        subcommands: [AlertsListCommand.self, AlertsAckCommand.self, AlertsOutboxCommand.self],
        defaultSubcommand: AlertsListCommand.self
    )

    /// ISO 8601 text of a date, or JSON null.
    static func iso(_ date: Date?) -> Any {
        guard let date else { return NSNull() }
        let format = ISO8601DateFormatter()
        format.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return format.string(from: date)
    }

    /// A short UTC time for tables.
    static func short(_ date: Date?) -> String {
        guard let date else { return "-" }
        let format = ISO8601DateFormatter()
        format.formatOptions = [.withInternetDateTime]
        return format.string(from: date)
    }

    /// JSON text of an array or object: sorted keys, pretty.
    static func json(_ object: Any) throws -> String {
        let data = try JSONSerialization.data(
            withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}
