import Baselines
import Foundation

/// Separate inventory files (`inventory:`): YAML lists of device entries, or CSV tables.
extension ConfigurationLoader {
    /// The columns an inventory CSV file may have (any order; `name`, `host` and `platform`
    /// are required).
    public static let inventoryColumns = [
        "name", "host", "port", "platform", "groups", "username", "key_file", "password_env", "password_file",
        "enable_password_env", "enable_password_file", "interval", "timeout", "time_limit", "host_key_policy",
    ]

    /// Reads the inventory file `path` (as written under `inventory:` at `reference`).
    func inventoryFile(_ path: String, resolved: URL, reference: YAMLValue) throws -> [DeviceEntry] {
        let display = resolved.path
        let lower = path.lowercased()
        let isCSV = lower.hasSuffix(".csv")
        guard isCSV || lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") else {
            throw reference.error(
                "an inventory file is a YAML list of devices (.yaml, .yml) or a CSV table (.csv); rename \(ConfigurationValues.quoted(path)) or convert it"
            )
        }
        guard FileManager.default.fileExists(atPath: display) else {
            throw reference.error(
                "inventory file \(display) not found; create it or fix the path (relative paths start at the folder of \(reference.file))"
            )
        }
        let text: String
        do {
            text = String(decoding: try Data(contentsOf: resolved), as: UTF8.self)
        } catch {
            throw reference.error("could not read inventory file \(display): \(error.localizedDescription)")
        }
        if isCSV { return try csvInventory(text, file: display) }
        guard let document = try YAMLValue.parse(text, file: display) else { return [] }
        guard document.isSequence else {
            throw document.error(
                "an inventory YAML file is a list of device entries ('- { name: …, host: …, platform: … }'), with the keys of 'devices:'"
            )
        }
        return try devices(document)
    }

    /// Reads an inventory CSV table.
    func csvInventory(_ text: String, file: String) throws -> [DeviceEntry] {
        func failure(_ line: Int, _ message: String) -> DriftWatchError {
            DriftWatchError(.invalidConfiguration, message, file: file, line: line)
        }
        let records: [CSVRecords.Record]
        do {
            records = try CSVRecords.parse(text)
        } catch let error as CSVRecords.SyntaxError {
            throw failure(error.line, "not valid CSV: \(error.message)")
        }
        guard let header = records.first else { return [] }
        var columns: [String] = []
        for (index, raw) in header.fields.enumerated() {
            let name = raw.trimmingCharacters(in: .whitespaces)
            let where_ = "header, column \(index + 1) (\(ConfigurationValues.quoted(name)))"
            if let instead = Self.inlineSecretKeys[name] {
                throw failure(
                    header.line, "\(where_): secrets are never written in an inventory file: use a \(instead) column instead")
            }
            guard Self.inventoryColumns.contains(name) else {
                throw failure(
                    header.line,
                    "\(where_): unknown column; allowed: \(Self.inventoryColumns.joined(separator: ", "))")
            }
            guard !columns.contains(name) else { throw failure(header.line, "\(where_): column given twice") }
            columns.append(name)
        }
        for required in ["name", "host", "platform"] where !columns.contains(required) {
            throw failure(header.line, "header: missing required column '\(required)'")
        }
        var devices: [DeviceEntry] = []
        var names: [String: Int] = [:]
        for record in records.dropFirst() {
            guard record.fields.count == columns.count else {
                throw failure(
                    record.line,
                    "this row has \(record.fields.count) fields but the header has \(columns.count); quote fields that contain commas (\"a,b\")"
                )
            }
            var cells: [String: String] = [:]
            for (column, value) in zip(columns, record.fields) {
                let trimmed = value.trimmingCharacters(in: .whitespaces)
                if !trimmed.isEmpty { cells[column] = trimmed }
            }
            func problem(_ column: String, _ message: String) -> DriftWatchError {
                let number = (columns.firstIndex(of: column) ?? 0) + 1
                return failure(record.line, "column '\(column)' (column \(number)): \(message)")
            }
            func required(_ column: String) throws -> String {
                guard let value = cells[column] else { throw problem(column, "must not be empty") }
                return value
            }
            func duration(_ column: String) throws -> Duration? {
                guard let text = cells[column] else { return nil }
                guard let value = Self.parseDuration(text), value > .zero else {
                    throw problem(column, ConfigurationValues.durationProblem(text))
                }
                return value
            }
            func envName(_ column: String) throws -> String? {
                guard let text = cells[column] else { return nil }
                if let message = ConfigurationValues.envNameProblem(text) { throw problem(column, message) }
                return text
            }
            let name = try required("name")
            if let message = ConfigurationValues.deviceNameProblem(name) { throw problem("name", message) }
            if let first = names[name] {
                throw problem("name", "device '\(name)' is listed twice (first at line \(first)); names must be unique")
            }
            names[name] = record.line
            let platform = try required("platform")
            if let message = ConfigurationValues.platformProblem(platform, known: knownPlatforms) {
                throw problem("platform", message)
            }
            var port = 22
            if let text = cells["port"] {
                guard let value = Int(text) else {
                    throw problem("port", "expected a whole number, found \(ConfigurationValues.quoted(text))")
                }
                if let message = ConfigurationValues.portProblem(value) { throw problem("port", message) }
                port = value
            }
            var policy: CollectionDefaults.HostKeyPolicy?
            if let text = cells["host_key_policy"] {
                guard let value = CollectionDefaults.HostKeyPolicy(configurationName: text) else {
                    throw problem("host_key_policy", ConfigurationValues.hostKeyPolicyProblem(text))
                }
                policy = value
            }
            let groups = (cells["groups"] ?? "").split(separator: ";").map {
                $0.trimmingCharacters(in: .whitespaces)
            }.filter { !$0.isEmpty }
            devices.append(
                DeviceEntry(
                    name: name, host: try required("host"), port: port, platform: platform, groups: groups,
                    credentials: CredentialReference(
                        username: cells["username"], passwordEnv: try envName("password_env"),
                        passwordFile: cells["password_file"], keyFile: cells["key_file"],
                        enablePasswordEnv: try envName("enable_password_env"),
                        enablePasswordFile: cells["enable_password_file"]),
                    overrides: CollectionOverrides(
                        interval: try duration("interval"), timeout: try duration("timeout"),
                        timeLimit: try duration("time_limit"), hostKeyPolicy: policy),
                    source: file, line: record.line))
        }
        return devices
    }

    /// Device names are unique across `driftwatch.yaml` and every inventory file; the error
    /// names both places.
    static func checkUniqueNames(_ devices: [DeviceEntry]) throws {
        var seen: [String: DeviceEntry] = [:]
        for device in devices {
            if let first = seen[device.name] {
                throw DriftWatchError(
                    .invalidConfiguration,
                    "device '\(device.name)' is listed twice: here and at \(first.location); names must be unique across driftwatch.yaml and its inventory files, so rename or remove one",
                    file: device.source, line: device.line)
            }
            seen[device.name] = device
        }
    }

    /// A warning for each group of `groups:` that no device belongs to (a typo, or a group
    /// kept for devices to come).
    static func unusedGroupWarnings(_ configuration: DriftWatchConfiguration) -> [ConfigurationWarning] {
        let used = Set(configuration.devices.flatMap(\.groups))
        return configuration.groups.filter { !used.contains($0.key) }.sorted { $0.key < $1.key }.map { name, overrides in
            ConfigurationWarning(
                file: configuration.file, line: overrides.line,
                message:
                    "key 'groups.\(name)': no device is in group '\(name)', so these settings apply to nothing; check the spelling against the devices' 'groups', or remove the entry"
            )
        }
    }
}
