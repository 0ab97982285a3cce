import Crypto
import Foundation
import GatehouseCore

/// A package file on disk: a ustar archive whose first entry is `manifest.json` and whose
/// other entries are `files/PATH`, one for each file the manifest lists, so that `tar tf` lists
/// it and `tar xf` unpacks it for a reviewer. Written and read in pieces, so that a package of
/// 100 MB of scripts costs no more memory than a small one.
public enum PackageArchive {
    /// What a long write or read tells a terminal: bytes of files done, of how many.
    public struct Progress: Sendable, Equatable {
        public var bytes: Int64
        public var totalBytes: Int64
    }

    /// The largest manifest a package may have.
    static let manifestLimit: Int64 = 256 << 20

    // MARK: - Writing

    /// Writes `package`, its files read from `base`, to `output` (replaced whole, or not at all).
    /// - Throws: when a file cannot be read or no longer has the bytes the package lists.
    public static func write(_ package: CommandPackage, from base: String, to output: String,
                             progress: (Progress) -> Void = { _ in }) throws {
        let partial = output + ".partial-\(getpid())"
        guard FileManager.default.createFile(atPath: partial, contents: nil),
              let handle = FileHandle(forWritingAtPath: partial) else {
            throw PackageBuildError("cannot write \(output): \(String(cString: strerror(errno)))")
        }
        var finished = false
        defer {
            try? handle.close()
            if !finished { unlink(partial) }
        }
        let manifest = package.manifestText
        try handle.write(contentsOf: try TarHeader(name: CommandPackage.manifestEntry, size: Int64(manifest.count), mode: 0o644).encoded())
        try handle.write(contentsOf: manifest + [UInt8](repeating: 0, count: TarHeader.padding(after: Int64(manifest.count))))
        let total = package.files.reduce(Int64(0)) { $0 + $1.size }
        var done: Int64 = 0
        for file in package.files {
            try handle.write(contentsOf: try TarHeader(name: CommandPackage.filesFolder + file.path, size: file.size,
                                                       mode: file.executable ? 0o755 : 0o644).encoded())
            let path = base + "/" + file.path
            guard let input = FileHandle(forReadingAtPath: path) else { throw PackageBuildError("cannot read \(path)") }
            defer { try? input.close() }
            var hasher = SHA256()
            var size: Int64 = 0
            while let piece = try input.read(upToCount: FileDigest.pieceSize), !piece.isEmpty {
                guard size + Int64(piece.count) <= file.size else { break }
                hasher.update(data: piece)
                try handle.write(contentsOf: piece)
                size += Int64(piece.count)
                progress(Progress(bytes: done + size, totalBytes: total))
            }
            guard size == file.size, sha256Hex(digest: hasher.finalize()) == file.sha256 else {
                throw PackageBuildError("\(path) changed while the package was being built; build it again")
            }
            try handle.write(contentsOf: [UInt8](repeating: 0, count: TarHeader.padding(after: size)))
            done += size
        }
        try handle.write(contentsOf: [UInt8](repeating: 0, count: 2 * TarHeader.blockSize))
        try handle.synchronize()
        try handle.close()
        guard rename(partial, output) == 0 else { throw PackageBuildError("cannot write \(output): \(String(cString: strerror(errno)))") }
        finished = true
    }

    // MARK: - Reading

    /// Reads and checks the package at `path`: its manifest's digest, and every file's bytes
    /// against the manifest; with `folder`, writes the files out under it as it goes (a folder
    /// that must not exist yet).
    /// - Throws: ``PackageError`` for a package that does not hold, saying what; other errors
    ///   when the file cannot be read.
    public static func read(_ path: String, extractingTo folder: String? = nil,
                            progress: (Progress) -> Void = { _ in }) throws -> CommandPackage {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw PackageBuildError("cannot read the package \(path): \(String(cString: strerror(errno)))")
        }
        defer { try? handle.close() }
        var reader = BlockReader(handle: handle)
        guard let first = try TarHeader.decode(try reader.block(), at: 0) else { throw PackageError.malformed("\(path) is an empty archive") }
        guard first.name == CommandPackage.manifestEntry else {
            throw PackageError.malformed("the first entry of \(path) is \(first.name), not \(CommandPackage.manifestEntry)")
        }
        guard first.size <= manifestLimit else { throw PackageError.malformed("the manifest of \(path) is larger than \(manifestLimit >> 20) MB") }
        let manifestBytes = try reader.bytes(Int(first.size))
        try reader.skip(TarHeader.padding(after: first.size))
        let package = try CommandPackage(manifestText: String(decoding: manifestBytes, as: UTF8.self))
        if let folder {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: false)
        }
        let total = package.files.reduce(Int64(0)) { $0 + $1.size }
        var done: Int64 = 0
        var seen: Set<String> = []
        while true {
            let offset = reader.offset
            guard let header = try TarHeader.decode(try reader.block(), at: offset) else { break }
            guard header.name.hasPrefix(CommandPackage.filesFolder) else { throw PackageError.fileUnlisted(header.name) }
            let name = String(header.name.dropFirst(CommandPackage.filesFolder.count))
            guard let file = package.file(name), !seen.contains(name) else { throw PackageError.fileUnlisted(header.name) }
            guard header.size == file.size else {
                throw PackageError.fileMismatch(path: name, expected: "\(file.size) bytes", found: "\(header.size) bytes")
            }
            seen.insert(name)
            let output = try folder.map { try Self.create(file, under: $0) }
            defer { try? output?.close() }
            var hasher = SHA256()
            var left = header.size
            while left > 0 {
                let piece = try reader.bytes(Int(min(left, Int64(FileDigest.pieceSize))))
                hasher.update(data: piece)
                try output?.write(contentsOf: piece)
                left -= Int64(piece.count)
                done += Int64(piece.count)
                progress(Progress(bytes: done, totalBytes: total))
            }
            try reader.skip(TarHeader.padding(after: header.size))
            let found = sha256Hex(digest: hasher.finalize())
            guard found == file.sha256 else { throw PackageError.fileMismatch(path: name, expected: file.sha256, found: found) }
        }
        if let missing = package.files.first(where: { !seen.contains($0.path) }) { throw PackageError.fileMissing(missing.path) }
        return package
    }

    /// Creates the file `file` under `folder`, its folders first, executable when it is.
    private static func create(_ file: PackagedFile, under folder: String) throws -> FileHandle {
        let path = folder + "/" + file.path
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, file.executable ? 0o755 : 0o644)
        guard descriptor >= 0 else { throw PackageBuildError("cannot write \(path): \(String(cString: strerror(errno)))") }
        return FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    }
}

/// Reads a file in blocks and exact byte counts, keeping its offset.
private struct BlockReader {
    let handle: FileHandle
    private(set) var offset: Int64 = 0

    init(handle: FileHandle) {
        self.handle = handle
    }

    mutating func block() throws -> ArraySlice<UInt8> {
        ArraySlice(try bytes(TarHeader.blockSize, ending: "a header"))
    }

    mutating func bytes(_ count: Int, ending what: String = "an entry") throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count)
        while out.count < count {
            guard let piece = try handle.read(upToCount: count - out.count), !piece.isEmpty else {
                throw PackageError.malformed("the archive ends inside \(what) at byte \(offset + Int64(out.count))")
            }
            out += piece
        }
        offset += Int64(count)
        return out
    }

    mutating func skip(_ count: Int) throws {
        if count > 0 { _ = try bytes(count) }
    }
}
