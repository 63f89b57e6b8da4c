import Baselines
import Foundation

/// The settings and inventory of one install, read from `driftwatch.yaml` (DESIGN §3).
///
/// Secrets never appear in it: credentials are references (`password_env`, `password_file`,
/// `key_file`), resolved only when a connection is made.
public struct DriftWatchConfiguration: Sendable {
    /// The file it was read from, as given.
    public var file: String
    /// The folder relative paths are resolved against (the file's folder).
    public var folder: URL
    /// The state store: a SQLite path (default `.driftwatch/state.sqlite`) or a `postgres://` URL.
    public var state: String
    /// The baselines folder (default `baselines`).
    public var baselines: String
    /// Collection defaults.
    public var defaults: CollectionDefaults
    /// Alerting, when configured.
    public var alerts: AlertSettings?
    /// Who may approve what.
    public var approvers: [Approver]
    /// The inventory.
    public var devices: [DeviceEntry]
    /// The syslog trigger listener, when configured.
    public var syslog: SyslogSettings?
    /// The HTTP endpoint, when configured.
    public var http: HTTPSettings?
    /// Maintenance windows.
    public var maintenanceWindows: [MaintenanceWindow]
    /// Per-group overrides of the collection settings (`groups:`), by group name.
    public var groups: [String: CollectionOverrides]
    /// The separate inventory files (`inventory:`), as written (relative to ``folder``).
    public var inventoryFiles: [String]
    /// The user profile directory (`profiles:`), as written; nil: built-in profiles only.
    public var profiles: String?
    /// Things the loader accepted but that are probably mistakes (a group in `groups:` that no
    /// device uses), each with its file and line. The watcher logs them at warning level.
    public var warnings: [ConfigurationWarning]

    /// Creates a configuration (tests and the loader).
    public init(
        file: String, folder: URL, state: String = ".driftwatch/state.sqlite", baselines: String = "baselines",
        defaults: CollectionDefaults = CollectionDefaults(), alerts: AlertSettings? = nil, approvers: [Approver] = [],
        devices: [DeviceEntry] = [], syslog: SyslogSettings? = nil, http: HTTPSettings? = nil,
        maintenanceWindows: [MaintenanceWindow] = [], groups: [String: CollectionOverrides] = [:],
        inventoryFiles: [String] = [], profiles: String? = nil, warnings: [ConfigurationWarning] = []
    ) {
        self.file = file
        self.folder = folder
        self.state = state
        self.baselines = baselines
        self.defaults = defaults
        self.alerts = alerts
        self.approvers = approvers
        self.devices = devices
        self.syslog = syslog
        self.http = http
        self.maintenanceWindows = maintenanceWindows
        self.groups = groups
        self.inventoryFiles = inventoryFiles
        self.profiles = profiles
        self.warnings = warnings
    }

    /// The user profile directory, resolved against ``folder``; nil when `profiles:` is absent.
    public var profilesFolder: URL? { profiles.map(resolve) }

    /// The baselines folder, resolved against ``folder``.
    public var baselinesFolder: URL { resolve(baselines) }

    /// The state folder: the SQLite file's folder, or `.driftwatch` beside the configuration
    /// when the state store is PostgreSQL. The audit log and the masking key live here.
    public var stateFolder: URL {
        if state.hasPrefix("postgres://") || state.hasPrefix("postgresql://") { return resolve(".driftwatch") }
        return resolve(state).deletingLastPathComponent()
    }

    /// The approval policy built from ``approvers``.
    public var approverPolicy: ApproverPolicy {
        ApproverPolicy(approvers: approvers, configKey: "'approvers' in \(file)")
    }

    /// The device named `name`; throws `.unknownDevice` naming the file when absent.
    public func device(named name: String) throws -> DeviceEntry {
        guard let device = devices.first(where: { $0.name == name }) else {
            throw DriftWatchError(
                .unknownDevice,
                "device '\(name)' is not in the inventory: add it under 'devices' (name, host, platform, groups)",
                file: file)
        }
        return device
    }

    /// `path` resolved against ``folder`` (absolute paths and `~/…` are kept as such).
    public func resolve(_ path: String) -> URL {
        if path.hasPrefix("/") { return URL(fileURLWithPath: path) }
        if path == "~" || path.hasPrefix("~/") {
            return URL(fileURLWithPath: NSString(string: path).expandingTildeInPath)
        }
        return folder.appendingPathComponent(path).standardizedFileURL
    }
}

/// Collection defaults (`defaults:`).
public struct CollectionDefaults: Sendable, Hashable {
    /// How host keys are treated.
    public enum HostKeyPolicy: String, Sendable, Hashable, CaseIterable {
        /// Unknown or changed keys stop collection until trusted.
        case strict
        /// Unknown keys are trusted on first use; changed keys stop collection. `tofu` (trust on
        /// first use) is accepted in `driftwatch.yaml` as another name for it.
        case acceptNew = "accept-new"

        /// The policy named `text` in a configuration file: a raw value, or `tofu` for
        /// ``acceptNew``.
        public init?(configurationName text: String) {
            if text == "tofu" {
                self = .acceptNew
            } else {
                self.init(rawValue: text)
            }
        }

        /// The names a configuration file may use.
        public static let configurationNames = ["strict", "accept-new", "tofu"]
    }

    /// Time between two collections of a device (default 5m).
    public var interval: Duration
    /// SSH connect and read timeout (default 30s).
    public var timeout: Duration
    /// Hard time limit for one device's collection (default 2m).
    public var timeLimit: Duration
    /// Collections at once (default 32). In ``DriftWatchConfiguration/settings(for:)``: the
    /// tightest limit that applies to the device (the global one and each of its groups').
    public var concurrency: Int
    /// Host-key policy (default strict).
    public var hostKeyPolicy: HostKeyPolicy

    /// Creates defaults.
    public init(
        interval: Duration = .seconds(300), timeout: Duration = .seconds(30), timeLimit: Duration = .seconds(120),
        concurrency: Int = 32, hostKeyPolicy: HostKeyPolicy = .strict
    ) {
        self.interval = interval
        self.timeout = timeout
        self.timeLimit = timeLimit
        self.concurrency = concurrency
        self.hostKeyPolicy = hostKeyPolicy
    }
}

/// One device or host of the inventory.
public struct DeviceEntry: Sendable, Hashable {
    /// Unique name (also the baseline folder name).
    public var name: String
    /// Address or DNS name.
    public var host: String
    /// SSH port (default 22).
    public var port: Int
    /// Platform profile id (`cisco_ios`, `linux`, …).
    public var platform: String
    /// Groups (for standards and approval rights).
    public var groups: [String]
    /// Credential references.
    public var credentials: CredentialReference
    /// The device's own overrides of the collection settings (never ``CollectionOverrides/concurrency``,
    /// which is per group).
    public var overrides: CollectionOverrides
    /// The file the entry was read from (`driftwatch.yaml` or an inventory file), as the loader
    /// names it in messages.
    public var source: String?
    /// The line of the entry in ``source``.
    public var line: Int?

    /// Creates an entry.
    public init(
        name: String, host: String, port: Int = 22, platform: String, groups: [String] = [],
        credentials: CredentialReference = CredentialReference(), overrides: CollectionOverrides = CollectionOverrides(),
        source: String? = nil, line: Int? = nil
    ) {
        self.name = name
        self.host = host
        self.port = port
        self.platform = platform
        self.groups = groups
        self.credentials = credentials
        self.overrides = overrides
        self.source = source
        self.line = line
    }

    /// `file:line` (or what is known of it), for messages and `status`.
    public var location: String {
        switch (source, line) {
        case (let source?, let line?): return "\(source):\(line)"
        case (let source?, nil): return source
        case (nil, let line?): return "line \(line)"
        default: return "an unknown place"
        }
    }
}

/// Where a device's credentials are found: never the secret itself.
public struct CredentialReference: Sendable, Hashable {
    /// The login name.
    public var username: String?
    /// Environment variable holding the password.
    public var passwordEnv: String?
    /// File holding the password.
    public var passwordFile: String?
    /// Private key file.
    public var keyFile: String?
    /// Environment variable holding the enable password.
    public var enablePasswordEnv: String?
    /// File holding the enable password.
    public var enablePasswordFile: String?

    /// Creates a reference.
    public init(
        username: String? = nil, passwordEnv: String? = nil, passwordFile: String? = nil, keyFile: String? = nil,
        enablePasswordEnv: String? = nil, enablePasswordFile: String? = nil
    ) {
        self.username = username
        self.passwordEnv = passwordEnv
        self.passwordFile = passwordFile
        self.keyFile = keyFile
        self.enablePasswordEnv = enablePasswordEnv
        self.enablePasswordFile = enablePasswordFile
    }
}

/// Alerting (`alerts:`).
public struct AlertSettings: Sendable, Hashable {
    /// Email delivery.
    public var email: EmailSettings?
    /// Webhooks.
    public var webhooks: [WebhookSettings]
    /// Remind after an alert stays open this long.
    public var reminderAfter: Duration?
    /// Digest: at least `threshold` devices drifting within `window` send one email.
    public var digest: DigestSettings?

    /// Creates settings.
    public init(
        email: EmailSettings? = nil, webhooks: [WebhookSettings] = [], reminderAfter: Duration? = nil,
        digest: DigestSettings? = nil
    ) {
        self.email = email
        self.webhooks = webhooks
        self.reminderAfter = reminderAfter
        self.digest = digest
    }
}

/// One digest email instead of many (`alerts.digest`).
public struct DigestSettings: Sendable, Hashable {
    /// How many devices drifting within ``window`` trigger a digest.
    public var threshold: Int
    /// The window.
    public var window: Duration

    /// Creates settings.
    public init(threshold: Int, window: Duration) {
        self.threshold = threshold
        self.window = window
    }
}

/// SMTP delivery (`alerts.email`).
public struct EmailSettings: Sendable, Hashable {
    /// SMTP server host.
    public var smtpHost: String
    /// SMTP port (default 587).
    public var smtpPort: Int
    /// Use STARTTLS (default true).
    public var startTLS: Bool
    /// CA bundle to verify the server.
    public var caFile: String?
    /// Environment variable holding the SMTP user name.
    public var usernameEnv: String?
    /// The SMTP user name, when not secret.
    public var username: String?
    /// Environment variable holding the SMTP password.
    public var passwordEnv: String?
    /// File holding the SMTP password.
    public var passwordFile: String?
    /// Sender address.
    public var from: String
    /// Recipients.
    public var to: [String]

    /// Creates settings.
    public init(
        smtpHost: String, smtpPort: Int = 587, startTLS: Bool = true, caFile: String? = nil, usernameEnv: String? = nil,
        username: String? = nil, passwordEnv: String? = nil, passwordFile: String? = nil, from: String, to: [String]
    ) {
        self.smtpHost = smtpHost
        self.smtpPort = smtpPort
        self.startTLS = startTLS
        self.caFile = caFile
        self.usernameEnv = usernameEnv
        self.username = username
        self.passwordEnv = passwordEnv
        self.passwordFile = passwordFile
        self.from = from
        self.to = to
    }
}

/// One webhook (`alerts.webhooks[]`).
public struct WebhookSettings: Sendable, Hashable {
    /// The URL (http or https).
    public var url: String
    /// Environment variable holding a bearer token.
    public var tokenEnv: String?
    /// File holding a bearer token.
    public var tokenFile: String?
    /// Environment variable holding the HMAC-SHA256 signing secret (`X-DriftWatch-Signature`).
    public var secretEnv: String?
    /// File holding the signing secret.
    public var secretFile: String?

    /// Creates settings.
    public init(
        url: String, tokenEnv: String? = nil, tokenFile: String? = nil, secretEnv: String? = nil,
        secretFile: String? = nil
    ) {
        self.url = url
        self.tokenEnv = tokenEnv
        self.tokenFile = tokenFile
        self.secretEnv = secretEnv
        self.secretFile = secretFile
    }
}

/// The syslog trigger listener (`syslog:`).
public struct SyslogSettings: Sendable, Hashable {
    /// `address:port`.
    public var listen: String

    /// Creates settings.
    public init(listen: String) { self.listen = listen }
}

/// The HTTP endpoint (`http:`).
public struct HTTPSettings: Sendable, Hashable {
    /// `address:port`.
    public var listen: String
    /// Environment variable holding the API bearer token (no token: the API is off).
    public var tokenEnv: String?
    /// File holding the API bearer token.
    public var tokenFile: String?

    /// Creates settings.
    public init(listen: String, tokenEnv: String? = nil, tokenFile: String? = nil) {
        self.listen = listen
        self.tokenEnv = tokenEnv
        self.tokenFile = tokenFile
    }
}

/// A weekly maintenance window (`maintenance_windows[]`).
public struct MaintenanceWindow: Sendable, Hashable {
    /// Groups it applies to (empty: see ``devices``).
    public var groups: [String]
    /// Devices it applies to.
    public var devices: [String]
    /// `monday` … `sunday`, or `day` for every day.
    public var every: String
    /// Start, `HH:MM`.
    public var from: String
    /// End, `HH:MM` (may be before `from`: the window crosses midnight).
    public var to: String
    /// IANA time zone (default UTC).
    public var timezone: String

    /// Creates a window.
    public init(
        groups: [String], devices: [String] = [], every: String, from: String, to: String, timezone: String = "UTC"
    ) {
        self.groups = groups
        self.devices = devices
        self.every = every
        self.from = from
        self.to = to
        self.timezone = timezone
    }
}
