import Baselines
import Foundation

/// Reads and validates `driftwatch.yaml`. Every error names the file, the line and the key;
/// unknown keys are rejected (a typo never silently disables a setting), and so is any inline
/// secret.
///
/// Each top-level key has its own reader function below; a new key is one more entry in
/// ``topLevelKeys`` and one more reader.
public struct ConfigurationLoader: Sendable {
    /// Platform ids a device may name; nil accepts any well-formed id.
    public var knownPlatforms: Set<String>?

    /// Creates a loader.
    public init(knownPlatforms: Set<String>? = nil) { self.knownPlatforms = knownPlatforms }

    /// The top-level keys understood today.
    public static let topLevelKeys = [
        "state", "baselines", "defaults", "alerts", "approvers", "devices", "syslog", "http", "maintenance_windows",
        "groups", "inventory", "profiles",
    ]

    /// The override keys a device entry (or an inventory CSV row) may carry.
    static let deviceOverrideKeys = ["interval", "timeout", "time_limit", "host_key_policy"]
    /// The keys of a device entry.
    static let deviceKeys = ["name", "host", "port", "platform", "groups", "credentials"] + deviceOverrideKeys

    /// Keys that would hold a secret inline, and what to write instead.
    static let inlineSecretKeys: [String: String] = [
        "password": "password_env or password_file",
        "enable_password": "enable_password_env or enable_password_file",
        "secret": "password_env or password_file",
        "token": "token_env or token_file",
        "passphrase": "key_file (with an agent) or password_file",
    ]

    /// Loads the file at `path`.
    public func load(path: String) throws -> DriftWatchConfiguration {
        let url = URL(fileURLWithPath: path)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw DriftWatchError(
                .configurationNotFound,
                "configuration file not found; create it (see README, 'Configuration reference') or pass --config PATH",
                file: path)
        }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw DriftWatchError(.ioFailed, "could not read: \(error.localizedDescription)", file: path)
        }
        return try parse(
            String(decoding: data, as: UTF8.self), file: path,
            folder: url.deletingLastPathComponent().standardizedFileURL)
    }

    /// Parses configuration text; `folder` anchors relative paths.
    public func parse(_ text: String, file: String, folder: URL) throws -> DriftWatchConfiguration {
        do {
            return try parseChecked(text, file: file, folder: folder)
        } catch let error as BaselineError {
            throw DriftWatchError(configuration: error)
        }
    }

    private func parseChecked(_ text: String, file: String, folder: URL) throws -> DriftWatchConfiguration {
        var configuration = DriftWatchConfiguration(file: file, folder: folder)
        guard let document = try YAMLValue.parse(text, file: file) else { return configuration }
        let top = try document.mapping(allowed: Self.topLevelKeys)
        if let value = top.optional("state") { configuration.state = try value.nonEmptyString() }
        if let value = top.optional("baselines") { configuration.baselines = try value.nonEmptyString() }
        if let value = top.optional("defaults") { configuration.defaults = try Self.defaults(value) }
        if let value = top.optional("alerts") { configuration.alerts = try Self.alerts(value) }
        if let value = top.optional("approvers") { configuration.approvers = try Self.approvers(value) }
        if let value = top.optional("devices") { configuration.devices = try devices(value) }
        if let value = top.optional("groups") { configuration.groups = try Self.groups(value) }
        if let value = top.optional("profiles") { configuration.profiles = try value.nonEmptyString() }
        if let value = top.optional("inventory") {
            let entries = try value.sequence()
            configuration.inventoryFiles = try entries.map { try $0.nonEmptyString() }
            for (entry, path) in zip(entries, configuration.inventoryFiles) {
                configuration.devices += try inventoryFile(
                    path, resolved: configuration.resolve(path), reference: entry)
            }
        }
        try Self.checkUniqueNames(configuration.devices)
        configuration.warnings = Self.unusedGroupWarnings(configuration)
        if let value = top.optional("syslog") {
            let map = try value.mapping(allowed: ["listen"])
            configuration.syslog = SyslogSettings(listen: try Self.listenAddress(try map.required("listen"), key: "syslog.listen"))
        }
        if let value = top.optional("http") {
            let map = try Self.mapping(value, allowed: ["listen", "token_env", "token_file"])
            configuration.http = HTTPSettings(
                listen: try Self.listenAddress(try map.required("listen"), key: "http.listen"),
                tokenEnv: try Self.envName(map.optional("token_env")),
                tokenFile: try map.optional("token_file")?.nonEmptyString())
        }
        if let value = top.optional("maintenance_windows") {
            configuration.maintenanceWindows = try value.sequence().map(Self.maintenanceWindow)
        }
        return configuration
    }

    /// A mapping whose inline-secret keys get a specific message before the unknown-key check.
    static func mapping(_ value: YAMLValue, allowed: [String]) throws -> YAMLMapping {
        if value.isMapping, let all = try? value.mapping(allowed: Array(inlineSecretKeys.keys) + allowed) {
            for key in all.keys where inlineSecretKeys[key] != nil && !allowed.contains(key) {
                let offending = try all.required(key)
                throw offending.error(
                    "secrets are never written in driftwatch.yaml: use \(inlineSecretKeys[key] ?? "a reference") instead"
                )
            }
        }
        return try value.mapping(allowed: allowed)
    }

    static func defaults(_ value: YAMLValue) throws -> CollectionDefaults {
        let map = try value.mapping(allowed: ["interval", "timeout", "time_limit", "concurrency", "host_key_policy"])
        var defaults = CollectionDefaults()
        if let interval = map.optional("interval") { defaults.interval = try duration(interval) }
        if let timeout = map.optional("timeout") { defaults.timeout = try duration(timeout) }
        if let limit = map.optional("time_limit") { defaults.timeLimit = try duration(limit) }
        if let concurrency = map.optional("concurrency") {
            defaults.concurrency = try concurrency.int()
            guard (1...10_000).contains(defaults.concurrency) else {
                throw concurrency.error("must be between 1 and 10000")
            }
        }
        if let policy = map.optional("host_key_policy") { defaults.hostKeyPolicy = try hostKeyPolicy(policy) }
        return defaults
    }

    static func hostKeyPolicy(_ value: YAMLValue) throws -> CollectionDefaults.HostKeyPolicy {
        let text = try value.string()
        guard let parsed = CollectionDefaults.HostKeyPolicy(configurationName: text) else {
            throw value.error(ConfigurationValues.hostKeyPolicyProblem(text))
        }
        return parsed
    }

    /// `groups:`: a mapping from group name to its overrides.
    static func groups(_ value: YAMLValue) throws -> [String: CollectionOverrides] {
        guard value.isMapping else {
            throw value.error("expected a mapping of group name to settings, e.g. 'core: { interval: 1m, concurrency: 4 }'")
        }
        // The group names are the keys: read them as the allowed keys of their own mapping
        // (which still rejects a group given twice).
        let names = try value.mappingKeys()
        let map = try value.mapping(allowed: names)
        var result: [String: CollectionOverrides] = [:]
        for name in names {
            guard let entry = map.optional(name) else { continue }
            var overrides = try Self.overrides(entry, allowed: deviceOverrideKeys + ["concurrency"])
            if let concurrency = try entry.mapping(allowed: deviceOverrideKeys + ["concurrency"]).optional("concurrency") {
                let limit = try concurrency.int()
                guard (1...10_000).contains(limit) else {
                    throw concurrency.error("must be between 1 and 10000 (at most this many collections of the group at once)")
                }
                overrides.concurrency = limit
            }
            overrides.line = entry.line
            result[name] = overrides
        }
        return result
    }

    /// The overrides keys of `value` (a mapping already checked to allow `allowed`).
    static func overrides(_ value: YAMLValue, allowed: [String]) throws -> CollectionOverrides {
        let map = try value.mapping(allowed: allowed)
        var overrides = CollectionOverrides()
        if let interval = map.optional("interval") { overrides.interval = try duration(interval) }
        if let timeout = map.optional("timeout") { overrides.timeout = try duration(timeout) }
        if let limit = map.optional("time_limit") { overrides.timeLimit = try duration(limit) }
        if let policy = map.optional("host_key_policy") { overrides.hostKeyPolicy = try hostKeyPolicy(policy) }
        return overrides
    }

    static func alerts(_ value: YAMLValue) throws -> AlertSettings {
        let map = try value.mapping(allowed: ["email", "webhooks", "reminder_after", "digest"])
        var alerts = AlertSettings()
        if let email = map.optional("email") {
            let emailMap = try email.mapping(allowed: ["smtp", "from", "to"])
            let smtpValue = try emailMap.required("smtp")
            let smtp = try mapping(
                smtpValue,
                allowed: [
                    "host", "port", "starttls", "ca_file", "username", "username_env", "password_env", "password_file",
                ])
            let port = try smtp.optional("port").map(port) ?? 587
            let to = try emailMap.required("to")
            let recipients = try to.stringList()
            guard !recipients.isEmpty else { throw to.error("give at least one recipient") }
            for (index, address) in recipients.enumerated() where !address.contains("@") {
                throw (try to.sequence())[index].error("not an email address")
            }
            let from = try emailMap.required("from")
            guard try from.string().contains("@") else { throw from.error("not an email address") }
            alerts.email = EmailSettings(
                smtpHost: try smtp.required("host").nonEmptyString(), smtpPort: port,
                startTLS: try smtp.optional("starttls")?.bool() ?? true,
                caFile: try smtp.optional("ca_file")?.nonEmptyString(),
                usernameEnv: try envName(smtp.optional("username_env")),
                username: try smtp.optional("username")?.string(),
                passwordEnv: try envName(smtp.optional("password_env")),
                passwordFile: try smtp.optional("password_file")?.nonEmptyString(), from: try from.string(),
                to: recipients)
        }
        if let hooks = map.optional("webhooks") {
            alerts.webhooks = try hooks.sequence().map { hook in
                let hookMap = try mapping(hook, allowed: ["url", "token_env", "token_file", "secret_env", "secret_file"])
                let url = try hookMap.required("url")
                let text = try url.string()
                guard text.hasPrefix("https://") || text.hasPrefix("http://") else {
                    throw url.error("expected an http:// or https:// URL")
                }
                return WebhookSettings(
                    url: text, tokenEnv: try envName(hookMap.optional("token_env")),
                    tokenFile: try hookMap.optional("token_file")?.nonEmptyString(),
                    secretEnv: try envName(hookMap.optional("secret_env")),
                    secretFile: try hookMap.optional("secret_file")?.nonEmptyString())
            }
        }
        if let reminder = map.optional("reminder_after") { alerts.reminderAfter = try duration(reminder) }
        if let digest = map.optional("digest") {
            let digestMap = try digest.mapping(allowed: ["threshold", "window"])
            let threshold = try digestMap.required("threshold")
            let count = try threshold.int()
            guard count >= 2 else { throw threshold.error("must be 2 or more") }
            alerts.digest = DigestSettings(threshold: count, window: try duration(try digestMap.required("window")))
        }
        return alerts
    }

    static func approvers(_ value: YAMLValue) throws -> [Approver] {
        var names: Set<String> = []
        return try value.sequence().map { entry in
            let map = try entry.mapping(allowed: ["name", "groups"])
            let nameValue = try map.required("name")
            let name = try nameValue.nonEmptyString()
            guard names.insert(name).inserted else { throw nameValue.error("approver '\(name)' is listed twice") }
            let groups = try map.required("groups")
            let list = try groups.stringList()
            guard !list.isEmpty else { throw groups.error("give at least one group, or \"*\" for every group") }
            return Approver(name: name, groups: list)
        }
    }

    func devices(_ value: YAMLValue) throws -> [DeviceEntry] {
        var names: [String: Int] = [:]
        return try value.sequence().map { entry in
            if entry.isMapping, let all = try? entry.mapping(allowed: Self.deviceKeys + ["concurrency"]),
                let concurrency = all.optional("concurrency")
            {
                throw concurrency.error(
                    "concurrency is a per-group limit: set it under 'groups.<group>.concurrency' (or 'defaults.concurrency'), not on a device"
                )
            }
            let map = try Self.mapping(entry, allowed: Self.deviceKeys)
            let nameValue = try map.required("name")
            let name = try nameValue.nonEmptyString()
            if let problem = ConfigurationValues.deviceNameProblem(name) { throw nameValue.error(problem) }
            if let first = names[name] {
                throw nameValue.error("device '\(name)' is listed twice (first at line \(first)); names must be unique")
            }
            names[name] = nameValue.line ?? 0
            let platformValue = try map.required("platform")
            let platform = try platformValue.nonEmptyString()
            if let problem = ConfigurationValues.platformProblem(platform, known: knownPlatforms) {
                throw platformValue.error(problem)
            }
            var credentials = CredentialReference()
            if let credentialValue = map.optional("credentials") {
                let credentialMap = try Self.mapping(
                    credentialValue,
                    allowed: [
                        "username", "password_env", "password_file", "key_file", "enable_password_env",
                        "enable_password_file",
                    ])
                credentials = CredentialReference(
                    username: try credentialMap.optional("username")?.nonEmptyString(),
                    passwordEnv: try Self.envName(credentialMap.optional("password_env")),
                    passwordFile: try credentialMap.optional("password_file")?.nonEmptyString(),
                    keyFile: try credentialMap.optional("key_file")?.nonEmptyString(),
                    enablePasswordEnv: try Self.envName(credentialMap.optional("enable_password_env")),
                    enablePasswordFile: try credentialMap.optional("enable_password_file")?.nonEmptyString())
            }
            return DeviceEntry(
                name: name, host: try map.required("host").nonEmptyString(),
                port: try map.optional("port").map(Self.port) ?? 22,
                platform: platform, groups: try map.optional("groups")?.stringList() ?? [], credentials: credentials,
                overrides: try Self.overrides(entry, allowed: Self.deviceKeys), source: entry.file, line: entry.line)
        }
    }

    static func maintenanceWindow(_ value: YAMLValue) throws -> MaintenanceWindow {
        let map = try value.mapping(allowed: ["groups", "devices", "every", "from", "to", "timezone"])
        let groups = try map.optional("groups")?.stringList() ?? []
        let devices = try map.optional("devices")?.stringList() ?? []
        guard !groups.isEmpty || !devices.isEmpty else { throw value.error("give groups, devices or both") }
        let everyValue = try map.required("every")
        let every = try everyValue.string().lowercased()
        let days = ["day", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
        guard days.contains(every) else { throw everyValue.error("expected one of \(days.joined(separator: ", "))") }
        let timezoneValue = map.optional("timezone")
        let timezone = try timezoneValue?.string() ?? "UTC"
        if let timezoneValue, TimeZone(identifier: timezone) == nil {
            throw timezoneValue.error("unknown time zone; use an IANA name such as UTC or Europe/Zurich")
        }
        return MaintenanceWindow(
            groups: groups, devices: devices, every: every, from: try clock(try map.required("from")),
            to: try clock(try map.required("to")), timezone: timezone)
    }

    static func clock(_ value: YAMLValue) throws -> String {
        let text = try value.string()
        let parts = text.split(separator: ":")
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let hour = Int(parts[0]),
            let minute = Int(parts[1]), (0..<24).contains(hour), (0..<60).contains(minute)
        else {
            throw value.error("expected a time HH:MM (quoted, e.g. \"02:00\"), found \(value.shortForm)")
        }
        return text
    }

    static func port(_ value: YAMLValue) throws -> Int {
        let port = try value.int()
        if let problem = ConfigurationValues.portProblem(port) { throw value.error(problem) }
        return port
    }

    /// `listen:` of `syslog:` or `http:`, checked by ``ListenAddress`` (the rules the listeners
    /// use), with a fixed port; errors carry the file and line.
    static func listenAddress(_ value: YAMLValue, key: String) throws -> String {
        let text = try value.string()
        switch ListenAddress.parse(text) {
        case .failure(let problem):
            throw value.error(problem.message)
        case .success(let address) where address.port == 0:
            throw value.error("port 0 is not a fixed port; devices and scrapers need one, e.g. 127.0.0.1:9180")
        case .success:
            return text
        }
    }

    static func envName(_ value: YAMLValue?) throws -> String? {
        guard let value else { return nil }
        let name = try value.string()
        if let problem = ConfigurationValues.envNameProblem(name) { throw value.error(problem) }
        return name
    }

    /// `90s`, `5m`, `4h`, `1d`, `1h30m`, `250ms`.
    public static func parseDuration(_ text: String) -> Duration? {
        var total: Duration = .zero
        var number = ""
        var unit = ""
        var parsedAny = false
        func flush() -> Bool {
            guard let value = Int(number) else { return false }
            switch unit {
            case "ms": total += .milliseconds(value)
            case "s": total += .seconds(value)
            case "m": total += .seconds(value * 60)
            case "h": total += .seconds(value * 3600)
            case "d": total += .seconds(value * 86400)
            default: return false
            }
            number = ""
            unit = ""
            parsedAny = true
            return true
        }
        for character in text {
            if character.isASCII, character.isNumber {
                if !unit.isEmpty { guard flush() else { return nil } }
                number.append(character)
            } else if character.isLetter {
                guard !number.isEmpty else { return nil }
                unit.append(character)
            } else {
                return nil
            }
        }
        guard !number.isEmpty, flush(), parsedAny else { return nil }
        return total
    }

    static func duration(_ value: YAMLValue) throws -> Duration {
        let text = try value.string()
        guard let duration = parseDuration(text), duration > .zero else {
            throw value.error(ConfigurationValues.durationProblem(text))
        }
        return duration
    }
}
