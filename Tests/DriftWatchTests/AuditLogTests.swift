import Foundation
import Testing

@testable import DriftWatch

@Suite struct AuditLogTests {
    func log() throws -> (URL, AuditLog) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dw-audit-\(UUID().uuidString)")
        let log = AuditLog(stateFolder: folder)
        try log.append(
            actor: "alice", action: "baseline.approve", target: "r1", details: ["version": "1", "reason": "first"])
        try log.append(
            actor: "bob", action: "baseline.approve", target: "r2", details: ["version": "1", "reason": "second"])
        try log.append(
            actor: "alice", action: "baseline.rollback", target: "r1", details: ["version": "2", "reason": "third"])
        return (folder, log)
    }

    func lines(_ log: AuditLog) throws -> [String] {
        try String(contentsOf: log.file, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    func write(_ lines: [String], _ log: AuditLog) throws {
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: log.file)
    }

    @Test func appendedRecordsChainAndVerify() throws {
        let (folder, log) = try log()
        defer { try? FileManager.default.removeItem(at: folder) }
        let entries = try log.entries()
        #expect(entries.map(\.line) == [1, 2, 3])
        let records = entries.compactMap(\.record)
        #expect(records.map(\.sequence) == [1, 2, 3])
        #expect(records[0].previousSHA256 == nil)
        #expect(records[1].previousSHA256 == records[0].sha256)
        #expect(records[2].previousSHA256 == records[1].sha256)
        #expect(try log.verify().isEmpty)
        #expect(try lines(log)[0].hasPrefix("{\"action\":\"baseline.approve\",\"actor\":\"alice\""))
    }

    @Test func tamperedLineIsReportedWithItsNumber() throws {
        let (folder, log) = try log()
        defer { try? FileManager.default.removeItem(at: folder) }
        var content = try lines(log)
        content[1] = content[1].replacingOccurrences(of: "\"actor\":\"bob\"", with: "\"actor\":\"eve\"")
        try write(content, log)
        let issues = try log.verify()
        #expect(issues.map(\.line) == [2])
        #expect(issues.first?.message.contains("was altered") == true)
    }

    @Test func rehashedLineBreaksTheChainAtTheNextLine() throws {
        let (folder, log) = try log()
        defer { try? FileManager.default.removeItem(at: folder) }
        var content = try lines(log)
        let forged = try AuditRecord(
            sequence: 2, time: "2026-01-01T00:00:00Z", actor: "eve", action: "baseline.approve", target: "r2",
            details: [:], previousSHA256: nil)
        content[1] = String(decoding: try forged.line(), as: UTF8.self)
        try write(content, log)
        let issues = try log.verify()
        #expect(issues.map(\.line) == [2, 3])
        #expect(issues.allSatisfy { $0.message.contains("chain broken") })
    }

    @Test func removedAndReorderedLinesAreReported() throws {
        let (folder, log) = try log()
        defer { try? FileManager.default.removeItem(at: folder) }
        let content = try lines(log)
        try write([content[0], content[2]], log)
        #expect(try log.verify().map(\.line) == [2])
        try write([content[1], content[0], content[2]], log)
        #expect(try log.verify().map(\.line) == [1, 2, 3])
    }

    @Test func garbageLineIsReportedAndAppendingContinuesTheChain() throws {
        let (folder, log) = try log()
        defer { try? FileManager.default.removeItem(at: folder) }
        var content = try lines(log)
        content.append("{\"truncated\": ")
        try Data(content.joined(separator: "\n").utf8).write(to: log.file)
        try log.append(actor: "alice", action: "standard.approve", target: "ios-hardening", details: [:])
        let issues = try log.verify()
        #expect(issues.map(\.line) == [4])
        #expect(try log.entries().last?.record?.sequence == 4)
    }

    @Test func concurrentAppendsKeepOneChain() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dw-audit-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let log = AuditLog(stateFolder: folder)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<16 {
                group.addTask { try log.append(actor: "a\(index)", action: "test", target: "t", details: [:]) }
            }
            try await group.waitForAll()
        }
        #expect(try log.entries().count == 16)
        #expect(try log.verify().isEmpty)
    }
}
