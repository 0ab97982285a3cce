import Foundation
import GatehouseCore

/// Undoes what a LIVE run of a command plan changed, newest change first: each phase's own
/// revert command (its scripts' bytes checked against the package first), and the local tag
/// the tag step made deleted. Each step is journaled as `phase.reverted`, its output as log
/// lines of the run.
///
/// Refused with nothing done while the run has not ended, while the kill-switch is on for any
/// run, when the run changed nothing, or when a phase that changed the host has no revert.
public struct PackageRevert {
    public var store: RunStore
    /// Where each step's output line goes as well (the terminal).
    public var output: (String) -> Void

    public init(store: RunStore, output: @escaping (String) -> Void) {
        self.store = store
        self.output = output
    }

    /// Reverts `runID` as `actor`; the phases reverted, newest first.
    /// - Throws: ``RestoreRefusal`` or ``RevertError`` (nothing done), ``RevertError/failed(phase:reason:)``
    ///   when a step failed (the steps before it done and journaled), the journal's errors.
    public func revert(run runID: String, by actor: String) throws -> [String] {
        try store.refresh()
        guard let run = store.ledger[runID] else { throw RunStoreError.noSuchRun(runID) }
        guard run.isEnded else { throw RestoreRefusal.notEnded(run: run.id) }
        if let holder = store.ledger.killSwitchHolder { throw RestoreRefusal.switchOn(holder: holder) }
        guard run.mode == .live else { throw RevertError.nothingChanged(run: run.id, why: "it was a dry run") }
        let changed = run.phases.filter { $0.status == .done && $0.phase.mutates && !run.revertedPhases.contains($0.phase.id) }
            .map(\.phase).reversed()
        guard !changed.isEmpty else {
            throw RevertError.nothingChanged(run: run.id, why: run.revertedPhases.isEmpty ? "no phase of it changed the host" : "it was reverted already")
        }
        for phase in changed {
            if case .command = phase.action, phase.revert == nil { throw RevertError.noRevert(run: run.id, phase: phase.id) }
        }
        let directory = run.start.directory ?? FileManager.default.currentDirectoryPath
        let shell = ShellPhaseExecutor(workingDirectory: directory, environment: ProcessInfo.processInfo.environment)
        let host = HostSteps(shell: shell, directory: directory)
        var reverted: [String] = []
        for phase in changed {
            let (succeeded, detail) = undo(phase, run: run, shell: shell, host: host)
            try store.record(.phaseReverted(phase: phase.id, by: actor, succeeded: succeeded, detail: detail), run: run.id, actor: actor)
            output("\(phase.id): \(succeeded ? "reverted" : "REVERT FAILED"): \(detail)")
            guard succeeded else { throw RevertError.failed(phase: phase.id, reason: detail) }
            reverted.append(phase.id)
        }
        return reverted
    }

    private func undo(_ phase: PlanPhase, run: RunState, shell: ShellPhaseExecutor, host: HostSteps) -> (Bool, String) {
        switch phase.action {
        case .host(.tag(let tag)):
            return untag(tag, run: run)
        case .command:
            guard let revert = phase.revert else { return (false, "no revert declared") }
            if let changed = host.changedFile(of: revert, phase: phase, run: run) { return (false, changed + "; the revert was not run") }
            let outcome = shell.run(revert, mode: .live, runID: run.id, phaseID: "revert:\(phase.id)",
                                    onLine: { line in
                                        try? store.record(.log(phase: "revert:\(phase.id)", stream: line.stream.rawValue, text: line.text),
                                                          run: run.id, actor: "revert")
                                        output("  \(line.stream == .stderr ? "!" : "|") \(line.text)")
                                    },
                                    shouldStop: { false })
            if case .succeeded = outcome { return (true, "`\(revert.command)` succeeded") }
            return (false, "`\(revert.command)` \(outcome.description)")
        default:
            return (true, "nothing to undo")
        }
    }

    private func untag(_ tag: LocalTag, run: RunState) -> (Bool, String) {
        guard run.facts.tagCreated == true else { return (true, "the tag \(tag.name) was there before the run; left as it is") }
        guard let repository = run.start.plan.identity?.repository, let commit = repository.commit else {
            return (false, "the plan pins no repository commit")
        }
        let git = GitRepository(path: repository.path)
        do {
            guard let target = try git.tagTarget(tag.name) else { return (true, "the tag \(tag.name) is gone already") }
            guard target.hasPrefix(commit) || commit.hasPrefix(target) else {
                return (false, "the tag \(tag.name) now names \(target), not the \(commit) this run tagged; left as it is")
            }
            try git.deleteTag(tag.name)
            return (true, "git tag --delete \(tag.name) in \(repository.path)")
        } catch {
            return (false, "cannot delete the tag \(tag.name): \(error)")
        }
    }
}

/// Why a revert was not done (nothing changed), or where it stopped.
public enum RevertError: Error, Equatable, CustomStringConvertible {
    case nothingChanged(run: String, why: String)
    case noRevert(run: String, phase: String)
    case failed(phase: String, reason: String)

    public var description: String {
        switch self {
        case .nothingChanged(let run, let why): "run \(run) has nothing to revert: \(why)"
        case .noRevert(let run, let phase):
            "phase \(phase) of run \(run) changed the host and declares no revert; nothing was reverted (undo it by hand, or add a revert to the plan)"
        case .failed(let phase, let reason): "the revert of \(phase) failed: \(reason); the phases after it were not reverted"
        }
    }
}
