import DeviceLab
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Loopback helpers: free ports for the watcher's listeners and the syslog message a device sends.
enum DemoNetwork {
    /// A port on 127.0.0.1 free for TCP and UDP (``Loopback/freePort()``).
    static func freePort() throws -> Int { try Loopback.freePort() }

    /// Sends one UDP datagram to 127.0.0.1:`port`, as a device sends a syslog message.
    static func sendSyslog(_ text: String, port: Int) throws { try Loopback.sendUDP(text, port: port) }

    /// An RFC 3164 message (`<PRI>Mmm dd hh:mm:ss HOSTNAME TAG: TEXT`) at facility local4,
    /// severity notice, with the device name as HOSTNAME: every lab device is 127.0.0.1, so the
    /// watcher maps the message to its device by that field.
    static func rfc3164(host: String, tag: String, text: String, at date: Date = Date()) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let parts = calendar.dateComponents([.month, .day, .hour, .minute, .second], from: date)
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let month = months[max(0, min(11, (parts.month ?? 1) - 1))]
        let day = String(parts.day ?? 1)
        let time = [parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0].map { $0 < 10 ? "0\($0)" : "\($0)" }
            .joined(separator: ":")
        return "<165>\(month) \(day.count == 1 ? " " + day : day) \(time) \(host) \(tag): \(text)"
    }
}
