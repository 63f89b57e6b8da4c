import Foundation

/// Decides whether a moment falls inside a device's weekly maintenance window
/// (`maintenance_windows:` in `driftwatch.yaml`). Pure: no clock, no I/O.
///
/// A window applies to a device named in its `devices` or sharing one of its `groups`. It
/// repeats `every` weekday (`monday` … `sunday`, or `day`) from `from` to `to` (`HH:MM`) in its
/// time zone; a window whose `to` is not after `from` crosses midnight and ends the next day.
/// The start is inside the window, the end is not.
public struct MaintenanceSchedule: Sendable {
    /// The windows, as configured.
    public let windows: [MaintenanceWindow]

    /// A schedule over `windows`.
    public init(windows: [MaintenanceWindow]) {
        self.windows = windows
    }

    /// Whether `date` is inside a window that applies to `device` (by name and groups).
    public func contains(_ date: Date, device: String, groups: [String]) -> Bool {
        windows.contains { window in
            (window.devices.contains(device) || !Set(window.groups).isDisjoint(with: groups))
                && Self.contains(date, window: window)
        }
    }

    /// Whether `date` is inside one occurrence of `window` (whoever it applies to).
    public static func contains(_ date: Date, window: MaintenanceWindow) -> Bool {
        guard let zone = TimeZone(identifier: window.timezone), let from = minutes(window.from),
            let to = minutes(window.to)
        else { return false }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.weekday, .hour, .minute], from: date)
        guard let weekday = parts.weekday, let hour = parts.hour, let minute = parts.minute else { return false }
        let now = hour * 60 + minute
        let wanted = day(window.every)
        func starts(onWeekday value: Int) -> Bool { wanted == 0 || wanted == value }
        if from < to {
            return starts(onWeekday: weekday) && now >= from && now < to
        }
        // Crosses midnight: the evening part on the start day, the morning part on the next day.
        let previous = weekday == 1 ? 7 : weekday - 1
        return (starts(onWeekday: weekday) && now >= from) || (starts(onWeekday: previous) && now < to)
    }

    /// `HH:MM` as minutes after midnight.
    static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let hour = Int(parts[0]), let minute = Int(parts[1]), (0..<24).contains(hour),
            (0..<60).contains(minute)
        else { return nil }
        return hour * 60 + minute
    }

    /// Calendar weekday (1 = Sunday … 7 = Saturday), 0 for `day` (every day), -1 when unknown.
    static func day(_ text: String) -> Int {
        let names = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
        let lower = text.lowercased()
        if lower == "day" || lower == "daily" { return 0 }
        return names.firstIndex(of: lower).map { $0 + 1 } ?? -1
    }
}
