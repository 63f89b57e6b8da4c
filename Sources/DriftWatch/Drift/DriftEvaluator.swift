import Baselines
import ConfigDiff

/// Compares a device's normalized configuration with its latest approved baseline (full or
/// partial, with the baseline's ignore rules, through ``BaselineComparison``) and with the
/// approved standards whose selector matches the device.
///
/// Decisions: only standards with an approved version are enforced (a working file never
/// approved is ignored here; `driftwatch standards check` still shows it). Standards are
/// evaluated on the collected configuration, also for a device without baseline.
public struct DriftEvaluator: Sendable {
    /// The baseline store.
    public let baselines: BaselineStore
    /// The platform profiles.
    public let catalog: ProfileCatalog
    /// The approved standards.
    public let standards: [Standard]

    /// An evaluator; `standards` are the approved ones (see ``approvedStandards(_:)``).
    public init(baselines: BaselineStore, catalog: ProfileCatalog, standards: [Standard]) {
        self.baselines = baselines
        self.catalog = catalog
        self.standards = standards
    }

    /// The standards of `store` that have an approved version.
    public static func approvedStandards(_ store: StandardsStore) throws -> [Standard] {
        try store.loadAll().filter { $0.approvedVersion != nil }.map(\.standard)
    }

    /// Evaluates `configuration` (a parsed, normalized, masked tree) of `device`; `against`
    /// picks a baseline version other than the latest.
    public func evaluate(_ configuration: ConfigTree, device: DeviceEntry, against version: Int? = nil) throws
        -> DriftEvaluation
    {
        let profile = try catalog.profile(PlatformID(device.platform))
        let findings = standards.filter { $0.appliesTo.applies(platform: device.platform, groups: device.groups) }
            .flatMap { StandardEvaluator.evaluate($0, on: configuration) }
        let baseline: (record: ApprovalRecord, text: String)?
        if let version {
            baseline = try baselines.version(version, of: device.name)
        } else {
            baseline = try baselines.latest(for: device.name)
        }
        guard let baseline else {
            return DriftEvaluation(
                status: .unbaselined, baselineVersion: nil, approvedBy: nil, delta: ConfigDelta(), remediation: [],
                findings: findings,
                hint:
                    "\(device.name) has no approved baseline yet: review the collected configuration and approve it with 'driftwatch baseline approve \(device.name) --snapshot latest --reason TEXT'"
            )
        }
        let baselineTree = try ConfigParser(profile: profile).parse(baseline.text)
        let delta = BaselineComparison.compare(
            baseline: baselineTree, record: baseline.record, configuration: configuration, options: profile.diffOptions)
        // The delta goes from the baseline to the configuration; remediation goes back.
        let remediation = DriftRemediation.lines(for: delta, style: baselineTree.style, negation: profile.negation)
        let drifted = !delta.isEmpty || !findings.isEmpty
        var hint: String?
        if drifted {
            hint =
                "if the change is intended, run 'driftwatch baseline approve \(device.name) --snapshot latest --reason TEXT'; otherwise apply the remediation"
        }
        return DriftEvaluation(
            status: drifted ? .drifted : .clean, baselineVersion: baseline.record.version,
            approvedBy: baseline.record.approver, delta: delta, remediation: remediation, findings: findings, hint: hint
        )
    }
}
