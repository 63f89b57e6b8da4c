import ArgumentParser
import Baselines
import ConfigDiff
import DriftWatch
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Output and error handling shared by the baseline, standards and audit commands: library
/// errors become `driftwatch <command>: file:line: message` on stderr and exit 2.
enum BaselineCommandSupport {
    /// Runs `body`; its result is the exit code (0 ok, 1 drift/findings/verify failure).
    static func run(_ command: String, _ body: () throws -> Int32) throws {
        let code: Int32
        do {
            code = try body()
        } catch let error as DriftWatchError {
            fail(command, error.description, code: error.code == .declined ? 1 : 2)
            throw ExitCode(error.code == .declined ? 1 : 2)
        } catch let error as BaselineError {
            fail(command, error.description, code: 2)
            throw ExitCode(2)
        } catch let error as ConfigDiffError {
            fail(command, error.message, code: 2)
            throw ExitCode(2)
        }
        if code != 0 { throw ExitCode(code) }
    }

    private static func fail(_ command: String, _ text: String, code: Int32) {
        printError("driftwatch \(command): \(text)")
    }

    /// Writes a line to standard output.
    static func print(_ text: String) {
        FileHandle.standardOutput.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    /// Writes a line to standard error.
    static func printError(_ text: String) {
        FileHandle.standardError.write(Data((text.hasSuffix("\n") ? text : text + "\n").utf8))
    }

    /// Asks `question` on the terminal; without a terminal on standard input, refuses unless
    /// `yes` is set. Returns normally only on consent.
    static func confirm(_ question: String, yes: Bool) throws {
        if yes { return }
        guard isatty(0) == 1 else {
            throw DriftWatchError(
                .confirmationRequired,
                "standard input is not a terminal, so nobody can confirm; review the diff above and re-run with --yes; nothing was written"
            )
        }
        FileHandle.standardOutput.write(Data("\(question) [y/N] ".utf8))
        let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        guard answer == "y" || answer == "yes" else {
            throw DriftWatchError(.declined, "not confirmed; nothing was written")
        }
    }

    /// Parses `KIND:PATTERN` (`startsWith:ntp clock-period`, `regex:^ntp `) into a predicate.
    static func predicate(_ text: String) throws -> LinePredicate {
        guard let colon = text.firstIndex(of: ":"), let kind = LinePredicate.Kind(rawValue: String(text[..<colon]))
        else {
            throw ValidationError(
                "--ignore takes KIND:PATTERN with KIND one of \(LinePredicate.Kind.allCases.map(\.rawValue).joined(separator: ", ")), e.g. 'startsWith:ntp clock-period'"
            )
        }
        return try LinePredicate(kind, String(text[text.index(after: colon)...]))
    }

    /// Prints a plan's header and diff.
    static func show(_ plan: ApprovalPlan) {
        let what = plan.kind == .baseline ? "baseline \(plan.subject)" : "standard \(plan.subject)"
        let from = plan.currentVersion == 0 ? "no version yet" : "v\(plan.currentVersion)"
        print(
            "\(what): \(from) -> v\(plan.currentVersion + 1), approver \(plan.approver), source \(plan.source.summary)")
        if plan.unchanged {
            print("(identical to v\(plan.currentVersion))")
        } else {
            FileHandle.standardOutput.write(Data(plan.preview.utf8))
        }
    }

    /// JSON text of a value, sorted keys, pretty.
    static func json(_ object: Any) -> String {
        guard
            let data = try? JSONSerialization.data(
                withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
