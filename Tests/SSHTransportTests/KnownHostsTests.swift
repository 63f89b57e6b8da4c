import Foundation
import SSHTransport
import Testing

/// known_hosts parsing and matching, against entries and fingerprints produced by OpenSSH's
/// ssh-keygen (9.2): `ssh-keygen -H` for the hashed lines, `ssh-keygen -l -E sha256` for the fingerprints.
@Suite("known_hosts parsing and matching")
struct KnownHostsTests {
    static let ed25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJRjt19spIZ2efulAg2kSOwfvdzAX1tQ9bhYrwjkLZLz"
    static let ecdsa = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBG5T9pE8CUDnZVExFf1O51t1DACCF0j/8tQs+cdlJk5YIdyfgst5nxpblYEphkNGBMDuUex16f+Qjowo4If0YqE="
    static let ed25519Fingerprint = "SHA256:EUNCzAxlxwRB8c2FPXGgfOJp7f8kf5YiZ12UNXzdHXc"
    static let ecdsaFingerprint = "SHA256:RATKfGqoC+0nX06VkjyCzztc8KIQXxrDbMuMMwPy+GA"

    static let plain = """
        # comment line
        [127.0.0.1]:2222 \(ed25519)
        example.net,192.0.2.7 \(ed25519)

        ::1 \(ecdsa)
        [::1]:2200 \(ecdsa)
        *.lab.example.net,!bad.lab.example.net \(ecdsa)
        @cert-authority *.example.org \(ed25519)
        @revoked revoked.example.net \(ed25519)
        garbage-line-without-key
        """

    /// The four first entries above, hashed by `ssh-keygen -H`.
    static let hashed = """
        |1|3EGvLLG8/zjPrhTFIj+lRso6JxA=|ayv7msNrL9d9kAiXChk2N9/mL0A= \(ed25519)
        |1|R2czyaal6Q839OfZ+bzZ9w8BFLI=|gJBowYLACe/b+s3stx3U01wIxbw= \(ed25519)
        |1|a9z6Od1YkdZ89FqFHSZa+QpkjN0=|RuJWsaYSY5jO7pQUcIQ3DzoIxig= \(ecdsa)
        |1|mywdtPqsICQM99MOVSCS7t1gAR8=|TODtB10sQMEdR32okAD1X/5r0lg= \(ecdsa)
        """

    func matching(_ text: String, _ host: String, _ port: Int) -> [KnownHosts.Entry] {
        let token = KnownHosts.hostToken(host: host, port: port)
        return KnownHosts.parse(text).filter { $0.matches(token: token) }
    }

    @Test("host tokens: bare for port 22, [host]:port otherwise, IPv6 too")
    func tokens() {
        #expect(KnownHosts.hostToken(host: "Example.NET", port: 22) == "example.net")
        #expect(KnownHosts.hostToken(host: "127.0.0.1", port: 2222) == "[127.0.0.1]:2222")
        #expect(KnownHosts.hostToken(host: "::1", port: 22) == "::1")
        #expect(KnownHosts.hostToken(host: "::1", port: 2200) == "[::1]:2200")
        #expect(SSHEndpoint(host: "[::1]", port: 2200).host == "::1")
        #expect(SSHEndpoint(host: "::1", port: 2200).description == "[::1]:2200")
    }

    @Test("plain entries: [host]:port, comma lists, IPv6, wildcards and negation")
    func plainEntries() {
        #expect(matching(Self.plain, "127.0.0.1", 2222).map(\.keyType) == ["ssh-ed25519"])
        #expect(matching(Self.plain, "127.0.0.1", 22).isEmpty)
        #expect(matching(Self.plain, "127.0.0.1", 2223).isEmpty)
        #expect(matching(Self.plain, "example.net", 22).count == 1)
        #expect(matching(Self.plain, "EXAMPLE.net", 22).count == 1)
        #expect(matching(Self.plain, "192.0.2.7", 22).count == 1)
        #expect(matching(Self.plain, "::1", 22).map(\.keyType) == ["ecdsa-sha2-nistp256"])
        #expect(matching(Self.plain, "::1", 2200).map(\.keyType) == ["ecdsa-sha2-nistp256"])
        #expect(matching(Self.plain, "::1", 2201).isEmpty)
        #expect(matching(Self.plain, "sw1.lab.example.net", 22).count == 1)
        #expect(matching(Self.plain, "bad.lab.example.net", 22).isEmpty)
        #expect(matching(Self.plain, "lab.example.net", 22).isEmpty)
    }

    @Test("markers: @cert-authority lines are skipped, @revoked is kept and flagged; junk lines are skipped")
    func markers() {
        let entries = KnownHosts.parse(Self.plain)
        #expect(entries.count == 6)
        #expect(matching(Self.plain, "www.example.org", 22).isEmpty)
        let revoked = matching(Self.plain, "revoked.example.net", 22)
        #expect(revoked.count == 1)
        #expect(revoked.first?.revoked == true)
        #expect(entries.first?.line == 2)
    }

    @Test("hashed |1|salt|hmac entries written by ssh-keygen -H match the same hosts as the plain ones")
    func hashedEntries() {
        #expect(matching(Self.hashed, "127.0.0.1", 2222).map(\.keyType) == ["ssh-ed25519"])
        #expect(matching(Self.hashed, "127.0.0.1", 2223).isEmpty)
        #expect(matching(Self.hashed, "example.net", 22).count == 1)
        #expect(matching(Self.hashed, "example.com", 22).isEmpty)
        #expect(matching(Self.hashed, "::1", 22).map(\.keyType) == ["ecdsa-sha2-nistp256"])
        #expect(matching(Self.hashed, "::1", 2200).map(\.keyType) == ["ecdsa-sha2-nistp256"])
    }

    @Test("fingerprints are SHA256:<base64 without padding>, exactly as ssh-keygen -l prints them")
    func fingerprints() throws {
        let entries = KnownHosts.parse(Self.plain)
        #expect(entries.first(where: { $0.keyType == "ssh-ed25519" })?.fingerprint == Self.ed25519Fingerprint)
        #expect(entries.first(where: { $0.keyType == "ecdsa-sha2-nistp256" })?.fingerprint == Self.ecdsaFingerprint)
        let blob = try #require(entries.first?.keyBlob)
        #expect(KnownHosts.keyType(ofKey: blob) == "ssh-ed25519")
    }

    @Test("append writes a line that parses back (plain and hashed) and creates the file 0600")
    func appendRoundTrip() throws {
        let directory = NSTemporaryDirectory() + "driftwatch-kh-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let knownHosts = KnownHosts(path: directory + "/sub/known_hosts")
        let blob = try #require(KnownHosts.parse(Self.plain).first?.keyBlob)
        try knownHosts.append(host: "::1", port: 2200, keyType: "ssh-ed25519", keyBlob: blob)
        try knownHosts.append(host: "router.example.net", port: 22, keyType: "ssh-ed25519", keyBlob: blob, hashed: true)
        let text = try String(contentsOfFile: knownHosts.path, encoding: .utf8)
        #expect(text.hasPrefix("[::1]:2200 \(Self.ed25519)\n|1|"))
        #expect(try knownHosts.entries(host: "::1", port: 2200).count == 1)
        #expect(try knownHosts.entries(host: "router.example.net", port: 22).count == 1)
        #expect(try knownHosts.entries(host: "router.example.net", port: 23).isEmpty)
        let attributes = try FileManager.default.attributesOfItem(atPath: knownHosts.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test("lookups by host give what trying every line gives, in file order: plain names, case, ports, lists, wildcards, negations, hashed lines")
    func indexedLookupMatchesTryingEveryLine() throws {
        let directory = NSTemporaryDirectory() + "driftwatch-kh-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let hosts = ["r1.lab", "R2.Lab", "10.0.0.1", "10.0.0.12", "::1", "bad.lab", "sw1.dc.example.net"]
        let ports = [22, 2222, 830]
        let patterns = ["*.lab", "10.0.0.?", "!bad.lab", "[10.0.0.1]:*", "*", "!*.dc.example.net", "sw?.dc.example.net"]
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        for round in 0..<40 {
            var lines: [String] = []
            for _ in 0..<(5 + next(40)) {
                let host = hosts[next(hosts.count)]
                let port = ports[next(ports.count)]
                switch next(5) {
                case 0:
                    lines.append(KnownHosts.line(host: host, port: port, keyType: "ssh-ed25519", keyBlob: [1, 2, 3], hashed: true))
                case 1:
                    let list = (0..<(1 + next(3))).map { _ in next(2) == 0 ? patterns[next(patterns.count)] : KnownHosts.hostToken(host: hosts[next(hosts.count)], port: ports[next(ports.count)]) }
                    lines.append("\(list.joined(separator: ",")) \(Self.ed25519)")
                case 2:
                    lines.append("\(KnownHosts.hostToken(host: host, port: port).uppercased()) \(Self.ecdsa)")
                default:
                    lines.append("\(KnownHosts.hostToken(host: host, port: port)),\(KnownHosts.hostToken(host: host, port: port)) \(Self.ed25519)")
                }
            }
            let knownHosts = KnownHosts(path: directory + "/known_hosts-\(round)")
            try (lines.joined(separator: "\n") + "\n").write(toFile: knownHosts.path, atomically: true, encoding: .utf8)
            let all = try knownHosts.entries()
            for host in hosts + ["unknown.lab", "R1.LAB"] {
                for port in ports {
                    let token = KnownHosts.hostToken(host: host, port: port)
                    let expected = all.filter { $0.matches(token: token) }.map(\.line)
                    #expect(try knownHosts.entries(host: host, port: port).map(\.line) == expected, "round \(round): \(token) in\n\(lines.joined(separator: "\n"))")
                }
            }
        }
    }

    @Test("a missing file has no entries")
    func missingFile() throws {
        #expect(try KnownHosts(path: "/nonexistent/known_hosts").entries().isEmpty)
    }
}
