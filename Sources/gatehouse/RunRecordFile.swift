import ArgumentParser
import Foundation
import GatehouseCore

/// Reading a run record file named on the command line.
enum RunRecordFile {
    /// The record at `path`, or exit 2 saying what is wrong with the file.
    static func read(_ path: String) throws -> RunRecord {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            printError("gatehouse: cannot read the record \(path): \(error.localizedDescription)")
            throw ExitCode(exitBadInput)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            printError("gatehouse: \(path) is not UTF-8 text; a run record is the JSON `gatehouse export RUN --format json` writes")
            throw ExitCode(exitBadInput)
        }
        do {
            return try RunRecord(json: text)
        } catch {
            printError("gatehouse: \(path): \(error); write one with `gatehouse export RUN --format json`")
            throw ExitCode(exitBadInput)
        }
    }

    /// The most problems printed one by one: past the first, most follow from it (the state
    /// machine refuses every event after one it refused).
    static let problemsShown = 8

    /// Prints `problems`, each after `prefix`, the first ``problemsShown`` of them and a count of the rest.
    static func printProblems(_ problems: [String], prefix: String) {
        for problem in problems.prefix(problemsShown) { printError("\(prefix): \(problem)") }
        if problems.count > problemsShown {
            printError("\(prefix): … and \(problems.count - problemsShown) more (most follow from the first)")
        }
    }
}
