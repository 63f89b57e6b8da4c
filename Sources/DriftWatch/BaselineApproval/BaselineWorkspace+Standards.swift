import Baselines
import ConfigDiff
import Foundation

extension BaselineWorkspace {
    /// Plans approving the working file of standard `name`. The approver must be allowed for
    /// every group of every inventory device the standard selects (or, when it selects none, for
    /// the groups its selector names).
    public func planStandard(_ name: String, approver: String) throws -> ApprovalPlan {
        let standards = store.standards
        let standard = try standards.loadWorkingFile(name)
        let selected = configuration.devices.filter {
            standard.appliesTo.applies(platform: $0.platform, groups: $0.groups)
        }
        var groups = selected.isEmpty ? standard.appliesTo.groups : Array(Set(selected.flatMap(\.groups)))
        groups.sort()
        try configuration.approverPolicy.authorize(approver, groups: groups, subject: "standard \(name)")
        let working = String(decoding: try FileSystem.read(standards.workingFile(name)), as: UTF8.self)
        let chain = try standards.chain(for: name)
        let currentVersion = chain.latestVersion() ?? 0
        var preview = "(first approval of standard \(name): \(standard.rules.count) rules)\n"
        var unchanged = false
        if currentVersion > 0 {
            let current = String(decoding: try chain.content(currentVersion), as: UTF8.self)
            unchanged = current == working
            preview = UnifiedDiff.render(
                from: current, to: working, oldLabel: "v\(currentVersion)", newLabel: "\(name).yaml", style: .flat)
        }
        return ApprovalPlan(
            kind: .standard, subject: name, platform: nil, approver: approver, currentVersion: currentVersion,
            content: working,
            preview: preview, unchanged: unchanged, source: ApprovalSource(.file, standards.workingFile(name).path),
            mode: .full, ignore: [])
    }

    /// Evaluates the standards that apply to each device against its latest approved baseline
    /// (stored snapshots arrive with the watcher). An empty `devices` checks every inventory
    /// device; a device without a baseline is reported as skipped.
    public func checkStandards(devices names: [String]) throws -> [StandardsCheckResult] {
        let loaded = try store.standards.loadAll()
        let devices = names.isEmpty ? configuration.devices : try names.map { try configuration.device(named: $0) }
        return try devices.map { device in
            let applicable = loaded.filter {
                $0.standard.appliesTo.applies(platform: device.platform, groups: device.groups)
            }
            guard let latest = try store.latest(for: device.name) else {
                return StandardsCheckResult(
                    target: device.name, evaluated: "nothing", standards: applicable.map(Self.label), findings: [],
                    skipped:
                        "no approved baseline yet: run 'driftwatch baseline approve \(device.name) --from-file PATH --reason TEXT'"
                )
            }
            if latest.record.mode == .partial {
                return StandardsCheckResult(
                    target: device.name, evaluated: "nothing", standards: applicable.map(Self.label), findings: [],
                    skipped:
                        "baseline v\(latest.record.version) is partial (a snippet); standards need a whole configuration, check one with --file PATH --platform \(device.platform)"
                )
            }
            let file = try store.chain(for: device.name).contentURL(latest.record.version).path
            let tree = try parse(latest.text, platform: device.platform, file: file)
            return StandardsCheckResult(
                target: device.name, evaluated: "baseline v\(latest.record.version)",
                standards: applicable.map(Self.label),
                findings: applicable.flatMap { StandardEvaluator.evaluate($0.standard, on: tree) }, skipped: nil)
        }
    }

    /// Normalizes a file with `platform`'s profile (no completeness check: a file given by hand
    /// may be a fragment) and evaluates the standards for that platform
    /// (and, when `groups` is not empty, those groups; with no groups, group selectors are ignored).
    public func checkStandards(file path: String, platform: String, groups: [String]) throws -> StandardsCheckResult {
        let loaded = try store.standards.loadAll()
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw DriftWatchError(.ioFailed, "could not read: \(error.localizedDescription)", file: path)
        }
        let normalized = try normalize(
            String(decoding: data, as: UTF8.self), platform: platform, file: path, checkCompleteness: false)
        let applicable = loaded.filter { loaded in
            let selector = loaded.standard.appliesTo
            return groups.isEmpty
                ? (selector.platforms.isEmpty || selector.platforms.contains(platform))
                : selector.applies(platform: platform, groups: groups)
        }
        return StandardsCheckResult(
            target: path, evaluated: "file", standards: applicable.map(Self.label),
            findings: applicable.flatMap { StandardEvaluator.evaluate($0.standard, on: normalized.tree) }, skipped: nil)
    }

    static func label(_ loaded: StandardsStore.Loaded) -> String {
        switch loaded.status {
        case .unapproved: return "\(loaded.standard.name) (unapproved working file)"
        case .approved(let version): return "\(loaded.standard.name) (approved v\(version))"
        case .modified(let version):
            return "\(loaded.standard.name) (approved v\(version); working file changed since, not yet approved)"
        }
    }
}
