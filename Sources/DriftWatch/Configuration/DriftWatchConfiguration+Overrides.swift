import Foundation

extension DriftWatchConfiguration {
    /// The collection settings that apply to `device`: `defaults:`, then its groups' overrides,
    /// then its own (interval, timeout, time limit, host-key policy).
    ///
    /// Precedence: the device's own keys > its groups' > `defaults:`. When two of its groups set
    /// the same key, the group listed first in the device's `groups` wins (later groups only
    /// fill what earlier ones leave unset).
    ///
    /// ``CollectionDefaults/concurrency`` is the tightest limit that constrains the device: the
    /// smallest of `defaults.concurrency` and the `concurrency` of each of its groups that sets
    /// one. The scheduler enforces the group limits themselves with ``groupConcurrencyLimits``.
    public func settings(for device: DeviceEntry) -> CollectionDefaults {
        var result = defaults
        for group in device.groups.reversed() {
            if let overrides = groups[group] { result = overrides.applied(to: result) }
        }
        result = device.overrides.applied(to: result)
        result.concurrency = device.groups.compactMap { groups[$0]?.concurrency }.reduce(
            defaults.concurrency, min)
        return result
    }

    /// The per-group concurrency limits (`groups.<name>.concurrency`): at most that many
    /// collections of the group's devices run at once. A device in several limited groups
    /// counts against each of them; `defaults.concurrency` remains the global limit. Groups
    /// without a limit are absent.
    public var groupConcurrencyLimits: [String: Int] {
        groups.compactMapValues(\.concurrency)
    }

    /// The limited groups `device` belongs to, in its group order (each a key of
    /// ``groupConcurrencyLimits``).
    public func concurrencyGroups(for device: DeviceEntry) -> [String] {
        var seen: Set<String> = []
        return device.groups.filter { groups[$0]?.concurrency != nil && seen.insert($0).inserted }
    }
}
