import ConfigDiff
import Foundation
import Testing

@testable import Baselines

@Suite struct BaselineStoreTests {
    static let v1Config = "hostname r1\ninterface Gi0/1\n ip address 10.0.0.1 255.255.255.0\n"
    static let v2Config = "hostname r1\ninterface Gi0/1\n ip address 10.0.0.2 255.255.255.0\n"
    static let v3Config = "hostname r1-new\n"

    func draft(_ reason: String, approver: String = "alice") -> ApprovalDraft {
        ApprovalDraft(
            approver: approver, reason: reason, ticket: "CHG-1", source: ApprovalSource(.file, "r1.cfg"),
            platform: "cisco_ios")
    }

    /// A store with r1 approved twice (and a third time when `three`).
    func store(three: Bool = false) throws -> (TemporaryFolder, BaselineStore) {
        let folder = try TemporaryFolder()
        let store = BaselineStore(root: folder.url)
        _ = try store.approve(device: "r1", config: Self.v1Config, draft: draft("first"), expectedHead: 0)
        _ = try store.approve(device: "r1", config: Self.v2Config, draft: draft("second"), expectedHead: 1)
        if three { _ = try store.approve(device: "r1", config: Self.v3Config, draft: draft("third"), expectedHead: 2) }
        return (folder, store)
    }

    @Test func approveTwiceChainsTheRecords() throws {
        let (folder, store) = try store()
        let chain = try store.chain(for: "r1")
        #expect(chain.versions() == [1, 2])
        let v1 = try chain.record(1)
        let v2 = try chain.record(2)
        #expect(v1.previousSHA256 == nil)
        #expect(v1.version == 1 && v2.version == 2)
        let v1JSON = try Data(contentsOf: folder.file("devices/r1/v1.json"))
        #expect(v2.previousSHA256 == SHA256Hex.of(v1JSON))
        #expect(v2.contentSHA256 == SHA256Hex.of(Data(Self.v2Config.utf8)))
        #expect(v2.approver == "alice" && v2.reason == "second" && v2.ticket == "CHG-1" && v2.mode == .full)
        #expect(v2.approvedAt.hasSuffix("Z") && v2.approvedAt.count == 20)
        #expect(try String(contentsOf: folder.file("devices/r1/v2.cfg"), encoding: .utf8) == Self.v2Config)
        #expect(store.verifyAll().isEmpty)
        #expect(try store.latest(for: "r1")?.text == Self.v2Config)
    }

    @Test func editedConfigByteIsReportedAtItsVersion() throws {
        let (folder, store) = try store()
        var bytes = try Data(contentsOf: folder.file("devices/r1/v1.cfg"))
        bytes[3] ^= 0x01
        try bytes.write(to: folder.file("devices/r1/v1.cfg"))
        let issues = store.verifyAll()
        #expect(issues.count == 1)
        #expect(issues.first?.subject == "r1" && issues.first?.version == 1 && issues.first?.kind == .edited)
        #expect(issues.first?.description.contains("v1.cfg was edited") == true)
    }

    @Test func removedRecordIsReportedAsUnsigned() throws {
        let (folder, store) = try store()
        try FileManager.default.removeItem(at: folder.file("devices/r1/v2.json"))
        let issues = store.verifyAll()
        #expect(issues.map(\.kind) == [.unsigned])
        #expect(issues.first?.version == 2)
    }

    @Test func swappedVersionsAreReportedAsReordered() throws {
        let (folder, store) = try store()
        let base = folder.file("devices/r1")
        for ext in ["cfg", "json"] {
            let one = base.appendingPathComponent("v1.\(ext)")
            let two = base.appendingPathComponent("v2.\(ext)")
            let temp = base.appendingPathComponent("swap.\(ext)")
            try FileManager.default.moveItem(at: one, to: temp)
            try FileManager.default.moveItem(at: two, to: one)
            try FileManager.default.moveItem(at: temp, to: two)
        }
        let issues = store.verifyAll()
        #expect(Set(issues.map(\.version)) == [1, 2])
        #expect(issues.allSatisfy { $0.kind == .reordered })
        #expect(issues.first { $0.version == 1 }?.message.contains("holds the record of baseline r1 v2") == true)
    }

    @Test func swappedContentFilesAreReportedAsReordered() throws {
        let (folder, store) = try store()
        let base = folder.file("devices/r1")
        let one = base.appendingPathComponent("v1.cfg")
        let two = base.appendingPathComponent("v2.cfg")
        let temp = base.appendingPathComponent("swap")
        try FileManager.default.moveItem(at: one, to: temp)
        try FileManager.default.moveItem(at: two, to: one)
        try FileManager.default.moveItem(at: temp, to: two)
        let issues = store.verifyAll()
        #expect(issues.map(\.kind) == [.reordered, .reordered])
        #expect(issues[0].message.contains("holds the content approved as v2"))
    }

    @Test func editedRecordIsCaughtByTheNextRecord() throws {
        let (folder, store) = try store()
        let url = folder.file("devices/r1/v1.json")
        let text = try String(contentsOf: url, encoding: .utf8).replacingOccurrences(of: "\"first\"", with: "\"frist\"")
        try Data(text.utf8).write(to: url)
        let issues = store.verifyAll()
        #expect(issues.count == 1)
        #expect(issues.first?.kind == .edited && issues.first?.version == 1)
        #expect(issues.first?.message.contains("v1.json was edited or replaced") == true)
    }

    @Test func removedMiddleVersionIsReported() throws {
        let (folder, store) = try store(three: true)
        try FileManager.default.removeItem(at: folder.file("devices/r1/v2.json"))
        try FileManager.default.removeItem(at: folder.file("devices/r1/v2.cfg"))
        let issues = store.verifyAll()
        #expect(issues.map(\.kind) == [.removed])
        #expect(issues.first?.version == 2)
    }

    @Test func removedContentIsReported() throws {
        let (folder, store) = try store()
        try FileManager.default.removeItem(at: folder.file("devices/r1/v1.cfg"))
        let issues = store.verifyAll()
        #expect(issues.map(\.kind) == [.removed])
        #expect(issues.first?.version == 1)
    }

    @Test func renumberedHistoryIsReported() throws {
        let (folder, store) = try store()
        // Drop v1 and rename v2 to v1: the record says version 2.
        let base = folder.file("devices/r1")
        for ext in ["cfg", "json"] {
            try FileManager.default.removeItem(at: base.appendingPathComponent("v1.\(ext)"))
            try FileManager.default.moveItem(
                at: base.appendingPathComponent("v2.\(ext)"), to: base.appendingPathComponent("v1.\(ext)"))
        }
        let issues = store.verifyAll()
        #expect(issues.map(\.kind) == [.reordered])
        #expect(issues.first?.version == 1)
    }

    @Test func appendRefusesOnABrokenChainAndWritesNothing() throws {
        let (folder, store) = try store()
        try Data("tampered\n".utf8).write(to: folder.file("devices/r1/v1.cfg"))
        #expect {
            _ = try store.approve(device: "r1", config: Self.v3Config, draft: draft("third"), expectedHead: nil)
        } throws: { ($0 as? BaselineError)?.code == .integrityFailure }
        #expect(!FileManager.default.fileExists(atPath: folder.file("devices/r1/v3.cfg").path))
        #expect(!FileManager.default.fileExists(atPath: folder.file("devices/r1/v3.json").path))
    }

    @Test func staleReviewIsRefused() throws {
        let (folder, store) = try store()
        #expect {
            _ = try store.approve(device: "r1", config: Self.v3Config, draft: draft("third"), expectedHead: 1)
        } throws: { ($0 as? BaselineError)?.code == .concurrentChange }
        #expect(try store.chain(for: "r1").versions() == [1, 2])
        withExtendedLifetime(folder) {}
    }

    @Test func concurrentAppendsInOneProcessNeverCollide() async throws {
        let folder = try TemporaryFolder()
        let store = BaselineStore(root: folder.url)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 1...12 {
                group.addTask {
                    _ = try store.approve(
                        device: "r9", config: "hostname r9-\(index)\n", draft: self.draft("run \(index)"),
                        expectedHead: nil)
                }
            }
            try await group.waitForAll()
        }
        #expect(try store.chain(for: "r9").versions() == Array(1...12))
        #expect(store.verifyAll().isEmpty)
    }

    @Test func createOnlyNeverReplacesAFile() throws {
        let folder = try TemporaryFolder()
        let url = folder.file("v1.cfg")
        #expect(try FileSystem.createAtomically(Data("first\n".utf8), at: url))
        #expect(try !FileSystem.createAtomically(Data("second\n".utf8), at: url))
        #expect(try String(contentsOf: url, encoding: .utf8) == "first\n")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.url.path).filter {
            $0.contains(".tmp-")
        }
        #expect(leftovers.isEmpty)
    }

    @Test func strayUnsignedContentBlocksTheNextApproval() throws {
        let (folder, store) = try store()
        try Data("left by an interrupted approval\n".utf8).write(to: folder.file("devices/r1/v3.cfg"))
        #expect {
            _ = try store.approve(device: "r1", config: Self.v3Config, draft: draft("third"), expectedHead: nil)
        } throws: {
            ($0 as? BaselineError)?.code == .integrityFailure
                && ($0 as? BaselineError)?.message.contains("unsigned") == true
        }
        #expect(
            try String(contentsOf: folder.file("devices/r1/v3.cfg"), encoding: .utf8)
                == "left by an interrupted approval\n")
    }

    @Test func ignoreRulesAndModeRoundTrip() throws {
        let folder = try TemporaryFolder()
        let store = BaselineStore(root: folder.url)
        var partial = draft("snippet")
        partial.mode = .partial
        partial.ignore = [try LinePredicate(.startsWith, "ntp clock-period"), try LinePredicate(.regex, "^! Last")]
        let record = try store.approve(
            device: "edge-1", config: "ntp server 192.0.2.1", draft: partial, expectedHead: 0)
        let read = try store.chain(for: "edge-1").record(1)
        #expect(read == record)
        #expect(read.mode == .partial && read.ignore.count == 2)
        #expect(
            try String(contentsOf: folder.file("devices/edge-1/v1.json"), encoding: .utf8).contains(
                "\"startsWith\" : \"ntp clock-period\""))
    }

    @Test(arguments: ["", "../etc", ".hidden", "a/b", "-x", "r 1"])
    func unusableDeviceNamesAreRefused(_ name: String) {
        #expect(throws: BaselineError.self) {
            _ = try BaselineStore(root: URL(fileURLWithPath: "/tmp")).chain(for: name)
        }
    }
}
