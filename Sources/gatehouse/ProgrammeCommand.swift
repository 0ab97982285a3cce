import ArgumentParser
import GatehouseEngine

/// `gatehouse programme`: prints the embedded programme file, a start for your own.
struct ProgrammeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "programme",
        abstract: "Print the embedded O5 programme file (a complete example to start your own from).")

    func run() throws {
        write(EmbeddedProgramme.o5)
    }
}
