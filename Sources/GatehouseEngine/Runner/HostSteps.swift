import Foundation
import GatehouseCore

/// A command plan's own steps and checks, performed by the runner on the host it runs on: the
/// identity guards, the pre-state probe, the local tag, and before every phase that changes
/// the host the guards again, the probe again (abort-on-drift) and each script's bytes.
public struct HostSteps {
    /// Runs a probe command (in the run's folder).
    public var shell: ShellPhaseExecutor
    /// The run's folder, which the package's files are under.
    public var directory: String
    /// The host name and user as the guards see them (the process's own, unless a test says).
    public var host: String
    public var user: String

    public init(shell: ShellPhaseExecutor, directory: String,
                host: String = RunnerIdentity.current.host, user: String = HostSteps.currentUser()) {
        self.shell = shell
        self.directory = directory
        self.host = host
        self.user = user
    }

    // MARK: - The steps

    /// Performs `step` of `run`; `writes` is false in a dry run (the tag is not made).
    public func perform(_ step: HostStep, run: RunState, writes: Bool) -> PhaseResult {
        switch step {
        case .identityGuards:
            let problems = identityProblems(run)
            guard problems.isEmpty else { return .failed("identity guards: " + problems.joined(separator: "; ")) }
            var facts = RunFacts()
            let identity = run.start.plan.identity
            if identity?.host != nil { facts.hostName = host }
            if identity?.user != nil { facts.userName = user }
            facts.repositoryCommit = identity?.repository?.commit
            return .done(facts)
        case .preState:
            guard let probe = run.start.plan.preState else { return .failed("the plan declares no pre_state probe") }
            do {
                let reading = try read(probe, run: run)
                return .done(RunFacts(preStateSHA: reading.digest, preStateReading: reading))
            } catch {
                return .failed("the pre-state probe failed: \(error)")
            }
        case .tag(let tag):
            return makeTag(tag, run: run, writes: writes)
        }
    }

    /// Why `phase`, which changes the host, must not start (identity, drift, a script's bytes),
    /// in a sentence; nil when it may. Nothing has run when it says no.
    public func refusal(before phase: PlanPhase, of run: RunState) -> String? {
        if phase.mutates {
            if run.start.plan.identity != nil {
                let problems = identityProblems(run)
                if !problems.isEmpty { return "identity guards before \(phase.id): " + problems.joined(separator: "; ") + "; nothing was run" }
            }
            if let probe = run.start.plan.preState, let expected = run.facts.hostStateReading ?? run.facts.preStateReading {
                do {
                    if let drift = expected.drift(to: try read(probe, run: run)) {
                        return "drift before \(phase.id): \(drift); nothing was run"
                    }
                } catch {
                    return "the pre-state probe before \(phase.id) failed: \(error); nothing was run"
                }
            }
        }
        // Before the first change, every file still to run is checked, so that a script edited
        // after SG_1 stops the run before anything of it changed the host.
        let firstChange = phase.mutates && !run.phases.contains { $0.phase.mutates && $0.status == .done }
        return changedFile(of: firstChange ? laterPhases(from: phase, of: run) : [phase], run: run).map { "\($0); nothing was run" }
    }

    /// `phase` and the phases after it.
    private func laterPhases(from phase: PlanPhase, of run: RunState) -> [PlanPhase] {
        let phases = run.start.plan.phases
        return Array(phases.drop { $0.id != phase.id })
    }

    /// The host's state after `phase` changed it, as facts, for a plan with a probe (what the
    /// next changing phase is checked against).
    public func stateAfter(_ phase: PlanPhase, of run: RunState) -> RunFacts {
        guard phase.mutates, let probe = run.start.plan.preState, let reading = try? read(probe, run: run) else { return RunFacts() }
        return RunFacts(hostStateReading: reading)
    }

    // MARK: - Identity

    /// What the guards find other than the plan declares: one "what: expected, found" each.
    func identityProblems(_ run: RunState) -> [String] {
        guard let identity = run.start.plan.identity else { return [] }
        var problems: [String] = []
        if let expected = identity.host, expected != host { problems.append("host: expected \(expected), found \(host)") }
        if let expected = identity.user, expected != user { problems.append("user: expected \(expected), found \(user)") }
        if let repository = identity.repository { problems += repositoryProblems(repository, run: run) }
        if let target = identity.target {
            let found = (try? String(contentsOfFile: target.file, encoding: .utf8))?
                .split(separator: "\n", omittingEmptySubsequences: false).first.map { $0.trimmingCharacters(in: .whitespaces) }
            if let found {
                if found != target.id { problems.append("target: expected \(target.id), found \(found) in \(target.file)") }
            } else {
                problems.append("target: expected \(target.id), found no readable \(target.file)")
            }
        }
        return problems
    }

    private func repositoryProblems(_ repository: RepositoryGuard, run: RunState) -> [String] {
        let git = GitRepository(path: repository.path)
        guard git.isRepository else { return ["repository: expected a git repository at \(repository.path), found none"] }
        var problems: [String] = []
        let head = (try? git.head()) ?? "no commit"
        if let commit = repository.commit, !head.hasPrefix(commit) {
            problems.append("repository HEAD: expected \(commit), found \(head)")
        }
        // A tag the plan makes itself is checked once its step has run.
        if let tag = repository.tag, !tagStepPending(tag, run: run) {
            let target = try? git.tagTarget(tag)
            if target == nil || !(target ?? "").hasPrefix(repository.commit ?? head) {
                problems.append("tag \(tag): expected it at \(repository.commit ?? head), found \(target.map { "it at \($0)" } ?? "no such tag")")
            }
        }
        return problems
    }

    /// Whether the plan's own tag step makes `name` and has not yet (or never will: a dry
    /// run makes no tag).
    private func tagStepPending(_ name: String, run: RunState) -> Bool {
        run.start.plan.phases.contains { phase in
            guard case .host(.tag(let tag)) = phase.action, tag.name == name else { return false }
            return run.mode == .dryRun || run.phases.first { $0.phase.id == phase.id }?.status != .done
        }
    }

    // MARK: - The tag

    private func makeTag(_ tag: LocalTag, run: RunState, writes: Bool) -> PhaseResult {
        guard let repository = run.start.plan.identity?.repository, let commit = repository.commit else {
            return .failed("the tag step needs the plan's identity to pin a repository commit")
        }
        let git = GitRepository(path: repository.path)
        guard git.isRepository else { return .failed("cannot tag: \(repository.path) is not a git repository") }
        do {
            let full = try git.commit(commit)
            if let existing = try git.tagTarget(tag.name) {
                guard existing == full else {
                    return .failed("the tag \(tag.name) already names commit \(existing), not \(full); nothing was changed (delete or rename that tag if it is wrong)")
                }
                return .done(RunFacts(tagName: tag.name, tagCreated: false))
            }
            guard writes else { return .done(RunFacts(tagName: tag.name, tagCreated: false)) }
            let message = "\(tag.message)\n\nrun \(run.id), programme \(run.start.programmeDigest ?? "?")"
            try git.createTag(tag.name, at: full, message: message, tagger: run.start.operatorName)
            return .done(RunFacts(tagName: tag.name, tagCreated: true))
        } catch {
            return .failed("cannot tag \(repository.path): \(error)")
        }
    }

    // MARK: - Bytes

    /// The first file `phases` run whose bytes are not the ones pinned, in a sentence.
    private func changedFile(of phases: [PlanPhase], run: RunState) -> String? {
        guard let package = run.start.package else { return nil }
        var checked: Set<String> = []
        for phase in phases {
            guard case .command(let command) = phase.action else { continue }
            for path in command.files where checked.insert(path).inserted {
                if let problem = changedFile(path, of: phase, package: package) { return problem }
            }
        }
        return nil
    }

    /// The first file `command` (of `phase`) runs whose bytes are not the ones pinned.
    func changedFile(of command: ShellCommand, phase: PlanPhase, run: RunState) -> String? {
        guard let package = run.start.package else { return nil }
        return command.files.lazy.compactMap { changedFile($0, of: phase, package: package) }.first
    }

    private func changedFile(_ path: String, of phase: PlanPhase, package: PackagePin) -> String? {
        guard let pinned = package.file(path) else { return "\(path) is not among the package's files" }
        guard let found = try? FileDigest.sha256(of: directory + "/" + path) else {
            return "\(path), which \(phase.id) runs, cannot be read in \(directory)"
        }
        guard found.sha256 == pinned.sha256 else {
            return "\(path), which \(phase.id) runs, changed since the package was built: expected SHA-256 \(pinned.sha256), found \(found.sha256)"
        }
        return nil
    }

    // MARK: - The probe

    /// What `probe` reads now.
    func read(_ probe: PreStateProbe, run: RunState) throws -> PreStateReading {
        switch probe {
        case .tree(let path): try TreeDigest.read(path)
        case .command(let command): try readCommand(command, run: run)
        }
    }

    private func readCommand(_ command: String, run: RunState) throws -> PreStateReading {
        var lines: [String] = []
        var errors: [String] = []
        let outcome = shell.run(ShellCommand(command: command, timeoutSeconds: 120), mode: run.mode, runID: run.id, phaseID: HostStep.preState.name,
                                onLine: { line in
                                    if line.stream == .stdout { lines.append(line.text) } else if errors.count < 3 { errors.append(line.text) }
                                },
                                shouldStop: { false })
        guard case .succeeded = outcome else {
            throw FileDigestError(description: "`\(command)` \(outcome.description)" + (errors.isEmpty ? "" : ": " + errors.joined(separator: " / ")))
        }
        let text = lines.joined(separator: "\n")
        return PreStateReading(digest: sha256Hex(text), output: text.utf8.count <= PreStateReading.keptOutput ? text : nil)
    }

    /// The name of the user this process runs as.
    public static func currentUser() -> String {
        guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return String(geteuid()) }
        return String(cString: name)
    }
}
