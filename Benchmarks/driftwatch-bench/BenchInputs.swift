import Foundation

/// Deterministic inputs for the diff benchmark: a generated IOS-like configuration and seeded
/// line-level mutations of a configuration text.
enum BenchInputs {
    /// SplitMix64, so that every run generates the same bytes.
    struct Random: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    /// An IOS-like running configuration of exactly `lines` lines: VLANs, access interfaces,
    /// ordered ACLs, a BGP section, `end`.
    static func generatedIOS(lines target: Int, seed: UInt64 = 42) -> String {
        var rng = Random(state: seed)
        var out: [String] = ["!", "version 15.2", "service timestamps log datetime msec", "hostname bench-core-01", "!"]
        out.reserveCapacity(target + 16)
        for vlan in 1...1000 {
            out.append("vlan \(vlan)")
            out.append(" name VLAN_\(vlan)_\(UInt32.random(in: 0...99_999, using: &rng))")
            out.append("!")
        }
        for acl in 1...100 {
            out.append("ip access-list extended ACL_\(acl)")
            for entry in 1...40 {
                let octet = Int.random(in: 0...255, using: &rng)
                out.append(" \(entry * 10) permit tcp 10.\(acl).\(octet).0 0.0.0.255 any eq \(1000 + entry)")
            }
            out.append("!")
        }
        out.append("router bgp 65000")
        for neighbor in 1...200 {
            out.append(" neighbor 192.0.\(neighbor / 250).\(neighbor % 250 + 1) remote-as \(65001 + neighbor)")
        }
        out.append("!")
        let tail = ["line vty 0 4", " transport input ssh", "!", "end"]
        var slot = 0
        while out.count + 11 + tail.count <= target {
            let vlan = Int.random(in: 1...1000, using: &rng)
            out.append("interface GigabitEthernet\(slot / 48 + 1)/0/\(slot % 48 + 1)")
            out.append(" description access port \(slot) to desk \(UInt32.random(in: 0...999_999, using: &rng))")
            out.append(" switchport mode access")
            out.append(" switchport access vlan \(vlan)")
            out.append(" switchport port-security maximum 2")
            out.append(" switchport port-security")
            out.append(" spanning-tree portfast")
            out.append(" spanning-tree bpduguard enable")
            out.append(" ip dhcp snooping limit rate 15")
            out.append(" no shutdown")
            out.append("!")
            slot += 1
        }
        while out.count + tail.count < target { out.append("!") }
        out.append(contentsOf: tail)
        return out.joined(separator: "\n") + "\n"
    }

    /// `text` with about `fraction` of its indented lines changed: each picked line is modified,
    /// deleted, or followed by a new line, in equal shares (seeded, so always the same).
    static func mutated(_ text: String, fraction: Double = 0.01, seed: UInt64 = 7) -> String {
        var rng = Random(state: seed)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let candidates = lines.indices.filter { index in
            let body = lines[index].utf8.drop { $0 == 32 }
            return lines[index].utf8.first == 32 && !body.isEmpty && body.first != UInt8(ascii: "!")
        }
        guard !candidates.isEmpty else { return text }
        let count = max(1, Int(Double(lines.count) * fraction))
        var picked = Set<Int>()
        while picked.count < min(count, candidates.count) {
            picked.insert(candidates[Int.random(in: 0..<candidates.count, using: &rng)])
        }
        var out: [String] = []
        out.reserveCapacity(lines.count + picked.count)
        for (index, line) in lines.enumerated() {
            guard picked.contains(index) else {
                out.append(line)
                continue
            }
            let indent = String(line.prefix { $0 == " " })
            switch Int.random(in: 0..<3, using: &rng) {
            case 0: out.append(line + " 7")
            case 1: break
            default:
                out.append(line)
                out.append(indent + "description bench change \(index)")
            }
        }
        lines = out
        return lines.joined(separator: "\n")
    }
}
