import ArgumentParser
import GatehouseCore

/// `gatehouse matrix`: the comparative summary and the recommended combination.
struct Matrix: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the option matrix (the comparative summary) and the recommended combination.")

    @OptionGroup var programmeOptions: ProgrammeOptions

    @Option(name: .long, help: "Output format: text, markdown or json.")
    var format: MatrixExport.Format = .text

    @Option(name: .long, help: ArgumentHelp("Sort rows by this axis id (best first) instead of document order.", valueName: "axis"))
    var sort: String?

    @Flag(name: .long, help: "Draw stars and arrows in ASCII even where the locale is UTF-8.")
    var ascii = false

    func run() throws {
        let programme = try programmeOptions.load()
        var order = MatrixOrder.document
        if let sort {
            guard let axis = programme.axis(sort), axis.summary != .none else {
                let axes = programme.axes.filter { $0.summary != .none }.map(\.id).joined(separator: ", ")
                throw ValidationError("--sort '\(sort)' is not a summarised axis of this programme; expected one of \(axes)")
            }
            order = .axis(axis.id)
        }
        // Markdown and JSON are documents: always UTF-8 unless --ascii asks otherwise.
        let glyphs: GlyphSet = format == .text ? glyphs(forceASCII: ascii) : (ascii ? .ascii : .unicode)
        let text = MatrixExport.render(programme, format: format, glyphs: glyphs, order: order)
        if format == .json { writeJSON(text) } else { write(text) }
    }
}
