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
            tag it made deleted. Every step is journaled. With --drill the backup is decrypted into \
            a scratch copy (a scratch database beside a PostgreSQL target's) and read, its content SHA-256 checked against the run's pre-state, the \
            result journaled (backup.drilled); the target is not touched, and the run need not \
            have ended. Exit status: 0 restored (or the drill passed); 3 the drill failed; 4 a \
            revert step failed; 6 refused; 2 bad input.
            """)

    @Argument(help: ArgumentHelp("A backup file, or the id (or prefix) of the run that took it (or of a command plan's run to revert).", valueName: "backup"))
    var backup: String

    @Option(name: .customLong("as"), help: ArgumentHelp("Who restores (default: $USER).", valueName: "name"))
    var actor: String?

    @Flag(name: .long, help: "Drill only: decrypt the backup into a scratch copy and check that it holds the run's pre-state; the target is not touched.")
    var drill = false

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
            if drill {
                printError("gatehouse: run \(named.shortID) is a command plan's: it took no backup to drill (its revert steps undo it)")
                throw ExitCode(exitBadInput)
            }
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
        if drill { return try drillBackup(of: state, by: by, store: store) }
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
        // What a rollback runbook's last step reads: the target as it is now.
        if let now = try? target?.open(readOnly: true).snapshot().sha256 {
            if now == state.facts.preStateSHA {
                write("the target's content SHA-256 is now \(now): the pre-state of run \(state.id)\n")
            } else {
                printError("gatehouse: the target's content SHA-256 is now \(now), not the pre-state \(state.facts.preStateSHA ?? "(none recorded)") of run \(state.id)")
            }
        }
    }

    /// Drills `run`'s backup: a scratch copy (decrypted when encrypted) read as a pack, its
    /// content SHA-256 against the pre-state; journaled, the target untouched.
    private func drillBackup(of run: RunState, by: String, store: RunStore) throws {
        guard let file = run.facts.backupPath, let sha = run.facts.backupSHA256 else {
            printError("gatehouse: run \(run.shortID) took no backup to drill")
            throw ExitCode(exitBadInput)
        }
        let address = try TargetOptions.address(run.start.target ?? targetOptions.targetPath)
        var content: String?
        var detail = ""
        do {
            content = try address.drill(backupPath: file, sha256: sha)
        } catch let error as TargetError {
            detail = error.description
        }
        let result = RestoreDrill(by: by, backup: file, contentSHA256: content, expectedSHA256: run.facts.preStateSHA, detail: detail)
        try reportingErrors { try store.record(.restoreDrilled(result), run: run.id, actor: by) }
        let line = "drill of \(file) (run \(run.id)): \(result.summary)\n"
        if result.passed { return write(line) }
        printError("gatehouse: " + line.dropLast())
        throw ExitCode(exitJournalBroken)
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
