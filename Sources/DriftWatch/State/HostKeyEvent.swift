import Foundation

/// Something that happened to a device's SSH host key.
public struct HostKeyEvent: Sendable, Hashable {
    /// What happened.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// A key was trusted (`driftwatch hostkeys trust`).
        case trusted
        /// The device presented a key different from the trusted one.
        case changed
        /// The trusted key was removed (`driftwatch hostkeys forget`).
        case forgotten
        /// The device presented a key that is not trusted yet.
        case unknown
    }

    /// The row id; nil before the event is stored.
    public var id: Int64?
    /// The device.
    public var device: String
    /// When.
    public var time: Date
    /// What happened.
    public var kind: Kind
    /// The fingerprint trusted before (`SHA256:…`).
    public var oldFingerprint: String?
    /// The fingerprint presented or trusted now (`SHA256:…`).
    public var newFingerprint: String?
    /// Who did it, for `trusted` and `forgotten`.
    public var actor: String?

    /// Creates an event.
    public init(
        id: Int64? = nil, device: String, time: Date, kind: Kind, oldFingerprint: String? = nil,
        newFingerprint: String? = nil, actor: String? = nil
    ) {
        self.id = id
        self.device = device
        self.time = time
        self.kind = kind
        self.oldFingerprint = oldFingerprint
        self.newFingerprint = newFingerprint
        self.actor = actor
    }
}
