import ConfigDiff

extension ConfigDelta {
    /// The way back: a delta from the baseline to a device's configuration turned into one from
    /// the configuration to the baseline, which is what ``Remediation`` needs (it gives the
    /// commands that turn a delta's source into its target). Each addition becomes a removal and
    /// each removal an addition, removals first within a section as ``HierarchicalDiff`` orders
    /// them.
    public func backToBaseline() -> ConfigDelta {
        var changes = self.changes.map { change -> ConfigChange in
            var reversed = change
            reversed.kind = change.kind == .added ? .removed : .added
            return reversed
        }
        // Stable: within a run of changes at the same path, removals before additions.
        var start = 0
        while start < changes.count {
            var end = start
            while end < changes.count && changes[end].path == changes[start].path { end += 1 }
            let run = changes[start..<end]
            changes.replaceSubrange(start..<end, with: run.filter { $0.kind == .removed } + run.filter { $0.kind == .added })
            start = end
        }
        return ConfigDelta(changes: changes)
    }
}
