import ArgumentParser
import Foundation
import GatehouseCore

/// Reading a run record file named on the command line.
enum RunRecordFile {
    /// The record at `path`, or exit 2 saying what is wrong with the file.
    static func read(_ path: String) throws -> RunRecord {
        let text = try text(path)
        return try record(Result { () throws(RunRecord.ReadError) in try RunRecord(json: text) }, path: path)
    }

    /// The text of the file at `path`, or exit 2 saying why it cannot be read as a record.
    static func text(_ path: String) throws -> String {
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
        return text
    }

    /// The record `read` gave for the file at `path`, or exit 2 saying what is wrong with it.
    static func record(_ read: Result<RunRecord, RunRecord.ReadError>, path: String) throws -> RunRecord {
        switch read {
        case .success(let record): return record
        case .failure(let error):
            printError("gatehouse: \(path): \(error); write one with `gatehouse export RUN --format json`")
            throw ExitCode(exitBadInput)
        }
    }

    /// `record`, read from `source` (a file, or `this journal`), as one side of a comparison,
    /// checked first: exit 2 if it does not hold, its problems printed and `refusal` saying
    /// what is refused (`refusing to compare run …`).
    static func checkedSide(_ record: RunRecord, check: RunRecordCheck? = nil, source: String, refusal: String) throws -> ParitySide {
        let check = check ?? RunRecordCheck(record)
        guard check.isClean, let run = check.run else {
            printProblems(check.problems, prefix: "gatehouse: \(source)")
            let verify = source == ParitySide.journalSource ? "gatehouse verify" : "gatehouse verify --record \(source)"
            printError("gatehouse: \(refusal) run \(record.run) from \(source): it does not hold (`\(verify)` says more)")
            throw ExitCode(exitBadInput)
        }
        return ParitySide(run: run, source: source)
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
