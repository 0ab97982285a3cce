import Foundation
import GatehouseCore

/// Loads programme files strictly: every problem comes back as a `FILE:LINE:COLUMN: message`.
public enum ProgrammeLoader {
    /// The name errors give the embedded default programme.
    public static let embeddedName = "<embedded o5.yaml>"

    /// Parses programme text; `fileName` is what error messages call the file.
    public static func parse(_ text: String, fileName: String) -> Result<Programme, SourceErrors> {
        parse(node: YAMLDocument.parse(text, file: fileName), fileName: fileName, digest: sha256Hex(text))
    }

    /// Parses programme bytes, which must be UTF-8.
    public static func parse(_ data: Data, fileName: String) -> Result<Programme, SourceErrors> {
        parse(node: YAMLDocument.parse(data, file: fileName), fileName: fileName, digest: sha256Hex(bytes: Array(data)))
    }

    /// Reads and parses the programme file at `path`.
    public static func load(path: String) -> Result<Programme, SourceErrors> {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason = (error as NSError).localizedFailureReason ?? describe(error)
            return .failure(SourceErrors([SourceError(
                SourceLocation(file: path, line: 1, column: 1),
                "cannot read the programme file: \(reason)")]))
        }
        return parse(node: YAMLDocument.parse(data, file: path), fileName: path, digest: sha256Hex(bytes: Array(data)),
                     directory: (path as NSString).deletingLastPathComponent)
    }

    /// The embedded O5 programme of the seed document.
    public static func embedded() -> Programme {
        switch parse(EmbeddedProgramme.o5, fileName: embeddedName) {
        case .success(let programme):
            return programme
        case .failure(let errors):
            preconditionFailure("the embedded programme does not load; the build is broken:\n\(errors)")
        }
    }

    private static func parse(node: Result<YAMLNode, SourceErrors>, fileName: String, digest: String,
                              directory: String? = nil) -> Result<Programme, SourceErrors> {
        let root: YAMLNode
        switch node {
        case .failure(let errors): return .failure(errors)
        case .success(let node): root = node
        }
        let diagnostics = Diagnostics(file: fileName)
        let decoder = ProgrammeDecoder(diagnostics: diagnostics, directory: directory)
        if var programme = decoder.decode(root), diagnostics.errors.isEmpty {
            programme.sourceDigest = digest
            return .success(programme)
        }
        return .failure(SourceErrors(diagnostics.errors))
    }

    private static func describe(_ error: any Error) -> String {
        let nsError = error as NSError
        if nsError.domain == NSCocoaErrorDomain, nsError.code == NSFileReadNoSuchFileError {
            return "no such file"
        }
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError,
           underlying.domain == NSPOSIXErrorDomain, let code = POSIXErrorCode(rawValue: Int32(underlying.code)) {
            return String(cString: strerror(code.rawValue)).lowercased()
        }
        return nsError.localizedDescription
    }
}
