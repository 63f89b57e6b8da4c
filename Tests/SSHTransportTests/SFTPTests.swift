import DeviceLab
import Foundation
import SSHTransport
import Testing

@Suite("SFTP and exec on a Linux host", .tags(.integration))
struct SFTPTests {
    @Test("SFTP reads a file the lab created, byte for byte; a missing file is a clear error")
    func sftpRead() async throws {
        try await DeviceLab.withLab(DeviceLabOptions(devices: [.init("host1", platform: .linux)])) { lab in
            let host = try lab.device("host1")
            let big = (0..<5000).map { "line \($0) \(String(repeating: "x", count: $0 % 50))" }.joined(separator: "\n") + "\n"
            let bigPath = try lab.writeFile(device: "host1", path: "var/big.txt", contents: big)
            let configPath = try lab.filePath(device: "host1", path: "etc/ssh/sshd_config")
            let (config, bigRead, viaExec) = try await LabSupport.withSession(lab, host) { session in
                (try await session.sftpRead(configPath), try await session.sftpRead(bigPath), try await session.exec("cat \(configPath)"))
            }
            #expect(config == Array(try String(contentsOfFile: configPath, encoding: .utf8).utf8))
            #expect(bigRead == Array(big.utf8))
            #expect(viaExec.stdout == config)
            let error = await LabSupport.transportError {
                _ = try await LabSupport.withSession(lab, host) { try await $0.sftpRead("/nonexistent/file") }
            }
            #expect(error?.code == .sftpFailed)
            #expect(error?.message.contains("no such file") == true)
        }
    }
}
