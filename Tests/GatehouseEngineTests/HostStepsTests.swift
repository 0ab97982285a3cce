import Foundation
import GatehouseCore
@testable import GatehouseEngine
import Testing

/// The runner's own steps of a command plan on a real git repository and a real folder: the
/// local tag, the identity guards, the pre-state probe and drift.
@Suite(.serialized)
struct HostStepsTests {
    private let directory = FileManager.default.temporaryDirectory.appendingPathComponent("gatehouse-host-\(UUID().uuidString)").path
    private var repository: String { directory + "/repo" }

    // MARK: - The tag step

    @Test func theTagStepMakesANewAnnotatedTagAtThePinnedCommit() throws {
        defer { cleanUp() }
        let commit = try makeRepository()
        let run = try runState(commit: commit, mode: .live)
        let result = steps().perform(.tag(LocalTag(name: "v0.6.0-O4-live-dryrun", message: "O4 HEAD")), run: run, writes: true)
        #expect(result == .done(RunFacts(tagName: "v0.6.0-O4-live-dryrun", tagCreated: true)))
        #expect(try git(["rev-parse", "v0.6.0-O4-live-dryrun^{commit}"]) == commit)
        #expect(try git(["cat-file", "-t", "v0.6.0-O4-live-dryrun"]) == "tag")
        let message = try git(["tag", "-l", "--format=%(contents)", "v0.6.0-O4-live-dryrun"])
        #expect(message.contains("O4 HEAD") && message.contains("run \(run.id)"))
    }

    @Test func theSameTagAtTheSameCommitIsSuccessWithoutMakingIt() throws {
        defer { cleanUp() }
        let commit = try makeRepository()
        _ = try git(["-c", "user.name=t", "-c", "user.email=t@example.invalid", "tag", "-a", "-m", "made before", "v0.6", commit])
        let run = try runState(commit: commit, mode: .live)
        let result = steps().perform(.tag(LocalTag(name: "v0.6", message: "again")), run: run, writes: true)
        #expect(result == .done(RunFacts(tagName: "v0.6", tagCreated: false)))
        #expect(try git(["tag", "-l", "--format=%(contents)", "v0.6"]).contains("made before"))
    }

    @Test func aTagNameTakenByAnotherCommitFailsAndChangesNothing() throws {
        defer { cleanUp() }
        let first = try makeRepository()
        let second = try commit("second")
        _ = try git(["-c", "user.name=t", "-c", "user.email=t@example.invalid", "tag", "-a", "-m", "elsewhere", "v0.6", first])
        let run = try runState(commit: second, mode: .live)
        let result = steps().perform(.tag(LocalTag(name: "v0.6", message: "m")), run: run, writes: true)
        guard case .failed(let reason) = result else { Issue.record("a taken tag name was accepted: \(result)"); return }
        #expect(reason.contains("already names commit \(first), not \(second)"))
        #expect(try git(["rev-parse", "v0.6^{commit}"]) == first)
    }

    @Test func taggingAFolderThatIsNotARepositoryFails() throws {
        defer { cleanUp() }
        try FileManager.default.createDirectory(atPath: repository, withIntermediateDirectories: true)
        let run = try runState(commit: "0123456789abcdef0123456789abcdef01234567", mode: .live)
        let result = steps().perform(.tag(LocalTag(name: "v0.6", message: "m")), run: run, writes: true)
        #expect(result == .failed("cannot tag: \(repository) is not a git repository"))
    }

    @Test func aDryRunMakesNoTag() throws {
        defer { cleanUp() }
        let commit = try makeRepository()
        let run = try runState(commit: commit, mode: .dryRun)
        #expect(steps().perform(.tag(LocalTag(name: "v0.6", message: "m")), run: run, writes: false)
                == .done(RunFacts(tagName: "v0.6", tagCreated: false)))
        #expect(try git(["tag", "-l"]).isEmpty)
    }

    // MARK: - Identity guards

    @Test func theGuardsSayWhatWasExpectedAndWhatWasFound() throws {
        defer { cleanUp() }
        let pinned = try makeRepository()
        let head = try commit("moved on")
        try "other-target\n".write(toFile: directory + "/target-id", atomically: true, encoding: .utf8)
        let identity = IdentityGuards(host: "contabo", user: "deploy", repository: RepositoryGuard(path: repository, commit: pinned),
                                      target: TargetGuard(id: "dot-prod", file: directory + "/target-id"))
        let run = try runState(identity: identity, mode: .live)
        let result = steps(host: "devbox", user: "alice").perform(.identityGuards, run: run, writes: false)
        #expect(result == .failed("identity guards: host: expected contabo, found devbox; user: expected deploy, found alice; "
                                  + "repository HEAD: expected \(pinned), found \(head); target: expected dot-prod, found other-target in \(directory)/target-id"))
    }

    @Test func guardsThatHoldRecordWhatTheyFound() throws {
        defer { cleanUp() }
        let commit = try makeRepository()
        let run = try runState(identity: IdentityGuards(host: "contabo", user: "deploy", repository: RepositoryGuard(path: repository, commit: commit)),
                               mode: .live)
        #expect(steps(host: "contabo", user: "deploy").perform(.identityGuards, run: run, writes: false)
                == .done(RunFacts(hostName: "contabo", userName: "deploy", repositoryCommit: commit)))
    }

    // MARK: - Pre-state and drift

    @Test func aTreeThatChangedAfterTheProbeStopsTheNextChangingPhaseSayingWhat() throws {
        defer { cleanUp() }
        let tree = directory + "/tree"
        try FileManager.default.createDirectory(atPath: tree + "/lib", withIntermediateDirectories: true)
        try "v0.4\n".write(toFile: tree + "/VERSION", atomically: true, encoding: .utf8)
        try "a\n".write(toFile: tree + "/lib/a.py", atomically: true, encoding: .utf8)
        var ledger = RunLedger()
        let install = PlanPhase(id: "install", title: "Install", action: .command(ShellCommand(command: "true", timeoutSeconds: 5)), mutates: true)
        let plan = RunPlan(id: "p", title: "p", phases: [
            PlanPhase(id: "pre_state", title: "Pre-state", action: .host(.preState), mutates: false), install,
        ], preState: .tree(tree))
        _ = ledger.apply(.started(RunStart(mode: .dryRun, plan: plan, document: nil, target: nil, operatorName: "o", signing: "stub")),
                         run: "r", actor: "o", sequence: 1, time: 1)
        let probe = steps().perform(.preState, run: try #require(ledger["r"]), writes: false)
        guard case .done(let facts) = probe else { Issue.record("the probe failed: \(probe)"); return }
        #expect(facts.preStateSHA == facts.preStateReading?.digest && facts.preStateReading?.files?.count == 3)
        _ = ledger.apply(.phaseStarted(phase: "pre_state"), run: "r", actor: "o", sequence: 2, time: 2)
        _ = ledger.apply(.phaseCompleted(phase: "pre_state", facts: facts), run: "r", actor: "o", sequence: 3, time: 3)
        #expect(steps().refusal(before: install, of: try #require(ledger["r"])) == nil)

        try "v0.5\n".write(toFile: tree + "/VERSION", atomically: true, encoding: .utf8)
        try "b\n".write(toFile: tree + "/lib/b.py", atomically: true, encoding: .utf8)
        let changed = try #require(ledger["r"])
        let refusal = try #require(steps().refusal(before: install, of: changed))
        #expect(refusal.hasPrefix("drift before install: the tree differs (expected "))
        #expect(refusal.hasSuffix("changed VERSION; added lib/b.py; nothing was run"))
    }

    @Test func aCommandProbeDigestsItsOutputAndNamesTheLineThatDiffers() {
        let before = PreStateReading(digest: sha256Hex("a\nb"), output: "a\nb")
        let after = PreStateReading(digest: sha256Hex("a\nc"), output: "a\nc")
        #expect(before.drift(to: before) == nil)
        #expect(before.drift(to: after)?.hasSuffix("line 2 was 'b', is 'c'") == true)
    }

    // MARK: - Helpers

    private func steps(host: String = "here", user: String = "me") -> HostSteps {
        HostSteps(shell: ShellPhaseExecutor(workingDirectory: directory, environment: ProcessInfo.processInfo.environment),
                  directory: directory, host: host, user: user)
    }

    private func runState(commit: String, mode: RunMode) throws -> RunState {
        try runState(identity: IdentityGuards(repository: RepositoryGuard(path: repository, commit: commit)), mode: mode)
    }

    private func runState(identity: IdentityGuards, mode: RunMode) throws -> RunState {
        var ledger = RunLedger()
        let plan = RunPlan(id: "p", title: "p", phases: [
            PlanPhase(id: "identity_guards", title: "Identity guards", action: .host(.identityGuards), mutates: false),
        ], identity: identity)
        _ = ledger.apply(.started(RunStart(mode: mode, plan: plan, document: nil, target: nil, operatorName: "tester", signing: "stub",
                                           programmeDigest: "feed")),
                         run: "run-1", actor: "tester", sequence: 1, time: 1)
        return try #require(ledger["run-1"])
    }

    /// A repository with one commit; its SHA.
    private func makeRepository() throws -> String {
        try FileManager.default.createDirectory(atPath: repository, withIntermediateDirectories: true)
        _ = try git(["init", "--quiet"])
        return try commit("first")
    }

    private func commit(_ message: String) throws -> String {
        try message.write(toFile: repository + "/file", atomically: true, encoding: .utf8)
        _ = try git(["add", "file"])
        _ = try git(["-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "--quiet", "-m", message])
        return try git(["rev-parse", "HEAD"])
    }

    @discardableResult
    private func git(_ arguments: [String]) throws -> String {
        let result = try CapturedCommand.run(["git", "-C", repository] + arguments)
        guard result.status == 0 else { throw GitRepository.Failure(description: "git \(arguments.joined(separator: " ")): \(result.errors)") }
        return result.line
    }

    private func cleanUp() {
        try? FileManager.default.removeItem(atPath: directory)
    }
}
