/// How bad a standards finding is, lowest to highest.
public enum Severity: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Informational.
    case info
    /// Low.
    case low
    /// Medium.
    case medium
    /// High.
    case high
    /// Critical.
    case critical

    /// Ordered by `allCases`.
    public static func < (lhs: Severity, rhs: Severity) -> Bool {
        let order = Severity.allCases
        return (order.firstIndex(of: lhs) ?? 0) < (order.firstIndex(of: rhs) ?? 0)
    }
}
