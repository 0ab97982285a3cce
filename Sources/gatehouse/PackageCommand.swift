import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseEngine

/// `gatehouse package`: the command-review package of a plan of shell commands.
struct PackageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "package",
        abstract: "Build a plan's command-review package, or show one for review.",
        discussion: """
            A package holds every phase of a plan with its exact command line, folder, variables, \
            timeout, whether it changes the host and its revert; the identity the run must find; \
            the pre-state probe; and the bytes and SHA-256 of every file it runs, under one digest. \
            `gatehouse run --package FILE` runs exactly that package. The file is a tar archive: \
            `tar tf FILE` lists it.
            """,
        subcommands: [Build.self, Show.self])

    /// `gatehouse package build`.
    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build the command-review package of a plan. Exit status: 0 built; 2 bad input.")

        @Option(name: .long, help: ArgumentHelp("The plan of shell commands to package.", valueName: "name"))
        var plan: String

        @Option(name: .long, help: ArgumentHelp("Where to write the package (replaced whole).", valueName: "file"))
        var output: String

        @OptionGroup var programmeOptions: ProgrammeOptions

        func run() throws {
            let programme = try programmeOptions.load()
            let base = programmeOptions.programmePath
                .map { URL(fileURLWithPath: $0).standardizedFileURL.deletingLastPathComponent().path }
                ?? FileManager.default.currentDirectoryPath
            let hashing = TerminalProgress("hashing files")
            let writing = TerminalProgress("writing \(output)")
            let package = try packageErrors {
                let package = try PackageBuilder(programme: programme, base: base).build(plan: plan) { hashing.bytes($0.bytes, of: $0.totalBytes) }
                hashing.end()
                try PackageArchive.write(package, from: base, to: output) { writing.bytes($0.bytes, of: $0.totalBytes) }
                writing.end()
                return package
            }
            let bytes = package.files.reduce(Int64(0)) { $0 + $1.size }
            write("package \(output): plan \(package.plan.id), \(package.plan.phases.count) phases, \(package.files.count) files (\(bytes) bytes)\n")
            write("digest \(package.digest)\n")
            write("review it with `gatehouse package show \(output)`; run it with `gatehouse run --package \(output)`\n")
        }
    }

    /// `gatehouse package show`.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a package (its digest and every file's bytes) and show it for review. Exit status: 0 it holds; 2 it does not, or cannot be read.")

        @Argument(help: ArgumentHelp("The package file.", valueName: "file"))
        var file: String

        @Option(name: .long, help: "Output format: text, markdown or json.")
        var format: PackageReview.Format = .text

        func run() throws {
            let progress = TerminalProgress("checking \(file)")
            let package = try packageErrors {
                try PackageArchive.read(file) { progress.bytes($0.bytes, of: $0.totalBytes) }
            }
            progress.end()
            let text = PackageReview.render(package, format: format)
            if format == .json { writeJSON(text) } else { write(text) }
        }
    }
}

extension PackageReview.Format: ExpressibleByArgument {}

/// Runs `body`; a package that cannot be built or does not hold is printed and exits 2.
func packageErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        printError("gatehouse: \(error)")
        throw ExitCode(exitBadInput)
    }
}
