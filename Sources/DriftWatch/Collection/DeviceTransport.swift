import ConfigDiff
import Logging

/// The role of whatever fetches a device's configuration: "collect the raw capture of this
/// device using this profile's collection hints".
///
/// ``SSHDeviceTransport`` is the real one; tests may script failures a real server cannot
/// produce through the same seam. Implementations throw ``SSHTransportError`` (its codes decide
/// retries and the collection result) or ``CollectionError``. The raw text they return is held
/// in memory only: the ``Collector`` masks it before anything stores or logs it.
public protocol DeviceTransport: Sendable {
    /// Captures the configuration of `target` as the profile's `collect` hints say.
    func capture(_ target: CaptureTarget, hints: CollectionHints, logger: Logger) async throws -> RawCapture
}
