import ArgumentParser
import Foundation
import GatehouseEngine

/// `gatehouse init`: creates the embedded context-pack target with its sample documents.
struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create the embedded context-pack target (SQLite) with its sample documents.")

    @OptionGroup var targetOptions: TargetOptions

    func run() throws {
        let path = targetOptions.targetPath
        if FileManager.default.fileExists(atPath: path) {
            write("\(path) already exists; left as it is\n")
            return
        }
        try reportingErrors {
            let pack = try SQLiteContextPack.create(path: path)
            let documents = try pack.documents()
            write("created context pack \(path) with \(documents.count) documents:\n")
            for document in documents {
                write("  \(document.id)  \(document.title)\(document.signatureCritical ? "  (signature-critical)" : "")\n")
            }
        }
    }
}
