import Baselines
import Foundation

extension BaselineWorkspace {
    /// Verifies every baseline and standard chain, and cross-checks each approval in the audit
    /// log against the record file it wrote (this catches an edited *latest* record, which no
    /// later record's hash covers, and versions removed from the end of a history).
    public func verifyBaselines() throws -> [VerificationIssue] {
        var issues = store.verifyAll()
        let reported = Set(issues.map { "\($0.scope.rawValue)/\($0.subject)/\($0.version)" })
        for entry in try audit.entries() {
            guard let record = entry.record, let recordHash = record.details["record_sha256"],
                let version = record.details["version"].flatMap(Int.init)
            else { continue }
            let chain: VersionChain
            switch record.action {
            case AuditAction.baselineApprove, AuditAction.baselineRollback:
                guard let found = try? store.chain(for: record.target) else { continue }
                chain = found
            case AuditAction.standardApprove:
                guard let found = try? store.standards.chain(for: record.target) else { continue }
                chain = found
            default:
                continue
            }
            let url = chain.recordURL(version)
            guard !reported.contains("\(chain.kind.rawValue)/\(chain.subject)/\(version)") else { continue }
            guard FileManager.default.fileExists(atPath: url.path) else {
                if (chain.latestVersion() ?? 0) < version {
                    issues.append(
                        VerificationIssue(
                            scope: chain.kind, subject: chain.subject, version: version, kind: .removed, file: url.path,
                            message:
                                "v\(version) was approved (audit log line \(entry.line)) but its files are gone: the latest versions were removed or an older copy of the folder was restored"
                        ))
                }
                continue
            }
            guard let data = try? FileSystem.read(url) else { continue }
            if SHA256Hex.of(data) != recordHash {
                issues.append(
                    VerificationIssue(
                        scope: chain.kind, subject: chain.subject, version: version, kind: .edited, file: url.path,
                        message:
                            "v\(version).json differs from the record written at approval (audit log line \(entry.line)): it was edited or replaced"
                    ))
            }
        }
        return issues.sorted {
            ($0.scope.rawValue, $0.subject, $0.version) < ($1.scope.rawValue, $1.subject, $1.version)
        }
    }
}
