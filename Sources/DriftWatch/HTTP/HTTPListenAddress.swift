import Foundation

/// The address the HTTP endpoint listens on, parsed from `http.listen`.
///
/// Accepted forms: `HOST:PORT` (`127.0.0.1:9180`, `localhost:9180`, `0.0.0.0:9180`) and
/// `[IPV6]:PORT` (`[::1]:9180`). Port 0 asks the kernel for a free port (tests;
/// ``WatcherHTTPServer/boundPort()`` tells which one it chose). A bare IPv6 address without
/// brackets is refused, because its last `:` would be ambiguous.
public struct HTTPListenAddress: Sendable, Hashable, CustomStringConvertible {
    /// The host name or address, without brackets.
    public var host: String
    /// The TCP port (0: any free port).
    public var port: Int

    /// Creates an address.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `text` (see the type's documentation).
    /// - Throws: ``DriftWatchError`` `.invalidConfiguration` naming the `http.listen` key.
    public init(parsing text: String) throws {
        func invalid(_ why: String) -> DriftWatchError {
            DriftWatchError(
                .invalidConfiguration,
                "http.listen: \(text.debugDescription) \(why); write ADDRESS:PORT such as 127.0.0.1:9180, or [::1]:9180 for IPv6"
            )
        }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let hostPart: Substring
        let portPart: Substring
        if trimmed.hasPrefix("[") {
            guard let close = trimmed.firstIndex(of: "]") else { throw invalid("has no closing ']'") }
            hostPart = trimmed[trimmed.index(after: trimmed.startIndex)..<close]
            let rest = trimmed[trimmed.index(after: close)...]
            guard rest.hasPrefix(":") else { throw invalid("has no ':PORT' after the bracketed address") }
            portPart = rest.dropFirst()
        } else {
            guard let colon = trimmed.lastIndex(of: ":") else { throw invalid("has no port") }
            hostPart = trimmed[..<colon]
            portPart = trimmed[trimmed.index(after: colon)...]
            if hostPart.contains(":") { throw invalid("looks like an IPv6 address without brackets") }
        }
        guard !hostPart.isEmpty else { throw invalid("has no address") }
        guard let port = Int(portPart), (0...65535).contains(port) else {
            throw invalid("has no valid port (0-65535)")
        }
        self.init(host: String(hostPart), port: port)
    }

    /// `host:port`, with brackets around an IPv6 address.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
