import ArgumentParser
import Foundation
import GatehouseCore
import GatehouseEngine

/// `gatehouse run --package`: a package checked against its digest, its files and the
/// programme, unpacked into the run's own folder; a package that does not hold is refused and
/// the refusal journaled, with nothing unpacked and nothing run.
struct PackageLaunch {
    var path: String
    var programme: Programme
    var store: RunStore
    var operatorName: String

    /// The package's plan, the folder it was unpacked into, and its pin.
    func unpack(into folder: String) throws -> (RunPlan, String, PackagePin) {
        let progress = TerminalProgress("checking and unpacking \(path)")
        let package: CommandPackage
        do {
            try FileManager.default.createDirectory(atPath: (folder as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            package = try PackageArchive.read(path, extractingTo: folder) { progress.bytes($0.bytes, of: $0.totalBytes) }
            progress.end()
        } catch {
            progress.end()
            try? FileManager.default.removeItem(atPath: folder)
            try refuse(String(describing: error))
        }
        if let problem = mismatch(package) {
            try? FileManager.default.removeItem(atPath: folder)
            try refuse(problem)
        }
        return (package.plan, folder, PackagePin(package, source: URL(fileURLWithPath: path).standardizedFileURL.path))
    }

    /// Why the package cannot run under this programme, if it cannot.
    private func mismatch(_ package: CommandPackage) -> String? {
        guard package.programmeID == programme.info.id, package.programmeDigest == programme.sourceDigest else {
            return "the package was built for programme \(package.programmeID) (file SHA-256 \(package.programmeDigest.prefix(12))…), "
                + "not this one (\(programme.info.id), \(programme.sourceDigest.map { String($0.prefix(12)) + "…" } ?? "embedded")); "
                + "run it with --programme naming the file it was built from, or build it again from this one"
        }
        for phase in package.plan.phases {
            if let gate = phase.gate, programme.gate(gate) == nil {
                return "the package's phase \(phase.id) waits at gate \(gate), which the programme does not define"
            }
        }
        return nil
    }

    /// Journals the refusal as `programme.refused` and exits 6.
    private func refuse(_ reason: String) throws -> Never {
        let refusal = ProgrammeRefusal(programme: programme.info.id, attempted: "run", subject: "package \(path)",
                                       by: operatorName, reason: reason)
        do {
            try store.record(.refused(refusal), actor: operatorName)
        } catch {
            printError("gatehouse: the refusal could not be journaled: \(error)")
        }
        printError("gatehouse: refused: \(reason); nothing was run")
        throw ExitCode(exitRefused)
    }
}

extension JournalOptions {
    /// The folder a run's package is unpacked into: beside a journal file, under the runner
    /// folder next to it; for a PostgreSQL journal, under this host's state folder.
    func packageFolder(for runID: String) throws -> String {
        switch try address() {
        case .file(let path): return path + ".runners/\(runID).package"
        case .postgres:
            let local = ProcessInfo.processInfo.environment.filter { $0.key != "GATEHOUSE_JOURNAL" }
            return JournalLocation.resolve(option: nil, environment: local) + ".runners/\(runID).package"
        }
    }
}
