import ConfigDiff
import Foundation
import Testing

@testable import DriftWatch

/// `profiles:`: the user profile directory, used by ``OneShotContext/open(configPath:catalog:)``.
@Suite struct ConfigurationProfilesTests {
    static let profile = """
        id: acme_os
        description: A platform only this install knows
        style: flat
        collect:
          mode: exec
          commands: [show config]
        volatile: []
        ignore: []
        secrets: []
        unordered: []
        completeness:
          min_fraction_of_previous: 0.5
        syslog_config_change: []
        negation: none
        """

    func install(_ config: String, profile: String = Self.profile) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dw-prof-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("my-profiles"), withIntermediateDirectories: true)
        try Data(profile.utf8).write(to: folder.appendingPathComponent("my-profiles/acme_os.yaml"))
        try Data(config.utf8).write(to: folder.appendingPathComponent("driftwatch.yaml"))
        return folder
    }

    static let config = """
        state: state/state.sqlite
        profiles: my-profiles
        devices:
          - { name: r1, host: 192.0.2.1, platform: cisco_ios }
          - { name: x1, host: 192.0.2.2, platform: acme_os }
        """

    @Test func oneShotContextUsesTheUserProfileDirectory() throws {
        let folder = try install(Self.config)
        defer { try? FileManager.default.removeItem(at: folder) }
        let context = try OneShotContext.open(configPath: folder.appendingPathComponent("driftwatch.yaml").path)
        #expect(context.configuration.profiles == "my-profiles")
        #expect(context.configuration.profilesFolder?.path == folder.appendingPathComponent("my-profiles").standardizedFileURL.path)
        #expect(try context.catalog.profile(PlatformID("acme_os")).description == "A platform only this install knows")
        #expect(try context.catalog.profile(PlatformID("cisco_ios")).id == PlatformID("cisco_ios"))
    }

    @Test func withoutProfilesAnUnknownPlatformIsAnErrorWithFileLineAndKey() throws {
        let folder = try install(Self.config.replacingOccurrences(of: "profiles: my-profiles\n", with: ""))
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("driftwatch.yaml").path
        #expect {
            try OneShotContext.open(configPath: path)
        } throws: { error in
            guard let error = error as? DriftWatchError else { return false }
            return error.code == .invalidConfiguration && error.file == path && error.line == 4
                && error.message.contains("'devices[1].platform'") && error.message.contains("acme_os")
        }
    }

    @Test func aBadProfileDirectoryIsAnErrorNamingTheKey() throws {
        let folder = try install(Self.config, profile: "id: acme_os\nstyle: wobbly\n")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("driftwatch.yaml").path
        #expect {
            try OneShotContext.open(configPath: path)
        } throws: { error in
            guard let error = error as? DriftWatchError else { return false }
            return error.code == .invalidConfiguration && error.file == path && error.message.contains("'profiles'")
                && error.message.contains("acme_os.yaml")
        }
    }
}
