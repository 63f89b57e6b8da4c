import DeviceLab
import Foundation

/// The demo's devices, what they serve, and the files the demo writes for them.
enum DemoInventory {
    /// One demo device: its lab name, what the lab emulates and the DriftWatch platform profile.
    struct Device: Sendable {
        var name: String
        var lab: LabPlatform
        var platform: String
        var groups: [String]
    }

    /// The device that gets a real change (an alert is expected).
    static let changed = "edge-ios-1"
    /// The device that gets a volatile-only change (no alert expected).
    static let volatile = "fw-asa-1"
    /// The demo approver, listed under `approvers` for the demo's devices.
    static let approver = "demo-approver"

    /// Five devices of five platforms; the ASA runs on an IOS-like lab device (the emulator
    /// answers `terminal pager 0` and `more system:running-config`), the Linux host is the real
    /// machine reached over exec and SFTP.
    static let devices: [Device] = [
        Device(name: "edge-ios-1", lab: .ciscoIOS, platform: "cisco_ios", groups: ["demo", "edge"]),
        Device(name: "core-eos-1", lab: .aristaEOS, platform: "arista_eos", groups: ["demo", "core"]),
        Device(name: "border-junos-1", lab: .junos, platform: "juniper_junos_set", groups: ["demo", "edge"]),
        Device(name: "fw-asa-1", lab: .ciscoIOS, platform: "cisco_asa", groups: ["demo", "security"]),
        Device(name: "web-linux-1", lab: .linux, platform: "linux", groups: ["demo", "servers"]),
    ]

    /// Every secret the lab devices serve contains this text. It must never appear in a file of
    /// the demo folder outside the lab's own folder (checked at the end of the demo and by
    /// `DemoEndToEndTests`).
    static let canary = "DemoSecret"

    /// Puts canary secrets into the lab's sample configurations and gives the ASA and the Linux
    /// host theirs.
    static func prepare(_ lab: DeviceLab) throws {
        let ios = try lab.config(device: "edge-ios-1")
            .replacingOccurrences(of: "s3cr3t-ro", with: "\(canary)-ro-7f3a")
            .replacingOccurrences(of: "$9$abc$def", with: "$9$\(canary)$ios")
        try lab.setConfig(device: "edge-ios-1", ios)
        let eos = try lab.config(device: "core-eos-1")
            .replacingOccurrences(of: "secret sha512 $6$x$y", with: "secret sha512 $6$\(canary)$eos")
            .replacingOccurrences(of: "ip routing\n", with: "snmp-server community \(canary)-eos-ro ro\nip routing\n")
        try lab.setConfig(device: "core-eos-1", eos)
        try lab.setDisplaySetConfig(
            device: "border-junos-1",
            try lab.displaySetConfig(device: "border-junos-1").replacingOccurrences(of: "$6$abc$def", with: "$6$\(canary)$junos"))
        try lab.setConfig(device: "fw-asa-1", asaConfig(written: "10:12:31.123 UTC Mon Nov 23 2026", checksum: "3f6c2e1b9a8d7c6e5f4a3b2c1d0e9f8a"))
        try lab.writeFile(
            device: "web-linux-1", path: "etc/snmp/snmpd.conf",
            contents: "# snmpd.conf of the demo host\nagentAddress udp:127.0.0.1:161\nrocommunity \(canary)-linux 10.0.0.0/8\nsysLocation lab rack 2\n")
        try lab.writeFile(
            device: "web-linux-1", path: "etc/ntp.conf",
            contents: "# ntp.conf of the demo host\nserver 192.0.2.123 iburst\nserver 192.0.2.124 iburst\ndriftfile /var/lib/ntp/ntp.drift\n")
    }

    /// The change on ``changed``: a moved uplink, one more NTP server and a new SNMP community
    /// (a secret: the email shows it masked).
    static func change(_ text: String) -> String {
        text.replacingOccurrences(of: " description uplink-1 to core\n", with: " description uplink-1 to core-sw-02 (moved, CHG-DEMO-1)\n")
            .replacingOccurrences(of: "ntp server 192.0.2.123\n", with: "ntp server 192.0.2.123\nntp server 198.51.100.77\n")
            .replacingOccurrences(of: "snmp-server location lab rack 1\n", with: "snmp-server community \(canary)-rw-91c2 RW\nsnmp-server location lab rack 1\n")
    }

    /// An ASA running configuration as `more system:running-config` prints it; `written` and
    /// `checksum` are the volatile lines the ASA rewrites on every `write memory`.
    static func asaConfig(written: String, checksum: String) -> String {
        """
        : Saved
        :
        : Serial Number: 9A1B2C3D4E5
        : Hardware:   ASA5516, 8192 MB RAM, CPU Atom C2000 series 2416 MHz, 1 CPU (8 cores)
        :
        ASA Version 9.16(4)
        !
        hostname fw-asa-1
        domain-name lab.example.net
        enable password \(canary)-asa-enable encrypted
        names
        !
        interface GigabitEthernet1/1
         nameif outside
         security-level 0
         ip address 198.51.100.2 255.255.255.0
        !
        interface GigabitEthernet1/2
         nameif inside
         security-level 100
         ip address 10.10.0.1 255.255.255.0
        !
        ftp mode passive
        object network web-server
         host 10.10.0.80
        access-list outside_in extended permit tcp any object web-server eq https
        !
        pager lines 24
        logging enable
        logging host inside 10.10.0.50
        mtu outside 1500
        mtu inside 1500
        access-group outside_in in interface outside
        route outside 0.0.0.0 0.0.0.0 198.51.100.1 1
        username netops password \(canary)-asa-user encrypted privilege 15
        snmp-server community \(canary)-asa-ro
        ssh 10.10.0.0 255.255.255.0 inside
        ssh version 2
        ntp server 192.0.2.123
        !
        Cryptochecksum:\(checksum)
        : Written by enable_15 at \(written)
        : end

        """
    }

    /// `profiles/linux.yaml`: replaces the built-in `linux` profile for the demo host. The
    /// built-in one reads the machine's real `/etc` and runs `ss -lntuH`, whose socket list
    /// changes whenever anything on the machine opens a port (the watcher itself included);
    /// this one reads the lab host's files over SFTP and one stable command over exec.
    static func linuxProfile(_ lab: DeviceLab, folder: String) throws -> String {
        func path(_ file: String) throws -> String { try lab.filePath(device: "web-linux-1", path: file) }
        return """
            # Written by 'driftwatch demo': the demo's Linux host. It replaces the built-in 'linux'
            # profile (same id) because this file's folder is 'profiles:' in driftwatch.yaml.
            # Files are the lab host's copies (read over SFTP), named as on a real host.
            id: linux
            description: Linux host of the DriftWatch demo (lab files over SFTP, one command over exec)
            style: sections
            collect:
              mode: files
              files:
                - {name: /etc/ssh/sshd_config, path: '\(try path("etc/ssh/sshd_config"))'}
                - {name: /etc/snmp/snmpd.conf, path: '\(try path("etc/snmp/snmpd.conf"))'}
                - {name: /etc/ntp.conf, path: '\(try path("etc/ntp.conf"))'}
                - {name: /etc/motd, path: '\(try path("etc/motd"))'}
              commands:
                - {name: os-release, command: cat /etc/os-release}
            ignore:
              - {regex: '^#(?!include)'}
            secrets:
              - {name: snmp-community, contains: "community", regex: '^(?:rocommunity6?|rwcommunity6?) (\\S+)'}
              - {name: key-value-secret, ignore_case: true, regex: '^[\\w.-]*(?:password|passwd|secret|token)[\\w.-]*\\s*[=:]\\s*"?([^"\\s][^"]*?)"?$'}
            completeness:
              min_fraction_of_previous: 0.5

            """
    }

    /// Every group a demo device is in (the approver must be listed for all of a device's groups).
    static var groups: [String] {
        var seen: [String] = []
        for group in devices.flatMap(\.groups) where !seen.contains(group) { seen.append(group) }
        return seen
    }

    /// `driftwatch.yaml` for the running labs. Paths are relative to the demo folder.
    static func configuration(
        lab: DeviceLab, labFolder: String, smtpPort: Int, syslogPort: Int, httpPort: Int
    ) throws -> String {
        var yaml = """
            # Written by 'driftwatch demo' for its lab (every device is an emulator on 127.0.0.1).
            # Reference: docs/configuration.md.
            state: .driftwatch/state.sqlite
            baselines: baselines
            profiles: profiles
            defaults: { interval: 10m, timeout: 10s, time_limit: 30s, concurrency: 4, host_key_policy: strict }
            alerts:
              email:
                smtp: { host: 127.0.0.1, port: \(smtpPort), starttls: false }
                from: driftwatch@demo.example.net
                to: [oncall@demo.example.net]
            approvers:
              - { name: \(approver), groups: [\(groups.joined(separator: ", "))] }
            syslog: { listen: 127.0.0.1:\(syslogPort) }
            http: { listen: 127.0.0.1:\(httpPort), token_file: http.token }
            devices:

            """
        for device in devices {
            let port = try lab.device(device.name).port
            var credentials = "{ username: \(lab.username), key_file: \(labFolder)/keys/client_ed25519"
            if device.lab != .linux {
                credentials += ", enable_password_file: \(labFolder)/devices/\(device.name)/enable_secret"
            }
            credentials += " }"
            yaml += "  - { name: \(device.name), host: 127.0.0.1, port: \(port), platform: \(device.platform), "
            yaml += "groups: [\(device.groups.joined(separator: ", "))],\n      credentials: \(credentials) }\n"
        }
        return yaml
    }
}
