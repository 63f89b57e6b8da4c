internal import CLibSSH2

/// Facts about the libssh2 that SSHTransport runs on.
public enum SSHTransportInfo {
    /// The libssh2 version this process runs against, e.g. `1.10.0`.
    public static var libssh2Version: String {
        guard let version = libssh2_version(0) else { return "unknown" }
        return String(cString: version)
    }
}
