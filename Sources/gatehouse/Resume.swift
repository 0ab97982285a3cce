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
            // A no-op that says so; the attempt is journaled as a refusal all the same.
            try? store.record(.resumed(by: actor ?? currentUser()), run: state.id, actor: actor ?? currentUser())
            write("run \(state.id) is \(outcome.word) (\(outcome.summary)); nothing to resume\n")
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
}
