import Baselines
import Foundation
import Logging

/// Builds alerting from `alerts:` in `driftwatch.yaml`: the ``AlertCenter`` the watcher calls
/// after each check, and the ``OutboxSender`` service that delivers its messages. Nil when no
/// channel (email or webhook) is configured.
///
/// - Throws: `.invalidConfiguration` when a secret's environment variable (`password_env`,
///   `username_env`, a webhook's `token_env` or `secret_env`) is not set, naming the key.
public func buildAlerting(
    configuration: DriftWatchConfiguration, store: any StateStore, baselines: BaselineStore,
    environment: [String: String], logger: Logger
) throws -> AlertingComponents? {
    guard let alerts = configuration.alerts, alerts.email != nil || !alerts.webhooks.isEmpty else { return nil }
    var required: [(String, String)] = []
    if let email = alerts.email {
        if let name = email.passwordEnv { required.append((name, "alerts.email.smtp.password_env")) }
        if let name = email.usernameEnv { required.append((name, "alerts.email.smtp.username_env")) }
    }
    for hook in alerts.webhooks {
        if let name = hook.tokenEnv { required.append((name, "token_env of webhook \(hook.url)")) }
        if let name = hook.secretEnv { required.append((name, "secret_env of webhook \(hook.url)")) }
    }
    for (name, key) in required where (environment[name] ?? "").isEmpty {
        throw DriftWatchError(
            .invalidConfiguration,
            "\(key) names environment variable \(name), which is not set: export it before starting the watcher",
            file: configuration.file)
    }
    let wakeup = OutboxWakeup()
    let center = AlertCenter(
        configuration: configuration, store: store, baselines: baselines,
        composer: AlertEmailComposer(configuration: configuration), lifecycle: AlertLifecycle(reminderAfter: alerts.reminderAfter),
        wakeup: wakeup, logger: logger)
    let sender = OutboxSender(
        store: store, configuration: configuration, environment: environment, wakeup: wakeup, logger: logger)
    return AlertingComponents(alerting: center, services: [sender])
}

extension AlertEmailComposer {
    /// The composer for `alerts:` of `configuration`; the install id is derived from the state
    /// folder's path, so thread roots stay stable across restarts.
    public init(configuration: DriftWatchConfiguration) {
        let alerts = configuration.alerts
        self.init(
            from: alerts?.email?.from ?? "driftwatch@localhost", to: alerts?.email?.to ?? [],
            webhookURLs: alerts?.webhooks.map(\.url) ?? [],
            install: String(SHA256Hex.of(configuration.stateFolder.standardizedFileURL.path).prefix(10)))
    }
}
