import Testing
@testable import ConfigDiff

@Suite struct LinePredicateTests {
    @Test func literalKinds() throws {
        #expect(try LinePredicate(.startsWith, "interface ").matches("interface Gi0/1"))
        #expect(!(try LinePredicate(.startsWith, "interface ").matches(" interface Gi0/1")))
        #expect(try LinePredicate(.contains, "secret").matches("enable secret 5 x"))
        #expect(try LinePredicate(.endsWith, "shutdown").matches("no shutdown"))
        #expect(try LinePredicate(.equals, "end").matches("end"))
        #expect(!(try LinePredicate(.equals, "end").matches("end ")))
    }

    @Test func regexAndSectionMatcher() throws {
        let bgp = try SectionMatcher([LinePredicate(.regex, "^router bgp \\d+$"), LinePredicate(.startsWith, "address-family")])
        #expect(bgp.matches(["router bgp 65001", "address-family ipv4"]))
        #expect(!bgp.matches(["router bgp 65001"]))
        #expect(!bgp.matches(["router ospf 1", "address-family ipv4"]))
    }

    @Test func badRegexIsAnError() {
        #expect(throws: ConfigDiffError.self) { try LinePredicate(.regex, "(unclosed") }
    }
}
