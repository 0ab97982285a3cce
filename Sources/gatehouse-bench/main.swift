import Foundation
import GatehouseBench

/// `gatehouse-bench [--quick] [--only terminal,journal,replay,render,programme,package,watchers,compare,backup,output] [--notes FILE] [--gatehouse PATH] [--output FILE] [--commit SHA]`: runs every
/// scenario, prints the table and writes it to BENCHMARKS.md; exits non-zero if a scenario
/// could not run.
let arguments = Array(CommandLine.arguments.dropFirst())
let usage = "usage: gatehouse-bench [--quick] [--only terminal,journal,replay,render,programme,package,watchers,compare,backup,output] [--notes FILE] [--gatehouse PATH] [--output FILE] [--commit SHA]\n"
let scenarios: Set<String> = ["terminal", "journal", "replay", "render", "programme", "package", "watchers", "compare", "backup", "output"]
if arguments.contains("--help") || arguments.contains("-h") {
    print(usage, terminator: "")
    exit(0)
}
// Checked before anything runs: a mistyped option must not start a five-minute run that
// overwrites BENCHMARKS.md.
do {
    var index = 0
    while index < arguments.count {
        switch arguments[index] {
        case "--quick": index += 1
        case let option where ["--only", "--notes", "--gatehouse", "--output", "--commit"].contains(option) && index + 1 < arguments.count:
            index += 2
        default:
            FileHandle.standardError.write(Data("gatehouse-bench: unknown or incomplete option \(arguments[index])\n\(usage)".utf8))
            exit(2)
        }
    }
}
@MainActor func option(_ name: String) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}
let quick = arguments.contains("--quick")
let executableDirectory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path
let gatehouse = option("--gatehouse") ?? executableDirectory + "/gatehouse"
guard FileManager.default.isExecutableFile(atPath: gatehouse) else {
    FileHandle.standardError.write(Data("gatehouse-bench: no gatehouse binary at \(gatehouse); build it (swift build -c release) or give --gatehouse PATH\n".utf8))
    exit(2)
}
let output = option("--output") ?? "BENCHMARKS.md"
let started = Date()
let only = option("--only").map { Set($0.split(separator: ",").map(String.init)) }
if let unknown = only?.subtracting(scenarios), !unknown.isEmpty {
    FileHandle.standardError.write(Data("gatehouse-bench: no scenario \(unknown.sorted().joined(separator: ", ")); the scenarios are \(scenarios.sorted().joined(separator: ", "))\n".utf8))
    exit(2)
}
let run = BenchRun(gatehouse: gatehouse, quick: quick, only: only) { FileHandle.standardError.write(Data("… \($0)\n".utf8)) }
do {
    let results = try run.measure()
    print(BenchReport.text(results), terminator: "")
    let cpu = (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?
        .split(separator: "\n").first { $0.hasPrefix("model name") }?
        .split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown CPU"
    var system = utsname()
    uname(&system)
    let kernel = withUnsafeBytes(of: &system.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    let machine = "\(cpu), \(ProcessInfo.processInfo.activeProcessorCount) cores, Linux \(kernel)"
    let formatter = ISO8601DateFormatter()
    let markdown = BenchReport.markdown(results, machine: machine, date: formatter.string(from: started),
                                        commit: option("--commit") ?? "unknown", seconds: Date().timeIntervalSince(started))
    let notes = option("--notes").flatMap { try? String(contentsOfFile: $0, encoding: .utf8) }.map { "\n" + $0 } ?? ""
    try (markdown + notes).write(toFile: output, atomically: true, encoding: .utf8)
    FileHandle.standardError.write(Data("wrote \(output)\n".utf8))
} catch {
    FileHandle.standardError.write(Data("gatehouse-bench: a scenario could not run: \(error)\n".utf8))
    exit(1)
}
