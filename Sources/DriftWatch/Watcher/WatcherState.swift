import Synchronization
import ServiceLifecycle

/// The watcher's state that a reload replaces, shared by the watcher and its scheduler's job
/// runner: the configuration in force, the ``DriftCheck`` built from it, devices by name, and
/// the running service group.
final class WatcherState: Sendable {
    struct Live: Sendable {
        var configuration: DriftWatchConfiguration
        var check: DriftCheck
        var devices: [String: DeviceEntry]
        var group: ServiceGroup?
        var shutdownRequested = false

        init(configuration: DriftWatchConfiguration, check: DriftCheck) {
            self.configuration = configuration
            self.check = check
            self.devices = Dictionary(configuration.devices.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        }
    }

    private let mutex: Mutex<Live>

    init(_ live: Live) { mutex = Mutex(live) }

    func withLock<T: Sendable>(_ body: (inout Live) -> T) -> T {
        mutex.withLock { body(&$0) }
    }
}
