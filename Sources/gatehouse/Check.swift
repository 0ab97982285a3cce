import ArgumentParser
import GatehouseEngine

/// `gatehouse check FILE...`: validates programme files.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate programme files: print OK, or every error as FILE:LINE:COLUMN: message (exit 2).")

    @Argument(help: ArgumentHelp("Programme files to check.", valueName: "file"))
    var files: [String]

    func run() throws {
        var failed = false
        for file in files {
            switch ProgrammeLoader.load(path: file) {
            case .success(let programme):
                write("\(file): OK (\(programme.info.id): \(programme.options.count) options, \(programme.axes.count) axes, \(programme.gates.count) gates)\n")
            case .failure(let errors):
                failed = true
                printError(errors.description)
                let count = errors.errors.count
                printError("\(file): \(count) error\(count == 1 ? "" : "s")")
            }
        }
        if failed { throw ExitCode(exitBadInput) }
    }
}
