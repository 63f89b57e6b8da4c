import Testing

@testable import DriftWatch

@Suite struct BaselineCLIIdentityTests {
    @Test func explicitNameWins() throws {
        #expect(try ApproverIdentity.resolve("carol") == "carol")
    }

    @Test func blankNameIsRefused() {
        #expect(throws: DriftWatchError.self) { try ApproverIdentity.resolve("  ") }
    }

    @Test func loginNameFallsBackToTheEnvironment() {
        // getlogin() may or may not know a name here; either way a name is found.
        let name = ApproverIdentity.loginName(environment: ["USER": "dave"])
        #expect(name?.isEmpty == false)
    }
}
