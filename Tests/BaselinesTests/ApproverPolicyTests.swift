import Testing

@testable import Baselines

@Suite struct ApproverPolicyTests {
    let policy = ApproverPolicy(
        approvers: [
            Approver(name: "alice", groups: ["core", "edge"]), Approver(name: "bob", groups: ["edge"]),
            Approver(name: "root", groups: ["*"]),
        ],
        configKey: "'approvers' in driftwatch.yaml")

    @Test func allowedForEveryGroup() throws {
        try policy.authorize("alice", groups: ["core", "edge"], subject: "device r1")
        try policy.authorize("root", groups: ["anything"], subject: "device r1")
        try policy.authorize("bob", groups: [], subject: "device r1")
    }

    @Test func missingGroupIsNamedWithTheConfigKey() {
        do {
            try policy.authorize("bob", groups: ["edge", "core"], subject: "device r1")
            Issue.record("bob was allowed for core")
        } catch let error as BaselineError {
            #expect(error.code == .notAuthorized)
            #expect(error.message.contains("group 'core'"))
            #expect(error.message.contains("'approvers' in driftwatch.yaml"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func unknownApproverIsRefused() {
        #expect { try policy.authorize("mallory", groups: ["edge"], subject: "device r1") } throws: {
            ($0 as? BaselineError)?.code == .notAuthorized
                && ($0 as? BaselineError)?.message.contains("not an approver") == true
        }
    }
}
