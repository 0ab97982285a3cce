import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseEngine

/// `gatehouse compare A B`: whether two runs of the same plan, on this host or others, are at
/// parity, and every difference between them phase by phase.
struct Compare: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare two runs for parity (OPT-3): a verdict and every difference, phase by phase.",
        discussion: """
            A and B are each a run of this journal (its id or a unique prefix) or a run record file \
            from another host (`gatehouse export RUN --format json`). Each is checked first, its chain \
            and signatures, and refused if it does not hold. Differences expected between hosts (host, \
            user, system, times, run ids, target ids, backup files) are listed apart and do not break \
            parity; docs/parity.md lists which fields are which. \
            --record-verdict journals the verdict on B (a run of this journal that has ended) as \
            run.parity_checked, the evidence a programme's `parity` requirement reads (GATE-O7). \
            Exit status: 0 parity; 1 the runs differ; 2 bad input (a run or record that cannot be read \
            or does not hold).
            """)

    /// The formats a comparison is written in.
    enum Format: String, ExpressibleByArgument, CaseIterable { case text, markdown, json }

    @Argument(help: ArgumentHelp("The reference run: a run id (or prefix) in this journal, or a run record file.", valueName: "a"))
    var first: String

    @Argument(help: ArgumentHelp("The run compared with it, likewise.", valueName: "b"))
    var second: String

    @Option(name: .long, help: "The comparison's format.")
    var format: Format = .text

    @Flag(name: .customLong("record-verdict"), help: "Journal the verdict on run B (of this journal, ended): the evidence of a programme's parity requirement.")
    var recordVerdict = false

    @Option(name: .customLong("as"), help: ArgumentHelp("Who records the verdict (default: $USER).", valueName: "name"))
    var actor: String?

    @OptionGroup var journalOptions: JournalOptions

    func validate() throws {
        if actor != nil && !recordVerdict { throw ValidationError("--as names who records the verdict: give it with --record-verdict") }
    }

    func run() throws {
        var store: RunStore?
        let inputs = try [first, second].map { name in
            try ParityInput(name, store: { () throws -> RunStore in
                if let store { return store }
                let opened = try journalOptions.openStore()
                store = opened
                return opened
            }, journalKind: { try journalOptions.address().kind })
        }
        if recordVerdict && inputs[1].source != ParitySide.journalSource {
            printError("gatehouse: --record-verdict journals the verdict on run B, which must be a run of this journal; \(second) is a record file")
            throw ExitCode(exitBadInput)
        }
        let sides = try ParityInput.checkedSides(inputs)
        let parity = RunParity(sides[0].side, sides[1].side)
        switch format {
        case .text: write(TerminalText.inert(ParityReport.text(parity)))
        case .markdown: write(TerminalText.inert(ParityReport.markdown(parity)))
        case .json: write(ParityReport.json(parity).canonical + "\n")
        }
        if recordVerdict { try record(parity, on: store, referenceHead: sides[0].head) }
        if !parity.holds { throw ExitCode(exitDiffers) }
    }

    /// Journals `parity` on its run B, a run of `store`'s journal.
    private func record(_ parity: RunParity, on store: RunStore?, referenceHead: String) throws {
        guard let store else { return }
        let by = actor ?? currentUser()
        let check = ParityCheck(parity, by: by, referenceHead: referenceHead)
        let run = parity.b.run
        try reportingErrors { try store.record(.parityChecked(check), run: run.id, actor: by) }
        printError("gatehouse: recorded on run \(run.id): \(check.summary)")
    }
}

/// Exit status of `compare` when the runs are not at parity.
let exitDiffers: Int32 = 1

/// One side of a comparison named on the command line: a record file's text, or a record of a
/// run of the journal.
struct ParityInput: Sendable {
    /// The name given: a file's path, or a run id.
    let name: String
    /// Where it is read from, as the comparison names it.
    let source: String
    /// The record file's text, parsed with the other side's.
    let text: String?
    /// The record of the journal's run.
    let record: RunRecord?

    /// The run `name` names: a file that exists is read as a run record, anything else is a run
    /// of the journal `store` opens (read as a record of it, so both are checked alike).
    init(_ name: String, store: () throws -> RunStore, journalKind: () throws -> String) throws {
        self.name = name
        if FileManager.default.fileExists(atPath: name) {
            text = try RunRecordFile.text(name)
            record = nil
            source = name
        } else {
            let store = try store()
            let run = try reportingErrors { try store.resolve(name) }
            let kind = try journalKind()
            record = try reportingErrors { try store.record(of: run, journalKind: kind, exportedAt: WallClock.system.milliseconds()) }
            text = nil
            source = ParitySide.journalSource
        }
    }

    /// Each input read and checked, two at a time (a record of 10^5 events takes a core for
    /// half a second, and the sides do not depend on each other), each with the hash of its run's
    /// last event; or exit 2 naming the first that cannot be read or does not hold.
    static func checkedSides(_ inputs: [ParityInput]) throws -> [(side: ParitySide, head: String)] {
        let tally = ProgressTally(TerminalProgress("checking \(inputs.map(\.name).joined(separator: " and "))"), unit: "events")
        defer { tally.end() }
        let outcomes = Concurrently.map(inputs) { input -> (Result<RunRecord, RunRecord.ReadError>, RunRecordCheck?) in
            let read = input.record.map { .success($0) } ?? Result { () throws(RunRecord.ReadError) in try RunRecord(json: input.text ?? "") }
            return (read, (try? read.get()).map { record in
                tally.expect(record.events.count)
                return RunRecordCheck(record) { tally.advance($0) }
            })
        }
        return try zip(inputs, outcomes).map { input, outcome in
            let record = try RunRecordFile.record(outcome.0, path: input.name)
            let side = try RunRecordFile.checkedSide(record, check: outcome.1, source: input.source, refusal: "refusing to compare")
            return (side, record.events.last { $0.runID == record.run }?.hash ?? "")
        }
    }
}
