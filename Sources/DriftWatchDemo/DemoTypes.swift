import Foundation

/// How to run `driftwatch demo`.
public struct DemoOptions: Sendable {
    /// The demo's working folder; `nil` makes a fresh `driftwatch-demo-XXXXXX` in the temporary
    /// directory (`$TMPDIR`, else `/tmp`). A given folder must be empty or not exist yet.
    public var directory: String?
    /// The `driftwatch` executable the demo runs for every command (itself, usually).
    public var binary: String
    /// After the tour, leave the labs and the watcher running until SIGINT or SIGTERM.
    public var keepRunning: Bool
    /// How long to wait for each email before giving up.
    public var emailTimeout: Duration

    /// Makes options.
    public init(directory: String? = nil, binary: String, keepRunning: Bool = false, emailTimeout: Duration = .seconds(60)) {
        self.directory = directory
        self.binary = binary
        self.keepRunning = keepRunning
        self.emailTimeout = emailTimeout
    }
}

/// Progress of the demo, reported through the callback of ``DemoRunner/run(_:report:)`` (the
/// library never prints; the CLI does).
public enum DemoEvent: Sendable, Equatable {
    /// A step begins: its number, the number of steps, and what it does.
    case step(number: Int, of: Int, title: String)
    /// A fact worth showing (a port, a fingerprint, a file).
    case info(String)
    /// A `driftwatch` command the demo runs, as a user would type it.
    case command(String)
    /// What a command or a received email printed, shown as an indented block.
    case block(title: String, text: String)
    /// A step's outcome.
    case ok(String)
    /// Something a user should know that does not stop the demo.
    case warning(String)
}

/// Why the demo stopped: the step, what failed and what to do.
public struct DemoError: Error, Sendable, CustomStringConvertible {
    /// The step that failed (its title).
    public var step: String
    /// What failed and why.
    public var reason: String
    /// What to do about it.
    public var remedy: String

    /// Makes an error.
    public init(step: String, reason: String, remedy: String) {
        self.step = step
        self.reason = reason
        self.remedy = remedy
    }

    /// `step: reason. remedy`
    public var description: String { "\(step) failed: \(reason)\n  What to do: \(remedy)" }
}

/// What a finished demo produced; also written to `<dir>/demo-summary.json`.
public struct DemoSummary: Sendable, Codable, Equatable {
    /// The working folder.
    public var directory: String
    /// The device whose configuration was changed, and the one with the volatile-only change.
    public var changedDevice: String
    /// The device whose only change was in volatile lines (no email expected).
    public var volatileDevice: String
    /// Milliseconds from writing the changed configuration to the alert email's arrival.
    public var changeToEmailMilliseconds: Int
    /// Milliseconds from the approval to the resolved email's arrival.
    public var approvalToEmailMilliseconds: Int
    /// The alert email's subject.
    public var alertSubject: String
    /// The resolved email's subject.
    public var resolvedSubject: String
    /// The alert email as received (`.eml`), its text and HTML parts.
    public var alertEmail: String
    public var alertText: String
    public var alertHTML: String
    /// The resolved email as received, and its text part.
    public var resolvedEmail: String
    public var resolvedText: String
    /// Every email received during the demo, as files (the Maildir copy of each).
    public var emails: [String]
    /// The watcher's log file.
    public var watcherLog: String
}
