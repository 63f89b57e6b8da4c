import Baselines
import ConfigDiff
import Foundation

/// Everything the baseline, standards and audit commands work on: the configuration, the
/// baseline store, the audit log and the platform profiles. One-shot commands open one; the
/// watcher will build the same from its configuration.
public struct BaselineWorkspace: Sendable {
    /// The loaded `driftwatch.yaml`.
    public let configuration: DriftWatchConfiguration
    /// The baseline store (`baselines:` folder).
    public let store: BaselineStore
    /// The audit log in the state folder.
    public let audit: AuditLog
    /// The platform profiles.
    public let catalog: ProfileCatalog

    /// Creates a workspace from parts (tests).
    public init(configuration: DriftWatchConfiguration, catalog: ProfileCatalog) {
        self.configuration = configuration
        self.store = BaselineStore(root: configuration.baselinesFolder)
        self.audit = AuditLog(stateFolder: configuration.stateFolder)
        self.catalog = catalog
    }

    /// Loads `driftwatch.yaml` at `configPath` with the built-in profiles plus those of `profiles:`.
    public static func open(configPath: String) throws -> BaselineWorkspace {
        do {
            let (configuration, catalog) = try ConfigurationLoader.loadWithProfiles(path: configPath)
            return BaselineWorkspace(configuration: configuration, catalog: catalog)
        } catch let error as ConfigDiffError {
            throw DriftWatchError(.invalidConfiguration, error.message)
        }
    }

    // MARK: - Normalizing and parsing

    /// The profile of a platform id.
    public func profile(_ platform: String) throws -> PlatformProfile {
        do {
            return try catalog.profile(PlatformID(platform))
        } catch let error as ConfigDiffError {
            throw DriftWatchError(.invalidConfiguration, error.message, file: configuration.file)
        }
    }

    /// Normalizes raw text (a file's content) with the platform's profile and the install's
    /// masking key. With `checkCompleteness` (full baselines), a file that looks truncated is
    /// refused; a partial baseline is a fragment and is not checked.
    public func normalize(_ raw: String, platform: String, file: String, checkCompleteness: Bool = true) throws
        -> NormalizedConfig
    {
        let profile = try profile(platform)
        let key: [UInt8]
        do {
            key = try MaskingKey.load(stateDirectory: configuration.stateFolder.path)
        } catch let error as MaskingKey.LoadError {
            throw DriftWatchError(.ioFailed, error.message, file: error.file)
        }
        do {
            return try Normalizer(profile: profile, masker: SecretMasker(key: key)).normalize(
                raw, checkCompleteness: checkCompleteness)
        } catch let error as ConfigDiffError {
            throw DriftWatchError(.normalizationFailed, error.message, file: file)
        }
    }

    /// Parses already-normalized text (a baseline) with the platform's profile.
    public func parse(_ normalized: String, platform: String, file: String) throws -> ConfigTree {
        let profile = try profile(platform)
        do {
            return try ConfigParser(profile: profile).parse(normalized)
        } catch let error as ConfigDiffError {
            throw DriftWatchError(.normalizationFailed, error.message, file: file)
        }
    }

    // MARK: - Planning approvals

    /// Plans approving the normalized content of `path` for `device`. Authorization is checked
    /// first: an approver without rights learns it before anything is read.
    public func planFromFile(
        device name: String, path: String, approver: String, mode: BaselineMode = .full, ignore: [LinePredicate] = []
    ) throws -> ApprovalPlan {
        let device = try configuration.device(named: name)
        try configuration.approverPolicy.authorize(approver, groups: device.groups, subject: "device \(device.name)")
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw DriftWatchError(
                .ioFailed, "could not read the file to approve: \(error.localizedDescription)", file: path)
        }
        let normalized: NormalizedConfig
        do {
            normalized = try normalize(
                String(decoding: data, as: UTF8.self), platform: device.platform, file: path,
                checkCompleteness: mode == .full)
        } catch let error as DriftWatchError {
            throw DriftWatchError(
                error.code, "\(error.message); nothing was approved", file: error.file, line: error.line)
        }
        return try plan(
            device: device, approver: approver, text: normalized.text, source: ApprovalSource(.file, path), mode: mode,
            ignore: ignore)
    }

    /// Plans a rollback of `device` to version `version`: a new version with the same content,
    /// mode and ignore rules.
    public func planRollback(device name: String, to version: Int, approver: String) throws -> ApprovalPlan {
        let device = try configuration.device(named: name)
        try configuration.approverPolicy.authorize(approver, groups: device.groups, subject: "device \(device.name)")
        let target = try store.version(version, of: device.name)
        return try plan(
            device: device, approver: approver, text: target.text, source: ApprovalSource(.rollback, "v\(version)"),
            mode: target.record.mode ?? .full, ignore: target.record.ignore)
    }

    /// Plans approving a stored snapshot of `device` (its id, or `latest`): the normalized,
    /// masked text the collector stored. Authorization is checked first.
    public func planFromSnapshot(
        device name: String, snapshot: String, approver: String, mode: BaselineMode = .full,
        ignore: [LinePredicate] = []
    ) throws -> ApprovalPlan {
        let device = try configuration.device(named: name)
        try configuration.approverPolicy.authorize(approver, groups: device.groups, subject: "device \(device.name)")
        let stored = try storedSnapshot(device: device.name, reference: snapshot)
        return try plan(
            device: device, approver: approver, text: stored.text, source: ApprovalSource(.snapshot, "\(stored.id)"),
            mode: mode, ignore: ignore)
    }

    func plan(
        device: DeviceEntry, approver: String, text: String, source: ApprovalSource, mode: BaselineMode,
        ignore: [LinePredicate]
    ) throws -> ApprovalPlan {
        let chain = try store.chain(for: device.name)
        let currentVersion = chain.latestVersion() ?? 0
        var preview = ""
        var unchanged = false
        var content = text
        if !content.isEmpty, !content.hasSuffix("\n") { content += "\n" }
        if currentVersion > 0 {
            let current = try store.version(currentVersion, of: device.name)
            unchanged = current.text == content
            if !unchanged {
                let profile = try profile(device.platform)
                let old = try parse(
                    current.text, platform: device.platform, file: chain.contentURL(currentVersion).path)
                let new = try parse(content, platform: device.platform, file: source.ref)
                preview = HierarchicalDiff.compare(from: old, to: new, options: profile.diffOptions).render()
                if preview.isEmpty {
                    preview = UnifiedDiff.render(
                        from: current.text, to: content, oldLabel: "v\(currentVersion)", newLabel: "new",
                        style: profile.style)
                }
            }
        } else {
            let lines = content.split(separator: "\n").count
            preview = "(first baseline of \(device.name): \(lines) lines)\n"
        }
        return ApprovalPlan(
            kind: .baseline, subject: device.name, platform: device.platform, approver: approver,
            currentVersion: currentVersion,
            content: content, preview: preview, unchanged: unchanged, source: source, mode: mode, ignore: ignore)
    }

    // MARK: - Committing

    /// Writes the planned version and its audit record.
    ///
    /// - Parameter expectedHead: pass `plan.currentVersion` when a person reviewed the preview
    ///   (a concurrent approval then refuses), nil for `--yes` (append after whatever is latest).
    public func commit(_ plan: ApprovalPlan, reason: String, ticket: String?, expectedHead: Int?) throws
        -> ApprovalRecord
    {
        guard !reason.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw DriftWatchError(.invalidConfiguration, "--reason must say why this version is approved")
        }
        let draft = ApprovalDraft(
            approver: plan.approver, reason: reason, ticket: ticket, source: plan.source, platform: plan.platform,
            mode: plan.mode, ignore: plan.ignore)
        let record: ApprovalRecord
        let chain: VersionChain
        switch plan.kind {
        case .baseline:
            record = try store.approve(
                device: plan.subject, config: plan.content, draft: draft, expectedHead: expectedHead)
            chain = try store.chain(for: plan.subject)
        case .standard:
            record = try store.standards.approve(plan.subject, draft: draft, expectedHead: expectedHead)
            chain = try store.standards.chain(for: plan.subject)
        }
        let recordHash = SHA256Hex.of(try FileSystem.read(chain.recordURL(record.version)))
        let action: String
        switch (plan.kind, plan.source.kind) {
        case (.standard, _): action = AuditAction.standardApprove
        case (.baseline, .rollback): action = AuditAction.baselineRollback
        case (.baseline, _): action = AuditAction.baselineApprove
        }
        var details = [
            "version": String(record.version), "reason": reason, "source": plan.source.summary,
            "content_sha256": record.contentSHA256, "record_sha256": recordHash,
        ]
        if let ticket { details["ticket"] = ticket }
        try audit.append(actor: plan.approver, action: action, target: plan.subject, details: details)
        return record
    }
}
