import Baselines
import ConfigDiff
import Foundation

/// What alerting keeps about one alert, stored as the alert's ``Alert/details`` JSON.
///
/// Everything an email needs is here, so that a reminder, a maintenance release or a digest
/// composed later from ``AlertCenter/tick(now:)`` says the same as the opening email. Only
/// masked text enters: the delta, remediation and findings come from a ``DeviceCheck``, whose
/// text was masked by the normalizer before anything stored it.
public struct AlertDetails: Sendable, Hashable, Codable {
    /// Why an alert's opening (or update) email waits.
    public enum Hold: String, Sendable, Hashable, Codable {
        /// The drift was found inside a maintenance window: alerted when it closes.
        case maintenance
        /// The drift is one of a mass change: listed in a digest when its batch closes.
        case digest
    }

    /// The drift content hash (delta and findings): the same hash seen again sends nothing.
    public var hash: String?
    /// Messages composed for the alert so far: numbers each email's stable `Message-ID`.
    public var sequence: Int = 0
    /// Notices decided but not yet composed into outbox messages (a new alert's id is known only
    /// after its insert; see ``AlertCenter``).
    public var pending: [AlertNotice] = []
    /// True once an opening email (individual or digest) was enqueued.
    public var notified: Bool = false
    /// Why the opening or update waits, when it does.
    public var hold: Hold?
    /// The notice to send when the hold ends (`opened` or `updated`).
    public var heldNotice: AlertNotice?
    /// The digest batch (its start, in milliseconds since 1970) the alert belongs to.
    public var digestBatch: Int64?
    /// When the last reminder went out.
    public var lastReminderAt: Date?
    /// Reminders sent.
    public var reminders: Int = 0
    /// The facts of the drift (drift alerts) as last observed.
    public var drift: DriftFacts?
    /// Consecutive failed collections (collection-failure alerts).
    public var failures: Int = 0
    /// What failed, as the collector said it (masked), for failure and security alerts.
    public var failure: String?
    /// How the alert was resolved, once it is.
    public var resolution: AlertResolution?

    /// Empty details.
    public init() {}

    /// Decodes stored JSON; unreadable or empty JSON gives empty details (an alert written by
    /// another version still resolves and reminds).
    public init(json: String) {
        self = (try? JSONDecoder().decode(Self.self, from: Data(json.utf8))) ?? Self()
    }

    /// The JSON text to store (sorted keys).
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .millisecondsSince1970
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    private enum CodingKeys: String, CodingKey {
        case hash, sequence, pending, notified, hold, heldNotice, digestBatch, lastReminderAt, reminders, drift
        case failures, failure, resolution
    }

    /// Decodes with defaults for every missing key.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        hash = try c.decodeIfPresent(String.self, forKey: .hash)
        sequence = try c.decodeIfPresent(Int.self, forKey: .sequence) ?? 0
        pending = try c.decodeIfPresent([AlertNotice].self, forKey: .pending) ?? []
        notified = try c.decodeIfPresent(Bool.self, forKey: .notified) ?? false
        hold = try c.decodeIfPresent(Hold.self, forKey: .hold)
        heldNotice = try c.decodeIfPresent(AlertNotice.self, forKey: .heldNotice)
        digestBatch = try c.decodeIfPresent(Int64.self, forKey: .digestBatch)
        lastReminderAt = try c.decodeIfPresent(Double.self, forKey: .lastReminderAt).map {
            Date(timeIntervalSince1970: $0 / 1000)
        }
        reminders = try c.decodeIfPresent(Int.self, forKey: .reminders) ?? 0
        drift = try c.decodeIfPresent(DriftFacts.self, forKey: .drift)
        failures = try c.decodeIfPresent(Int.self, forKey: .failures) ?? 0
        failure = try c.decodeIfPresent(String.self, forKey: .failure)
        resolution = try c.decodeIfPresent(AlertResolution.self, forKey: .resolution)
    }
}

/// The facts of one observed drift, as an email shows them.
public struct DriftFacts: Sendable, Hashable, Codable {
    /// The delta against the baseline (masked).
    public var delta: ConfigDelta
    /// The commands that restore the baseline (masked).
    public var remediation: [String]
    /// Standards violated.
    public var findings: [DeviceCheck.Finding]
    /// The snapshot compared.
    public var snapshotID: Int64?
    /// The baseline version compared against.
    public var baselineVersion: Int?
    /// What started the collection (`poll`, `syslog`, …).
    public var trigger: String
    /// Who changed the configuration, when syslog named them.
    public var changedBy: String?
    /// When this drift (this hash) was first detected, in milliseconds since 1970.
    public var detectedAt: Int64

    /// Creates facts.
    public init(
        delta: ConfigDelta, remediation: [String], findings: [DeviceCheck.Finding], snapshotID: Int64?,
        baselineVersion: Int?, trigger: String, changedBy: String?, detectedAt: Date
    ) {
        self.delta = delta
        self.remediation = remediation
        self.findings = findings
        self.snapshotID = snapshotID
        self.baselineVersion = baselineVersion
        self.trigger = trigger
        self.changedBy = changedBy
        self.detectedAt = Int64((detectedAt.timeIntervalSince1970 * 1000).rounded())
    }

    /// ``detectedAt`` as a date.
    public var detectedDate: Date { Date(timeIntervalSince1970: Double(detectedAt) / 1000) }

    /// The content hash that identifies this drift: SHA-256 over the delta's stable JSON and the
    /// findings (standard, rule, path, message). Equal drifts hash equal whatever the time.
    public var contentHash: String {
        var text = (try? delta.jsonData()).map { String(decoding: $0, as: UTF8.self) } ?? ""
        for finding in findings.sorted(by: { ($0.standard, $0.rule, $0.message) < ($1.standard, $1.rule, $1.message) }) {
            text += "\n\(finding.standard)\u{1F}\(finding.rule)\u{1F}\(finding.path.joined(separator: "\u{1E}"))\u{1F}\(finding.message)"
        }
        return SHA256Hex.of(text)
    }
}

extension DeviceCheck.Finding: Decodable {
    private enum DecodingKeys: String, CodingKey { case standard, rule, severity, path, message }

    /// A finding from its parts.
    init(standard: String, rule: String, severity: String, path: [String], message: String) {
        self.standard = standard
        self.rule = rule
        self.severity = severity
        self.path = path
        self.message = message
    }

    /// Decodes the JSON form that ``DeviceCheck`` encodes.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: DecodingKeys.self)
        self.init(
            standard: try c.decode(String.self, forKey: .standard), rule: try c.decode(String.self, forKey: .rule),
            severity: try c.decode(String.self, forKey: .severity), path: try c.decode([String].self, forKey: .path),
            message: try c.decode(String.self, forKey: .message))
    }
}
