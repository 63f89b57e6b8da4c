import Baselines
import ConfigDiff
import Foundation

/// One device's line in a `check`: how the collection went, the state it leads to and what
/// drifted. Its JSON form is part of the stable `check --json` document (see ``CheckReport``).
public struct DeviceCheck: Sendable, Encodable {
    /// A standards finding in JSON.
    public struct Finding: Sendable, Encodable, Hashable {
        /// The standard's name.
        public var standard: String
        /// The rule's id.
        public var rule: String
        /// `info` … `critical`.
        public var severity: String
        /// The section path the rule looked in.
        public var path: [String]
        /// What is wrong.
        public var message: String

        /// Converts a finding.
        public init(_ finding: StandardFinding) {
            standard = finding.standard
            rule = finding.ruleID
            severity = finding.severity.rawValue
            path = finding.sectionPath
            message = finding.message
        }
    }

    /// The device's inventory name.
    public var device: String
    /// Its platform id.
    public var platform: String
    /// The state after this check.
    public var state: DeviceStatus
    /// How the collection ended.
    public var collection: CollectionResult
    /// What failed and what to do; nil when the collection succeeded.
    public var message: String?
    /// The snapshot compared, when the collection succeeded.
    public var snapshotID: Int64?
    /// Collection attempts made.
    public var attempts: Int
    /// Collection time in milliseconds.
    public var durationMilliseconds: Int64
    /// The approved baseline version compared against.
    public var baselineVersion: Int?
    /// Whether the check ran inside one of the device's maintenance windows.
    public var inMaintenance: Bool
    /// The changes against the baseline; nil unless compared.
    public var delta: ConfigDelta?
    /// The commands that restore the baseline.
    public var remediation: [String]
    /// Standards violations.
    public var findings: [Finding]
    /// What to do next.
    public var hint: String?

    /// True when this device makes `check` exit 2: the collection or the evaluation failed.
    public var isError: Bool {
        collection != .ok || state == .unreachable || state == .stale || state == .hostKeyChanged
            || state == .hostKeyUnknown
    }

    enum CodingKeys: String, CodingKey {
        case device, platform, state, collection, message
        case snapshotID = "snapshotId"
        case attempts
        case durationMilliseconds = "durationMs"
        case baselineVersion, inMaintenance, delta, remediation, findings, hint
    }

    /// Encodes every key, `null` included, so the document's shape never changes.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(device, forKey: .device)
        try container.encode(platform, forKey: .platform)
        try container.encode(state.rawValue, forKey: .state)
        try container.encode(collection.rawValue, forKey: .collection)
        try container.encode(message, forKey: .message)
        try container.encode(snapshotID, forKey: .snapshotID)
        try container.encode(attempts, forKey: .attempts)
        try container.encode(durationMilliseconds, forKey: .durationMilliseconds)
        try container.encode(baselineVersion, forKey: .baselineVersion)
        try container.encode(inMaintenance, forKey: .inMaintenance)
        try container.encode(delta, forKey: .delta)
        try container.encode(remediation, forKey: .remediation)
        try container.encode(findings, forKey: .findings)
        try container.encode(hint, forKey: .hint)
    }
}
