import Foundation
import GatehouseEngine

/// Where the journal is, as `--journal` or `GATEHOUSE_JOURNAL` names it: an SQLite file (the
/// default), or a PostgreSQL database (`postgres://USER@HOST:PORT/DB`) for a runner,
/// approvers and watchers on different hosts.
///
/// It opens the journal, tells live runners from lost ones, and says where the files a
/// journal's processes keep on this host go, whichever journal it is.
public enum JournalAddress: Sendable, Equatable, CustomStringConvertible {
    case file(String)
    case postgres(PostgresLocation)

    /// Reads a journal location: a PostgreSQL one when it starts with `postgres://` or
    /// `postgresql://`, else a file path.
    public init(parsing text: String) throws(PostgresLocationError) {
        self = PostgresLocation.isPostgres(text) ? .postgres(try PostgresLocation(parsing: text)) : .file(text)
    }

    /// The path, or the location (it has no password): for messages, and for the runners a
    /// process starts.
    public var description: String {
        switch self {
        case .file(let path): path
        case .postgres(let location): location.description
        }
    }

    /// The kind of journal, as a run's fingerprint records it: `sqlite` or `postgresql`.
    public var kind: String {
        switch self {
        case .file: "sqlite"
        case .postgres: "postgresql"
        }
    }

    /// Opens the journal to append to it, creating it when `create` is true.
    ///
    /// - Throws: ``JournalAddressError/noJournal(_:)`` when there is none and `create` is false;
    ///   the journal's own errors otherwise.
    public func open(create: Bool, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> any Journal {
        switch self {
        case .file(let path):
            guard create || FileManager.default.fileExists(atPath: path) else { throw JournalAddressError.noJournal(self) }
            return try SQLiteJournal(path: path)
        case .postgres(let location):
            do {
                return try PostgresJournal(location: location, create: create, environment: environment)
            } catch let error as PostgresJournalError where error.kind == .noJournal {
                throw JournalAddressError.noJournal(self)
            }
        }
    }

    /// Opens the journal to read it (a watcher, `gatehouse verify`): an SQLite file read-only;
    /// nothing is created. Nil while there is no journal there yet.
    public func openForReading(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> (any Journal)? {
        switch self {
        case .file(let path):
            guard FileManager.default.fileExists(atPath: path) else { return nil }
            return try SQLiteJournal(readingOnly: path)
        case .postgres(let location):
            do {
                return try PostgresJournal(location: location, create: false, environment: environment)
            } catch let error as PostgresJournalError where error.kind == .noJournal {
                return nil
            }
        }
    }

    /// How this journal's processes tell a live runner from a lost one: a file lock beside an
    /// SQLite journal, an advisory lock on the PostgreSQL server (it sees every host).
    public func runnerLiveness(environment: [String: String] = ProcessInfo.processInfo.environment) -> any RunnerLiveness {
        switch self {
        case .file(let path): RunnerLockFiles(journalPath: path)
        case .postgres(let location): PostgresRunnerLiveness(location: location, environment: environment)
        }
    }

    /// The directory on this host for the output of runners a dashboard starts: beside an
    /// SQLite journal, else `runners` in Gatehouse's state directory
    /// (`$XDG_STATE_HOME/gatehouse`, then `~/.local/state/gatehouse`).
    public func runnerOutputDirectory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        switch self {
        case .file(let path):
            return path + ".runners"
        case .postgres:
            let defaultJournal = JournalLocation.resolve(option: nil, environment: environment.filter { $0.key != "GATEHOUSE_JOURNAL" })
            return URL(fileURLWithPath: defaultJournal).deletingLastPathComponent().appendingPathComponent("runners").path
        }
    }
}

/// A journal that is not where it was looked for.
public enum JournalAddressError: Error, Equatable, CustomStringConvertible {
    case noJournal(JournalAddress)

    public var description: String {
        switch self {
        case .noJournal(.file(let path)):
            "no journal at \(path) (start a run with `gatehouse run --dry-run`, or give --journal FILE)"
        case .noJournal(.postgres(let location)):
            "no journal in \(location) (no schema \(PostgresJournal.schema) with its tables); start a run with `gatehouse run --dry-run --journal \(location)`, which creates it"
        }
    }
}
