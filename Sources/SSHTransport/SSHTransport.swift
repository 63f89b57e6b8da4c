internal import CLibSSH2

/// SSHTransport: the only module that touches libssh2.
public enum SSHTransportInfo {
    /// The libssh2 version this process runs against.
    public static var libssh2Version: String {
        guard let version = libssh2_version(0) else { return "unknown" }
        return String(cString: version)
    }
}
