import Baselines

/// Checks of single configuration values shared by the YAML readers and the CSV inventory
/// reader: each returns what is wrong (nil when the value is good), and the caller adds the
/// file, line and key or column.
enum ConfigurationValues {
    static func deviceNameProblem(_ name: String) -> String? {
        do {
            try BaselineStore.validateName(name, what: "device")
            return nil
        } catch let error as BaselineError {
            return error.message
        } catch {
            return "not a valid device name"
        }
    }

    static func platformProblem(_ platform: String, known: Set<String>?) -> String? {
        guard let known, !known.contains(platform) else { return nil }
        return
            "unknown platform '\(platform)'; known: \(known.sorted().joined(separator: ", ")) (or add a profile under 'profiles:')"
    }

    static func envNameProblem(_ name: String) -> String? {
        let bytes = Array(name.utf8)
        func isLetter(_ byte: UInt8) -> Bool { (65...90).contains(byte) || (97...122).contains(byte) || byte == 95 }
        guard let first = bytes.first, isLetter(first), bytes.allSatisfy({ isLetter($0) || (48...57).contains($0) })
        else {
            return "expected the name of an environment variable (letters, digits, _), found \(quoted(name))"
        }
        return nil
    }

    static func portProblem(_ port: Int) -> String? {
        (1...65535).contains(port) ? nil : "a port is between 1 and 65535"
    }

    static func durationProblem(_ text: String) -> String {
        "expected a positive duration such as 30s, 5m, 4h or 1h30m, found \(quoted(text))"
    }

    static func hostKeyPolicyProblem(_ text: String) -> String {
        "expected one of \(CollectionDefaults.HostKeyPolicy.configurationNames.joined(separator: ", ")), found \(quoted(text))"
    }

    /// At most 40 characters, quoted.
    static func quoted(_ text: String) -> String {
        (text.count > 40 ? String(text.prefix(40)) + "…" : text).debugDescription
    }
}
