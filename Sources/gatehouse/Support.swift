import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseEngine
import GatehousePostgres
import GatehouseTUI

/// The exit status for a file with errors.
let exitBadInput: Int32 = 2
/// The exit status when the journal's chain is broken.
let exitJournalBroken: Int32 = 3
/// The exit status when the dashboard cannot run on this terminal.
let exitNoTerminal: Int32 = 1

// Every command writes through these. What they print holds text from outside the program
// (command output, documents, programme text, names and reasons people typed, whatever a
// journal holds), so every control in it is shown inert (TerminalText) unless asked for raw.

/// Writes a line to standard error (``CommandOutput/current``'s), every control in it shown inert.
func printError(_ text: String) {
    CommandOutput.current.error(TerminalText.inert(text + "\n"))
}

/// Writes text to standard output (``CommandOutput/current``'s), every control in it shown inert.
func write(_ text: String) {
    CommandOutput.current.output(TerminalText.inert(text))
}

/// Writes a JSON text to standard output: controls in its strings as `\u` escapes, the values unchanged.
func writeJSON(_ json: String) {
    write(TerminalText.escapingJSON(json))
}

/// Writes text to standard output byte for byte (`gatehouse log --raw`: for a file or a pipe).
func writeRaw(_ text: String) {
    CommandOutput.current.output(text)
}

/// The option that picks a programme file; without it, the embedded O5 programme.
struct ProgrammeOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("A programme file (YAML); default: $GATEHOUSE_PROGRAMME, then the embedded O5 programme.", valueName: "file"))
    var programme: String?

    /// The programme file's path, if one is chosen (the option, then $GATEHOUSE_PROGRAMME).
    var programmePath: String? {
        programme ?? ProcessInfo.processInfo.environment["GATEHOUSE_PROGRAMME"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The programme, or exit status 2 after printing every error.
    func load() throws -> Programme {
        guard let path = programmePath else { return ProgrammeLoader.embedded() }
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

/// The exit status when a run failed at a phase or a sovereign rejected a gate.
let exitRunFailed: Int32 = 4
/// The exit status when a run was aborted.
let exitRunAborted: Int32 = 5
/// The exit status when the state machine refused what was asked (a refusal is journaled).
let exitRefused: Int32 = 6
/// A PostgreSQL server could not be used: unreachable, a role or password refused, the
/// connection lost.
let exitServerUnavailable: Int32 = 7

/// The option that picks the journal: a file, or a PostgreSQL database shared across hosts.
struct JournalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The journal: a file, or postgres://USER@HOST:PORT/DB (password from PGPASSWORD or ~/.pgpass) for runners, approvers and watchers on several hosts (default: $GATEHOUSE_JOURNAL, then $XDG_STATE_HOME/gatehouse/journal.sqlite).", valueName: "file|url"))
    var journal: String?

    /// The journal's location as given (a path, or a PostgreSQL location).
    var journalPath: String {
        JournalLocation.resolve(option: journal, environment: ProcessInfo.processInfo.environment)
    }

    /// Where the journal is, or exit status 2 after saying what is wrong with the location.
    func address() throws -> JournalAddress {
        do {
            return try JournalAddress(parsing: journalPath)
        } catch {
            printError("gatehouse: the journal location \(error)")
            throw ExitCode(exitBadInput)
        }
    }

    /// How runners of this journal are told alive from lost.
    func runnerLiveness() throws -> any RunnerLiveness {
        try address().runnerLiveness()
    }

    /// The runs in the journal (created if it does not exist yet when `create` is true).
    func openStore(create: Bool = false) throws -> RunStore {
        let address = try address()
        do {
            let store = try RunStore(journal: address.open(create: create))
            for problem in store.ignoredCheckpoints {
                printError("gatehouse: warning: \(problem); not used (the runs are read from the events instead); run `gatehouse verify`")
            }
            return store
        } catch let missing as JournalAddressError {
            printError("gatehouse: \(missing)")
            throw ExitCode(exitBadInput)
        } catch let error as JournalUnwritable {
            printError("gatehouse: \(error)")
            throw ExitCode(exitBadInput)
        } catch {
            printError("gatehouse: cannot open the journal \(address): \(error)")
            throw ExitCode(exitBadInput)
        }
    }
}

/// The option that picks the context-pack target: an SQLite file or a PostgreSQL database.
struct TargetOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The context-pack target: a file, or postgres://USER@HOST:PORT/DB with the password in PGPASSWORD or ~/.pgpass (default: $GATEHOUSE_TARGET, then context-pack.sqlite beside the default journal).", valueName: "file|url"))
    var target: String?

    /// The target as given (a path, or a PostgreSQL location).
    var targetPath: String {
        TargetLocation.resolve(option: target, environment: ProcessInfo.processInfo.environment)
    }

    /// The target, or exit 2 saying what is wrong with how it is written.
    func address() throws -> TargetAddress {
        try Self.address(targetPath)
    }

    /// `text` read as a target, or exit 2 saying what is wrong with it.
    static func address(_ text: String) throws -> TargetAddress {
        do {
            return try TargetAddress(text)
        } catch {
            printError("gatehouse: the target \(error)")
            throw ExitCode(exitBadInput)
        }
    }
}

/// Runs `body`, turning the engine's errors into a message and an exit status.
@discardableResult
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let exit as ExitCode {
        throw exit
    } catch let refusal as RunRefusal {
        printError("gatehouse: refused: \(refusal.message)")
        throw ExitCode(exitRefused)
    } catch let refusal as ProgrammeRefusal {
        printError("gatehouse: \(refusal)")
        throw ExitCode(exitRefused)
    } catch let error as ProgrammeInputError {
        printError("gatehouse: \(error)")
        throw ExitCode(exitBadInput)
    } catch let refusal as RestoreRefusal {
        printError("gatehouse: \(refusal)")
        throw ExitCode(refusal.isRefusal ? exitRefused : exitBadInput)
    } catch let error as RunStoreError {
        printError("gatehouse: \(error)")
        throw ExitCode(exitBadInput)
    } catch let error as RunnerLockError {
        printError("gatehouse: \(error)")
        throw ExitCode(exitRefused)
    } catch let failure as PostgresFailure {
        printError("gatehouse: \(failure)")
        throw ExitCode(failure.kind == .missingObject || failure.kind == .server ? exitBadInput : exitServerUnavailable)
    } catch {
        printError("gatehouse: \(error)")
        throw ExitCode(exitBadInput)
    }
}

/// A journal time (milliseconds since 1970) as `YYYY-MM-DD HH:MM:SS` UTC.
func formatTime(_ milliseconds: Int64) -> String {
    JournalTime.utc(milliseconds)
}

/// A duration in milliseconds, as `850 ms`, `12.3 s` or `4 min 05 s`.
func formatDuration(_ milliseconds: Int64) -> String {
    JournalTime.duration(milliseconds)
}

/// The user running the command, for the journal's actor field.
func currentUser() -> String {
    let environment = ProcessInfo.processInfo.environment
    return environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? environment["LOGNAME"] ?? "operator"
}
