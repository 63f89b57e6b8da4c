import Foundation

/// The offline comparison behind `driftwatch compare A B --platform P`: both texts normalized with
/// the platform profile (volatile lines dropped, secrets masked), parsed, and compared.
///
/// Semantics: `A` is the reference (e.g. the baseline or the intended config), `B` the actual
/// (e.g. the running config). ``drift`` is what B changed relative to A
/// (`compare(from: A, to: B)`: `-` lines are in A only, `+` lines in B only);
/// ``remediation`` are the commands that bring B back to A (`Remediation` of
/// `compare(from: B, to: A)`).
public struct ConfigComparison: Sendable {
    /// One side of the comparison.
    public struct Side: Sendable {
        /// How the side is named in messages (usually its file path).
        public var name: String
        /// The normalized, masked text and its tree.
        public var normalized: NormalizedConfig
    }

    /// The platform profile used.
    public var profile: PlatformProfile
    /// The reference (A).
    public var reference: Side
    /// The actual configuration (B).
    public var actual: Side
    /// What the actual configuration changed relative to the reference.
    public var drift: ConfigDelta
    /// The commands that bring the actual configuration back to the reference.
    public var remediation: [String]

    /// True when the two configurations are equivalent for the platform.
    public var isSame: Bool { drift.isEmpty }

    /// Normalizes, parses and compares two texts.
    ///
    /// `checkCompleteness: false` accepts configuration fragments (a partial intended config).
    ///
    /// - Throws: ``ConfigDiffError`` whose message starts with the name of the side that failed
    ///   (parse failure, incomplete capture).
    public init(
        reference: String, named referenceName: String, actual: String, named actualName: String,
        profile: PlatformProfile, masker: SecretMasker, checkCompleteness: Bool = true
    ) throws {
        let normalizer = Normalizer(profile: profile, masker: masker)
        func normalize(_ text: String, _ name: String) throws -> NormalizedConfig {
            do {
                return try normalizer.normalize(text, checkCompleteness: checkCompleteness)
            } catch let error as ConfigDiffError {
                throw ConfigDiffError(error.code, "\(name): \(error.message)")
            }
        }
        self.profile = profile
        self.reference = Side(name: referenceName, normalized: try normalize(reference, referenceName))
        self.actual = Side(name: actualName, normalized: try normalize(actual, actualName))
        let options = profile.diffOptions
        drift = HierarchicalDiff.compare(from: self.reference.normalized.tree, to: self.actual.normalized.tree, options: options)
        let back = HierarchicalDiff.compare(from: self.actual.normalized.tree, to: self.reference.normalized.tree, options: options)
        remediation = Remediation.lines(for: back, style: profile.style, negation: options.negation)
    }

    /// The human report: a header naming both sides, the drift with section context (see
    /// ``ConfigDelta/render(indent:)``), a count line, then the remediation.
    public func report() -> String {
        let platform = profile.id.rawValue
        if isSame {
            return "\(reference.name) and \(actual.name) are equivalent for \(platform) (after normalization).\n"
        }
        var out = "--- \(reference.name) (reference)\n+++ \(actual.name) (actual)\n"
        out += drift.render()
        out += "\(drift.summary.added) added, \(drift.summary.removed) removed (statements, \(platform))\n"
        out += "\nRemediation (commands to bring \(actual.name) back to \(reference.name)):\n"
        out += remediation.map { $0 + "\n" }.joined()
        return out
    }

    /// The stable JSON form of `compare --json`:
    ///
    /// ```json
    /// { "platform": "cisco_ios", "reference": "baseline.cfg", "actual": "running.cfg",
    ///   "same": false,
    ///   "diff": { "changes": [ … ], "summary": { "added": 1, "removed": 1 } },
    ///   "remediation": ["interface Gi0/1", " no shutdown", " exit"] }
    /// ```
    ///
    /// `diff` is the ``ConfigDelta`` JSON form of the drift (A → B); keys are sorted.
    public func jsonData() throws -> Data {
        try ConfigDelta.encoder().encode(
            Document(
                platform: profile.id.rawValue, reference: reference.name, actual: actual.name, same: isSame, diff: drift,
                remediation: remediation))
    }

    private struct Document: Encodable {
        var platform: String
        var reference: String
        var actual: String
        var same: Bool
        var diff: ConfigDelta
        var remediation: [String]
    }
}
