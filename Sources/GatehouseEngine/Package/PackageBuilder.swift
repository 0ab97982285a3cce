import Foundation
import GatehouseCore

/// Makes the command-review package of a programme's plan: every path the host is checked at
/// made absolute, the repository's commit pinned in full, and every file a phase runs found
/// under the programme's folder and hashed.
///
/// The files a phase runs are those its `files:` names (a folder stands for every file under
/// it) and the script its command line starts with, when that is a path to a file under the
/// folder (`./deploy/install.sh`). The same for its revert.
public struct PackageBuilder {
    /// What a long build tells a terminal: files and bytes hashed so far, of how many.
    public struct Progress: Sendable, Equatable {
        public var files: Int
        public var totalFiles: Int
        public var bytes: Int64
        public var totalBytes: Int64
    }

    public var programme: Programme
    /// The folder the plan's relative paths are under (the programme file's).
    public var base: String

    public init(programme: Programme, base: String) {
        self.programme = programme
        self.base = URL(fileURLWithPath: base).standardizedFileURL.path
    }

    /// The package of the plan `planID`.
    /// - Throws: ``PackageBuildError`` saying what is missing or wrong, and where.
    public func build(plan planID: String, progress: (Progress) -> Void = { _ in }) throws -> CommandPackage {
        guard let plan = programme.plan(planID), planID != RunPlan.productionCutID else {
            if planID == RunPlan.productionCutID {
                throw PackageBuildError("the embedded production cut runs no commands; a package is built from a plan of shell commands")
            }
            let known = programme.plans.map(\.id)
            throw PackageBuildError("the programme has no plan '\(planID)'" + (known.isEmpty ? "" : "; its plans: \(known.joined(separator: ", "))"))
        }
        guard let programmeDigest = programme.sourceDigest else {
            throw PackageBuildError("the programme has no digest to bind the package to; build it from a programme file")
        }
        var resolved = plan
        resolved.identity = try plan.identity.map(resolve)
        resolved.preState = plan.preState.map(resolve)
        var paths: Set<String> = []
        for index in resolved.phases.indices {
            let phase = resolved.phases[index]
            if case .command(let command) = phase.action {
                let carried = try resolve(command, of: phase.id)
                paths.formUnion(carried.files)
                resolved.phases[index].action = .command(carried)
            }
            if let revert = phase.revert {
                let carried = try resolve(revert, of: "the revert of \(phase.id)")
                paths.formUnion(carried.files)
                resolved.phases[index].revert = carried
            }
        }
        let files = try hash(paths.sorted(), progress: progress)
        return CommandPackage(programmeID: programme.info.id, programmeDigest: programmeDigest, plan: resolved, files: files)
    }

    // MARK: - Resolving

    private func resolve(_ identity: IdentityGuards) throws -> IdentityGuards {
        var resolved = identity
        if let repository = identity.repository {
            let path = absolute(repository.path)
            let git = GitRepository(path: path)
            guard git.isRepository else {
                throw PackageBuildError("the identity's repository \(path) is not a git repository")
            }
            let commit: String
            do {
                commit = try repository.commit.map { try git.commit($0) } ?? git.head()
            } catch {
                throw PackageBuildError("the identity's repository \(path) has no commit \(repository.commit ?? "HEAD"); give a commit it holds")
            }
            resolved.repository = RepositoryGuard(path: path, commit: commit, tag: repository.tag)
        }
        if let target = identity.target { resolved.target = TargetGuard(id: target.id, file: absolute(target.file)) }
        return resolved
    }

    private func resolve(_ probe: PreStateProbe) -> PreStateProbe {
        if case .tree(let path) = probe { return .tree(absolute(path)) }
        return probe
    }

    /// The command with its paths absolute in its environment and every file it runs listed.
    private func resolve(_ command: ShellCommand, of what: String) throws -> ShellCommand {
        var resolved = command
        for (name, path) in command.paths { resolved.environment[name] = absolute(path) }
        resolved.paths = [:]
        let folder = command.directory.map { base + "/" + $0 } ?? base
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw PackageBuildError("the directory \(command.directory ?? ".") of \(what) is not a folder under \(base)")
        }
        var files: [String] = []
        for path in command.files {
            files += try carried(path, of: what)
        }
        if let script = scriptPath(command.command, in: command.directory), !files.contains(script) {
            files.append(script)
        }
        resolved.files = Array(Set(files)).sorted()
        return resolved
    }

    /// The script a command line starts with, relative to the base, when it is a file under it.
    private func scriptPath(_ command: String, in directory: String?) -> String? {
        guard let first = command.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).first.map(String.init),
              first.contains("/"), !first.hasPrefix("/") else { return nil }
        let joined = URL(fileURLWithPath: (directory.map { base + "/" + $0 } ?? base) + "/" + first).standardizedFileURL.path
        guard let relative = relativeToBase(joined), isRegularFile(joined) else { return nil }
        return relative
    }

    /// The files `path` stands for: itself, or every file under it when it is a folder.
    private func carried(_ path: String, of what: String) throws -> [String] {
        let full = base + "/" + path
        var attributes = stat()
        guard lstat(full, &attributes) == 0 else {
            throw PackageBuildError("\(what) names the file \(path), which is not under \(base)")
        }
        switch attributes.st_mode & S_IFMT {
        case S_IFREG:
            return [path]
        case S_IFDIR:
            guard let walker = FileManager.default.enumerator(atPath: full) else { return [] }
            var found: [String] = []
            while let name = walker.nextObject() as? String {
                let item = full + "/" + name
                guard lstat(item, &attributes) == 0 else { continue }
                switch attributes.st_mode & S_IFMT {
                case S_IFREG: found.append(path + "/" + name)
                case S_IFDIR: continue
                default: throw PackageBuildError("\(path)/\(name), under a folder \(what) names, is not a regular file; a package carries regular files only")
                }
            }
            return found.sorted()
        default:
            throw PackageBuildError("\(path), which \(what) names, is not a regular file or folder (a symbolic link?); a package carries regular files only")
        }
    }

    private func hash(_ paths: [String], progress: (Progress) -> Void) throws -> [PackagedFile] {
        var sizes: [Int64] = []
        for path in paths {
            var attributes = stat()
            guard stat(base + "/" + path, &attributes) == 0 else { throw PackageBuildError("cannot read \(base)/\(path)") }
            sizes.append(Int64(attributes.st_size))
        }
        let total = sizes.reduce(0, +)
        var done: Int64 = 0
        var files: [PackagedFile] = []
        for (index, path) in paths.enumerated() {
            let full = base + "/" + path
            let before = done
            let (sha, size) = try FileDigest.sha256(of: full) { read in
                progress(Progress(files: index, totalFiles: paths.count, bytes: before + read, totalBytes: total))
            }
            done += size
            files.append(PackagedFile(path: path, size: size, sha256: sha, executable: access(full, X_OK) == 0))
        }
        progress(Progress(files: paths.count, totalFiles: paths.count, bytes: done, totalBytes: total))
        return files
    }

    // MARK: - Paths

    private func absolute(_ path: String) -> String {
        URL(fileURLWithPath: path.hasPrefix("/") ? path : base + "/" + path).standardizedFileURL.path
    }

    private func relativeToBase(_ path: String) -> String? {
        guard path.hasPrefix(base + "/") else { return nil }
        let relative = String(path.dropFirst(base.count + 1))
        return PackagedFile.isCarriable(relative) ? relative : nil
    }

    private func isRegularFile(_ path: String) -> Bool {
        var attributes = stat()
        return lstat(path, &attributes) == 0 && attributes.st_mode & S_IFMT == S_IFREG
    }
}

/// Why a package could not be built.
public struct PackageBuildError: Error, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
