import ArgumentParser
import ConfigDiff
import DriftWatch
import Foundation

/// `driftwatch diff DEVICE [--snapshot ID] [--against vN]`: a stored snapshot against a baseline.
struct DiffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show a stored snapshot's drift from the device's baseline, with remediation.",
        discussion: """
            Compares the device's latest stored snapshot (or --snapshot ID) with its latest \
            approved baseline (or --against vN), honouring the baseline's mode and ignore rules. \
            Nothing is collected: run 'driftwatch collect DEVICE' first for a fresh snapshot. \
            Exit status: 0 no drift, 1 drift, 2 error.

            Examples:
              driftwatch diff core-sw-01
              driftwatch diff core-sw-01 --snapshot 42 --against v3
            """
    )
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The device name, as in driftwatch.yaml.") var device: String
    @Option(help: ArgumentHelp("A stored snapshot id (default: the latest).", valueName: "ID")) var snapshot: Int64?
    @Option(help: ArgumentHelp("A baseline version, e.g. v3 (default: the latest).", valueName: "vN")) var against:
        String?

    func run() async throws {
        try await CheckCommand.guarded("diff") {
            let context = try OneShotContext.open(configPath: global.config)
            let entry = try context.configuration.device(named: device)
            var version: Int?
            if let against {
                guard let parsed = Int(against.hasPrefix("v") ? String(against.dropFirst()) : against) else {
                    throw ValidationError("--against takes a version like v3")
                }
                version = parsed
            }
            let stored: StoredSnapshot?
            if let snapshot {
                stored = try await context.store.snapshot(id: snapshot)
            } else {
                stored = try await context.store.latestSnapshot(device: device)
            }
            guard let stored, stored.info.device == device else {
                throw DriftWatchError(
                    .notAvailable,
                    snapshot.map {
                        "snapshot \($0) of \(device) is not in the state store; list them with 'driftwatch status'"
                    }
                        ?? "\(device) was never collected; run 'driftwatch collect \(device)' first")
            }
            let profile = try context.catalog.profile(PlatformID(entry.platform))
            let tree = try ConfigParser(profile: profile).parse(stored.content.text)
            let evaluator = DriftEvaluator(
                baselines: context.baselines, catalog: context.catalog,
                standards: try DriftEvaluator.approvedStandards(context.baselines.standards))
            let evaluation = try evaluator.evaluate(tree, device: entry, against: version)
            let header =
                "\(device): snapshot \(stored.info.id) (collected \(ISO8601DateFormatter().string(from: stored.info.collectedAt)))"
            guard let baselineVersion = evaluation.baselineVersion else {
                CheckCommand.write("\(header): no approved baseline")
                if let hint = evaluation.hint { CheckCommand.write(hint) }
                return 1
            }
            CheckCommand.write("\(header) against baseline v\(baselineVersion)")
            if evaluation.delta.isEmpty {
                CheckCommand.write("no drift")
            } else {
                CheckCommand.write(evaluation.delta.render())
                CheckCommand.write("remediation:")
                for line in evaluation.remediation { CheckCommand.write("  \(line)") }
            }
            for finding in evaluation.findings { CheckCommand.write("! \(finding.description)") }
            return evaluation.status == .clean ? 0 : 1
        }
    }
}
