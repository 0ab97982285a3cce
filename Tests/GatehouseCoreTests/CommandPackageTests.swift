import GatehouseCore
import Testing

/// The command-review package as a value: what its digest covers, and its manifest read back.
struct CommandPackageTests {
    @Test func theManifestReadsBackAsTheSamePackageUnderTheSameDigest() throws {
        let package = makePackage()
        let read = try CommandPackage(manifestText: String(decoding: package.manifestText, as: UTF8.self))
        #expect(read == package)
        #expect(read.digest == package.digest)
        #expect(package.digest.count == 64)
    }

    @Test(arguments: Change.allCases)
    func anyChangeToWhatIsReviewedGivesAnotherDigest(change: Change) {
        let package = makePackage()
        let changed = change.applied(to: package)
        #expect(changed != package)
        #expect(changed.digest != package.digest, "\(change) left the digest as it was")
    }

    @Test func aManifestEditedAfterItWasBuiltIsRefusedWithBothDigests() throws {
        let package = makePackage()
        let text = String(decoding: package.manifestText, as: UTF8.self).replacingOccurrences(of: "./install.sh", with: "./evil.sh")
        do {
            _ = try CommandPackage(manifestText: text)
            Issue.record("an edited manifest was read")
        } catch {
            guard case .digestMismatch(let stated, let computed) = error else { Issue.record("\(error)"); return }
            #expect(stated == package.digest && computed != stated)
            #expect(error.description.contains("changed after it was built"))
        }
    }

    @Test func aManifestThatIsNotOneSaysWhatIsWrong() {
        for (text, words) in [("[]", "not a JSON object"), ("{\"format\":\"zip\"}", "of format 'zip'"),
                              ("{", "not JSON"), ("{\"format\":\"gatehouse-package-v1\"}", "states no digest")] {
            do {
                _ = try CommandPackage(manifestText: text)
                Issue.record("\(text) was read as a package")
            } catch {
                #expect(error.description.contains(words), "\(text): \(error)")
            }
        }
    }

    @Test func aTarHeaderRoundTripsEvenForAPathThatNeedsAPrefix() throws {
        let long = String(repeating: "folder/", count: 20) + "install.sh"
        for name in ["manifest.json", "files/" + long] {
            let header = TarHeader(name: name, size: 123_456_789, mode: 0o755)
            let block = try header.encoded()
            #expect(block.count == 512)
            #expect(try TarHeader.decode(block[...], at: 0) == header)
        }
        #expect(try TarHeader.decode([UInt8](repeating: 0, count: 512)[...], at: 0) == nil)
    }

    @Test func aTarHeaderWithAFlippedByteFailsItsChecksum() throws {
        var block = try TarHeader(name: "files/install.sh", size: 10, mode: 0o755).encoded()
        block[3] ^= 0x01
        #expect(throws: PackageError.malformed("the header at byte 1024 fails its checksum")) {
            try TarHeader.decode(block[...], at: 1024)
        }
        #expect(throws: PackageError.self) { try TarHeader(name: String(repeating: "x", count: 300), size: 1, mode: 0o644).encoded() }
    }

    @Test func onlyRelativePathsWithoutDotsAreCarried() {
        #expect(PackagedFile.isCarriable("deploy/install.sh"))
        for path in ["", "/etc/passwd", "../x", "a/../b", "a//b", "./a", "a/.", "tab\there"] {
            #expect(!PackagedFile.isCarriable(path), "\(path) was carriable")
        }
    }

    // MARK: - Fixture

    enum Change: CaseIterable {
        case commandLine, scriptByte, guardCommit, environment, timeout, mutates, revert, programme, probe
        func applied(to original: CommandPackage) -> CommandPackage {
            var package = original
            guard case .command(var command) = package.plan.phases[2].action else { return package }
            switch self {
            case .commandLine: command.command += " --force"
            case .scriptByte: package.files[0].sha256 = String(repeating: "0", count: 64)
            case .guardCommit: package.plan.identity?.repository?.commit = "feedface"
            case .environment: command.environment["DOT_TREE"] = "/opt/other"
            case .timeout: command.timeoutSeconds += 1
            case .mutates: package.plan.phases[2].mutates.toggle()
            case .revert: package.plan.phases[2].revert = nil
            case .programme: package.programmeDigest = "other"
            case .probe: package.plan.preState = .tree("/opt/other")
            }
            package.plan.phases[2].action = .command(command)
            return package
        }
    }

    private func makePackage() -> CommandPackage {
        let install = ShellCommand(command: "./install.sh", timeoutSeconds: 300, environment: ["DOT_TREE": "/opt/dot/iu-cutter"], files: ["install.sh"])
        let plan = RunPlan(id: "o6", title: "O6", phases: [
            PlanPhase(id: "identity_guards", title: "Identity guards", action: .host(.identityGuards), mutates: false),
            PlanPhase(id: "SG_1", title: "Sovereign gate SG_1", action: .gate("SG_1"), mutates: false),
            PlanPhase(id: "install", title: "Install", action: .command(install), mutates: true,
                      revert: ShellCommand(command: "./revert.sh", timeoutSeconds: 60, files: ["revert.sh"])),
        ], identity: IdentityGuards(host: "contabo", repository: RepositoryGuard(path: "/srv/repo", commit: String(repeating: "a", count: 40))),
           preState: .tree("/opt/dot/iu-cutter"))
        return CommandPackage(programmeID: "O5", programmeDigest: "abc", plan: plan, files: [
            PackagedFile(path: "revert.sh", size: 10, sha256: String(repeating: "2", count: 64), executable: true),
            PackagedFile(path: "install.sh", size: 20, sha256: String(repeating: "1", count: 64), executable: true),
        ])
    }
}
