import Foundation

extension DriftWatchConfiguration {
    /// The collection settings that apply to `device`: `defaults:`, then its groups' overrides,
    /// then its own (interval, timeout, time limit, concurrency, host-key policy).
    ///
    /// Placeholder until per-group and per-device overrides land: the defaults.
    public func settings(for device: DeviceEntry) -> CollectionDefaults {
        defaults
    }
}
