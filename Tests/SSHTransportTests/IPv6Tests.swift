import DeviceLab
import Foundation
import SSHTransport
import Testing

/// Whether the machine can listen on ::1 (some containers have IPv6 disabled).
private let hasIPv6Loopback: Bool = {
    let fd = socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var address = sockaddr_in6()
    address.sin6_family = sa_family_t(AF_INET6)
    address.sin6_addr = in6addr_loopback
    return withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
    } == 0
}()

@Suite("IPv6", .tags(.integration))
struct IPv6Tests {
    @Test("connect to ::1 with a [::1]:port known_hosts entry", .enabled(if: hasIPv6Loopback, "this machine has no IPv6 loopback (::1); skipped"))
    func loopbackIPv6() async throws {
        try await DeviceLab.withLab(DeviceLabOptions(devices: [.init("r1", platform: .ciscoIOS)], ipv6: true)) { lab in
            let r1 = try lab.device("r1")
            let path = "\(lab.directory)/known_hosts-v6"
            try lab.knownHostsLines(for: r1, host: "::1").write(toFile: path, atomically: true, encoding: .utf8)
            #expect(try String(contentsOfFile: path, encoding: .utf8).hasPrefix("[::1]:\(r1.port) "))
            let result = try await LabSupport.client.withSession(
                to: SSHEndpoint(host: "::1", port: r1.port), credentials: LabSupport.key(lab),
                options: LabSupport.options(KnownHosts(path: path))
            ) { try await $0.exec("show running-config") }
            #expect(result.stdoutText == (try lab.config(device: "r1")))
            #expect(await lab.waitForLog(containing: "Accepted publickey for \(lab.username) from ::1"))
        }
    }
}
