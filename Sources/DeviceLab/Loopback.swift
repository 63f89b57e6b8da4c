import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Loopback helpers for the lab's users (the demo, tests, benchmarks): free ports for listeners
/// a process is about to start, and the UDP datagram a device sends to a syslog listener.
public enum Loopback {
    /// A port on 127.0.0.1 that is free for TCP and UDP at the moment of asking (bound, then
    /// closed; the listener binds it a moment later). Also a port where nothing listens.
    public static func freePort() throws -> Int {
        for _ in 0..<20 {
            let port = try bindAndClose(type: Int32(SOCK_STREAM.rawValue), port: 0)
            if (try? bindAndClose(type: Int32(SOCK_DGRAM.rawValue), port: port)) != nil { return port }
        }
        throw DeviceLabError("no port on 127.0.0.1 was free for both TCP and UDP after 20 tries.")
    }

    /// Sends `text` as one UDP datagram to 127.0.0.1:`port`, as a device sends a syslog message.
    public static func sendUDP(_ text: String, port: Int) throws {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw DeviceLabError("cannot open a UDP socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var address = loopback(port: port)
        let bytes = Array(text.utf8)
        let sent = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(fd, bytes, bytes.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard sent == bytes.count else {
            throw DeviceLabError("cannot send a UDP datagram to 127.0.0.1:\(port): \(String(cString: strerror(errno)))")
        }
    }

    private static func bindAndClose(type: Int32, port: Int) throws -> Int {
        let fd = socket(AF_INET, type, 0)
        guard fd >= 0 else { throw DeviceLabError("socket() failed: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var address = loopback(port: port)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Bool in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw DeviceLabError("bind() failed: \(String(cString: strerror(errno)))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// 127.0.0.1:`port` (0: any port) as a socket address.
    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return address
    }
}
