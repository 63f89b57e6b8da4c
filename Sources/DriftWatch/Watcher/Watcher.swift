import Baselines
import ConfigDiff
import Foundation
import Logging
import Prometheus
import ServiceLifecycle
import Synchronization
import Syslog
import UnixSignals

/// The long-running watcher (`driftwatch watch`): a `ServiceGroup` of the ``Scheduler`` loop,
/// the syslog listener (when `syslog:` is configured), alerting's services, a poller of the
/// CLI's control requests, housekeeping, and (with ``WatcherOptions/handleSignals``) SIGHUP
/// reloads. Built by ``buildWatcher(configPath:catalog:transport:options:environment:logger:)``.
///
/// Each due device is collected, evaluated and stored by ``DriftCheck`` (what `check` runs),
/// then handed to alerting. Graceful shutdown (SIGTERM, SIGINT, ``shutdown()``) stops new work
/// and waits for the collections in flight, each bounded by its time limit.
public final class Watcher: WatcherControl, Sendable {
    /// The configuration file it was built from.
    public let configPath: String
    /// The state store.
    public let store: SQLiteStateStore
    /// Where the watcher's metrics go (served at `/metrics`).
    public let registry: PrometheusCollectorRegistry
    /// The due-queue runner.
    public let scheduler: Scheduler
    /// Syslog sender → device.
    public let router: SyslogRouter
    /// The syslog listener, when `syslog:` is configured.
    public let syslogListener: SyslogListener?

    let catalog: ProfileCatalog
    let masker: SecretMasker
    let transport: any DeviceTransport
    let options: WatcherOptions
    let environment: [String: String]
    let metrics: WatcherMetrics
    let alerting: AlertingComponents?
    let extraServices: [any Service]
    let lock: WatcherLock
    let logger: Logger

    let live: WatcherState
    private let reloading = Mutex(false)

    init(
        configPath: String, live: WatcherState, store: SQLiteStateStore,
        registry: PrometheusCollectorRegistry, scheduler: Scheduler, router: SyslogRouter,
        syslogListener: SyslogListener?, catalog: ProfileCatalog, masker: SecretMasker, transport: any DeviceTransport,
        options: WatcherOptions, environment: [String: String], metrics: WatcherMetrics,
        alerting: AlertingComponents?, extraServices: [any Service], lock: WatcherLock, logger: Logger
    ) {
        self.configPath = configPath
        self.store = store
        self.registry = registry
        self.scheduler = scheduler
        self.router = router
        self.syslogListener = syslogListener
        self.catalog = catalog
        self.masker = masker
        self.transport = transport
        self.options = options
        self.environment = environment
        self.metrics = metrics
        self.alerting = alerting
        self.extraServices = extraServices
        self.lock = lock
        self.logger = logger
        self.live = live
    }

    /// The configuration in force.
    public var configuration: DriftWatchConfiguration { live.withLock { $0.configuration } }

    // MARK: Running

    /// Runs every service until graceful shutdown (SIGTERM/SIGINT with
    /// ``WatcherOptions/handleSignals``, or ``shutdown()``); returns once in-flight collections
    /// have ended. Releases the state-store lock when it returns.
    public func run() async throws {
        defer { lock.release() }
        let configuration = self.configuration
        await scheduler.schedule(
            configuration.devices.map { ($0.name, configuration.settings(for: $0).interval, $0.groups) },
            concurrency: configuration.defaults.concurrency, groupLimits: configuration.groupConcurrencyLimits)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        // Shut down in reverse order: signals and syslog first, the scheduler drains, then
        // housekeeping and alerting's delivery.
        for service in alerting?.services ?? [] {
            services.append(.init(service: service, successTerminationBehavior: .ignore))
        }
        services.append(.init(service: WatcherTask("housekeeping") { await self.housekeeping() }))
        services.append(
            .init(service: scheduler, successTerminationBehavior: .gracefullyShutdownGroup, serviceName: "scheduler"))
        services.append(.init(service: WatcherTask("control-requests") { await self.pollControlRequests() }))
        for service in extraServices {
            services.append(.init(service: service, successTerminationBehavior: .ignore))
        }
        if let http = configuration.http {
            // The endpoint of `http:`: health, readiness and metrics always; the API only with a token.
            let token = try http.resolveToken(
                relativeTo: configuration.folder, environment: environment)
            let server = WatcherHTTPServer(
                listen: http.listen, control: self, store: store, registry: registry, apiToken: token,
                logger: logger, catalog: catalog)
            services.append(.init(service: server, serviceName: "http"))
        }
        if let syslogListener { services.append(.init(service: syslogListener, serviceName: "syslog")) }
        if options.handleSignals {
            services.append(.init(service: WatcherTask("sighup") { await self.reloadOnSIGHUP() }))
        }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services,
                gracefulShutdownSignals: options.handleSignals ? [.sigterm, .sigint] : [],
                logger: logger))
        let stopAtOnce = live.withLock { live -> Bool in
            live.group = group
            return live.shutdownRequested
        }
        if stopAtOnce { await group.triggerGracefulShutdown() }
        logger.info(
            "watcher started",
            metadata: [
                "watcher.devices": "\(configuration.devices.count)", "watcher.config": "\(configPath)",
                "watcher.state": "\(store.path)",
            ])
        try await group.run()
        logger.info("watcher stopped")
    }

    /// Starts a graceful shutdown (as SIGTERM does).
    public func shutdown() async {
        let group = live.withLock { live -> ServiceGroup? in
            live.shutdownRequested = true
            return live.group
        }
        if let group {
            await group.triggerGracefulShutdown()
        } else {
            scheduler.stop()
        }
    }

    /// The ports the syslog listener bound (waits until it has), or nil without `syslog:`.
    public func syslogPorts() async throws -> (udp: Int?, tcp: Int?)? {
        guard let syslogListener else { return nil }
        return try await syslogListener.boundPorts()
    }

    /// One scheduled collection: collect, evaluate, store, alert, count.
    static func runJob(
        _ job: DueQueue.Job, live: WatcherState, metrics: WatcherMetrics, alerting: AlertingComponents?, logger: Logger
    ) async {
        let (check, device) = live.withLock { ($0.check, $0.devices[job.device]) }
        guard let device else { return }
        let result = await check.check(device, trigger: job.reason, changedBy: job.user)
        metrics.recordCollection(result: result.collection, duration: .milliseconds(result.durationMilliseconds))
        await alerting?.alerting.deviceChecked(
            result, device: device, trigger: job.reason, changedBy: job.user, at: Date())
        logger.debug(
            "device checked",
            metadata: [
                "device.name": "\(device.name)", "device.platform": "\(device.platform)",
                "collection.trigger": "\(job.reason.rawValue)", "collection.result": "\(result.collection.rawValue)",
                "device.state": "\(result.state.rawValue)", "collection.duration_ms": "\(result.durationMilliseconds)",
            ])
    }

    /// A syslog config-change message: trigger its device, recording the user it names.
    static func configChanged(
        _ event: ConfigChangeEvent, scheduler: Scheduler, metrics: WatcherMetrics, logger: Logger
    ) async {
        metrics.recordSyslogTrigger()
        logger.info(
            "configuration change reported over syslog",
            metadata: [
                "device.name": "\(event.device)", "syslog.source": "\(event.sourceAddress)",
                "syslog.pattern": "\(event.pattern)", "syslog.user": "\(event.user ?? "unknown")",
            ])
        await scheduler.trigger(event.device, reason: .syslog, user: event.user)
    }

    // MARK: WatcherControl

    /// See ``WatcherControl/isReady()``.
    public func isReady() async -> Bool {
        await scheduler.isRunning()
    }

    /// See ``WatcherControl/trigger(device:reason:user:)``.
    public func trigger(device: String, reason: CollectionTrigger, user: String?) async throws {
        let known = live.withLock { $0.devices[device] != nil }
        guard known else {
            _ = try configuration.device(named: device)
            return
        }
        let outcome = await scheduler.trigger(device, reason: reason, user: user)
        logger.debug(
            "collection triggered",
            metadata: [
                "device.name": "\(device)", "collection.trigger": "\(reason.rawValue)",
                "trigger.outcome": "\(outcome)",
            ])
    }

    /// See ``WatcherControl/queueSnapshot()``.
    public func queueSnapshot() async -> QueueSnapshot {
        await scheduler.snapshot()
    }

    /// See ``WatcherControl/inventory()``.
    public func inventory() async -> [DeviceEntry] {
        configuration.devices
    }

    /// See ``WatcherControl/reload(requestedBy:)``. One reload at a time: one requested while
    /// another runs fails with `.notAvailable` (retry it). Collections in flight finish with the
    /// configuration they started with; `state:`, `syslog:` and `http:` changes need a restart.
    public func reload(requestedBy: String) async throws -> ReloadSummary {
        let claimed = reloading.withLock { busy -> Bool in
            if busy { return false }
            busy = true
            return true
        }
        guard claimed else {
            throw DriftWatchError(.notAvailable, "a reload is already running; try again in a moment", file: configPath)
        }
        defer { reloading.withLock { $0 = false } }
        let old = configuration
        let new: DriftWatchConfiguration
        do {
            new = try ConfigurationLoader(knownPlatforms: Set(catalog.ids.map(\.rawValue))).load(path: configPath)
        } catch {
            logger.error(
                "configuration reload refused; the running configuration stays",
                metadata: ["reload.error": "\(error)", "reload.requested_by": "\(requestedBy)"])
            throw error
        }
        if new.state != old.state || new.resolve(new.state) != old.resolve(old.state) {
            logger.warning("'state' changed: the watcher keeps its state store until restarted")
        }
        if new.syslog != old.syslog || new.http != old.http {
            logger.warning("'syslog' or 'http' changed: listeners keep their addresses until the watcher restarts")
        }
        let summary = Self.summary(old: old, new: new)
        var adopted = new
        adopted.state = old.state
        adopted.folder = old.folder
        let context = OneShotContext(configuration: adopted, catalog: catalog, masker: masker, store: store)
        let check = try context.driftCheck(
            transport: transport, options: options.collector, environment: environment, logger: logger)
        live.withLock { live in
            live.configuration = adopted
            live.check = check
            live.devices = Dictionary(adopted.devices.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        }
        router.update(devices: adopted.devices, catalog: catalog)
        await scheduler.schedule(
            adopted.devices.map { ($0.name, adopted.settings(for: $0).interval, $0.groups) },
            concurrency: adopted.defaults.concurrency, groupLimits: adopted.groupConcurrencyLimits)
        try await store.appendAudit(
            AuditEntry(
                actor: requestedBy, action: WatcherAuditAction.reload, target: configPath,
                details: [
                    "added": summary.added.joined(separator: ","), "removed": summary.removed.joined(separator: ","),
                    "changed": summary.changed.joined(separator: ","), "devices": "\(summary.devices)",
                ]))
        logger.notice(
            "configuration reloaded",
            metadata: [
                "reload.added": "\(summary.added.count)", "reload.removed": "\(summary.removed.count)",
                "reload.changed": "\(summary.changed.count)", "reload.devices": "\(summary.devices)",
                "reload.requested_by": "\(requestedBy)",
            ])
        return summary
    }

    /// What changed between two inventories (entries and their effective settings).
    static func summary(old: DriftWatchConfiguration, new: DriftWatchConfiguration) -> ReloadSummary {
        let before = Dictionary(old.devices.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let after = Dictionary(new.devices.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let added = new.devices.map(\.name).filter { before[$0] == nil }
        let removed = old.devices.map(\.name).filter { after[$0] == nil }
        let changed = new.devices.filter { device in
            guard let previous = before[device.name] else { return false }
            var a = previous
            var b = device
            a.line = nil
            b.line = nil
            return a != b || old.settings(for: previous) != new.settings(for: device)
        }.map(\.name)
        return ReloadSummary(added: added, removed: removed, changed: changed, devices: new.devices.count)
    }
}
