/// Who to log in as and how. Secrets are held in memory only and never logged, written to a
/// transcript or put in an error message.
public struct SSHCredentials: Sendable {
    /// How to authenticate.
    public enum Method: Sendable {
        /// A private key file (OpenSSH or PEM format: ed25519, ECDSA, RSA), optionally protected
        /// by a passphrase. libssh2 1.10 signs RSA with `ssh-rsa` (SHA-1) only.
        case privateKey(path: String, passphrase: String? = nil)
        /// The `password` method. When the server offers only `keyboard-interactive`, the
        /// password answers that method's prompt instead (one attempt either way).
        case password(String)
        /// The `keyboard-interactive` method, answering every prompt with this password.
        case keyboardInteractive(String)
    }

    /// The login name.
    public var username: String
    /// The authentication method and its secret.
    public var method: Method

    /// Makes credentials.
    public init(username: String, method: Method) {
        self.username = username
        self.method = method
    }

    /// Key-file credentials.
    public static func privateKey(username: String, path: String, passphrase: String? = nil) -> SSHCredentials {
        SSHCredentials(username: username, method: .privateKey(path: path, passphrase: passphrase))
    }

    /// Password credentials.
    public static func password(username: String, _ password: String) -> SSHCredentials {
        SSHCredentials(username: username, method: .password(password))
    }

    /// Keyboard-interactive credentials.
    public static func keyboardInteractive(username: String, _ password: String) -> SSHCredentials {
        SSHCredentials(username: username, method: .keyboardInteractive(password))
    }
}
