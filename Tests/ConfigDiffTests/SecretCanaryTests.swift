import Foundation
import Testing

@testable import ConfigDiff

/// Plants a distinct canary in every secret position each profile claims to cover: no canary
/// survives normalization, each position is masked, and changing one canary changes exactly
/// one statement at the right section path.
@Suite struct SecretCanaryTests {
    /// One secret position: the section path above it and the statement, with `@@` where a
    /// secret value goes.
    struct Position: Sendable {
        let parents: [String]
        let line: String
        /// Statements that change when the canary changes (a secret in a section name changes
        /// the section and its children).
        var changedStatements = 1
        init(_ parents: [String], _ line: String, changedStatements: Int = 1) {
            self.parents = parents
            self.line = line
            self.changedStatements = changedStatements
        }
    }

    struct PlatformCase: Sendable, CustomTestStringConvertible {
        let platform: PlatformID
        let trailer: String
        let positions: [Position]
        var testDescription: String { platform.rawValue }
    }

    static let cases: [PlatformCase] = [
        PlatformCase(
            platform: .ciscoIOS, trailer: "end",
            positions: [
                Position([], "enable secret 9 $9$@@"),
                Position([], "enable password 7 @@"),
                Position([], "username admin privilege 15 secret 9 $9$@@"),
                Position([], "username ops password 7 @@"),
                Position([], "username ro privilege 1 password @@"),
                Position([], "snmp-server community @@ RO 10"),
                Position([], "snmp-server host 192.0.2.5 version 2c @@"),
                Position([], "snmp-server host 192.0.2.6 informs version 2c @@"),
                Position([], "snmp-server host 192.0.2.7 vrf MGMT traps @@"),
                Position([], "snmp-server user u1 g1 v3 auth sha @@ priv aes 128 @@"),
                Position([], "tacacs-server key 7 @@"),
                Position([], "radius-server host 192.0.2.8 auth-port 1812 acct-port 1813 key 7 @@"),
                Position([], "radius-server key @@"),
                Position(["tacacs server TAC1"], "key 7 @@"),
                Position(["radius server RAD1"], "key @@"),
                Position(["aaa server radius dynamic-author"], "client 192.0.2.9 server-key 7 @@"),
                Position(["interface GigabitEthernet0/1"], "ip ospf message-digest-key 1 md5 7 @@"),
                Position(["interface GigabitEthernet0/2"], "ip ospf authentication-key 7 @@"),
                Position(["router bgp 65001"], "neighbor 192.0.2.10 password 7 @@"),
                Position(["router isis CORE"], "area-password @@"),
                Position(["router isis CORE2"], "domain-password @@"),
                Position(["interface GigabitEthernet0/3"], "isis password @@"),
                Position(["key chain EIGRP", "key 1"], "key-string 7 @@"),
                Position(["interface GigabitEthernet0/4"], "standby 1 authentication md5 key-string 7 @@"),
                Position([], "crypto isakmp key 6 @@ address 192.0.2.11"),
                Position(["crypto keyring KR1"], "pre-shared-key address 192.0.2.12 key @@"),
                Position(["crypto ikev2 keyring KR2", "peer P1"], "pre-shared-key local @@"),
                Position(["line vty 0 4"], "password 7 @@"),
                Position(["line con 0"], "password @@"),
                Position([], "ntp authentication-key 1 md5 @@ 7"),
                Position(["wlan test 1 test"], "security wpa psk set-key ascii 0 @@"),
                Position(["interface Dot11Radio0", "ssid CORP"], "wpa-psk ascii 7 @@"),
                Position([], "ip ftp password 7 @@"),
                Position(["interface Dialer1"], "ppp chap password 7 @@"),
                Position(["interface Dialer2"], "ppp pap sent-username auser password 7 @@"),
                Position(["ap profile default-ap-profile"], "mgmtuser username admin password 0 @@ secret 0 @@"),
                Position(["ap profile other"], "dot1x username d1 password 0 @@"),
            ]),
        PlatformCase(
            platform: .ciscoNXOS, trailer: "",
            positions: [
                Position([], "username admin password 5 $5$@@ role network-admin"),
                Position([], "snmp-server community @@ group network-operator"),
                Position([], "snmp-server user admin network-admin auth md5 0x@@ priv 0x@@ localizedkey"),
                Position([], "snmp-server user ops network-operator auth sha @@ priv aes-128 @@"),
                Position([], "snmp-server host 192.0.2.5 traps version 2c @@"),
                Position([], "snmp-server host 192.0.2.6 informs version 2c @@ udp-port 2162"),
                Position([], "snmp-server mib community-map @@ context ctx1"),
                Position([], "tacacs-server host 192.0.2.7 key 7 \"@@\""),
                Position([], "tacacs-server key 7 @@"),
                Position([], "radius-server host 192.0.2.8 key 7 @@ authentication accounting"),
                Position(["interface Ethernet1/1"], "ip ospf message-digest-key 1 md5 3 @@"),
                Position(["interface Ethernet1/2"], "ip ospf authentication-key 3 @@"),
                Position(["router bgp 65001", "neighbor 192.0.2.9"], "password 3 @@"),
                Position(["key chain KC", "key 1"], "key-string 7 @@"),
                Position(["interface Vlan10", "hsrp 10"], "authentication md5 key-string @@"),
                Position(["interface Vlan11", "hsrp 11"], "authentication text @@"),
                Position(["interface Vlan12", "vrrp 12"], "authentication text @@"),
            ]),
        PlatformCase(
            platform: .aristaEOS, trailer: "end",
            positions: [
                Position([], "enable secret sha512 $6$@@"),
                Position([], "aaa root secret sha512 $6$@@"),
                Position([], "username admin privilege 15 role network-admin secret sha512 $6$@@"),
                Position([], "username ops secret 5 $1$@@"),
                Position([], "snmp-server community @@ ro"),
                Position([], "snmp-server host 192.0.2.5 version 2c @@"),
                Position([], "snmp-server user u1 g1 v3 auth sha @@ priv aes @@"),
                Position([], "tacacs-server host 192.0.2.6 key 7 @@"),
                Position([], "radius-server key 7 @@"),
                Position(["interface Ethernet1"], "ip ospf authentication-key 7 @@"),
                Position(["interface Ethernet2"], "ip ospf message-digest-key 1 md5 7 @@"),
                Position(["router bgp 65001"], "neighbor 192.0.2.9 password 7 @@"),
                Position(["router isis CORE"], "authentication key 7 @@"),
                Position([], "ntp authentication-key 1 md5 7 @@"),
                Position(["interface Vlan10"], "vrrp 10 peer authentication text @@"),
            ]),
        PlatformCase(
            platform: .ciscoIOSXR, trailer: "end",
            positions: [
                Position(["username admin"], "secret 10 $6$@@"),
                Position(["username ops"], "password 7 @@"),
                Position([], "snmp-server community @@ RO"),
                Position([], "snmp-server host 192.0.2.5 traps version 2c encrypted @@"),
                Position([], "snmp-server user u1 g1 v3 auth sha encrypted @@ priv aes 128 encrypted @@"),
                Position(["tacacs-server host 192.0.2.6 port 49"], "key 7 @@"),
                Position(
                    ["router ospf 1", "area 0", "interface GigabitEthernet0/0/0/0"],
                    "message-digest-key 1 md5 encrypted @@"),
                Position(
                    ["router ospf 2", "area 0", "interface GigabitEthernet0/0/0/1"], "authentication-key encrypted @@"),
                Position(["router bgp 65001", "neighbor 192.0.2.9"], "password encrypted @@"),
                Position(["key chain KC", "key 1"], "key-string password @@"),
                Position(["router isis CORE"], "lsp-password hmac-md5 encrypted @@"),
                Position(["router isis CORE", "interface Bundle-Ether1"], "hello-password hmac-md5 encrypted @@"),
                Position(["crypto ikev2 keyring KR", "peer P"], "pre-shared-key password @@"),
            ]),
        PlatformCase(
            platform: .ciscoASA, trailer: ": end",
            positions: [
                Position([], "enable password @@ encrypted"),
                Position([], "passwd @@ encrypted"),
                Position([], "username admin password @@ pbkdf2 privilege 15"),
                Position(["tunnel-group 192.0.2.5 ipsec-attributes"], "ikev1 pre-shared-key @@"),
                Position(["tunnel-group 192.0.2.6 ipsec-attributes"], "ikev2 remote-authentication pre-shared-key @@"),
                Position(["tunnel-group 192.0.2.7 ipsec-attributes"], "ikev2 local-authentication pre-shared-key @@"),
                Position(["aaa-server TACACS+ (Management) host 192.0.2.8"], "key @@"),
                Position(["aaa-server LDAP (inside) host 192.0.2.9"], "ldap-login-password @@"),
                Position([], "snmp-server host management 192.0.2.10 community @@ version 2c"),
                Position([], "snmp-server community @@"),
                Position([], "snmp-server user u1 g1 v3 engineID 80000009 encrypted auth sha @@ priv aes 128 @@"),
                Position([], "failover key @@"),
                Position(["interface GigabitEthernet0/1"], "ospf message-digest-key 1 md5 @@"),
                Position(["interface GigabitEthernet0/2"], "ospf authentication-key @@"),
                Position(["router bgp 65001", "address-family ipv4 unicast"], "neighbor 192.0.2.11 password 0 @@"),
            ]),
        PlatformCase(
            platform: .juniperJunos, trailer: "",
            positions: [
                Position(["system", "root-authentication"], "encrypted-password \"$6$@@\""),
                Position(["system", "login", "user admin", "authentication"], "encrypted-password \"$1$@@\""),
                Position(["system", "radius-server 192.0.2.5"], "secret \"$9$@@\""),
                Position(["system", "tacplus-server 192.0.2.6"], "secret \"@@\""),
                Position(["snmp", "community @@"], "authorization read-only", changedStatements: 2),
                Position(
                    ["protocols", "ospf", "area 0.0.0.0", "interface ge-0/0/0.0", "authentication"],
                    "md5 1 key \"$9$@@\""),
                Position(["protocols", "bgp", "group EXT"], "authentication-key \"$9$@@\""),
                Position(["protocols", "isis", "level 2"], "authentication-key \"@@\""),
                Position(["security", "ike", "policy P1"], "pre-shared-key ascii-text \"$9$@@\""),
                Position(["security", "ike", "policy P2"], "pre-shared-key hexadecimal \"@@\""),
                Position(
                    ["snmp", "v3", "usm", "local-engine", "user u1", "authentication-sha"],
                    "authentication-key \"$9$@@\""),
                Position(
                    ["protocols", "ospf", "area 0.0.0.1", "interface ge-0/0/1.0"],
                    "authentication simple-password \"@@\""),
            ]),
        PlatformCase(
            platform: .juniperJunosSet, trailer: "",
            positions: [
                Position([], "set system root-authentication encrypted-password \"$6$@@\""),
                Position([], "set system login user admin authentication encrypted-password \"$1$@@\""),
                Position([], "set system radius-server 192.0.2.5 secret \"$9$@@\""),
                Position([], "set snmp community @@ authorization read-only"),
                Position([], "set protocols bgp group EXT authentication-key \"$9$@@\""),
                Position([], "set security ike policy P1 pre-shared-key ascii-text \"$9$@@\""),
                Position([], "set snmp v3 usm local-engine user u1 authentication-sha authentication-key \"$9$@@\""),
                Position(
                    [], "set protocols ospf area 0.0.0.1 interface ge-0/0/1.0 authentication simple-password \"@@\""),
            ]),
        PlatformCase(
            platform: .linux, trailer: "",
            positions: [
                Position(["==> /etc/shadow <=="], "root:$6$@@:19000:0:99999:7:::"),
                Position(["==> /etc/snmp/snmpd.conf <=="], "rocommunity @@ default"),
                Position(["==> /etc/snmp/snmpd.conf <=="], "rwcommunity @@ 10.0.0.0/8"),
                Position(["==> /etc/snmp/snmpd.conf <=="], "com2sec readonly default @@"),
                Position(["==> /etc/snmp/snmpd.conf <=="], "createUser u1 SHA @@ AES @@"),
                Position(["==> /etc/frr/frr.conf <=="], "password @@"),
                Position(["==> /etc/frr/frr.conf <=="], "enable password @@"),
                Position(["==> /etc/wpa_supplicant.conf <=="], "psk=\"@@\""),
                Position(["==> /etc/app.conf <=="], "db_password = @@"),
                Position(["==> /etc/app.env <=="], "API_TOKEN=@@"),
                Position(["==> /etc/wireguard/wg0.conf <=="], "PrivateKey = @@"),
            ]),
        PlatformCase(
            platform: .generic, trailer: "",
            positions: [
                Position([], "password @@"),
                Position([], "secret 5 @@"),
            ]),
    ]

    /// A canary: letters first (never taken for a hash-type digit), then random letters and digits.
    static func canary(_ random: inout SeededRandom) -> String {
        let alphabet = Array("abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        return "Zq" + String((0..<12).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
    }

    /// The configuration text with `canaries` planted in order.
    static func build(_ platformCase: PlatformCase, style: HierarchyStyle, canaries: [String]) -> String {
        var next = 0
        func fill(_ template: String) -> String {
            var out = ""
            var rest = Substring(template)
            while let range = rest.range(of: "@@") {
                out += rest[..<range.lowerBound]
                out += canaries[next]
                next += 1
                rest = rest[range.upperBound...]
            }
            return out + rest
        }
        var lines: [String] = []
        for position in platformCase.positions {
            switch style {
            case .indent:
                for (depth, parent) in position.parents.enumerated() {
                    lines.append(String(repeating: " ", count: depth) + fill(parent))
                }
                lines.append(String(repeating: " ", count: position.parents.count) + fill(position.line))
            case .brace:
                for (depth, parent) in position.parents.enumerated() {
                    lines.append(String(repeating: "    ", count: depth) + fill(parent) + " {")
                }
                lines.append(String(repeating: "    ", count: position.parents.count) + fill(position.line) + ";")
                for depth in (0..<position.parents.count).reversed() {
                    lines.append(String(repeating: "    ", count: depth) + "}")
                }
            case .sections:
                lines += position.parents.map(fill)
                lines.append(fill(position.line))
            case .set, .flat:
                lines.append(fill(position.line))
            }
        }
        if !platformCase.trailer.isEmpty { lines.append(platformCase.trailer) }
        return lines.joined(separator: "\n") + "\n"
    }

    static func placeholderCount(_ platformCase: PlatformCase) -> Int {
        platformCase.positions.reduce(0) {
            $0 + ($1.parents + [$1.line]).reduce(0) { $0 + $1.components(separatedBy: "@@").count - 1 }
        }
    }

    @Test(arguments: cases)
    func noCanarySurvives(_ platformCase: PlatformCase) throws {
        let normalizer = try Fixtures.normalizer(platformCase.platform)
        var random = SeededRandom(seed: UInt64(platformCase.platform.rawValue.utf8.count) &* 7919 &+ 17)
        let count = Self.placeholderCount(platformCase)
        let canaries = (0..<count).map { _ in Self.canary(&random) }
        #expect(Set(canaries).count == count)
        let raw = Self.build(platformCase, style: normalizer.profile.style, canaries: canaries)
        for canary in canaries { #expect(raw.contains(canary)) }
        let result = try normalizer.normalize(raw)
        let rendered = result.tree.rendered()
        for (index, canary) in canaries.enumerated() {
            // The whole canary, and its random core (a partial mask would leave part of it).
            let core = String(canary.dropFirst(2).prefix(8))
            #expect(!result.text.contains(core), "\(platformCase.platform): canary \(index) leaked")
            #expect(!rendered.contains(core))
            #expect(!Fixtures.statements(result.tree).joined(separator: "\n").contains(core))
        }
        #expect(
            result.maskedSecrets == count,
            "\(platformCase.platform): \(result.maskedSecrets) values masked, \(count) planted")
        #expect(result.text.components(separatedBy: SecretMasker.tokenPrefix).count - 1 == count)
    }

    @Test(arguments: cases)
    func changingOneCanaryChangesOneStatement(_ platformCase: PlatformCase) throws {
        let normalizer = try Fixtures.normalizer(platformCase.platform)
        var random = SeededRandom(seed: 0xC0FFEE &+ UInt64(platformCase.platform.rawValue.utf8.count))
        let count = Self.placeholderCount(platformCase)
        let canaries = (0..<count).map { _ in Self.canary(&random) }
        let style = normalizer.profile.style
        let base = try normalizer.normalize(Self.build(platformCase, style: style, canaries: canaries))
        let baseStatements = Fixtures.statements(base.tree)
        // Which position each placeholder belongs to.
        var owner: [Int] = []
        for (index, position) in platformCase.positions.enumerated() {
            let holes = (position.parents + [position.line]).reduce(0) {
                $0 + $1.components(separatedBy: "@@").count - 1
            }
            owner += Array(repeating: index, count: holes)
        }
        for slot in 0..<count {
            var changed = canaries
            changed[slot] = Self.canary(&random)
            let other = try normalizer.normalize(Self.build(platformCase, style: style, canaries: changed))
            let otherStatements = Fixtures.statements(other.tree)
            let removed = difference(baseStatements, otherStatements)
            let added = difference(otherStatements, baseStatements)
            let position = platformCase.positions[owner[slot]]
            #expect(
                removed.count == position.changedStatements && added.count == position.changedStatements,
                "\(platformCase.platform) slot \(slot) (\(position.line)): \(removed.count) removed, \(added.count) added"
            )
            guard let first = added.first else { continue }
            // The changed statement sits at the position's section path and carries a token.
            let expectedDepth = position.changedStatements == 1 ? position.parents.count : position.parents.count - 1
            #expect(
                first.components(separatedBy: " > ").count == expectedDepth + 1,
                "\(platformCase.platform) slot \(slot): wrong section path")
            #expect(first.contains(SecretMasker.tokenPrefix))
            for (parent, statement) in zip(
                position.parents.filter { !$0.contains("@@") }, first.components(separatedBy: " > "))
            {
                #expect(
                    statement == parent || style == .sections || style == .set,
                    "\(platformCase.platform) slot \(slot): path \(first)")
            }
        }
    }

    /// Elements of `a` not matched in `b` (multiset difference).
    private func difference(_ a: [String], _ b: [String]) -> [String] {
        var counts: [String: Int] = [:]
        for item in b { counts[item, default: 0] += 1 }
        var result: [String] = []
        for item in a {
            if let count = counts[item], count > 0 { counts[item] = count - 1 } else { result.append(item) }
        }
        return result
    }

    @Test func maskingKeepsStructureAndHashType() throws {
        let normalizer = try Fixtures.normalizer(.ciscoIOS)
        let result = try normalizer.normalize(
            "enable secret 5 $1$abcd$efgh\nusername a privilege 15 secret 9 $9$xyz\nend\n")
        let lines = result.text.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("enable secret 5 <secret:") && lines[0].hasSuffix(">"))
        #expect(lines[1].hasPrefix("username a privilege 15 secret 9 <secret:"))
    }

    @Test func maskerIsKeyedDeterministicAndIdempotent() {
        let a = SecretMasker(key: Fixtures.testKey)
        let b = SecretMasker(key: Array(repeating: UInt8(7), count: 32))
        let token = a.mask("cisco123")
        #expect(token.hasPrefix("<secret:") && token.count == 17)
        #expect(a.mask("cisco123") == token)
        #expect(a.mask("cisco124") != token)
        #expect(b.mask("cisco123") != token)
        #expect(a.mask(token) == token)
        #expect(a.mask("*****") == "*****")
        #expect(SecretMasker.isMasked(token))
        #expect(!SecretMasker.isMasked("<secret:XYZ>"))
        #expect(a.mask(Substring("cisco123")) == token)
    }

    /// The token is the first 4 bytes of HMAC-SHA256(key, value): RFC 4231 test case 2 (key
    /// "Jefe"), a key longer than a block (hashed first, test case 6), and the same masker used
    /// again and from several tasks at once (its keyed state is shared and must not drift).
    @Test func tokenIsTheKnownHMACSHA256() async {
        let jefe = SecretMasker(key: Array("Jefe".utf8))
        #expect(jefe.mask("what do ya want for nothing?") == "<secret:5bdcc146>")
        #expect(jefe.mask("what do ya want for nothing?"[...]) == "<secret:5bdcc146>")
        let long = SecretMasker(key: Array(repeating: UInt8(0xaa), count: 131))
        #expect(long.mask("Test Using Larger Than Block-Size Key - Hash Key First") == "<secret:60e43159>")
        let tokens = await withTaskGroup(of: String.self) { group in
            for index in 0..<64 {
                group.addTask { jefe.mask(index % 2 == 0 ? "what do ya want for nothing?" : "Jefe") }
            }
            return await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(Set(tokens) == [jefe.mask("what do ya want for nothing?"), jefe.mask("Jefe")])
        #expect(Set(tokens).count == 2)
    }

    /// Pre-masked values (`*****`, `<secret:…>`) stay as they are and are not counted.
    @Test func preMaskedValuesStay() throws {
        let normalizer = try Fixtures.normalizer(.ciscoIOS)
        let result = try normalizer.normalize(
            "snmp-server host 10.1.1.50 version 2c *****\nenable secret 5 <secret:0123abcd>\nend\n")
        #expect(result.maskedSecrets == 0)
        #expect(result.text.contains("version 2c *****"))
        #expect(result.text.contains("enable secret 5 <secret:0123abcd>"))
    }

    /// Corpus captures: a few known secret values never survive normalization.
    @Test func corpusSecretsAreMasked() throws {
        let checks: [(String, [String])] = [
            (
                "ios/oxidized__C9800-L-F-K9_17.06.05.cfg",
                ["MGMTPASSW0RD", "MGMTSECR3T", "DOT1XPASSW0RD", "WLANSECR3T", "SECR3T", "PASSW0RD", "7df35f90c92ecff2"]
            ),
            ("ios/oxidized__C9200L-24P-4G_17.09.04a.cfg", ["AAAAAAAAAABBBBBBBBBB"]),
            ("nxos/oxidized__C93180YC-FX3J_10.4.5.cfg", ["AAAAAAAAAABBBBBBBBBB"]),
            ("nxos/ciscoconfparse__sample_01.cfg", ["a667d47acc18ea6b"]),
            ("eos/netutils__eos_full.cfg", ["$6$I96u7PN2rdf8y1xH"]),
            ("asa/oxidized__5512_9.12-4-67_single-context.cfg", ["AAAAAAAAAABBBBBBBBBB"]),
            ("junos/napalm__get_config-committed.cfg", ["$9$sdnfh2p9f8whefi2p98fe", "kasfbiuw98p43hnfwe"]),
            ("junos/netutils__junos_full.cfg", ["$6$SMc6x4tb", "$6$Z5pgyCKJ"]),
            (
                "iosxr/ciscoconfparse__sample_07.cfg",
                ["0022111111113434234345062C1F104F13", "082643D2A2231232342342342349747A62143707", "ACME.ro"]
            ),
            ("ios/ciscoconfparse__sample_02.cfg", ["publicstrang", "privatestrang"]),
        ]
        for (path, secrets) in checks {
            let normalizer = try Fixtures.normalizer(Fixtures.platform(of: path))
            let raw = try Fixtures.text(path)
            let text = try normalizer.normalize(raw, checkCompleteness: false).text
            for secret in secrets {
                #expect(raw.contains(secret), "\(path): test value not in the fixture")
                #expect(!text.contains(secret), "\(path): a known secret survived normalization")
            }
        }
    }
}
