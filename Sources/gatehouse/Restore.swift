import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseEngine

/// `gatehouse restore BACKUP`: puts the target back to a backup a LIVE run took.
struct Restore: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Restore the target from a journaled backup (a backup file, or the id of the run that took it), or revert a LIVE run of a command plan.",
        discussion: """
            A sovereign of the run signs the restore (--as, --key for ed25519) and types the phrase \
            `RESTORE <short id>` (--confirm, or asked on a terminal). The run must have ended and no \
            run may hold the kill-switch; the backup is drilled again first (its SHA-256 against the \
            journal, its content against the run's pre-state), and while the target is written no \
            kill-switch goes on. A refusal is journaled and touches nothing. For a run of a command plan (a package), its changing phases are undone newest \
            first: each phase's revert (its scripts' bytes checked against the package), the \
            tag it made deleted. Every step is journaled. With --drill the backup is decrypted into \
            a scratch copy (a scratch database beside a PostgreSQL target's) and read, its content SHA-256 checked against the run's pre-state, the \
            result journaled (backup.drilled); the target is not touched, and the run need not \
            have ended. Exit status: 0 restored (or the drill passed); 3 the drill failed; 4 a \
            revert step failed; 6 refused; 2 bad input.
            """)

    @Argument(help: ArgumentHelp("A backup file, or the id (or prefix) of the run that took it (or of a command plan's run to revert).", valueName: "backup"))
    var backup: String

    @Option(name: .customLong("as"), help: ArgumentHelp("The sovereign who signs the restore, or who drills (default: $USER).", valueName: "name"))
    var actor: String?

    @Flag(name: .long, help: "Drill only: decrypt the backup into a scratch copy and check that it holds the run's pre-state; the target is not touched.")
    var drill = false

    @Option(name: .long, help: ArgumentHelp("The phrase, typed out: `RESTORE <short id>` (asked for on a terminal when not given).", valueName: "phrase"))
    var confirm: String?

    @Option(name: .long, help: ArgumentHelp("The sovereign's ed25519 private key file (mode 0600) that signs the restore; an ssh sovereign signs with the key in the SSH agent at SSH_AUTH_SOCK instead.", valueName: "file"))
    var key: String?

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
        let address = try TargetOptions.address(state.start.target ?? targetOptions.targetPath)
        let phrase = try typedPhrase(for: state, target: address)
        let progress = TerminalProgress("restore")
        let restore = try reportingErrors {
            // Cleared before an error is printed, as well as after the restore.
            defer { progress.end() }
            let acts = RunActs(store: store, liveness: try journalOptions.runnerLiveness(), passphrase: TerminalPassphrase.ask)
            askForTouch(of: by, in: state)
            return try acts.restore(run: state.id, as: by, keyFile: key, typed: phrase) { file, sha in
                try address.putBack(state, file: file, sha256: sha, step: progress.step)
            }
        }
        write("restored \(address.description) from \(restore.backup) (SHA-256 \(restore.sha256.prefix(12))…, taken by run \(state.id)), signed by \(by)\n")
        // What a rollback runbook's last step reads: the target as it is now.
        if let now = restore.contentSHA256, now == state.facts.preStateSHA {
            write("the target's content SHA-256 is now \(now): the pre-state of run \(state.id)\n")
        } else {
            printError("gatehouse: the target's content SHA-256 is now \(restore.contentSHA256 ?? "(unread)"), not the pre-state \(state.facts.preStateSHA ?? "(none recorded)") of run \(state.id)")
            throw ExitCode(exitRunFailed)
        }
    }

    /// The phrase the person typed: `--confirm`, or asked for on the terminal.
    private func typedPhrase(for run: RunState, target: TargetAddress) throws -> String {
        if let confirm { return confirm }
        let phrase = RestoreStatement.phrase(for: run)
        guard isatty(STDIN_FILENO) == 1 else {
            printError("gatehouse: a restore writes over \(target.description): give --confirm '\(phrase)' (typed out), or run it on a terminal to be asked; nothing was restored")
            throw ExitCode(exitBadInput)
        }
        printError("This puts \(target.description) back to run \(run.shortID)'s backup \(run.facts.backupPath ?? ""), replacing what it holds now.")
        CommandOutput.current.error(TerminalText.inert("Type '\(phrase)' to restore: "))
        return readLine(strippingNewline: true) ?? ""
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
