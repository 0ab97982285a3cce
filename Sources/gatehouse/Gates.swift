import ArgumentParser
import GatehouseCore
import GatehouseEngine

/// `gatehouse gates`: the gate board.
struct Gates: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print gates (with effective status and what blocks them), gaps, macros and policy rules.")

    @OptionGroup var programmeOptions: ProgrammeOptions
    @OptionGroup var journalOptions: JournalOptions

    @Option(name: .long, help: "Output format: text or json.")
    var format: GatesExport.Format = .text

    @Flag(name: .long, help: "Plain ASCII even where the locale is UTF-8.")
    var ascii = false

    func run() throws {
        let programme = try programmeOptions.load()
        // The live board: the file's gates with what the journal records (the file's alone
        // while there is no journal yet).
        let address = try journalOptions.address()
        let board = try reportingErrors { () -> GateBoard in
            guard let journal = try address.openForReading() else { return GateBoard(programme) }
            return try RunStore(journal: journal).ledger.programme.board(ProgrammeCharter(programme))
        }
        let text = GatesExport.render(programme, board: board, format: format, glyphs: glyphs(forceASCII: ascii))
        if format == .json { writeJSON(text) } else { write(text) }
    }
}
