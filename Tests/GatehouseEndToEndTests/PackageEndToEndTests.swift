import Foundation
import GatehouseCore
import GatehouseEngine
import GatehouseTestSupport
import Testing

/// The O6 example as the seed prescribes it, with the real binary, git and file system: the
/// command-review package built, reviewed, run dry and for real into a temporary site, and
/// every way it must refuse (the bytes, the identity, drift, the package itself).
@Suite(.serialized)
struct PackageEndToEndTests {
    private static let tag = "v0.6.0-O4-live-dryrun"

    @Test func theO6PackageIsBuiltReviewedRunDryThenForRealAndTagsOnce() throws {
        let site = try O6Site()
        let built = try site.build()
        #expect(built.status == 0, "\(built.stderr)")
        let digest = try #require(built.stdout.split(separator: "\n").first { $0.hasPrefix("digest ") }.map { String($0.dropFirst(7)) })

        // A reviewer reads every command, file and guard, and tar lists it
        let shown = try site.sandbox.gatehouse(["package", "show", site.package])
        #expect(shown.status == 0, "\(shown.stderr)")
        for words in ["package digest: \(digest)", "$ ./o6/install.sh", "env DOT_TREE=\(site.tree)", "revert:", "$ ./o6/revert.sh",
                      "git tag --annotate \(Self.tag) \(site.commit)", "every file under \(site.tree)", "[changes the host]"] {
            #expect(shown.stdout.contains(words), "the review lacks \(words)")
        }
        let json = try site.sandbox.gatehouse(["package", "show", site.package, "--format", "json"])
        #expect(try JSONValue.parse(json.stdout)["digest"] == .string(digest))
        let listed = try Spawn.run(["tar", "tf", site.package])
        #expect(listed.output.split(separator: "\n").first == "manifest.json" && listed.output.contains("files/o6/install.sh"))

        // A dry run walks every phase, binds its decisions to the package, changes nothing
        let dry = try site.sandbox.start(["run", "--dry-run", "--package", site.package, "--programme", site.programme])
        #expect(try site.sandbox.drive(dry) == 0, "\(dry.output)")
        let dryRun = try #require(try site.sandbox.store().ledger.newestFirst.first)
        #expect(dryRun.outcome == .closed && dryRun.start.package?.digest == digest)
        #expect(!dryRun.decisions.isEmpty && dryRun.decisions.allSatisfy { $0.decision.statement["package_digest"] == .string(digest) })
        #expect(try site.tags().isEmpty && site.version() == "v0.4")

        // For real: tagged once, the tree replaced by the artifact
        let live = try site.sandbox.start(["run", "--live", "--package", site.package, "--programme", site.programme])
        #expect(try site.sandbox.drive(live) == 0, "\(live.output)")
        let liveRun = try #require(try site.sandbox.store().ledger.newestFirst.first)
        #expect(liveRun.outcome == .closed && liveRun.facts.tagCreated == true)
        #expect(try site.tags() == [Self.tag] && site.tagCommit() == site.commit)
        #expect(try site.version() == "v0.6")
        #expect(try Spawn.run(["diff", "-r", site.tree, site.directory + "/o6/artifact/iu-cutter"]).status == 0)

        // The record and the programme: the package in the export, GATE-O6's condition met by the run
        let record = try site.sandbox.gatehouse(["export", liveRun.id, "--format", "markdown"])
        #expect(record.status == 0 && record.stdout.contains("## Command-review package") && record.stdout.contains(digest))
        let met = try site.sandbox.gatehouse(["condition", "met", "GATE-O6", "--package-run", liveRun.id, "--as", "demo", "--programme", site.programme])
        #expect(met.status == 0, "\(met.stderr)")
        let recorded = try site.sandbox.store().ledger.programme.book(of: "O5").conditions["GATE-O6"]?["a deploy command-review package"]
        #expect(recorded?.act.evidenceText == "run \(liveRun.id) (LIVE) closed out the command-review package \(digest) of plan o6-deploy read from \(site.package)")
        #expect(try site.sandbox.gatehouse(["report", "--programme", site.programme]).stdout.contains("condition met at #"))
        let notAPackage = try site.sandbox.gatehouse(["condition", "met", "GATE-O6", "--package-run", "nope", "--as", "demo", "--programme", site.programme])
        #expect(notAPackage.status == 2)

        // Again: the tag is there at the same commit (success), the install has nothing to do
        let again = try site.sandbox.start(["run", "--live", "--package", site.package, "--programme", site.programme])
        #expect(try site.sandbox.drive(again) == 0, "\(again.output)")
        #expect(try site.sandbox.store().ledger.newestFirst.first?.facts.tagCreated == false)
        #expect(try site.tags() == [Self.tag])

        // The first LIVE run reverted: the v0.4 tree back byte for byte, the tag it made deleted
        let reverted = try site.sandbox.gatehouse(["restore", liveRun.id, "--as", "demo"])
        #expect(reverted.status == 0, "\(reverted.stderr)")
        #expect(reverted.stdout.contains("reverted install, tag"))
        #expect(try Spawn.run(["diff", "-r", site.tree, site.originalTree]).status == 0)
        #expect(try site.version() == "v0.4" && site.tags().isEmpty)
        #expect(try site.sandbox.store().ledger[liveRun.id]?.revertedPhases == ["install", "tag"])
        let twice = try site.sandbox.gatehouse(["restore", liveRun.id, "--as", "demo"])
        #expect(twice.status == 6 && twice.stderr.contains("reverted already"))
        let dryRevert = try site.sandbox.gatehouse(["restore", dryRun.id, "--as", "demo"])
        #expect(dryRevert.status == 6 && dryRevert.stderr.contains("it was a dry run"))
    }

    @Test func aScriptByteEditedAfterSG1IsRefusedBeforeAnythingChanges() throws {
        let site = try O6Site()
        #expect(try site.build().status == 0)
        let runner = try site.sandbox.start(["run", "--live", "--package", site.package, "--programme", site.programme])
        let run = try site.approveSG1()
        // Someone edits the unpacked install script once SG_1 is signed
        let script = try #require(run.start.directory) + "/o6/install.sh"
        try (try String(contentsOfFile: script, encoding: .utf8) + "rm -rf \"$DOT_TREE\"\n").write(toFile: script, atomically: true, encoding: .utf8)
        #expect(try site.sandbox.drive(runner) == 4, "\(runner.output)")
        let ended = try #require(try site.sandbox.store().ledger[run.id])
        guard case .failed(let phase, let reason) = ended.outcome else { Issue.record("\(String(describing: ended.outcome))"); return }
        #expect(phase == "tag" && reason.contains("o6/install.sh, which install runs, changed since the package was built"))
        #expect(reason.hasSuffix("nothing was run"))
        #expect(try site.tags().isEmpty && site.version() == "v0.4")
    }

    @Test func aTreeChangedBetweenTheProbeAndTheInstallIsDriftAndNothingRuns() throws {
        let site = try O6Site()
        #expect(try site.build().status == 0)
        let runner = try site.sandbox.start(["run", "--live", "--package", site.package, "--programme", site.programme])
        let run = try site.approveSG1()
        try "v0.5-hotfix\n".write(toFile: site.tree + "/VERSION", atomically: true, encoding: .utf8)
        #expect(try site.sandbox.drive(runner) == 4, "\(runner.output)")
        let ended = try #require(try site.sandbox.store().ledger[run.id])
        guard case .failed(_, let reason) = ended.outcome else { Issue.record("\(String(describing: ended.outcome))"); return }
        #expect(reason.contains("drift before tag: the tree differs") && reason.contains("changed VERSION"))
        #expect(try site.tags().isEmpty && site.version() == "v0.5-hotfix")
    }

    @Test func headAtAnotherCommitFailsTheIdentityGuardsSayingBoth() throws {
        let site = try O6Site()
        #expect(try site.build().status == 0)
        let moved = try site.commitAgain()
        let result = try site.sandbox.gatehouse(["run", "--dry-run", "--package", site.package, "--programme", site.programme])
        #expect(result.status == 4)
        let run = try site.sandbox.onlyRun()
        #expect(run.outcome == .failed(phase: "identity_guards",
                                       reason: "identity guards: repository HEAD: expected \(site.commit), found \(moved)"))
        #expect(run.phase("preflight")?.status == .pending)
    }

    @Test func theWrongHostOrUserFailsTheIdentityGuards() throws {
        let site = try O6Site(identity: "    identity:\n      host: not-this-host\n      user: nobody-here")
        #expect(try site.build().status == 0)
        let result = try site.sandbox.gatehouse(["run", "--dry-run", "--package", site.package, "--programme", site.programme])
        #expect(result.status == 4)
        guard case .failed(_, let reason) = try site.sandbox.onlyRun().outcome else { Issue.record("the run did not fail"); return }
        #expect(reason.contains("host: expected not-this-host, found ") && reason.contains("user: expected nobody-here, found "))
    }

    @Test func aPackageChangedAfterItWasBuiltIsRefusedAndTheRefusalJournaled() throws {
        let site = try O6Site()
        #expect(try site.build().status == 0)
        // One byte of a file inside the archive, and one letter of a command in its manifest
        for (needle, replacement, words) in [("execution_enabled = false", "execution_enabled = true ", "has SHA-256"),
                                             ("./o6/smoke.sh", "./o6/smoke.sx", "states digest")] {
            var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: site.package)))
            let range = try #require(bytes.firstRange(of: Array(needle.utf8)))
            bytes.replaceSubrange(range, with: Array(replacement.utf8))
            let tampered = site.directory + "/tampered.pkg"
            try Data(bytes).write(to: URL(fileURLWithPath: tampered))
            let shown = try site.sandbox.gatehouse(["package", "show", tampered])
            #expect(shown.status == 2 && shown.stderr.contains(words), "\(shown.stderr)")
            let result = try site.sandbox.gatehouse(["run", "--dry-run", "--package", tampered, "--programme", site.programme])
            #expect(result.status == 6 && result.stderr.contains("refused: ") && result.stderr.contains(words), "\(result.stderr)")
        }
        let store = try site.sandbox.store()
        #expect(store.ledger.newestFirst.isEmpty)
        #expect(store.ledger.programme.book(of: "O5").refusals.filter { $0.refusal.attempted == "run" }.count == 2)
        let unpacked = (try? FileManager.default.contentsOfDirectory(atPath: site.sandbox.journalPath + ".runners")) ?? []
        #expect(!unpacked.contains { $0.hasSuffix(".package") })
    }

    @Test func aPackageForAnotherProgrammeIsRefused() throws {
        let site = try O6Site()
        #expect(try site.build().status == 0)
        let other = Binary.packageRoot.appendingPathComponent("programmes/examples/deploy-opt2.yaml").path
        let result = try site.sandbox.gatehouse(["run", "--dry-run", "--package", site.package, "--programme", other])
        #expect(result.status == 6)
        #expect(result.stderr.contains("the package was built for programme O5 (file SHA-256 ") && result.stderr.contains("not this one"))
        #expect(try site.sandbox.store().ledger.programme.book(of: "O5").refusals.last?.refusal.subject == "package \(site.package)")
    }
}

/// The O6 example copied into a sandbox, its site made by its own script.
private struct O6Site {
    let sandbox: RunSandbox
    var directory: String { sandbox.directory + "/example" }
    var programme: String { directory + "/o6-deploy.yaml" }
    var package: String { directory + "/o6.pkg" }
    var tree: String { directory + "/o6/site/dot/iu-cutter" }
    var repository: String { directory + "/o6/site/orchestrator" }
    /// A copy of the v0.4 tree as the site was made.
    var originalTree: String { sandbox.directory + "/v0.4-as-made" }
    let commit: String

    /// The example, its identity block replaced by `identity` when given.
    init(identity: String? = nil) throws {
        sandbox = try RunSandbox()
        let examples = Binary.packageRoot.appendingPathComponent("programmes/examples").path
        try FileManager.default.createDirectory(atPath: sandbox.directory + "/example", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: examples + "/o6", toPath: sandbox.directory + "/example/o6")
        try? FileManager.default.removeItem(atPath: sandbox.directory + "/example/o6/site")
        var text = try String(contentsOfFile: examples + "/o6-deploy.yaml", encoding: .utf8)
        if let identity { text = text.replacingOccurrences(of: "    identity:\n      # The commit is pinned", with: identity + "\n      # The commit is pinned") }
        try text.write(toFile: sandbox.directory + "/example/o6-deploy.yaml", atomically: true, encoding: .utf8)
        let made = try Spawn.run([sandbox.directory + "/example/o6/make-site.sh"])
        guard made.status == 0 else { throw SiteError(description: made.output) }
        _ = try Spawn.run(["cp", "-Rp", sandbox.directory + "/example/o6/site/dot/iu-cutter", sandbox.directory + "/v0.4-as-made"])
        commit = try Spawn.run(["git", "-C", sandbox.directory + "/example/o6/site/orchestrator", "rev-parse", "HEAD"])
            .output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func build() throws -> (status: Int32, stdout: String, stderr: String) {
        try sandbox.gatehouse(["package", "build", "--plan", "o6-deploy", "--programme", programme, "--output", package])
    }

    /// Waits for SG_1 and approves it, leaving the kill-switch off; the run.
    func approveSG1() throws -> RunState {
        let run = try sandbox.waitFor("SG_1") { $0.ledger.newestFirst.first.flatMap { $0.waitingGate == "SG_1" ? $0 : nil } }
        try sandbox.store().record(.gateApproved(TestDecisions.approval(of: run, gate: "SG_1")), run: run.id, actor: "sovereign")
        return try #require(try sandbox.store().ledger[run.id])
    }

    func version() throws -> String {
        try String(contentsOfFile: tree + "/VERSION", encoding: .utf8).trimmingCharacters(in: .newlines)
    }

    func tags() throws -> [String] {
        try Spawn.run(["git", "-C", repository, "tag", "-l"]).output.split(separator: "\n").map(String.init)
    }

    func tagCommit() throws -> String {
        try Spawn.run(["git", "-C", repository, "rev-parse", "refs/tags/v0.6.0-O4-live-dryrun^{commit}"]).output
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Commits once more in the repository; the new HEAD.
    func commitAgain() throws -> String {
        try "later\n".write(toFile: repository + "/LATER", atomically: true, encoding: .utf8)
        _ = try Spawn.run(["git", "-C", repository, "add", "LATER"])
        _ = try Spawn.run(["git", "-C", repository, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "--quiet", "-m", "later"])
        return try Spawn.run(["git", "-C", repository, "rev-parse", "HEAD"]).output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    struct SiteError: Error, CustomStringConvertible {
        var description: String
    }
}
