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
        var heads: [String: String] = [:]
        func side(_ name: String) throws -> ParitySide {
            try ParityInput.side(name, store: { () throws -> RunStore in
                if let store { return store }
                let opened = try journalOptions.openStore()
                store = opened
                return opened
            }, journalKind: { try journalOptions.address().kind }, head: { heads[name] = $0 })
        }
        let parity = RunParity(try side(first), try side(second))
        if recordVerdict { try record(parity, on: store, referenceHead: heads[first] ?? "") }
        switch format {
        case .text: write(TerminalText.inert(ParityReport.text(parity)))
        case .markdown: write(TerminalText.inert(ParityReport.markdown(parity)))
        case .json: write(ParityReport.json(parity).canonical + "\n")
        }
        if !parity.holds { throw ExitCode(exitDiffers) }
    }

    /// Journals `parity` on its run B, if B is a run of `store`'s journal.
    private func record(_ parity: RunParity, on store: RunStore?, referenceHead: String) throws {
        guard parity.b.source == ParitySide.journalSource, let store else {
            printError("gatehouse: --record-verdict journals the verdict on run B, which must be a run of this journal; \(second) is a record file")
            throw ExitCode(exitBadInput)
        }
        let by = actor ?? currentUser()
        let check = ParityCheck(parity, by: by, referenceHead: referenceHead)
        let run = parity.b.run
        try reportingErrors { try store.record(.parityChecked(check), run: run.id, actor: by) }
        printError("gatehouse: recorded on run \(run.id): \(check.summary)")
    }
}

/// Exit status of `compare` when the runs are not at parity.
let exitDiffers: Int32 = 1

/// One side of a comparison named on the command line: a record file, or a run of the journal.
enum ParityInput {
    /// The run `name` names, checked: a file that exists is read as a run record, anything else
    /// is a run of the journal `store` opens (read as a record of it, so both are checked alike).
    /// `head` is given the hash of the run's last event, which a recorded verdict names.
    static func side(_ name: String, store: () throws -> RunStore, journalKind: () throws -> String,
                     head: (String) -> Void = { _ in }) throws -> ParitySide {
        let record: RunRecord
        let source: String
        if FileManager.default.fileExists(atPath: name) {
            record = try RunRecordFile.read(name)
            source = name
        } else {
            let store = try store()
            let run = try reportingErrors { try store.resolve(name) }
            let kind = try journalKind()
            record = try reportingErrors { try store.record(of: run, journalKind: kind, exportedAt: WallClock.system.milliseconds()) }
            source = ParitySide.journalSource
        }
        let side = try RunRecordFile.checkedSide(record, source: source, refusal: "refusing to compare")
        head(record.runEvents.last?.hash ?? "")
        return side
    }
}
