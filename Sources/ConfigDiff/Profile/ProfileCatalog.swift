import Foundation

/// The platform profiles available to an install: the built-in ones shipped with DriftWatch,
/// plus those in an optional user directory, which add platforms or replace a built-in one with
/// the same `id`.
public struct ProfileCatalog: Sendable {
    /// Profiles by identifier.
    public private(set) var profiles: [PlatformID: PlatformProfile]

    /// The built-in profiles plus, when `userDirectory` is given, every `*.yaml`/`*.yml` file in it.
    ///
    /// Throws ``ConfigDiffError`` `.invalidProfile` naming the file and line of the first bad
    /// profile, or when the directory cannot be read.
    public init(userDirectory: String? = nil) throws {
        profiles = try Self.builtInProfiles.get()
        if let userDirectory {
            for profile in try Self.load(directory: userDirectory, what: "profile directory") {
                profiles[profile.id] = profile
            }
        }
    }

    /// A catalog with exactly these profiles (tests, embedders).
    public init(profiles: [PlatformProfile]) {
        self.profiles = Dictionary(profiles.map { ($0.id, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// Every profile, ordered by identifier.
    public var all: [PlatformProfile] { profiles.values.sorted { $0.id < $1.id } }

    /// The known identifiers, ordered.
    public var ids: [PlatformID] { profiles.keys.sorted() }

    /// The profile for `id`; throws ``ConfigDiffError`` `.unknownPlatform` listing the known ones.
    public func profile(_ id: PlatformID) throws -> PlatformProfile {
        guard let profile = profiles[id] else {
            throw ConfigDiffError(
                .unknownPlatform,
                "unknown platform \(id.rawValue.debugDescription); known platforms: \(ids.map(\.rawValue).joined(separator: ", ")). Add a profile file to the profile directory to define a new one."
            )
        }
        return profile
    }

    /// Adds or replaces one profile.
    public mutating func add(_ profile: PlatformProfile) {
        profiles[profile.id] = profile
    }

    /// The built-in profiles, read once from the package's resources.
    static let builtInProfiles: Result<[PlatformID: PlatformProfile], ConfigDiffError> = {
        guard let url = Bundle.module.url(forResource: "Profiles", withExtension: nil) else {
            return .failure(
                ConfigDiffError(
                    .invalidProfile,
                    "the built-in profiles are missing from the ConfigDiff resource bundle; reinstall DriftWatch"))
        }
        do {
            let loaded = try load(directory: url.path, what: "built-in profiles")
            return .success(Dictionary(loaded.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first }))
        } catch let error as ConfigDiffError {
            return .failure(error)
        } catch {
            return .failure(ConfigDiffError(.invalidProfile, "built-in profiles: \(error)"))
        }
    }()

    /// Reads every profile in a directory; two files defining one id is an error.
    static func load(directory: String, what: String) throws -> [PlatformProfile] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw ConfigDiffError(
                .invalidProfile, "\(directory): cannot read the \(what): \(error.localizedDescription)")
        }
        var seen: [PlatformID: String] = [:]
        var result: [PlatformProfile] = []
        for name in names.sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".yml") {
            let path = (directory as NSString).appendingPathComponent(name)
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw ConfigDiffError(
                    .invalidProfile, "\(path): cannot read the profile: \(error.localizedDescription)")
            }
            let profile = try PlatformProfile(yaml: text, file: path)
            if let other = seen[profile.id] {
                throw ConfigDiffError(
                    .invalidProfile,
                    "\(path): platform \(profile.id.rawValue.debugDescription) is already defined in \(other); keep one of the two files"
                )
            }
            seen[profile.id] = path
            result.append(profile)
        }
        return result
    }
}
