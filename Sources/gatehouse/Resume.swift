import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseEngine

/// `gatehouse resume RUN`: takes up a run whose runner crashed or was stopped.
struct Resume: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Resume a run whose runner stopped or crashed (a closed run: says so and does nothing).",
        discussion: "The kill-switch is off after a resume until it is enabled again for the run. Exit status as for `run`.")

    @Argument(help: ArgumentHelp("The run's id or a unique prefix of it.", valueName: "run"))
    var runName: String

    @Option(name: .customLong("as"), help: ArgumentHelp("Who resumes it (default: $USER).", valueName: "name"))
    var actor: String?

    @OptionGroup var journalOptions: JournalOptions
    @OptionGroup var targetOptions: TargetOptions

    func run() throws {
        let store = try journalOptions.openStore()
        let state = try reportingErrors { try store.resolve(runName) }
        if let outcome = state.outcome {
            let check = try reportingErrors { try resumeToNothing(state, store: store) }
            write("run \(state.id) is \(outcome.word) (\(outcome.summary)): \(check.summary)\n")
            if check.targetUnchanged == false {
                printError("gatehouse: the target is not as run \(state.shortID) left it; `gatehouse compare` shows it against another run")
            }
            return
        }
        let stop = StopSignal()
        stop.catchSignals()
        let lock = try reportingErrors { try journalOptions.runnerLiveness().claim(run: state.id) }
        let target = try TargetOptions.address(state.start.target ?? targetOptions.targetPath)
        try reportingErrors {
            if state.runnerAttached {
                try store.record(.runnerLost(reason: "its runner process is gone (crashed or killed) without recording it"),
                                 run: state.id, actor: actor ?? currentUser())
            }
            try store.record(.resumed(by: actor ?? currentUser()), run: state.id, actor: actor ?? currentUser())
        }
        write("run \(state.id): resumed (\(state.mode.label)); the kill-switch is off\n")
        let host = RunnerHost(store: store, journalPath: journalOptions.journalPath, target: target,
                              workingDirectory: state.start.directory ?? FileManager.default.currentDirectoryPath)
        withExtendedLifetime(lock) {
            host.drive(state.id, stop: stop)
        }
    }

    /// Journals the resume of an ended run: nothing run, and what its target holds now
    /// against what the run left (read-only; a target that cannot be read is said, not fatal).
    private func resumeToNothing(_ state: RunState, store: RunStore) throws -> ResumeCheck {
        var found: TargetSnapshot?
        var detail = ""
        if let location = state.start.target {
            do {
                found = try TargetAddress(location).open(readOnly: true).snapshot()
            } catch {
                detail = "the target \(location) could not be read: \(error)"
            }
        }
        let by = actor ?? currentUser()
        let check = ResumeCheck(of: state, by: by, found: found, detail: detail)
        try store.record(.resumeNoOp(check), run: state.id, actor: by)
        return check
    }
}
