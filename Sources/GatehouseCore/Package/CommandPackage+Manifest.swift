/// The package's `manifest.json`: the manifest's members and the digest over them.
extension CommandPackage {
    /// The name of the manifest's entry, the first in a package file.
    public static let manifestEntry = "manifest.json"
    /// The folder of the files' entries.
    public static let filesFolder = "files/"

    /// The text of `manifest.json`: the manifest with its `digest`, canonical.
    public var manifestText: [UInt8] {
        guard case .object(var members) = manifest else { return [] }
        members["digest"] = .string(digest)
        return JSONValue.object(members).canonicalBytes
    }

    /// The package a `manifest.json` describes, checked against the digest it states.
    /// - Throws: ``PackageError/malformed(_:)`` for what is not a manifest (saying what is
    ///   wrong), ``PackageError/digestMismatch(stated:computed:)`` when it was changed.
    public init(manifestText text: String) throws(PackageError) {
        let json: JSONValue
        do { json = try JSONValue.parse(text) } catch { throw .malformed("manifest.json is not JSON (\(error))") }
        guard case .object(var members) = json else { throw .malformed("manifest.json is not a JSON object") }
        guard let format = members["format"]?.stringValue else { throw .malformed("manifest.json has no format") }
        guard format == Self.format else {
            throw .malformed("manifest.json is of format '\(format)'; this gatehouse reads '\(Self.format)'")
        }
        guard let stated = members.removeValue(forKey: "digest")?.stringValue else { throw .malformed("manifest.json states no digest") }
        guard let id = members["programme"]?["id"]?.stringValue, let programmeDigest = members["programme"]?["digest"]?.stringValue else {
            throw .malformed("manifest.json names no programme (id and digest)")
        }
        guard let planJSON = members["plan"], let plan = RunPlan(json: planJSON) else {
            throw .malformed("manifest.json's plan is not a plan of phases")
        }
        guard let entries = members["files"]?.arrayValue else { throw .malformed("manifest.json lists no files") }
        var files: [PackagedFile] = []
        for entry in entries {
            guard let file = PackagedFile(json: entry), PackagedFile.isCarriable(file.path) else {
                throw .malformed("manifest.json lists a file entry that is not one: \(entry.canonical)")
            }
            files.append(file)
        }
        guard Set(files.map(\.path)).count == files.count else { throw .malformed("manifest.json lists a file twice") }
        self.init(programmeID: id, programmeDigest: programmeDigest, plan: plan, files: files)
        let computed = sha256Hex(bytes: Array((Self.format + "\n").utf8) + JSONValue.object(members).canonicalBytes)
        guard computed == stated else { throw .digestMismatch(stated: stated, computed: computed) }
        guard manifest == JSONValue.object(members) else {
            throw .malformed("manifest.json holds members this gatehouse does not read; build the package again with this version")
        }
        for (phase, command) in commandPhases {
            for path in command.files + (phase.revert?.files ?? []) where file(path) == nil {
                throw .malformed("phase \(phase.id) runs \(path), which the package does not list")
            }
        }
    }
}
