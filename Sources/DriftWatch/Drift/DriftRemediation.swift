import ConfigDiff

/// The one place that turns a drift into remediation: the commands that take a drifted device
/// **back to its approved baseline**.
///
/// A drift (``DriftEvaluation/delta``, the stored ``DriftSummary/delta``) goes from the baseline
/// to the device's configuration. ``Remediation/lines(for:style:negation:)`` gives the commands
/// that turn a delta's *source* into its *target*, so passing the drift itself would give the
/// commands towards the drifted configuration (re-applying the drift), not away from it. The
/// drift is first reversed (``backToBaseline(_:)``). `check --json`, `diff`, the alert emails and
/// webhooks (through ``DeviceCheck/remediation``) and the HTTP API's
/// `/api/v1/devices/{name}/drift` all call ``lines(for:style:negation:)``, so they agree.
public enum DriftRemediation {
    /// The commands that take a device whose configuration is `drift`'s target back to its
    /// source (the baseline).
    public static func lines(for drift: ConfigDelta, style: HierarchyStyle, negation: DiffOptions.Negation) -> [String] {
        Remediation.lines(for: backToBaseline(drift), style: style, negation: negation)
    }

    /// `drift` reversed: each addition becomes a removal and each removal an addition, with
    /// removals first within a run of changes at the same section path, as ``HierarchicalDiff``
    /// orders them.
    public static func backToBaseline(_ drift: ConfigDelta) -> ConfigDelta {
        var changes = drift.changes.map { change -> ConfigChange in
            var reversed = change
            reversed.kind = change.kind == .added ? .removed : .added
            return reversed
        }
        var start = 0
        while start < changes.count {
            var end = start
            while end < changes.count && changes[end].path == changes[start].path { end += 1 }
            let run = changes[start..<end]
            changes.replaceSubrange(
                start..<end, with: run.filter { $0.kind == .removed } + run.filter { $0.kind == .added })
            start = end
        }
        return ConfigDelta(changes: changes)
    }
}
