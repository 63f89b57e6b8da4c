import Foundation

/// A request from the CLI to the running watcher, queued in the state store's
/// `control_requests` table (so no HTTP endpoint is needed): trigger a device, or reload.
public struct ControlRequest: Sendable, Hashable {
    /// What is asked.
    public enum Kind: Sendable, Hashable {
        /// Put a device at the front of the queue.
        case trigger(device: String, reason: CollectionTrigger, user: String?)
        /// Re-read `driftwatch.yaml`, audited as done by `requestedBy`.
        case reload(requestedBy: String)
    }

    /// Where the request is.
    public enum Status: String, Sendable, Hashable {
        /// Waiting for the watcher.
        case pending
        /// Taken by the watcher, not answered yet.
        case taken
        /// Done; ``ControlRequest/response`` says how.
        case done
        /// Refused or failed; ``ControlRequest/response`` says why.
        case failed
    }

    /// The row id.
    public var id: Int64
    /// What is asked.
    public var kind: Kind
    /// When it was asked.
    public var requestedAt: Date
    /// Where it is.
    public var status: Status
    /// The watcher's answer: a JSON ``ReloadSummary`` for a reload, a text otherwise.
    public var response: String?
}
