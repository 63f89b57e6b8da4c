import ConfigDiff
import Foundation
import Synchronization
import Syslog

/// Maps a syslog sender to a device and its platform's config-change patterns, for the
/// ``SyslogListener``; replaced as a whole on reload.
///
/// Decision: a message is routed by its source address to the device whose inventory `host` is
/// that address. When several devices share the address (devices behind one NAT or a terminal
/// server, lab devices on one loopback address), the message's HOSTNAME field picks among them
/// (compared with the device name, case-insensitively, also up to the first dot: `r1` matches
/// `r1.example.net`); when it names none of them, the message is dropped (ambiguous) rather
/// than guessed.
public final class SyslogRouter: Sendable {
    private let routes: Mutex<[String: [SyslogRoute]]>

    /// A router over `devices`.
    public init(devices: [DeviceEntry], catalog: ProfileCatalog) {
        routes = Mutex(Self.table(devices: devices, catalog: catalog))
    }

    /// Replaces the table (reload).
    public func update(devices: [DeviceEntry], catalog: ProfileCatalog) {
        let table = Self.table(devices: devices, catalog: catalog)
        routes.withLock { $0 = table }
    }

    /// The route of a message from `address` with HOSTNAME `hostname`, or nil.
    public func route(address: String, hostname: String?) -> SyslogRoute? {
        let candidates = routes.withLock { $0[Self.normalize(address)] } ?? []
        if candidates.count == 1 { return candidates[0] }
        guard let hostname = hostname?.lowercased(), !hostname.isEmpty else { return nil }
        let short = hostname.split(separator: ".").first.map(String.init) ?? hostname
        return candidates.first { $0.device.lowercased() == hostname }
            ?? candidates.first { $0.device.lowercased() == short }
    }

    static func table(devices: [DeviceEntry], catalog: ProfileCatalog) -> [String: [SyslogRoute]] {
        var table: [String: [SyslogRoute]] = [:]
        for device in devices {
            let patterns = (try? catalog.profile(PlatformID(device.platform)))?.configChangePatterns ?? []
            guard !patterns.isEmpty else { continue }
            table[normalize(device.host), default: []].append(SyslogRoute(device: device.name, patterns: patterns))
        }
        return table
    }

    /// `::ffff:192.0.2.1` → `192.0.2.1`; lowercased.
    static func normalize(_ address: String) -> String {
        let lower = address.lowercased()
        return lower.hasPrefix("::ffff:") && lower.contains(".") ? String(lower.dropFirst(7)) : lower
    }
}
