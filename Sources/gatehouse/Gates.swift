import ArgumentParser
import GatehouseCore

/// `gatehouse gates`: the gate board.
struct Gates: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print gates (with effective status and what blocks them), gaps, macros and policy rules.")

    @OptionGroup var programmeOptions: ProgrammeOptions

    @Option(name: .long, help: "Output format: text or json.")
    var format: GatesExport.Format = .text

    @Flag(name: .long, help: "Plain ASCII even where the locale is UTF-8.")
    var ascii = false

    func run() throws {
        let programme = try programmeOptions.load()
        let text = GatesExport.render(programme, format: format, glyphs: glyphs(forceASCII: ascii))
        if format == .json { writeJSON(text) } else { write(text) }
    }
}
