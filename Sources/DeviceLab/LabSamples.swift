/// Sample configurations the lab serves until a test sets its own (long enough to page).
enum LabSamples {
    static func config(for platform: LabPlatform, name: String) -> String {
        switch platform {
        case .ciscoIOS: return ios(name)
        case .aristaEOS: return eos(name)
        case .junos: return junosCurly(name)
        case .linux: return sshdConfig
        }
    }

    static func ios(_ name: String) -> String {
        var lines = [
            "!", "! Last configuration change at 10:12:31 UTC Mon Nov 23 2026 by netops", "!",
            "version 15.9", "service timestamps debug datetime msec", "service timestamps log datetime msec",
            "service password-encryption", "!", "hostname \(name)", "!", "boot-start-marker", "boot-end-marker", "!",
            "enable secret 9 $9$nhEmQVczB7dqsO$X.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "!", "no aaa new-model", "!",
            "ip domain name lab.example.net", "ip cef", "no ipv6 cef", "!", "username netops privilege 15 secret 9 $9$abc$def", "!",
        ]
        for index in 1...8 {
            lines += [
                "interface GigabitEthernet0/\(index)", " description uplink-\(index) to core", " ip address 10.0.\(index).1 255.255.255.0",
                " duplex auto", " speed auto", index % 2 == 0 ? " shutdown" : " no shutdown", "!",
            ]
        }
        lines += [
            "router ospf 1", " router-id 10.255.0.1", " network 10.0.0.0 0.0.255.255 area 0", "!",
            "ip forward-protocol nd", "!", "no ip http server", "no ip http secure-server", "ip ssh version 2", "!",
            "snmp-server community s3cr3t-ro RO", "snmp-server location lab rack 1", "!",
            "line con 0", " exec-timeout 5 0", "line vty 0 4", " login local", " transport input ssh", "!", "ntp server 192.0.2.123", "!", "end",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    static func eos(_ name: String) -> String {
        var lines = [
            "! Command: show running-config", "! device: \(name) (vEOS-lab, EOS-4.30.1F)", "!",
            "transceiver qsfp default-mode 4x10G", "!", "service routing protocols model multi-agent", "!",
            "hostname \(name)", "ip name-server vrf default 192.0.2.53", "!", "spanning-tree mode mstp", "!",
            "aaa authorization exec default local", "!", "username admin privilege 15 role network-admin secret sha512 $6$x$y", "!",
        ]
        for index in 1...8 {
            lines += ["interface Ethernet\(index)", "   description leaf-\(index)", "   no switchport", "   ip address 10.1.\(index).1/31", "!"]
        }
        lines += ["ip routing", "!", "router bgp 65001", "   router-id 10.255.1.1", "   neighbor 10.1.1.0 remote-as 65000", "!", "management ssh", "   idle-timeout 60", "!", "end"]
        return lines.joined(separator: "\n") + "\n"
    }

    static func junosCurly(_ name: String) -> String {
        var lines = [
            "## Last commit: 2026-11-23 10:12:31 UTC by netops", "version 21.4R3-S1;", "system {", "    host-name \(name);",
            "    root-authentication {", "        encrypted-password \"$6$abc$def\"; ## SECRET-DATA", "    }",
            "    services {", "        ssh {", "            root-login deny;", "        }", "    }",
            "    syslog {", "        host 192.0.2.50 {", "            any notice;", "        }", "    }", "}", "interfaces {",
        ]
        for index in 0..<6 {
            lines += [
                "    ge-0/0/\(index) {", "        description \"link \(index)\";", "        unit 0 {", "            family inet {",
                "                address 10.2.\(index).1/24;", "            }", "        }", "    }",
            ]
        }
        lines += ["}", "protocols {", "    ospf {", "        area 0.0.0.0 {", "            interface ge-0/0/0.0;", "        }", "    }", "}"]
        return lines.joined(separator: "\n") + "\n"
    }

    static func junosSet(_ name: String) -> String {
        var lines = [
            "set version 21.4R3-S1", "set system host-name \(name)",
            "set system root-authentication encrypted-password \"$6$abc$def\"", "set system services ssh root-login deny",
            "set system syslog host 192.0.2.50 any notice",
        ]
        for index in 0..<6 {
            lines += [
                "set interfaces ge-0/0/\(index) description \"link \(index)\"",
                "set interfaces ge-0/0/\(index) unit 0 family inet address 10.2.\(index).1/24",
            ]
        }
        lines += ["set protocols ospf area 0.0.0.0 interface ge-0/0/0.0"]
        return lines.joined(separator: "\n") + "\n"
    }

    static let sshdConfig = """
        # DriftWatch lab host: a copy of a typical sshd_config
        Include /etc/ssh/sshd_config.d/*.conf
        KbdInteractiveAuthentication no
        UsePAM yes
        X11Forwarding yes
        PrintMotd no
        AcceptEnv LANG LC_*
        Subsystem sftp /usr/lib/openssh/sftp-server

        """
}
