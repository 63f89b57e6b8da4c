import ConfigDiff
import Foundation

extension ConfigurationLoader {
    /// Loads `driftwatch.yaml` at `path` together with its platform profiles: the built-in ones
    /// plus the user profile directory of `profiles:` (unless `catalog` is given), and checks
    /// every device's platform against them (errors name the file, line and key).
    public static func loadWithProfiles(path: String, catalog: ProfileCatalog? = nil) throws -> (
        DriftWatchConfiguration, ProfileCatalog
    ) {
        // First pass: read `profiles:` (and everything else) without checking platforms.
        let unchecked = try ConfigurationLoader().load(path: path)
        let profiles: ProfileCatalog
        if let catalog {
            profiles = catalog
        } else {
            do {
                profiles = try ProfileCatalog(userDirectory: unchecked.profilesFolder?.path)
            } catch let error as ConfigDiffError {
                throw DriftWatchError(
                    .invalidConfiguration,
                    "key 'profiles': the profile directory \(unchecked.profilesFolder?.path ?? "") could not be loaded: \(error.message)",
                    file: path)
            }
        }
        // Second pass: the same file, now checking each device's platform.
        let loader = ConfigurationLoader(knownPlatforms: Set(profiles.ids.map(\.rawValue)))
        return (try loader.load(path: path), profiles)
    }
}
