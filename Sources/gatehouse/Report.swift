import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseEngine

/// `gatehouse report`: the programme's state as a document, every gate with its signatures.
struct Report: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the programme's state as a document: every gate's result with its signatures, the evidence, gaps, the kill-switch lines and refusals.",
        discussion: """
            The result block follows the seed's "G3 result" section, for every gate. Read from the \
            journal (the file's own state while there is none). Exit status: 0; 3 when the journal's \
            chain is broken (the report is printed, marked as not to be trusted); 2 bad input.
            """)

    @Option(name: .long, help: "Output format: markdown or json.")
    var format: ProgrammeReport.Format = .markdown

    @OptionGroup var programmeOptions: ProgrammeOptions
    @OptionGroup var journalOptions: JournalOptions

    func run() throws {
        let programme = try programmeOptions.load()
        let address = try journalOptions.address()
        let (board, runs, head) = try reportingErrors { () -> (GateBoard, [RunState], ProgrammeReport.JournalHead?) in
            guard let journal = try address.openForReading() else { return (GateBoard(programme), [], nil) }
            let store = try RunStore(journal: journal)
            let chain = try journal.verify()
            let head: ProgrammeReport.JournalHead
            switch chain {
            case .intact(let count, let hash):
                head = ProgrammeReport.JournalHead(address: address.description, sequence: Int64(count), hash: hash, intact: true)
            case .broken(let sequence, _):
                head = ProgrammeReport.JournalHead(address: address.description, sequence: sequence, hash: "", intact: false)
            }
            return (store.ledger.programme.board(ProgrammeCharter(programme)), store.ledger.newestFirst, head)
        }
        let text = ProgrammeReport.render(programme, board: board, runs: runs, journal: head, format: format)
        switch format {
        case .markdown: write(TerminalText.inert(text))
        case .json: writeJSON(text)
        }
        if head?.intact == false { throw ExitCode(exitJournalBroken) }
    }
}

extension ProgrammeReport.Format: ExpressibleByArgument {}
