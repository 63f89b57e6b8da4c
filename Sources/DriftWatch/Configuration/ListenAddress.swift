import Foundation

/// An address a listener binds (`http.listen`, `syslog.listen`): one parser for both, used by the
/// configuration loader (whose errors add the file and line) and by the listeners.
///
/// Accepted forms: `HOST:PORT` (`127.0.0.1:9180`, `localhost:9180`, `0.0.0.0:9180`) and
/// `[IPV6]:PORT` (`[::1]:9180`). A bare IPv6 address without brackets is refused, because its
/// last `:` would be ambiguous. Port 0 (any free port) is accepted by the listeners' APIs
/// (tests; ``WatcherHTTPServer/boundPort()`` tells which one was chosen) but not in
/// `driftwatch.yaml`, where devices and scrapers need a fixed port.
public struct ListenAddress: Sendable, Hashable, CustomStringConvertible {
    /// The host name or address, without brackets.
    public var host: String
    /// The TCP port (0: any free port).
    public var port: Int

    /// Creates an address.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `text` (see the type's documentation); `key` names the setting in errors.
    /// - Throws: ``DriftWatchError`` `.invalidConfiguration` naming `key`.
    public init(parsing text: String, key: String = "http.listen") throws {
        switch Self.parse(text) {
        case .success(let address): self = address
        case .failure(let problem): throw DriftWatchError(.invalidConfiguration, "\(key): \(problem.message)")
        }
    }

    /// Why an address was refused: the text and what to write instead, without the key.
    struct Problem: Error {
        var message: String
    }

    /// Parses `text`, or says what is wrong with it.
    static func parse(_ text: String) -> Result<ListenAddress, Problem> {
        func invalid(_ why: String) -> Result<ListenAddress, Problem> {
            .failure(
                Problem(
                    message:
                        "\(text.debugDescription) \(why); write ADDRESS:PORT such as 127.0.0.1:9180, or [::1]:9180 for IPv6"))
        }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let hostPart: Substring
        let portPart: Substring
        if trimmed.hasPrefix("[") {
            guard let close = trimmed.firstIndex(of: "]") else { return invalid("has no closing ']'") }
            hostPart = trimmed[trimmed.index(after: trimmed.startIndex)..<close]
            let rest = trimmed[trimmed.index(after: close)...]
            guard rest.hasPrefix(":") else { return invalid("has no ':PORT' after the bracketed address") }
            portPart = rest.dropFirst()
        } else {
            guard let colon = trimmed.lastIndex(of: ":") else { return invalid("has no port") }
            hostPart = trimmed[..<colon]
            portPart = trimmed[trimmed.index(after: colon)...]
            if hostPart.contains(":") { return invalid("looks like an IPv6 address without brackets") }
        }
        guard !hostPart.isEmpty else { return invalid("has no address") }
        guard let port = Int(portPart), (0...65535).contains(port) else {
            return invalid("has no valid port (0-65535)")
        }
        return .success(ListenAddress(host: String(hostPart), port: port))
    }

    /// `host:port`, with brackets around an IPv6 address.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
