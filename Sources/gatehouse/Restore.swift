import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseEngine

/// `gatehouse restore BACKUP`: puts the target back to a backup a LIVE run took.
struct Restore: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Restore the target from a journaled backup (a backup file, or the id of the run that took it), or revert a LIVE run of a command plan.",
        discussion: """
            The backup's SHA-256 must match the one journaled when it was taken; the run must have \
            ended. For a run of a command plan (a package), its changing phases are undone newest \
            first: each phase's revert (its scripts' bytes checked against the package), the \
            tag it made deleted. Every step is journaled. Exit status: 0 restored; 4 a revert \
            step failed; 6 refused; 2 bad input.
            """)

    @Argument(help: ArgumentHelp("A backup file, or the id (or prefix) of the run that took it (or of a command plan's run to revert).", valueName: "backup"))
    var backup: String

    @Option(name: .customLong("as"), help: ArgumentHelp("Who restores (default: $USER).", valueName: "name"))
    var actor: String?

    @OptionGroup var journalOptions: JournalOptions
    @OptionGroup var targetOptions: TargetOptions

    func run() throws {
        let store = try journalOptions.openStore()
        let path = backup.hasPrefix("/") ? backup : FileManager.default.currentDirectoryPath + "/" + backup
        let candidates = store.ledger.newestFirst.filter { state in
            state.facts.backupPath.map { URL(fileURLWithPath: $0).standardizedFileURL.path } == URL(fileURLWithPath: path).standardizedFileURL.path
        }
        let state: RunState
        if candidates.isEmpty, let named = try? store.resolve(backup), named.start.package != nil {
            try revert(named, store: store)
            return
        }
        if let match = candidates.first {
            state = match
        } else if let named = try? store.resolve(backup), named.facts.value(of: .backupPath) != nil {
            state = named
        } else {
            printError("gatehouse: no journaled backup '\(backup)': give a backup file a LIVE run took, or that run's id (see `gatehouse status RUN`)")
            throw ExitCode(exitBadInput)
        }
        let by = actor ?? currentUser()
        var target: TargetAddress?
        let (file, sha) = try reportingErrors {
            try RunActs(store: store).restore(run: state.id, by: by) { file, sha in
                let address = try TargetOptions.address(state.start.target ?? targetOptions.targetPath)
                target = address
                try GnuPG.restoring(file, sha256: sha) { plain, plainSHA in
                    try address.restore(backupPath: plain, expectedSHA256: plainSHA)
                }
            }
        }
        write("restored \(target?.description ?? "the target") from \(file) (SHA-256 \(sha.prefix(12))…, taken by run \(state.id))\n")
    }

    /// Reverts a LIVE run of a command plan, step by step on the terminal.
    private func revert(_ run: RunState, store: RunStore) throws {
        let by = actor ?? currentUser()
        do {
            let reverted = try PackageRevert(store: store) { write("[\(String(run.id.prefix(8)))] \($0)\n") }.revert(run: run.id, by: by)
            write("run \(run.id): reverted \(reverted.joined(separator: ", "))\n")
        } catch let refusal as RestoreRefusal {
            printError("gatehouse: \(refusal)")
            throw ExitCode(refusal.isRefusal ? exitRefused : exitBadInput)
        } catch let error as RevertError {
            printError("gatehouse: \(error)")
            if case .failed = error { throw ExitCode(exitRunFailed) }
            throw ExitCode(exitRefused)
        }
    }
}
