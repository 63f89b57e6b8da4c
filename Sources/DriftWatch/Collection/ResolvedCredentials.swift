/// A device's credentials after their references were resolved. Secrets live in memory only;
/// ``description`` never shows them.
public struct ResolvedCredentials: Sendable, CustomStringConvertible {
    /// How to authenticate.
    public enum Method: Sendable {
        /// A password (tried as password, then keyboard-interactive).
        case password(String)
        /// A private key file.
        case keyFile(path: String)
    }

    /// The login name.
    public var username: String
    /// How to authenticate.
    public var method: Method
    /// The enable secret, when the device has one.
    public var enableSecret: String?

    /// Creates resolved credentials.
    public init(username: String, method: Method, enableSecret: String? = nil) {
        self.username = username
        self.method = method
        self.enableSecret = enableSecret
    }

    /// The user and the method, without any secret.
    public var description: String {
        switch method {
        case .password: return "\(username) (password)"
        case .keyFile(let path): return "\(username) (key \(path))"
        }
    }
}
