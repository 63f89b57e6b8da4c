import ConfigDiff
import Foundation
import Logging
import SSHTransport

/// Collects devices: resolves credentials, captures through a ``DeviceTransport``, normalizes
/// and masks with the platform profile before anything is stored or logged, rejects incomplete
/// captures, and records the run (and the snapshot) in the ``StateStore``.
///
/// Each device is isolated: its failure becomes a ``DeviceCollection`` result, never an error
/// that stops other devices. Transient failures (connection refused or lost, timeouts, a
/// refused channel) are retried with doubling backoff, within ``CollectorOptions/maxAttempts``
/// and the device's time limit; authentication failures, host-key problems, oversized output
/// and incomplete captures are not. The time limit (`defaults.time_limit`) is hard: when it runs
/// out the collection ends as `timeout`. No SSH operation starts after it, and each operation's
/// timeout is cut to what remained when the session opened; a libssh2 call cannot be
/// interrupted, so a call in flight at the limit may finish up to that cut timeout later.
public struct Collector: Sendable {
    /// The loaded configuration (inventory, defaults, state folder).
    public let configuration: DriftWatchConfiguration
    /// The platform profiles.
    public let catalog: ProfileCatalog
    /// Masks secrets with the install's key.
    public let masker: SecretMasker
    /// Where runs and snapshots go.
    public let store: any StateStore
    /// How devices are reached.
    public let transport: any DeviceTransport
    /// Retries and limits.
    public let options: CollectorOptions
    /// Resolves credential references.
    public let credentials: CredentialResolver
    /// Logs with `device.name` and `device.platform` metadata; never a secret.
    public let logger: Logger

    /// Creates a collector.
    public init(
        configuration: DriftWatchConfiguration, catalog: ProfileCatalog, masker: SecretMasker, store: any StateStore,
        transport: any DeviceTransport = SSHDeviceTransport(), options: CollectorOptions = CollectorOptions(),
        environment: [String: String] = ProcessInfo.processInfo.environment, logger: Logger
    ) {
        self.configuration = configuration
        self.catalog = catalog
        self.masker = masker
        self.store = store
        self.transport = transport
        self.options = options
        self.credentials = CredentialResolver(configuration: configuration, environment: environment)
        self.logger = logger
    }

    /// `<state dir>/known_hosts`, the file host keys are verified against.
    public var knownHostsPath: String {
        configuration.stateFolder.appendingPathComponent("known_hosts").path
    }

    /// Collects `device` and records the run; never throws. `changedBy` (the user a syslog
    /// message named) is stored with the run and, when the configuration changed, its snapshot.
    public func collect(_ device: DeviceEntry, trigger: CollectionTrigger, changedBy: String? = nil) async
        -> DeviceCollection
    {
        var logger = self.logger
        logger[metadataKey: "device.name"] = "\(device.name)"
        logger[metadataKey: "device.platform"] = "\(device.platform)"
        let startedAt = Date()
        let start = ContinuousClock.now
        let acceptNew = configuration.settings(for: device).hostKeyPolicy == .acceptNew
        let trustedBefore = acceptNew ? trustedFingerprint(device) : nil
        var outcome = await attempt(device, logger: logger)
        outcome.startedAt = startedAt
        outcome.duration = start.duration(to: .now)
        let report = CollectionReport(
            device: device.name, startedAt: startedAt, duration: outcome.duration, trigger: trigger,
            result: outcome.result, errorMessage: outcome.message, changedBy: changedBy,
            content: outcome.normalized.map { SnapshotContent($0) })
        do {
            let stored = try await store.recordCollection(report, deviceState: nil)
            outcome.runID = stored.runID
            outcome.snapshot = stored.snapshot
            outcome.isNewVersion = stored.isNewVersion
        } catch {
            outcome.result = .error
            outcome.normalized = nil
            outcome.message =
                "\(device.name): the collection could not be recorded in the state store (\(error)); check \(configuration.state)."
        }
        if acceptNew, outcome.result == .ok, trustedBefore == nil, let fingerprint = trustedFingerprint(device) {
            // host_key_policy accept-new trusted the key on first use: record it like a manual trust.
            let now = Date()
            _ = try? await store.recordHostKeyEvent(
                HostKeyEvent(
                    device: device.name, time: now, kind: .trusted, newFingerprint: fingerprint,
                    actor: "driftwatch (accept-new)"),
                audit: AuditEntry(
                    actor: "driftwatch (accept-new)", action: HostKeyAuditAction.trusted, target: device.name,
                    details: [
                        "fingerprint": fingerprint, "address": "\(device.host):\(device.port)", "policy": "accept-new",
                    ], time: now))
        }
        if outcome.result == .ok {
            logger.info("collection succeeded", metadata: ["collection.attempts": "\(outcome.attempts)"])
        } else {
            logger.warning(
                "collection failed",
                metadata: [
                    "collection.result": "\(outcome.result.rawValue)", "collection.attempts": "\(outcome.attempts)",
                ])
        }
        return outcome
    }

    /// The first fingerprint `known_hosts` trusts for the device's address, if any.
    func trustedFingerprint(_ device: DeviceEntry) -> String? {
        (try? KnownHosts(path: knownHostsPath).entries(host: device.host, port: device.port))?.first { !$0.revoked }?
            .fingerprint
    }

    /// Everything up to (not including) recording.
    func attempt(_ device: DeviceEntry, logger: Logger) async -> DeviceCollection {
        var outcome = DeviceCollection(
            device: device.name, platform: device.platform, startedAt: Date(), duration: .zero, result: .error,
            message: nil, attempts: 0)
        let settings = configuration.settings(for: device)
        let deadline = ContinuousClock.now.advanced(by: settings.timeLimit)
        let profile: PlatformProfile
        let resolved: ResolvedCredentials
        do {
            profile = try catalog.profile(PlatformID(device.platform))
            resolved = try credentials.resolve(device)
        } catch {
            outcome.message = Self.describe(error, device: device)
            return outcome
        }
        let target = CaptureTarget(
            device: device.name, host: device.host, port: device.port, credentials: resolved,
            knownHostsPath: knownHostsPath, strictHostKeys: settings.hostKeyPolicy == .strict,
            timeout: settings.timeout, deadline: deadline, outputLimit: options.outputLimit)
        let previousSize: Int?
        do {
            previousSize = try await store.latestSnapshot(device: device.name)?.content.size
        } catch {
            outcome.message =
                "\(device.name): the state store could not be read (\(error)); check \(configuration.state)."
            return outcome
        }
        while true {
            outcome.attempts += 1
            do {
                let raw = try await captureWithinLimit(target, hints: profile.collection, logger: logger)
                do {
                    outcome.normalized = try Normalizer(profile: profile, masker: masker).normalize(
                        raw.text, previousSize: previousSize)
                    outcome.result = .ok
                    outcome.message = nil
                } catch let error as ConfigDiffError where error.code == .incompleteCapture {
                    outcome.result = .incomplete
                    outcome.message = "\(device.name): \(error.message)"
                } catch {
                    outcome.result = .error
                    outcome.message =
                        "\(device.name): the capture could not be normalized with the \(device.platform) profile: \(error)"
                }
                return outcome
            } catch {
                let (result, transient) = Self.classify(error)
                outcome.result = result
                outcome.message = Self.describe(error, device: device)
                if let ssh = error as? SSHTransportError {
                    outcome.expectedFingerprint = ssh.expectedFingerprint
                    outcome.presentedFingerprint = ssh.presentedFingerprint
                }
                let wait = options.backoff(after: outcome.attempts)
                guard transient, outcome.attempts < options.maxAttempts, target.remaining > wait + .milliseconds(100)
                else {
                    return outcome
                }
                logger.debug(
                    "collection attempt failed, retrying", metadata: ["collection.result": "\(result.rawValue)"])
                do {
                    try await Task.sleep(for: wait)
                } catch {
                    return outcome
                }
            }
        }
    }

    /// Runs the capture and a timer for the device's deadline; whichever ends first wins.
    func captureWithinLimit(_ target: CaptureTarget, hints: CollectionHints, logger: Logger) async throws -> RawCapture
    {
        let transport = self.transport
        return try await withThrowingTaskGroup(of: RawCapture?.self) { group in
            group.addTask { try await transport.capture(target, hints: hints, logger: logger) }
            group.addTask {
                try await Task.sleep(until: target.deadline, clock: .continuous)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let capture = first else {
                throw SSHDeviceTransport.timeLimit(target)
            }
            return capture
        }
    }

    /// The result an error maps to, and whether it is worth another attempt.
    static func classify(_ error: any Error) -> (CollectionResult, transient: Bool) {
        if let error = error as? CollectionError {
            switch error.code {
            case .timeLimit: return (.timeout, false)
            case .incompleteCapture: return (.incomplete, false)
            default: return (.error, false)
            }
        }
        guard let error = error as? SSHTransportError else { return (.error, false) }
        switch error.code {
        case .connectionFailed: return (.unreachable, true)
        case .connectionLost, .sessionClosed: return (.unreachable, true)
        case .timeout: return (.timeout, true)
        case .channelFailed: return (.error, true)
        case .hostKeyUnknown: return (.hostKeyUnknown, false)
        case .hostKeyChanged, .hostKeyRevoked: return (.hostKeyChanged, false)
        case .authenticationFailed, .privateKeyUnusable, .enableFailed: return (.authFailed, false)
        case .handshakeFailed, .knownHostsUnavailable, .outputTooLarge, .invalidPattern, .sftpFailed, .protocolError:
            return (.error, false)
        }
    }

    /// An actionable message for `error`, naming the device and what to run.
    static func describe(_ error: any Error, device: DeviceEntry) -> String {
        let name = device.name
        if let error = error as? CollectionError { return error.description }
        if let error = error as? ConfigDiffError {
            return "\(name): \(error.message). Use a platform the profiles know, or add a profile."
        }
        guard let error = error as? SSHTransportError else { return "\(name): \(error)" }
        let fingerprint = error.presentedFingerprint.map { " (\($0))" } ?? ""
        switch error.code {
        case .hostKeyUnknown:
            return
                "\(name) (\(device.host):\(device.port)): the host key\(fingerprint) is not trusted yet and host_key_policy is strict, so nothing was collected. Check the fingerprint and run 'driftwatch hostkeys trust \(name)'."
        case .hostKeyChanged, .hostKeyRevoked:
            return
                "\(name): \(error.description) If the device was replaced, check the new fingerprint and run 'driftwatch hostkeys trust \(name)'."
        case .authenticationFailed, .privateKeyUnusable:
            return "\(name): \(error.description) (devices[\(name)].credentials in the inventory)"
        default:
            return "\(name): \(error.description)"
        }
    }
}
