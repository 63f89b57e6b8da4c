import ConfigDiff

/// Compares a configuration with an approved baseline, honouring the baseline's mode and
/// ignore rules: the one place drift against a baseline is defined (the watcher and `check`
/// call it).
///
/// - `full`: the whole configuration must match the baseline.
/// - `partial`: only what the baseline contains is compared. A top-level statement of the
///   configuration takes part only when the baseline has a top-level statement with the same
///   text; inside such a section everything is compared. A baseline statement missing from the
///   configuration is drift (removed); configuration outside the baseline's sections is not.
///   The order of top-level statements does not count in partial mode.
///
/// The record's ignore rules are added to the profile's (`DiffOptions.ignore`): matching
/// statements, with their subtrees, are left out on both sides.
public enum BaselineComparison {
    /// The changes from `baseline` to `configuration` (empty: no drift).
    public static func compare(
        baseline: ConfigTree, configuration: ConfigTree, mode: BaselineMode, ignore: [LinePredicate],
        options: DiffOptions
    ) -> ConfigDelta {
        var options = options
        options.ignore += ignore
        var compared = configuration
        if mode == .partial {
            compared = restrict(configuration, to: baseline)
            // A snippet says what must be there, not where: top-level order does not count.
            if !options.unorderedSections.contains(SectionMatcher([])) {
                options.unorderedSections.append(SectionMatcher([]))
            }
        }
        return HierarchicalDiff.compare(from: baseline, to: compared, options: options)
    }

    /// The changes from an approved version to `configuration`, with the record's mode and rules.
    public static func compare(
        baseline: ConfigTree, record: ApprovalRecord, configuration: ConfigTree, options: DiffOptions
    ) -> ConfigDelta {
        compare(
            baseline: baseline, configuration: configuration, mode: record.mode ?? .full, ignore: record.ignore,
            options: options)
    }

    /// `tree` with only the top-level statements whose text is also top-level in `scope`.
    static func restrict(_ tree: ConfigTree, to scope: ConfigTree) -> ConfigTree {
        let wanted = Set(scope.roots.map(\.text))
        return ConfigTree(style: tree.style, roots: tree.roots.filter { wanted.contains($0.text) })
    }
}
