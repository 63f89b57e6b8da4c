// driftwatch-bench: release-mode benchmarks that print figures (see README "Performance").
// A small dispatcher: one subcommand per benchmark, each in its own file.
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
let benchmarks: [String: ([String]) throws -> Int32] = [
    "diff": DiffBenchmark.main,
]

// Subcommands that await (labs, collections): `lab`, `collect` (see LabCommand, CollectBenchmark).
let asyncBenchmarks: [String: ([String]) async throws -> Int32] = [
    "lab": LabCommand.main,
    "collect": CollectBenchmark.main,
]
if let name = arguments.first, let run = asyncBenchmarks[name] {
    do {
        exit(try await run(Array(arguments.dropFirst())))
    } catch {
        FileHandle.standardError.write(Data("driftwatch-bench \(name): \(error)\n".utf8))
        exit(2)
    }
}
guard let name = arguments.first, let run = benchmarks[name] else {
    let known = (benchmarks.keys.sorted() + asyncBenchmarks.keys.sorted()).joined(separator: ", ")
    FileHandle.standardError.write(Data("usage: driftwatch-bench <benchmark> [options]; benchmarks: \(known)\n".utf8))
    exit(64)
}
do {
    exit(try run(Array(arguments.dropFirst())))
} catch {
    FileHandle.standardError.write(Data("driftwatch-bench \(name): \(error)\n".utf8))
    exit(2)
}
