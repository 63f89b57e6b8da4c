import Foundation
import Testing

@testable import DriftWatch

/// Pure rules of drift evaluation: maintenance windows, staleness, the check's exit status.
@Suite struct DriftRulesTests {
    static func utc(_ text: String) throws -> Date {
        try #require(ISO8601DateFormatter().date(from: text))
    }

    // 2026-11-22 is a Sunday.
    @Test(arguments: [
        ("2026-11-22T02:00:00Z", true), ("2026-11-22T03:59:00Z", true), ("2026-11-22T04:00:00Z", false),
        ("2026-11-22T01:59:00Z", false), ("2026-11-23T02:30:00Z", false),
    ])
    func weeklyWindow(time: String, inside: Bool) throws {
        let window = MaintenanceWindow(groups: ["core"], every: "sunday", from: "02:00", to: "04:00", timezone: "UTC")
        let schedule = MaintenanceSchedule(windows: [window])
        #expect(schedule.contains(try Self.utc(time), device: "r1", groups: ["core"]) == inside)
        #expect(!schedule.contains(try Self.utc(time), device: "r1", groups: ["edge"]))
    }

    @Test func windowAcrossMidnightAndTimeZone() throws {
        let window = MaintenanceWindow(
            groups: [], devices: ["r1"], every: "saturday", from: "23:00", to: "01:00", timezone: "Europe/Paris")
        let schedule = MaintenanceSchedule(windows: [window])
        // Saturday 23:30 in Paris (UTC+1 in November) is 22:30 UTC.
        #expect(schedule.contains(try Self.utc("2026-11-21T22:30:00Z"), device: "r1", groups: []))
        // Sunday 00:30 Paris, the morning part.
        #expect(schedule.contains(try Self.utc("2026-11-21T23:30:00Z"), device: "r1", groups: []))
        // Sunday 01:00 Paris: the end is outside.
        #expect(!schedule.contains(try Self.utc("2026-11-22T00:00:00Z"), device: "r1", groups: []))
        #expect(!schedule.contains(try Self.utc("2026-11-21T22:30:00Z"), device: "r2", groups: []))
        let daily = MaintenanceWindow(groups: ["x"], every: "day", from: "12:00", to: "13:00")
        #expect(MaintenanceSchedule.contains(try Self.utc("2026-11-25T12:10:00Z"), window: daily))
    }

    @Test func staleAfterThreeIntervals() {
        let now = Date(timeIntervalSince1970: 10_000)
        #expect(!Staleness.isStale(lastSuccessAt: nil, now: now, interval: .seconds(300)))
        #expect(!Staleness.isStale(lastSuccessAt: now.addingTimeInterval(-899), now: now, interval: .seconds(300)))
        #expect(Staleness.isStale(lastSuccessAt: now.addingTimeInterval(-900), now: now, interval: .seconds(300)))
    }

    static func device(_ state: DeviceStatus, _ collection: CollectionResult = .ok) -> DeviceCheck {
        DeviceCheck(
            device: "d", platform: "cisco_ios", state: state, collection: collection, message: nil, snapshotID: nil,
            attempts: 1, durationMilliseconds: 1, baselineVersion: nil, inMaintenance: false, delta: nil,
            remediation: [],
            findings: [], hint: nil)
    }

    @Test func exitStatus() throws {
        let now = Date()
        #expect(CheckReport(checkedAt: now, devices: [Self.device(.clean), Self.device(.clean)]).exitCode == 0)
        #expect(CheckReport(checkedAt: now, devices: [Self.device(.clean), Self.device(.drifted)]).exitCode == 1)
        #expect(CheckReport(checkedAt: now, devices: [Self.device(.unbaselined)]).exitCode == 1)
        #expect(
            CheckReport(checkedAt: now, devices: [Self.device(.drifted), Self.device(.unreachable, .timeout)]).exitCode
                == 2)
        let report = CheckReport(
            checkedAt: now, devices: [Self.device(.drifted), Self.device(.hostKeyUnknown, .hostKeyUnknown)])
        let json = try #require(try JSONSerialization.jsonObject(with: report.jsonData()) as? [String: Any])
        #expect(json["schema"] as? Int == 1)
        #expect(json["exitCode"] as? Int == 2)
        let devices = try #require(json["devices"] as? [[String: Any]])
        #expect(devices[1]["state"] as? String == "host-key-unknown")
        #expect(devices[1]["collection"] as? String == "host_key_unknown")
        #expect(
            Set(devices[0].keys) == [
                "device", "platform", "state", "collection", "message", "snapshotId", "attempts", "durationMs",
                "baselineVersion", "inMaintenance", "delta", "remediation", "findings", "hint",
            ])
    }
}
