import Foundation
import Testing

@testable import Baselines

@Suite struct ApprovalRecordTests {
    func validJSON() throws -> String {
        let record = ApprovalRecord(
            kind: .baseline, subject: "r1", version: 1, approver: "alice", approvedAt: "2026-11-23T06:30:00Z",
            reason: "x",
            ticket: nil, source: ApprovalSource(.file, "r1.cfg"), platform: "cisco_ios", mode: .full, ignore: [],
            contentSHA256: String(repeating: "a", count: 64), previousSHA256: nil)
        return String(decoding: try record.jsonData(), as: UTF8.self)
    }

    @Test func roundTrip() throws {
        let text = try validJSON()
        let record = try ApprovalRecord.decode(Data(text.utf8), file: "v1.json")
        #expect(record.subject == "r1" && record.ticket == nil && record.previousSHA256 == nil)
        #expect(String(decoding: try record.jsonData(), as: UTF8.self) == text)
    }

    @Test func syntaxErrorNamesFileAndLine() throws {
        let text = try validJSON().replacingOccurrences(of: "\"reason\" : \"x\",", with: "\"reason\" : \"x\" oops,")
        do {
            _ = try ApprovalRecord.decode(Data(text.utf8), file: "devices/r1/v1.json")
            Issue.record("a malformed record was accepted")
        } catch let error as BaselineError {
            #expect(error.code == .malformedFile)
            #expect(error.file == "devices/r1/v1.json")
            #expect(error.description.hasPrefix("devices/r1/v1.json"))
            #expect(error.message.contains("not valid JSON"))
            let expectedLine = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains("oops") }.map { $0 + 1 }
            #expect(error.line == expectedLine)
        }
    }

    @Test func truncatedRecordPointsAtItsLastLine() throws {
        let text = "{ \"format\": 1,\n  \"kind\": \n"
        #expect { try ApprovalRecord.decode(Data(text.utf8), file: "v1.json") } throws: { ($0 as? BaselineError)?.line == 2 }
    }

    @Test func wrongTypeNamesTheKeyAndLine() throws {
        let text = try validJSON().replacingOccurrences(of: "\"version\" : 1", with: "\"version\" : \"one\"")
        do {
            _ = try ApprovalRecord.decode(Data(text.utf8), file: "v1.json")
            Issue.record("a malformed record was accepted")
        } catch let error as BaselineError {
            #expect(error.message.contains("key 'version'"))
            let expectedLine = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex {
                $0.contains("\"version\"")
            }.map { $0 + 1 }
            #expect(error.line == expectedLine)
        }
    }

    @Test func unknownKeyAndBadHashAreRejected() throws {
        let unknown = try validJSON().replacingOccurrences(
            of: "\"format\" : 1,", with: "\"format\" : 1, \"signed_by\" : \"eve\",")
        #expect { try ApprovalRecord.decode(Data(unknown.utf8), file: "v1.json") } throws: {
            ($0 as? BaselineError)?.message.contains("signed_by") == true
        }
        let badHash = try validJSON().replacingOccurrences(of: String(repeating: "a", count: 64), with: "abc")
        #expect { try ApprovalRecord.decode(Data(badHash.utf8), file: "v1.json") } throws: {
            ($0 as? BaselineError)?.message.contains("content_sha256") == true
        }
    }
}
