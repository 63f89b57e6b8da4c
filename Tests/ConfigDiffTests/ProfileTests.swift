import Foundation
import Testing

@testable import ConfigDiff

/// Profiles: the built-ins, user overrides, and decoding errors that name the file and line.
@Suite struct ProfileTests {
    private func temporaryDirectory(_ files: [String: String]) throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "driftwatch-profiles-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: directory.appendingPathComponent(name)) }
        return directory.path
    }

    private func decodingError(_ yaml: String, file: String = "user.yaml") throws -> ConfigDiffError? {
        let directory = try temporaryDirectory([file: yaml])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        do {
            _ = try ProfileCatalog(userDirectory: directory)
            return nil
        } catch let error as ConfigDiffError {
            return error
        }
    }

    @Test func builtInsLoad() throws {
        let catalog = try ProfileCatalog()
        let required: [PlatformID] = [
            .ciscoIOS, .ciscoNXOS, .ciscoIOSXR, .aristaEOS, .juniperJunos, .juniperJunosSet, .ciscoASA, .linux,
            .generic,
        ]
        for id in required {
            let profile = try catalog.profile(id)
            #expect(profile.id == id)
            #expect(!profile.description.isEmpty)
            #expect(profile.sourceFile?.hasSuffix("\(id.rawValue).yaml") == true)
        }
        #expect(catalog.all.map(\.id) == catalog.ids)
        let ios = try catalog.profile(.ciscoIOS)
        #expect(ios.style == .indent)
        #expect(ios.collection.mode == .shell)
        #expect(ios.collection.setup.contains("terminal length 0"))
        #expect(ios.collection.enable)
        #expect(ios.collection.commands.map(\.source) == ["show running-config"])
        #expect(ios.completeness.lastLine?.matches("end") == true)
        #expect(ios.configChangePatterns.contains("%SYS-5-CONFIG_I"))
        #expect(ios.diffOptions.negation == .noPrefix)
        #expect(ios.diffOptions.unorderedSections.contains(SectionMatcher([])))
        #expect(ios.secrets.count >= 15)
        let junos = try catalog.profile(.juniperJunos)
        #expect(junos.style == .brace && junos.detectSetForm && junos.completeness.balancedBraces)
        #expect(junos.diffOptions.negation == .delete)
        let linux = try catalog.profile(.linux)
        #expect(linux.style == .sections && linux.collection.mode == .files)
        #expect(linux.collection.files.contains { $0.source == "/etc/ssh/sshd_config" })
        #expect(linux.collection.commands.contains { $0.name == "iptables-save" })
        #expect(linux.diffOptions.negation == DiffOptions.Negation.none)
    }

    @Test func unknownPlatformListsTheKnownOnes() throws {
        let catalog = try ProfileCatalog()
        #expect {
            try catalog.profile("cisco_ioz")
        } throws: { error in
            guard let error = error as? ConfigDiffError else { return false }
            return error.code == .unknownPlatform && error.message.contains("cisco_ioz")
                && error.message.contains("cisco_ios, ") && error.message.contains("juniper_junos")
        }
    }

    @Test func unknownKeyIsRejectedWithFileAndLine() throws {
        let error = try decodingError(
            """
            id: acme_os
            style: indent
            volatle:
              - {startsWith: "x"}
            """)
        #expect(error?.code == .invalidProfile)
        #expect(error?.message.contains("user.yaml:3") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("volatle") == true)
    }

    @Test func unknownNestedKeyIsRejectedWithItsLine() throws {
        let error = try decodingError(
            """
            id: acme_os
            style: indent
            secrets:
              - {name: a, contains: "x", regex: 'x (\\S+)'}
              - name: b
                regexp: 'y (\\S+)'
            """)
        #expect(error?.message.contains("user.yaml:6") == true, "\(error?.message ?? "")")
        #expect(error?.message.contains("regexp") == true)
    }

    @Test func badRegexIsRejectedWithFileAndLine() throws {
        let volatile = try decodingError(
            """
            id: acme_os
            style: indent
            volatile:
              - {startsWith: "ok"}
              - {regex: '^(unclosed'}
            """)
        #expect(volatile?.code == .invalidProfile)
        #expect(volatile?.message.contains("user.yaml:5") == true, "\(volatile?.message ?? "")")
        #expect(volatile?.message.contains("does not compile") == true)
        let secret = try decodingError(
            """
            id: acme_os
            style: indent
            secrets:
              - {name: s, regex: 'password [a-'}
            """)
        #expect(secret?.message.contains("user.yaml:4") == true, "\(secret?.message ?? "")")
        let noGroup = try decodingError(
            """
            id: acme_os
            style: indent
            secrets:
              - {name: s, regex: 'password \\S+'}
            """)
        #expect(noGroup?.message.contains("capture group") == true)
    }

    @Test func badValuesAreRejected() throws {
        #expect(try decodingError("id: a\nstyle: curly\n")?.message.contains("user.yaml:2") == true)
        #expect(try decodingError("style: indent\n")?.message.contains("no `id:`") == true)
        #expect(
            try decodingError("id: a\nstyle: indent\ndetect_set_form: maybe\n")?.message.contains("user.yaml:3") == true
        )
        #expect(
            try decodingError("id: a\nstyle: indent\ncompleteness: {min_fraction_of_previous: 7}\n")?.message.contains(
                "between 0 and 1") == true)
        #expect(
            try decodingError("id: a\nstyle: indent\nblocks:\n  - {start: {equals: x}}\n")?.message.contains(
                "user.yaml:4") == true)
        #expect(
            try decodingError("id: a\nstyle: indent\nvolatile:\n  - {startsWith: x, endsWith: y}\n")?.message.contains(
                "exactly one") == true)
        #expect(
            try decodingError("id: a\nstyle: indent\ncollect: {mode: telnet}\n")?.message.contains("telnet") == true)
        #expect(try decodingError("id: [a\n")?.message.contains("not valid YAML") == true)
        #expect(try decodingError("id: a b\nstyle: indent\n")?.message.contains("id must be") == true)
    }

    @Test func userDirectoryAddsAndOverrides() throws {
        let directory = try temporaryDirectory([
            "ios.yaml": """
            id: cisco_ios
            description: our IOS, with a site banner rule
            style: indent
            volatile:
              - {startsWith: "! site-stamp "}
            completeness:
              last_line: {equals: end}
            """,
            "acme.yml": "id: acme_os\ndescription: Acme\nstyle: flat\n",
            "notes.txt": "not a profile",
        ])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let catalog = try ProfileCatalog(userDirectory: directory)
        let ios = try catalog.profile(.ciscoIOS)
        #expect(ios.description == "our IOS, with a site banner rule")
        #expect(ios.sourceFile?.hasSuffix("ios.yaml") == true)
        #expect(try catalog.profile("acme_os").style == .flat)
        #expect(try catalog.profile(.juniperJunos).sourceFile?.contains("/Profiles/") == true)
        let normalized = try Normalizer(profile: ios, masker: SecretMasker(key: Fixtures.testKey)).normalize(
            "! site-stamp 42\nhostname r1\nend\n")
        #expect(normalized.text == "hostname r1\nend\n")
        #expect(normalized.removedVolatileLines == 1)
    }

    @Test func twoUserFilesWithOneIdAreAnError() throws {
        let directory = try temporaryDirectory(["a.yaml": "id: x1\nstyle: flat\n", "b.yaml": "id: x1\nstyle: flat\n"])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(throws: ConfigDiffError.self) { try ProfileCatalog(userDirectory: directory) }
    }

    @Test func missingUserDirectoryIsAnError() {
        #expect(throws: ConfigDiffError.self) { try ProfileCatalog(userDirectory: "/nonexistent/driftwatch-profiles") }
    }

    @Test func platformIDIsAStringBackedOpenType() throws {
        let id: PlatformID = "acme_os"
        #expect(id.rawValue == "acme_os")
        #expect(PlatformID(rawValue: "x") == PlatformID("x"))
        let encoded = try JSONEncoder().encode([id])
        #expect(String(decoding: encoded, as: UTF8.self) == "[\"acme_os\"]")
        #expect(try JSONDecoder().decode([PlatformID].self, from: encoded) == [id])
        #expect("\(id)" == "acme_os")
    }
}
