import ArgumentParser
import DriftWatch
import Foundation

/// `driftwatch alerts outbox [--all] [--json]`.
struct AlertsOutboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outbox",
        abstract: "Show messages waiting to be delivered or failed for good (with --all, sent ones too).",
        discussion: """
            A pending message is retried with exponential backoff until it is delivered; a \
            failed one got a permanent refusal (SMTP 5xx, HTTP 4xx) or ran out of attempts, and \
            shows the server's words. --json prints an array of {id, alertId, channel, messageId, \
            recipients, subject, status, attempts, nextAttemptAt, lastError, createdAt, sentAt}.

            Examples:
              driftwatch alerts outbox
              driftwatch alerts outbox --all --json
            """
    )
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Include delivered messages.") var all = false
    @Flag(help: "Print a JSON array instead of a table.") var json = false

    func run() async throws {
        try await CheckCommand.guarded("alerts outbox") {
            let context = try OneShotContext.open(configPath: global.config)
            let statuses: Set<OutboxStatus> = all ? Set(OutboxStatus.allCases) : [.pending, .failed]
            let messages = try await context.store.outboxMessages(statuses: statuses)
            if json {
                CheckCommand.write(try AlertsCommand.json(messages.map(Self.object)))
                return 0
            }
            if messages.isEmpty {
                CheckCommand.write("the outbox is empty: nothing pending or failed")
                return 0
            }
            CheckCommand.write("ID\tSTATUS\tATTEMPTS\tNEXT ATTEMPT\tCHANNEL\tSUBJECT")
            for message in messages {
                let next = message.status == .pending ? AlertsCommand.short(message.nextAttemptAt) : "-"
                CheckCommand.write(
                    "\(message.id)\t\(message.status.rawValue)\t\(message.attempts)\t\(next)\t\(message.channel)\t\(message.subject)"
                )
                if let error = message.lastError { CheckCommand.write("  last error: \(error)") }
            }
            return 0
        }
    }

    /// The JSON object of a message (no body).
    static func object(_ message: OutboxMessage) -> [String: Any] {
        [
            "id": message.id, "alertId": message.alertID.map { $0 as Any } ?? NSNull(), "channel": message.channel,
            "messageId": message.messageID, "recipients": message.recipients, "subject": message.subject,
            "status": message.status.rawValue, "attempts": message.attempts,
            "nextAttemptAt": AlertsCommand.iso(message.nextAttemptAt),
            "lastError": message.lastError.map { $0 as Any } ?? NSNull(), "createdAt": AlertsCommand.iso(message.createdAt),
            "sentAt": AlertsCommand.iso(message.sentAt),
        ]
    }
}
