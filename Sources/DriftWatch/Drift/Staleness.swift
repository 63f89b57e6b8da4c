import Foundation

/// The `stale` rule: a device with no good collection for 3 intervals. Pure.
public enum Staleness {
    /// Intervals without a good collection after which a device is stale.
    public static let intervals = 3

    /// Whether a device last collected successfully at `lastSuccessAt` is stale at `now`.
    /// A device never collected successfully is not stale (it is `unreachable`).
    public static func isStale(lastSuccessAt: Date?, now: Date, interval: Duration) -> Bool {
        guard let lastSuccessAt else { return false }
        let seconds = Double(interval.components.seconds) + Double(interval.components.attoseconds) / 1e18
        return now.timeIntervalSince(lastSuccessAt) >= seconds * Double(intervals)
    }
}
