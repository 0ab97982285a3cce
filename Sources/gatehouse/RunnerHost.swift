import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseEngine

/// Wires a runner for the command line: the target, the shell, signals, crash points and the
/// exit status that tells a script how the run ended.
struct RunnerHost {
    var store: RunStore
    var journalPath: String
    var target: TargetAddress
    var workingDirectory: String

    /// Drives `runID` (whose lock the caller holds) and exits with the status its ending calls for.
    func drive(_ runID: String, stop: StopSignal) -> Never {
        let cut = ProductionCutSteps(
            openTarget: { [target] readOnly in try target.open(readOnly: readOnly) },
            backupDirectory: target.backupDirectory,
            verifyJournal: { [store] in try store.journal.verify() })
        let runner = Runner(
            store: store, runID: runID, cut: cut,
            shell: ShellPhaseExecutor(workingDirectory: workingDirectory, environment: ProcessInfo.processInfo.environment),
            stop: stop, faults: .fromEnvironment(),
            output: { line in write(line + "\n") })
        let ending: Runner.Ending
        do {
            ending = try runner.drive()
        } catch {
            printError("gatehouse: the runner stopped: \(error)")
            Foundation.exit(exitBadInput)
        }
        switch ending {
        case .finished(.closed):
            write("run \(runID): closed out\n")
            Foundation.exit(0)
        case .finished(let outcome):
            printError("run \(runID): \(outcome.summary)")
            if case .aborted = outcome { Foundation.exit(exitRunAborted) }
            Foundation.exit(exitRunFailed)
        case .stopped(let signal):
            printError("run \(runID): runner stopped by signal \(signal); the kill-switch is off; resume with `gatehouse resume \(runID)`")
            Foundation.exit(128 + signal)
        }
    }
}
