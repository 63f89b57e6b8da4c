import Foundation
import Testing

@testable import ConfigDiff

/// The parser: every style, multi-line blocks, line endings, and render → parse fixed points.
@Suite struct ParseTests {
    private func parse(_ text: String, _ style: HierarchyStyle) throws -> ConfigTree {
        try ConfigParser.parse(text, style: style)
    }

    @Test func indentNestsByIndentationAndDropsSeparators() throws {
        let tree = try parse(
            "hostname r1\n!\ninterface Gi0/1\n description uplink\n ip address 10.0.0.1 255.255.255.0\n!\nrouter bgp 65001\n  address-family ipv4\n    neighbor 1.1.1.1 activate\n  exit-address-family\nend\n",
            .indent)
        #expect(tree.roots.map(\.text) == ["hostname r1", "interface Gi0/1", "router bgp 65001", "end"])
        #expect(tree.roots[1].children.map(\.text) == ["description uplink", "ip address 10.0.0.1 255.255.255.0"])
        #expect(tree.roots[2].children.map(\.text) == ["address-family ipv4", "exit-address-family"])
        #expect(tree.roots[2].children[0].children.map(\.text) == ["neighbor 1.1.1.1 activate"])
        #expect(tree.roots[1].children[0].line == 4)
    }

    @Test func canonicalIndentRendering() throws {
        let tree = try parse("interface Gi0/1\n    description x\n        nested deeper\nend\n", .indent)
        #expect(tree.rendered() == "interface Gi0/1\n description x\n  nested deeper\n!\nend\n")
    }

    @Test func crlfAndStrayCarriageReturns() throws {
        let crlf = try parse("hostname r1\r\ninterface Gi0/1\r\n shutdown\r\nend\r\n", .indent)
        let stray = try parse("hostname r1\ninterface Gi0/1\r\n shut\rdown \t\nend", .indent)
        let plain = try parse("hostname r1\ninterface Gi0/1\n shutdown\nend\n", .indent)
        #expect(crlf == plain)
        #expect(stray == plain)
        #expect(!crlf.rendered().contains("\r"))
    }

    @Test func bannerWithCaretCDelimiterStaysOneNode() throws {
        let text =
            "hostname r1\nbanner motd ^C\nAuthorized access only\n! not a comment here\n\n  indented line\n^C\nline vty 0 4\n login\nend\n"
        let tree = try parse(text, .indent)
        #expect(
            tree.roots.map { $0.text.split(separator: "\n").first.map(String.init) ?? "" } == [
                "hostname r1", "banner motd ^C", "line vty 0 4", "end",
            ])
        #expect(
            tree.roots[1].text == "banner motd ^C\nAuthorized access only\n! not a comment here\n\n  indented line\n^C")
        #expect(try parse(tree.rendered(), .indent) == tree)
    }

    @Test func bannerOnOneLineAndWithRealControlC() throws {
        let oneLine = try parse("banner motd #Keep out#\nhostname r1\n", .indent)
        #expect(oneLine.roots.map(\.text) == ["banner motd #Keep out#", "hostname r1"])
        let control = try parse("banner login \u{3}\nHello\n\u{3}\nhostname r1\n", .indent)
        #expect(control.roots.count == 2)
        #expect(control.roots[0].text == "banner login \u{3}\nHello\n\u{3}")
        let sameLineStart = try parse("banner exec ^CWelcome\nsecond line^C\nhostname r1\n", .indent)
        #expect(sameLineStart.roots.map(\.text) == ["banner exec ^CWelcome\nsecond line^C", "hostname r1"])
        let otherDelimiter = try parse("banner motd #\nThis is a test,\nbanner message.\n#\nfeature lldp\n", .indent)
        #expect(otherDelimiter.roots.count == 2)
    }

    @Test func eosBannerEndsAtEOF() throws {
        let profile = try ProfileCatalog().profile(.aristaEOS)
        let tree = try ConfigParser(profile: profile).parse(
            "banner login\n* GOOD DATA LINE 1\n!\n  indented\nEOF\n!\nend\n")
        #expect(tree.roots.map(\.text) == ["banner login\n* GOOD DATA LINE 1\n!\n  indented\nEOF", "end"])
    }

    @Test func certificateAndMacroBlocks() throws {
        let text = """
            crypto pki certificate chain TP-self-signed-1
             certificate self-signed 01
              30820330 30820218 A0030201
              3C1D27CD 60B9C28E
              \tquit
            macro name access-port
            switchport mode access
            spanning-tree portfast
            @
            hostname r1
            """
        let tree = try parse(text, .indent)
        #expect(tree.roots.count == 3)
        #expect(tree.roots[0].children.count == 1)
        #expect(tree.roots[0].children[0].text.hasPrefix("certificate self-signed 01\n  30820330"))
        #expect(tree.roots[0].children[0].text.hasSuffix("\tquit"))
        #expect(tree.roots[1].text == "macro name access-port\nswitchport mode access\nspanning-tree portfast\n@")
        #expect(try parse(tree.rendered(), .indent) == tree)
    }

    @Test func unterminatedBannerRunsToTheEndWithoutHanging() throws {
        let tree = try parse("banner motd ^C\nno end\n\n\n", .indent)
        #expect(tree.roots.map(\.text) == ["banner motd ^C\nno end"])
        #expect(try parse(tree.rendered(), .indent) == tree)
    }

    @Test func braceStyle() throws {
        let text = """
            ## Last commit: 2024-01-01 by x
            system {
                host-name r1;
                login {
                    user a {
                        authentication {
                            encrypted-password "$1$x;y"; ## SECRET-DATA
                        }
                    }
                }
            }
            interfaces { lo0 { unit 0; } }
            /* annotation
               over two lines */
            policy-options {
                prefix-list p {   10.0.0.0/8;   }
            }
            """
        let tree = try parse(text, .brace)
        #expect(
            tree.roots.map(\.text) == [
                "## Last commit: 2024-01-01 by x", "system", "interfaces", "/* annotation\n   over two lines */",
                "policy-options",
            ])
        let user = tree.roots[1].children[1].children[0]
        #expect(user.text == "user a")
        #expect(user.children[0].children.map(\.text) == ["encrypted-password \"$1$x;y\""])
        #expect(tree.roots[2].children[0].children.map(\.text) == ["unit 0"])
        #expect(tree.roots[4].children[0].children.map(\.text) == ["10.0.0.0/8"])
        let rendered = tree.rendered()
        #expect(rendered.contains("system {\n    host-name r1;\n    login {\n"))
        #expect(try parse(rendered, .brace) == tree)
    }

    @Test func strayClosingBraceIsIgnored() throws {
        let tree = try parse("a {\n b;\n}\n}\nc;\n", .brace)
        #expect(tree.roots.map(\.text) == ["a", "c"])
    }

    @Test func setStyleCollapsesSpaces() throws {
        let tree = try parse(
            "#\nset system host-name r1\nset interfaces fe-0/0/0 unit 0  family inet address 1.0.1.1/24\nset x description \"two  spaces\"\n",
            .set)
        #expect(
            tree.roots.map(\.text) == [
                "set system host-name r1", "set interfaces fe-0/0/0 unit 0 family inet address 1.0.1.1/24",
                "set x description \"two  spaces\"",
            ])
        #expect(
            tree.rendered()
                == "set system host-name r1\nset interfaces fe-0/0/0 unit 0 family inet address 1.0.1.1/24\nset x description \"two  spaces\"\n"
        )
    }

    @Test func junosFormIsDetected() throws {
        let normalizer = try Fixtures.normalizer(.juniperJunos)
        let set = try normalizer.normalize("# comment\nset system host-name r1\n", checkCompleteness: false)
        #expect(set.tree.style == .set)
        let curly = try normalizer.normalize("system {\n    host-name r1;\n}\n", checkCompleteness: false)
        #expect(curly.tree.style == .brace)
        let explicit = try Fixtures.normalizer(.juniperJunosSet).normalize("# comment\nset system host-name r1\n")
        #expect(explicit.tree == set.tree)
    }

    @Test func sectionsStyle() throws {
        let text =
            "==> /etc/hosts <==\n127.0.0.1 localhost\n\n==> iptables-save <==\n*filter\n:INPUT ACCEPT [0:0]\n  indented stays\n"
        let tree = try parse(text, .sections)
        #expect(tree.roots.map(\.text) == ["==> /etc/hosts <==", "==> iptables-save <=="])
        #expect(tree.roots[1].children.map(\.text) == ["*filter", ":INPUT ACCEPT [0:0]", "  indented stays"])
        #expect(try parse(tree.rendered(), .sections) == tree)
        let loose = try parse("key value\nother 1\n", .sections)
        #expect(loose.roots.map(\.text) == ["key value", "other 1"])
    }

    @Test func flatStyleKeepsLinesVerbatim() throws {
        let tree = try parse("a b\n\n  c\n", .flat)
        #expect(tree.roots.map(\.text) == ["a b", "  c"])
    }

    /// Render → parse is a fixed point for every fixture in every style it could be read as.
    @Test(arguments: Fixtures.singleConfigs)
    func renderParseFixedPoint(_ path: String) throws {
        let raw = try Fixtures.text(path)
        for style in HierarchyStyle.allCases {
            let tree = try parse(raw, style)
            let again = try parse(tree.rendered(), style)
            #expect(again == tree, "\(path) as \(style)")
            #expect(again.rendered() == tree.rendered())
        }
    }

    @Test func emptyInput() throws {
        for style in HierarchyStyle.allCases {
            let tree = try parse("", style)
            #expect(tree.roots.isEmpty)
            #expect(tree.rendered() == "")
        }
    }
}

/// The literal-prefix prefilter of regex predicates never changes what matches.
@Suite struct ParsePredicatePrefilterTests {
    @Test func literalPrefixes() {
        #expect(LinePredicate.literalPrefix(of: "^banner (?:motd|login) \\S") == Array("banner ".utf8))
        #expect(
            LinePredicate.literalPrefix(of: "^Current configuration ?: ?\\d+") == Array("Current configuration".utf8))
        #expect(LinePredicate.literalPrefix(of: "^a|b").isEmpty)
        #expect(LinePredicate.literalPrefix(of: "^ab*").isEmpty == false)
        #expect(LinePredicate.literalPrefix(of: "^ab*") == Array("a".utf8))
        #expect(LinePredicate.literalPrefix(of: "^[|]x").isEmpty)
        #expect(LinePredicate.literalPrefix(of: "x^").isEmpty)
        #expect(LinePredicate.literalPrefix(of: "^\\d").isEmpty)
    }

    @Test func prefilterAgreesWithTheRegex() throws {
        let patterns = [
            "^banner (?:motd|login) \\S", "^Current configuration ?: ?\\d+ bytes", "^: (?!end$)", "^ab*c", "^a|b",
            "^(x|y)z",
        ]
        let lines = [
            "banner motd ^C", "banner exec x", "Current configuration : 12 bytes", "Current configuration: 1 bytes",
            ": end", ": Saved", "ac", "abbc", "b", "a", "xz", "yz", "zz", "",
        ]
        for pattern in patterns {
            let predicate = try LinePredicate(.regex, pattern)
            let regex = try NSRegularExpression(pattern: pattern)
            for line in lines {
                let expected =
                    regex.firstMatch(in: line, range: NSRange(location: 0, length: (line as NSString).length)) != nil
                #expect(predicate.matches(line) == expected, "\(pattern) on \(line)")
                #expect(predicate.matches(Substring(line)) == expected)
            }
        }
    }
}
