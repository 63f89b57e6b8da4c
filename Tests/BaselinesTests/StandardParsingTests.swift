import Testing

@testable import Baselines

@Suite struct StandardParsingTests {
    static let valid = """
        name: demo
        version: "1"
        description: demo standard
        applies_to: { platforms: [cisco_ios], groups: [core] }
        rules:
          - id: R1
            description: no http
            severity: high
            forbid: ["ip http server"]
            source: "guide"
        """

    func error(_ yaml: String, name: String? = "demo") -> BaselineError? {
        do {
            _ = try Standard.parse(yaml: yaml, file: "standards/demo.yaml", expectedName: name)
            return nil
        } catch let error as BaselineError {
            return error
        } catch {
            return nil
        }
    }

    @Test func validStandardParses() throws {
        let standard = try Standard.parse(yaml: Self.valid, file: "demo.yaml", expectedName: "demo")
        #expect(standard.name == "demo" && standard.rules.count == 1)
        #expect(standard.appliesTo == StandardSelector(groups: ["core"], platforms: ["cisco_ios"]))
        #expect(standard.rules[0].forbid.first?.kind == .equals)
        #expect(standard.rules[0].severity == .high)
    }

    @Test func yamlSyntaxErrorHasFileAndLine() {
        let broken = Self.valid.replacingOccurrences(
            of: "forbid: [\"ip http server\"]", with: "forbid: [\"ip http server\"")
        let error = error(broken)
        #expect(error?.code == .malformedFile)
        #expect(error?.file == "standards/demo.yaml")
        #expect(error?.line != nil)
    }

    @Test func unknownKeyHasLineAndKey() {
        let typo = Self.valid.replacingOccurrences(of: "    forbid:", with: "    forbidd:")
        let error = error(typo)
        #expect(error?.line == 9)
        #expect(error?.message.contains("key 'rules[0].forbidd'") == true)
        #expect(error?.message.contains("unknown key") == true)
    }

    @Test func badSeverityHasLine() {
        let error = error(Self.valid.replacingOccurrences(of: "severity: high", with: "severity: urgent"))
        #expect(error?.line == 8)
        #expect(error?.message.contains("rules[0].severity") == true)
        #expect(error?.message.contains("info, low, medium, high, critical") == true)
    }

    @Test func badRegexHasLine() {
        let error = error(
            Self.valid.replacingOccurrences(
                of: "forbid: [\"ip http server\"]", with: "forbid: [{regex: \"(unclosed\"}]"))
        #expect(error?.code == .invalidValue)
        #expect(error?.line == 9)
        #expect(error?.message.contains("does not compile") == true)
    }

    @Test func duplicateIDsAndEmptyRulesAreRejected() {
        let twice =
            Self.valid + """

                  - id: R1
                    description: again
                    severity: low
                    require: ["x"]
                """
        #expect(error(twice)?.message.contains("used twice") == true)
        let nothing = Self.valid.replacingOccurrences(of: "    forbid: [\"ip http server\"]\n", with: "")
        #expect(error(nothing)?.message.contains("checks nothing") == true)
    }

    @Test func nameMustMatchFile() {
        #expect(error(Self.valid, name: "other")?.message.contains("must equal the file name 'other'") == true)
    }

    @Test func countBoundsAreValidated() {
        let inverted = Self.valid.replacingOccurrences(
            of: "forbid: [\"ip http server\"]", with: "count: {of: {regex: \"^ntp server\"}, min: 3, max: 1}")
        #expect(error(inverted)?.message.contains("below min") == true)
        let sectionless = Self.valid.replacingOccurrences(of: "forbid: [\"ip http server\"]", with: "count: {min: 1}")
        #expect(error(sectionless)?.message.contains("'section' is required") == true)
    }

    @Test func emptyFileIsRejected() {
        #expect(error("")?.message.contains("empty") == true)
        #expect(error("- just\n- a list\n")?.message.contains("expected a mapping") == true)
    }
}
