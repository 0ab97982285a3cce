import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseEngine

/// `gatehouse restore BACKUP`: puts the target back to a backup a LIVE run took.
struct Restore: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Restore the target from a journaled backup (a backup file, or the id of the run that took it).",
        discussion: """
            The backup's SHA-256 must match the one journaled when it was taken; the run must have \
            ended. The restore is journaled. Exit status: 0 restored; 6 refused; 2 bad input.
            """)

    @Argument(help: ArgumentHelp("A backup file, or the id (or prefix) of the run that took it.", valueName: "backup"))
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
        if let match = candidates.first {
            state = match
        } else if let named = try? store.resolve(backup), named.facts.value(of: .backupPath) != nil {
            state = named
        } else {
            printError("gatehouse: no journaled backup '\(backup)': give a backup file a LIVE run took, or that run's id (see `gatehouse status RUN`)")
            throw ExitCode(exitBadInput)
        }
        guard let file = state.facts.backupPath, let sha = state.facts.backupSHA256 else {
            printError("gatehouse: run \(state.id) took no backup")
            throw ExitCode(exitBadInput)
        }
        guard state.isEnded else {
            printError("gatehouse: refused: run \(state.id) has not ended; abort it first (`gatehouse abort \(state.id) --reason TEXT`)")
            throw ExitCode(exitRefused)
        }
        if let holder = store.ledger.killSwitchHolder {
            printError("gatehouse: refused: the kill-switch is on for run \(holder); restore only while no run may write")
            throw ExitCode(exitRefused)
        }
        let target = try TargetOptions.address(state.start.target ?? targetOptions.targetPath)
        let by = actor ?? currentUser()
        try reportingErrors {
            try target.restore(backupPath: file, expectedSHA256: sha)
            try store.record(.targetRestored(backup: file, sha256: sha, by: by), run: state.id, actor: by)
        }
        write("restored \(target.description) from \(file) (SHA-256 \(sha.prefix(12))…, taken by run \(state.id))\n")
    }
}
