import Foundation

extension DeviceLab {
    static let sshd = "/usr/sbin/sshd"
    static let sshKeygen = "/usr/bin/ssh-keygen"
    static let unshare = "/usr/bin/unshare"

    /// Starts a lab: temp folder, keys, users, one or more sshd processes on free ports.
    /// Requires root (for the private namespaces), `openssh-server` and `util-linux`.
    public static func start(_ options: DeviceLabOptions) async throws -> DeviceLab {
        guard getuid() == 0 else {
            throw DeviceLabError("DeviceLab runs sshd in private namespaces and needs root (run the tests as root, as CI does).")
        }
        for tool in [sshd, sshKeygen, unshare, "/usr/bin/openssl"] where !FileManager.default.isExecutableFile(atPath: tool) {
            throw DeviceLabError("\(tool) is missing: run scripts/install-deps.sh (openssh-server, openssh-client, util-linux, openssl).")
        }
        let names = options.devices.map(\.name)
        guard !names.isEmpty, Set(names).count == names.count,
            names.allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" } })
        else {
            throw DeviceLabError("device names must be unique, non-empty letters, digits, '-' and '_' (got \(names)).")
        }
        let directory = try makeDirectory(in: options.parentDirectory)
        do {
            return try await start(options, directory: directory)
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
    }

    private static func makeDirectory(in parent: String?) throws -> String {
        let base = parent.map { $0.hasSuffix("/") ? $0 : $0 + "/" } ?? NSTemporaryDirectory()
        var template = Array((base + "driftwatch-lab-XXXXXX").utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }) else {
            throw DeviceLabError("cannot create a temporary folder for the lab: \(String(cString: strerror(errno))).")
        }
        let path = String(cString: made)
        chmod(path, 0o755)
        return path
    }

    private static func randomToken(_ count: Int) -> String {
        let alphabet = Array("abcdefghijkmnpqrstuvwxyz23456789")
        return String((0..<count).map { _ in alphabet[Int.random(in: 0..<alphabet.count)] })
    }

    private static func start(_ options: DeviceLabOptions, directory: String) async throws -> DeviceLab {
        let fileManager = FileManager.default
        let password = "lab-" + randomToken(16)
        let enableSecret = "en-" + randomToken(12)
        let passphrase = "pp-" + randomToken(12)
        for sub in ["keys", "devices", "etc", "etc/pam.d"] {
            try fileManager.createDirectory(atPath: "\(directory)/\(sub)", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        }
        chmod("\(directory)/keys", 0o755)

        // The emulator, from the package resources.
        guard let emulator = Bundle.module.url(forResource: "Emulator", withExtension: nil) else {
            throw DeviceLabError("the DeviceLab Emulator resource is missing from the build.")
        }
        try fileManager.copyItem(atPath: emulator.path, toPath: "\(directory)/emulator")
        chmod("\(directory)/emulator", 0o755)
        chmod("\(directory)/emulator/device.sh", 0o755)

        // Keys: host keys for sshd, client keys the lab authorises.
        var hostKeyTypes: [(file: String, type: String, bits: [String])] = [("ssh_host_ed25519_key", "ed25519", []), ("ssh_host_rsa_key", "rsa", ["-b", "2048"])]
        if options.ecdsaHostKey { hostKeyTypes.append(("ssh_host_ecdsa_key", "ecdsa", ["-b", "256"])) }
        var jobs: [(path: String, type: String, bits: [String], passphrase: String)] = hostKeyTypes.map { ("\(directory)/keys/\($0.file)", $0.type, $0.bits, "") }
        jobs += [
            ("\(directory)/keys/client_ed25519", "ed25519", [], ""),
            ("\(directory)/keys/client_ecdsa", "ecdsa", ["-b", "256"], ""),
            ("\(directory)/keys/client_rsa", "rsa", ["-b", "2048"], ""),
            ("\(directory)/keys/client_ed25519-passphrase", "ed25519", [], passphrase),
        ]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for job in jobs {
                group.addTask {
                    let (status, output) = try await LabProcess.run(
                        sshKeygen, ["-q", "-t", job.type] + job.bits + ["-N", job.passphrase, "-C", "driftwatch-lab", "-f", job.path])
                    if status != 0 { throw DeviceLabError("ssh-keygen -t \(job.type) failed: \(output)") }
                }
            }
            try await group.waitForAll()
        }
        var authorized = ""
        for type in LabKeyType.allCases {
            authorized += try String(contentsOfFile: "\(directory)/keys/client_\(type.rawValue).pub", encoding: .utf8)
        }
        try writeFile("\(directory)/authorized_keys", authorized)
        var fingerprints: [String: String] = [:]
        var publicKeys: [String: String] = [:]
        for key in hostKeyTypes {
            let pub = "\(directory)/keys/\(key.file).pub"
            let fields = try String(contentsOfFile: pub, encoding: .utf8).split(separator: " ")
            guard fields.count >= 2 else { throw DeviceLabError("unexpected public key file \(pub)") }
            publicKeys[String(fields[0])] = "\(fields[0]) \(fields[1])"
            let (status, output) = try await LabProcess.run(sshKeygen, ["-l", "-E", "sha256", "-f", pub])
            let printed = output.split(separator: " ")
            guard status == 0, printed.count >= 2 else { throw DeviceLabError("ssh-keygen -l \(pub) failed: \(output)") }
            fingerprints[String(fields[0])] = String(printed[1])
        }

        // The lab user, in copies of the account files that are bind-mounted inside the namespace.
        try await writeAccounts(directory: directory, password: password)
        try writeFile("\(directory)/etc/pam.d/sshd", """
            # DriftWatch lab: a minimal PAM stack (pam_unix against the bind-mounted shadow copy)
            auth     required pam_unix.so nodelay
            account  required pam_unix.so
            session  required pam_permit.so
            password required pam_deny.so

            """)

        // Device folders.
        for spec in options.devices {
            let dir = "\(directory)/devices/\(spec.name)"
            try fileManager.createDirectory(atPath: "\(dir)/files", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
            try writeFile("\(dir)/platform", spec.platform.rawValue + "\n")
            try writeFile("\(dir)/config", LabSamples.config(for: spec.platform, name: spec.name))
            try writeFile("\(dir)/config.set", spec.platform == .junos ? LabSamples.junosSet(spec.name) : "")
            try writeFile("\(dir)/behaviour", "normal\n")
            try writeFile("\(dir)/banner", "")
            try writeFile("\(dir)/pager_lines", "\(options.pagerLines)\n")
            try writeFile("\(dir)/enable_secret", spec.platform == .linux ? "" : enableSecret + "\n")
            if spec.platform == .linux {
                try fileManager.createDirectory(atPath: "\(dir)/files/etc/ssh", withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
                try writeFile("\(dir)/files/etc/ssh/sshd_config", LabSamples.sshdConfig)
                try writeFile("\(dir)/files/etc/motd", "Welcome to \(spec.name), a DriftWatch lab host.\n")
            }
        }

        // sshd processes, at most 16 listen sockets each.
        let perProcess = options.ipv6 ? 8 : 16
        var groups: [[LabDeviceSpec]] = []
        var index = 0
        while index < options.devices.count {
            groups.append(Array(options.devices[index..<min(index + perProcess, options.devices.count)]))
            index += perProcess
        }
        var processes: [LabProcess] = []
        var devices: [LabDevice] = []
        do {
            for (number, group) in groups.enumerated() {
                let (process, ports) = try await startSSHD(number: number, devices: group, options: options, directory: directory)
                processes.append(process)
                for (spec, port) in zip(group, ports) {
                    devices.append(LabDevice(name: spec.name, platform: spec.platform, host: "127.0.0.1", port: port, listensOnIPv6: options.ipv6))
                }
            }
        } catch {
            for process in processes { process.signal(SIGKILL) }
            for process in processes { _ = await process.waitForExit() }
            throw error
        }
        return DeviceLab(
            directory: directory, password: password, enableSecret: enableSecret, passphrase: passphrase, devices: devices,
            options: options, fingerprints: fingerprints, publicKeys: publicKeys, processes: processes)
    }

    private static func writeAccounts(directory: String, password: String) async throws {
        let passwd = try String(contentsOfFile: "/etc/passwd", encoding: .utf8)
        let shadow = (try? String(contentsOfFile: "/etc/shadow", encoding: .utf8)) ?? ""
        let group = try String(contentsOfFile: "/etc/group", encoding: .utf8)
        let usedIDs = Set(passwd.split(separator: "\n").compactMap { $0.split(separator: ":", omittingEmptySubsequences: false).dropFirst(2).first.flatMap { Int($0) } })
        let usedGroups = Set(group.split(separator: "\n").compactMap { $0.split(separator: ":", omittingEmptySubsequences: false).dropFirst(2).first.flatMap { Int($0) } })
        guard let uid = (47000..<48000).first(where: { !usedIDs.contains($0) && !usedGroups.contains($0) }) else {
            throw DeviceLabError("no free uid for the lab user in 47000-47999.")
        }
        let (status, output) = try await LabProcess.run("/usr/bin/openssl", ["passwd", "-6", "-salt", randomToken(16), password])
        let hash = output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard status == 0, hash.hasPrefix("$6$") else { throw DeviceLabError("openssl passwd failed: \(output)") }
        let user = "driftlab"
        func appending(_ text: String, _ line: String) -> String {
            (text.hasSuffix("\n") || text.isEmpty ? text : text + "\n") + line + "\n"
        }
        try writeFile("\(directory)/etc/passwd", appending(passwd, "\(user):x:\(uid):\(uid):DriftWatch lab:\(directory):/bin/sh"))
        try writeFile("\(directory)/etc/group", appending(group, "\(user):x:\(uid):"))
        try writeFile("\(directory)/etc/shadow", appending(shadow, "\(user):\(hash):19000:0:99999:7:::"), mode: 0o640)
    }

    /// Starts one sshd for `devices` on free ports, retrying with new ports on a collision.
    private static func startSSHD(
        number: Int, devices: [LabDeviceSpec], options: DeviceLabOptions, directory: String
    ) async throws -> (LabProcess, [Int]) {
        var lastLog = ""
        for _ in 0..<6 {
            let ports = try freePorts(devices.count, ipv6: options.ipv6)
            let config = sshdConfig(number: number, devices: devices, ports: ports, options: options, directory: directory)
            let configPath = "\(directory)/sshd-\(number).conf"
            let logPath = "\(directory)/sshd-\(number).log"
            try writeFile(configPath, config)
            try writeFile(logPath, "")
            let script = """
                set -e
                mount -t tmpfs -o mode=755,size=1m driftwatch-lab /run
                mkdir -m 755 /run/sshd
                mount --bind "$1/etc/passwd" /etc/passwd
                mount --bind "$1/etc/shadow" /etc/shadow
                mount --bind "$1/etc/group" /etc/group
                mount --bind "$1/etc/pam.d" /etc/pam.d
                exec \(sshd) -D -f "$2" -E "$3"
                """
            let process = try LabProcess.launch(
                unshare, ["--mount", "--pid", "--fork", "--kill-child", "--propagation", "private", "--", "/bin/sh", "-c", script, "lab", directory, configPath, logPath],
                logPath: "\(directory)/start-\(number).log")
            let addresses = options.ipv6 ? ["127.0.0.1", "::1"] : ["127.0.0.1"]
            let wanted = Set(ports.flatMap { port in addresses.map { "Server listening on \($0) port \(port)." } })
            let deadline = ContinuousClock.now.advanced(by: .seconds(30))
            while ContinuousClock.now < deadline {
                let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
                lastLog = log + ((try? String(contentsOfFile: "\(directory)/start-\(number).log", encoding: .utf8)) ?? "")
                if wanted.allSatisfy({ log.contains($0) }) { return (process, ports) }
                if !process.isRunning || log.contains("Address already in use") || log.contains("Cannot bind") { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            process.signal(SIGKILL)
            _ = await process.waitForExit()
            if !lastLog.contains("Address already in use") && !lastLog.contains("Cannot bind") {
                throw DeviceLabError("sshd did not start (config \(configPath)): \(lastLog.suffix(2000))")
            }
        }
        throw DeviceLabError("sshd could not bind free ports after 6 attempts: \(lastLog.suffix(2000))")
    }

    /// Distinct free TCP ports on 127.0.0.1 (and ::1), found by binding port 0 all at once.
    static func freePorts(_ count: Int, ipv6: Bool) throws -> [Int] {
        var sockets: [Int32] = []
        defer { for fd in sockets { close(fd) } }
        var ports: [Int] = []
        while ports.count < count {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw DeviceLabError("socket() failed: \(String(cString: strerror(errno)))") }
            sockets.append(fd)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = 0
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0 else { throw DeviceLabError("bind() failed: \(String(cString: strerror(errno)))") }
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
            }
            let port = Int(UInt16(bigEndian: address.sin_port))
            if ipv6, !ipv6PortFree(port) { continue }
            ports.append(port)
        }
        return ports
    }

    private static func ipv6PortFree(_ port: Int) -> Bool {
        let fd = socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in6()
        address.sin6_family = sa_family_t(AF_INET6)
        address.sin6_port = UInt16(port).bigEndian
        address.sin6_addr = in6addr_loopback
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size)) }
        }
        return bound == 0
    }

    static func sshdConfig(number: Int, devices: [LabDeviceSpec], ports: [Int], options: DeviceLabOptions, directory: String) -> String {
        var lines: [String] = ["# DriftWatch DeviceLab sshd \(number): generated, not the system config"]
        lines += ports.map { "Port \($0)" }
        lines.append("ListenAddress 127.0.0.1")
        if options.ipv6 { lines.append("ListenAddress ::1") }
        lines += ["HostKey \(directory)/keys/ssh_host_ed25519_key", "HostKey \(directory)/keys/ssh_host_rsa_key"]
        if options.ecdsaHostKey { lines.append("HostKey \(directory)/keys/ssh_host_ecdsa_key") }
        lines += [
            "PidFile \(directory)/sshd-\(number).pid",
            "AuthorizedKeysFile \(directory)/authorized_keys",
            "StrictModes no",
            "UsePAM yes",
            "PubkeyAuthentication yes",
            "PasswordAuthentication yes",
            "KbdInteractiveAuthentication yes",
            "PermitRootLogin no",
            "AllowUsers driftlab",
            "AllowTcpForwarding no",
            "AllowAgentForwarding no",
            "X11Forwarding no",
            "PermitTunnel no",
            "PrintMotd no",
            "PrintLastLog no",
            "UseDNS no",
            "LogLevel \(options.logLevel)",
            "MaxStartups 200:30:400",
            "MaxAuthTries 6",
            "LoginGraceTime 60",
            "Subsystem sftp /usr/lib/openssh/sftp-server",
        ]
        if options.allowSSHRSA {
            lines += ["PubkeyAcceptedAlgorithms +ssh-rsa", "HostKeyAlgorithms +ssh-rsa"]
        }
        for (spec, port) in zip(devices, ports) {
            lines += ["Match LocalPort \(port)", "    ForceCommand /bin/bash \(directory)/emulator/device.sh \(spec.name)"]
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
