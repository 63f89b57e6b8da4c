import ConfigDiff
import Foundation
import Logging
import Prometheus
import ServiceLifecycle
import Syslog

/// The composition root of `driftwatch watch` (tests call it too): loads `driftwatch.yaml`,
/// takes the state store's watcher lock, opens the masking key and state store, and wires the
/// scheduler, syslog listener, metrics and alerting into a ``Watcher``. Nothing runs until
/// ``Watcher/run()``.
///
/// - Parameters:
///   - catalog: the platform profiles (default: the built-in ones plus those of `profiles:`).
///   - transport: how devices are reached (default: SSH).
///   - registry: where metrics go; the HTTP endpoint serves it at `/metrics`.
///   - extraServices: more services to run in the watcher's group (the HTTP endpoint).
/// - Throws: ``DriftWatchError`` for a bad configuration (file, line, key) and `.watcherRunning`
///   when another watcher holds the state store; ``StateStoreError`` when the store cannot open.
public func buildWatcher(
    configPath: String, catalog: ProfileCatalog? = nil, transport: any DeviceTransport = SSHDeviceTransport(),
    options: WatcherOptions = WatcherOptions(), registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
    extraServices: [any Service] = [], environment: [String: String] = ProcessInfo.processInfo.environment,
    logger: Logger
) throws -> Watcher {
    // The built-in profiles plus the user profiles of `profiles:`, as the one-shot commands load them.
    let configuration: DriftWatchConfiguration
    let profiles: ProfileCatalog
    do {
        (configuration, profiles) = try ConfigurationLoader.loadWithProfiles(path: configPath, catalog: catalog)
    } catch let error as ConfigDiffError {
        throw DriftWatchError(.invalidConfiguration, error.message)
    }
    if configuration.state.hasPrefix("postgres://") || configuration.state.hasPrefix("postgresql://") {
        throw DriftWatchError(
            .notAvailable, "a PostgreSQL state store is not available yet; use a SQLite path for 'state'",
            file: configuration.file)
    }
    let lock = try WatcherLock(stateFolder: configuration.stateFolder)
    let context = try OneShotContext.open(configuration: configuration, catalog: profiles)
    guard let store = context.store as? SQLiteStateStore else {
        throw DriftWatchError(.notAvailable, "the watcher needs a SQLite state store", file: configuration.file)
    }
    let check = try context.driftCheck(
        transport: transport, options: options.collector, environment: environment, logger: logger)
    let metrics = WatcherMetrics(registry: registry)
    let alerting = try buildAlerting(
        configuration: configuration, store: store, baselines: context.baselines, environment: environment,
        logger: logger)
    let live = WatcherState(WatcherState.Live(configuration: configuration, check: check))
    let queue = DueQueue(
        jitterFraction: options.jitterFraction, debounce: options.debounce, firstRoundWindow: options.firstRoundWindow)
    let scheduler = Scheduler(queue: queue, concurrency: configuration.defaults.concurrency, logger: logger) { job in
        await Watcher.runJob(job, live: live, metrics: metrics, alerting: alerting, logger: logger)
    }
    let router = SyslogRouter(devices: configuration.devices, catalog: profiles)
    var listener: SyslogListener?
    if let syslog = configuration.syslog {
        let address = try ListenAddress(parsing: syslog.listen, key: "syslog.listen")
        listener = SyslogListener(
            configuration: SyslogListener.Configuration(host: address.host, port: address.port),
            route: { address, hostname in router.route(address: address, hostname: hostname) },
            onConfigChange: { event in
                await Watcher.configChanged(event, scheduler: scheduler, metrics: metrics, logger: logger)
            }, logger: logger)
    }
    return Watcher(
        configPath: configPath, live: live, store: store, registry: registry, scheduler: scheduler, router: router,
        syslogListener: listener, catalog: profiles, masker: context.masker, transport: transport, options: options,
        environment: environment, metrics: metrics, alerting: alerting, extraServices: extraServices, lock: lock,
        logger: logger)
}
