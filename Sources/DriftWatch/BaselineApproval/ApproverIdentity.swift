import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Who is running the command, for approvals: `--as NAME` when given, else the login name.
public enum ApproverIdentity {
    /// The login name: `getlogin()` (the user who logged in, also under `sudo`), then `$USER`,
    /// then `$LOGNAME`, then the password-database name of the effective user id.
    public static func loginName(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let pointer = getlogin() {
            let name = String(cString: pointer)
            if !name.isEmpty { return name }
        }
        for key in ["USER", "LOGNAME"] {
            if let name = environment[key], !name.isEmpty { return name }
        }
        if let entry = getpwuid(geteuid()), let pointer = entry.pointee.pw_name {
            let name = String(cString: pointer)
            if !name.isEmpty { return name }
        }
        return nil
    }

    /// `explicit` when given, else the login name; throws when neither is known.
    public static func resolve(_ explicit: String?) throws -> String {
        if let explicit {
            guard !explicit.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw DriftWatchError(.invalidConfiguration, "--as needs a name")
            }
            return explicit
        }
        guard let name = loginName() else {
            throw DriftWatchError(
                .invalidConfiguration,
                "cannot tell who you are (no login name, $USER or password entry); pass --as NAME")
        }
        return name
    }
}
