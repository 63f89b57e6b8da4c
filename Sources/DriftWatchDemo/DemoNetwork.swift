import DeviceLab
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Loopback helpers: free ports for the watcher's listeners and the syslog message a device sends.
enum DemoNetwork {
    /// A port on 127.0.0.1 that is free for TCP and UDP at the moment of asking (bound, then
    /// closed; the watcher binds it a moment later).
    static func freePort() throws -> Int {
        for _ in 0..<20 {
            let port = try bindAndClose(type: Int32(SOCK_STREAM.rawValue), port: 0)
            if (try? bindAndClose(type: Int32(SOCK_DGRAM.rawValue), port: port)) != nil { return port }
        }
        throw DeviceLabError("no port on 127.0.0.1 was free for both TCP and UDP after 20 tries.")
    }

    private static func bindAndClose(type: Int32, port: Int) throws -> Int {
        let fd = socket(AF_INET, type, 0)
        guard fd >= 0 else { throw DeviceLabError("socket() failed: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw DeviceLabError("bind() failed: \(String(cString: strerror(errno)))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// Sends one UDP datagram to 127.0.0.1:`port`, as a device sends a syslog message.
    static func sendSyslog(_ text: String, port: Int) throws {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw DeviceLabError("cannot open a UDP socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let bytes = Array(text.utf8)
        let sent = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(fd, bytes, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard sent == bytes.count else {
            throw DeviceLabError("cannot send the syslog datagram to 127.0.0.1:\(port): \(String(cString: strerror(errno)))")
        }
    }

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
