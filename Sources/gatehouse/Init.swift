import ArgumentParser
import Foundation
import GatehouseEngine
import GatehousePostgres

/// `gatehouse init`: creates the context-pack target with its sample documents.
struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create the context-pack target (an SQLite file, or the schema context_pack in a PostgreSQL database) with its sample documents.")

    @OptionGroup var targetOptions: TargetOptions

    func run() throws {
        switch try targetOptions.address() {
        case .sqlite(let path):
            if FileManager.default.fileExists(atPath: path) {
                write("\(path) already exists; left as it is\n")
                return
            }
            try reportingErrors {
                let pack = try SQLiteContextPack.create(path: path)
                report(created: path, documents: try pack.documents())
            }
        case .postgres(let location):
            try reportingErrors {
                let (pack, roleMissing) = try PostgresContextPack.create(location: location)
                defer { pack.close() }
                report(created: "schema context_pack in \(location)", documents: try pack.documents())
                if roleMissing {
                    write("""

                        The read-only role '\(location.readOnlyUser)' that dry runs connect as does not exist yet,
                        so dry runs cannot connect. As a role that may create roles (a DBA), run:

                        \(PostgresContextPack.readOnlyRoleSQL(location).split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))

                        and give its password to dry runs in PGPASSWORD or ~/.pgpass (see docs/postgres.md).

                        """)
                } else {
                    write("the read-only role '\(location.readOnlyUser)' may read it (dry runs connect as that role)\n")
                }
            }
        }
    }

    private func report(created place: String, documents: [TargetDocument]) {
        write("created context pack \(place) with \(documents.count) documents:\n")
        for document in documents {
            write("  \(document.id)  \(document.title)\(document.signatureCritical ? "  (signature-critical)" : "")\n")
        }
    }
}
