import Foundation
import Testing

@testable import DriftWatch

/// ``HTTPSettings/resolveToken(relativeTo:environment:)``: token file (trimmed, private only),
/// environment variable, errors naming the key, and no token at all.
@Suite struct HTTPTokenTests {
    static func folder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dw-http-token-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static func write(_ text: String, to url: URL, mode: Int) throws {
        try Data(text.utf8).write(to: url)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: url.path)
    }

    @Test func noTokenConfiguredMeansNoToken() throws {
        let settings = HTTPSettings(listen: "127.0.0.1:9180")
        #expect(try settings.resolveToken(relativeTo: URL(fileURLWithPath: "/"), environment: ["X": "y"]) == nil)
    }

    @Test func aPrivateTokenFileIsReadAndTrimmedRelativeToTheConfigurationFolder() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("secrets"), withIntermediateDirectories: true)
        try Self.write("  s3cret-token-value\n\n", to: folder.appendingPathComponent("secrets/api.token"), mode: 0o600)
        let settings = HTTPSettings(listen: "127.0.0.1:9180", tokenFile: "secrets/api.token")
        #expect(try settings.resolveToken(relativeTo: folder, environment: [:]) == "s3cret-token-value")
        try Self.write("abs-token", to: folder.appendingPathComponent("abs.token"), mode: 0o400)
        let absolute = HTTPSettings(listen: "127.0.0.1:9180", tokenFile: folder.appendingPathComponent("abs.token").path)
        #expect(try absolute.resolveToken(relativeTo: URL(fileURLWithPath: "/nonexistent"), environment: [:]) == "abs-token")
    }

    @Test(arguments: [0o644, 0o640, 0o604, 0o660])
    func aTokenFileReadableByOthersIsRefused(mode: Int) throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("api.token")
        try Self.write("open-token-value-77", to: file, mode: mode)
        let settings = HTTPSettings(listen: "127.0.0.1:9180", tokenFile: "api.token")
        #expect {
            try settings.resolveToken(relativeTo: folder, environment: [:])
        } throws: { error in
            guard let error = error as? DriftWatchError else { return false }
            return error.code == .invalidConfiguration && error.message.contains("http.token_file")
                && error.message.contains(file.path) && error.message.contains("chmod 600")
                && !error.message.contains("open-token-value-77") && error.file == file.path
        }
    }

    @Test func aMissingOrEmptyTokenFileNamesTheKey() throws {
        let folder = try Self.folder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let missing = HTTPSettings(listen: "127.0.0.1:9180", tokenFile: "nope.token")
        #expect {
            try missing.resolveToken(relativeTo: folder, environment: [:])
        } throws: { error in
            (error as? DriftWatchError).map { $0.code == .ioFailed && $0.message.hasPrefix("http.token_file:") } ?? false
        }
        try Self.write(" \n", to: folder.appendingPathComponent("empty.token"), mode: 0o600)
        let empty = HTTPSettings(listen: "127.0.0.1:9180", tokenFile: "empty.token")
        #expect {
            try empty.resolveToken(relativeTo: folder, environment: [:])
        } throws: { error in
            (error as? DriftWatchError).map { $0.code == .invalidConfiguration && $0.message.contains("empty") } ?? false
        }
    }

    @Test func theEnvironmentVariableIsReadAndItsAbsenceNamesTheKey() throws {
        let settings = HTTPSettings(listen: "127.0.0.1:9180", tokenEnv: "DW_API_TOKEN")
        let folder = URL(fileURLWithPath: "/")
        #expect(try settings.resolveToken(relativeTo: folder, environment: ["DW_API_TOKEN": "env-token\n"]) == "env-token")
        for environment in [[:], ["DW_API_TOKEN": "  "]] {
            #expect {
                try settings.resolveToken(relativeTo: folder, environment: environment)
            } throws: { error in
                guard let error = error as? DriftWatchError else { return false }
                return error.code == .invalidConfiguration
                    && (error.message.hasPrefix("http.token_env:") || error.message.hasPrefix("http.token_env names"))
            }
        }
    }

    @Test func bothKeysAtOnceAreRefused() throws {
        let settings = HTTPSettings(listen: "127.0.0.1:9180", tokenEnv: "DW_API_TOKEN", tokenFile: "api.token")
        #expect(throws: DriftWatchError.self) {
            try settings.resolveToken(relativeTo: URL(fileURLWithPath: "/"), environment: ["DW_API_TOKEN": "t"])
        }
    }
}
