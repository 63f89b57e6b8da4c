import Foundation

/// Decides which drift openings go out alone and which join a digest (`alerts.digest`).
///
/// A sliding window of `digest.window` over the openings (new drift alerts, and held ones whose
/// maintenance window closed): while fewer than `threshold` devices opened within the window,
/// each gets its own email at once, so a single drift is never delayed. The opening that brings
/// the count to `threshold` starts a batch; it and every later opening until
/// `batch start + window` are listed in one digest, sent when the batch closes. So a burst of
/// 50 with threshold 10 gives 9 individual emails and one digest of 41. After the batch closes
/// the count starts over from the openings still inside the sliding window.
///
/// In memory only: a batch's members are recorded in their alerts (``AlertDetails/digestBatch``)
/// so that the digest survives a restart; the window itself restarts empty.
public struct DigestWindow: Sendable, Hashable {
    /// The settings; nil disables digests.
    public let settings: DigestSettings?
    private var openings: [Opening] = []
    private var batchStart: Date?
    private var nextToken = 0

    private struct Opening: Sendable, Hashable {
        var device: String
        var time: Date
        var token: Int
    }

    /// An admission and the token that takes it back.
    public struct Ticket: Sendable, Hashable {
        /// How the opening goes out.
        public var admission: AlertLifecycle.Admission
        /// For ``retract(_:)``.
        public var token: Int
    }

    /// A window over `settings` (nil: every opening is individual).
    public init(settings: DigestSettings?) {
        self.settings = settings
    }

    /// The window length in seconds.
    var seconds: Double {
        guard let window = settings?.window else { return 0 }
        return Double(window.components.seconds) + Double(window.components.attoseconds) / 1e18
    }

    /// Records an opening for `device` at `time` and says how it goes out. Call
    /// ``retract(_:)`` when nothing opened after all (the drift was already alerted).
    public mutating func admit(device: String, at time: Date) -> Ticket {
        nextToken += 1
        let token = nextToken
        guard let settings else { return Ticket(admission: .individual, token: token) }
        let oldest = time.addingTimeInterval(-seconds)
        openings.removeAll { $0.time < oldest }
        openings.append(Opening(device: device, time: time, token: token))
        if let start = batchStart, time < start.addingTimeInterval(seconds) {
            return Ticket(admission: .digest(batch: Self.milliseconds(start)), token: token)
        }
        batchStart = nil
        guard Set(openings.map(\.device)).count >= settings.threshold else {
            return Ticket(admission: .individual, token: token)
        }
        batchStart = time
        return Ticket(admission: .digest(batch: Self.milliseconds(time)), token: token)
    }

    /// Takes back an admission that opened nothing.
    public mutating func retract(_ ticket: Ticket) {
        openings.removeAll { $0.token == ticket.token }
    }

    /// Milliseconds since 1970.
    static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
}
