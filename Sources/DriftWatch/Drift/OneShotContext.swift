import Baselines
import ConfigDiff
import Foundation
import Logging

/// The composition root of the one-shot commands (`check`, `collect`, `status`, `diff`,
/// `hostkeys`): the configuration, profiles, masking key, state store and baselines, opened
/// from `driftwatch.yaml`. Tests call the same function.
public struct OneShotContext: Sendable {
    /// The loaded configuration.
    public let configuration: DriftWatchConfiguration
    /// The platform profiles.
    public let catalog: ProfileCatalog
    /// Masks secrets with the install's key.
    public let masker: SecretMasker
    /// The state store (SQLite at `state:`).
    public let store: any StateStore
    /// The baseline store.
    public let baselines: BaselineStore

    /// Builds a context from parts.
    public init(
        configuration: DriftWatchConfiguration, catalog: ProfileCatalog, masker: SecretMasker, store: any StateStore
    ) {
        self.configuration = configuration
        self.catalog = catalog
        self.masker = masker
        self.store = store
        self.baselines = BaselineStore(root: configuration.baselinesFolder)
    }

    /// Opens `driftwatch.yaml` at `configPath` with the built-in profiles plus the user profile
    /// directory of its `profiles:` key (or exactly `catalog` when given), the masking key and
    /// the SQLite state store of `state:`.
    public static func open(configPath: String, catalog: ProfileCatalog? = nil) throws -> OneShotContext {
        let (configuration, profiles) = try ConfigurationLoader.loadWithProfiles(path: configPath, catalog: catalog)
        return try open(configuration: configuration, catalog: profiles)
    }

    /// Opens the masking key and state store of an already loaded configuration.
    public static func open(configuration: DriftWatchConfiguration, catalog: ProfileCatalog) throws -> OneShotContext {
        if configuration.state.hasPrefix("postgres://") || configuration.state.hasPrefix("postgresql://") {
            throw DriftWatchError(
                .notAvailable, "a PostgreSQL state store is not available yet; use a SQLite path for 'state'",
                file: configuration.file)
        }
        let key: [UInt8]
        do {
            key = try MaskingKey.load(stateDirectory: configuration.stateFolder.path)
        } catch let error as MaskingKey.LoadError {
            throw DriftWatchError(.ioFailed, error.message, file: error.file)
        }
        let store = try SQLiteStateStore(path: configuration.resolve(configuration.state).path)
        return OneShotContext(
            configuration: configuration, catalog: catalog, masker: SecretMasker(key: key), store: store)
    }

    /// `<state dir>/known_hosts`.
    public var knownHostsPath: String { configuration.stateFolder.appendingPathComponent("known_hosts").path }

    /// The devices named (all, in inventory order, when `names` is empty).
    public func devices(_ names: [String]) throws -> [DeviceEntry] {
        names.isEmpty ? configuration.devices : try names.map { try configuration.device(named: $0) }
    }

    /// A collector over SSH (or `transport`).
    public func collector(
        transport: any DeviceTransport = SSHDeviceTransport(), options: CollectorOptions = CollectorOptions(),
        environment: [String: String] = ProcessInfo.processInfo.environment, logger: Logger
    ) -> Collector {
        Collector(
            configuration: configuration, catalog: catalog, masker: masker, store: store, transport: transport,
            options: options, environment: environment, logger: logger)
    }

    /// A drift check over SSH (or `transport`), with the approved standards.
    public func driftCheck(
        transport: any DeviceTransport = SSHDeviceTransport(), options: CollectorOptions = CollectorOptions(),
        environment: [String: String] = ProcessInfo.processInfo.environment, logger: Logger
    ) throws -> DriftCheck {
        DriftCheck(
            collector: collector(transport: transport, options: options, environment: environment, logger: logger),
            evaluator: DriftEvaluator(
                baselines: baselines, catalog: catalog,
                standards: try DriftEvaluator.approvedStandards(baselines.standards)),
            schedule: MaintenanceSchedule(windows: configuration.maintenanceWindows), logger: logger)
    }
}
