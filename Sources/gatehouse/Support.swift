import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseEngine
import GatehouseTUI

/// The exit status for a file with errors.
let exitBadInput: Int32 = 2
/// The exit status when the journal's chain is broken.
let exitJournalBroken: Int32 = 3
/// The exit status when the dashboard cannot run on this terminal.
let exitNoTerminal: Int32 = 1

/// Writes a line to standard error.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Writes text to standard output as it is.
func write(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}

/// The option that picks a programme file; without it, the embedded O5 programme.
struct ProgrammeOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("A programme file (YAML); the embedded O5 programme if omitted.", valueName: "file"))
    var programme: String?

    /// The programme, or exit status 2 after printing every error.
    func load() throws -> Programme {
        guard let path = programme else { return ProgrammeLoader.embedded() }
        switch ProgrammeLoader.load(path: path) {
        case .success(let programme):
            return programme
        case .failure(let errors):
            printError(errors.description)
            throw ExitCode(exitBadInput)
        }
    }
}

/// Unicode glyphs where the locale is UTF-8, ASCII otherwise or when asked.
func glyphs(forceASCII: Bool) -> GlyphSet {
    forceASCII || !NcursesTerminal.localeIsUTF8() ? .ascii : .unicode
}

extension MatrixExport.Format: ExpressibleByArgument {}
extension GatesExport.Format: ExpressibleByArgument {}
