import Baselines
import Foundation
import Logging

/// Builds alerting from `alerts:` in `driftwatch.yaml`; nil when no channel is configured.
///
/// Placeholder until the alerting work lands: no alerting.
public func buildAlerting(
    configuration: DriftWatchConfiguration, store: any StateStore, baselines: BaselineStore,
    environment: [String: String], logger: Logger
) throws -> AlertingComponents? {
    nil
}
