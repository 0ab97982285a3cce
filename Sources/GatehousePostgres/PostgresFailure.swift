import PostgresNIO

/// What went wrong talking to PostgreSQL, said so a person knows what to do next.
///
/// postgres-nio keeps its own errors' descriptions vague (they could carry data); this reads
/// the server's SQLSTATE and message, or the connection's cause, and names the server, role
/// and database involved (never a password).
public struct PostgresFailure: Error, Equatable, CustomStringConvertible {
    /// The kind of failure, for callers that act on it.
    public enum Kind: String, Sendable, Equatable {
        /// No server answers at the host and port.
        case unreachable
        /// The server refused the role's password, or wants one and none is set.
        case authentication
        /// The role does not exist on the server.
        case missingRole
        /// The database does not exist on the server.
        case missingDatabase
        /// A schema or table is missing, or the role may not use it.
        case missingObject
        /// A write in a read-only transaction (SQLSTATE 25006), refused by the server itself.
        case readOnly
        /// The connection ended in the middle (server stopped, backend terminated, network).
        case connectionLost
        /// Any other error the server reported.
        case server
    }

    public var kind: Kind
    /// The server's SQLSTATE, when the server reported the error.
    public var sqlState: String?
    /// The whole sentence: what failed, where, and what to do.
    public var message: String

    public init(kind: Kind, sqlState: String? = nil, message: String) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
    }

    public var description: String { message }

    /// Reads `error` (from postgres-nio or below) met while `role` used `location`.
    public init(_ error: any Error, location: PostgresLocation) {
        if let failure = error as? PostgresFailure {
            self = failure
            return
        }
        let server = "PostgreSQL at \(location.host):\(location.port)"
        let role = location.user
        guard let error = error as? PSQLError else {
            self.init(kind: .connectionLost, message: "\(server), role '\(role)': \(error)")
            return
        }
        switch error.code {
        case .server:
            let state = error.serverInfo?[.sqlState] ?? ""
            let text = error.serverInfo?[.message] ?? "no message"
            let detail = error.serverInfo?[.detail].map { " (\($0))" } ?? ""
            self.init(sqlState: state, serverMessage: text + detail, server: server, location: location)
        case .connectionError:
            let cause = error.underlying.map { "\($0)" } ?? "no answer"
            self.init(kind: .unreachable,
                      message: "cannot connect to \(server) (\(cause)); is the server running and listening there?")
        case .serverClosedConnection, .uncleanShutdown, .clientClosedConnection:
            self.init(kind: .connectionLost,
                      message: "the connection to \(server) was lost (role '\(role)', database '\(location.database)'); whatever was not committed was rolled back by the server")
        case .authMechanismRequiresPassword:
            self.init(kind: .authentication,
                      message: "\(server) asks role '\(role)' for a password and none is set; set PGPASSWORD or add a line \(location.host):\(location.port):\(location.database):\(role):PASSWORD to ~/.pgpass")
        case .sslUnsupported:
            self.init(kind: .unreachable, message: "\(server) does not offer TLS and the location asks for sslmode=require")
        default:
            let cause = error.underlying.map { ": \($0)" } ?? ""
            self.init(kind: .connectionLost, message: "\(server), role '\(role)': \(error.code)\(cause)")
        }
    }

    private init(sqlState state: String, serverMessage text: String, server: String, location: PostgresLocation) {
        let role = location.user
        switch state {
        case "28P01":
            self.init(kind: .authentication, sqlState: state,
                      message: "\(server) refused the password of role '\(role)'; set the right one in PGPASSWORD or in ~/.pgpass (\(location.host):\(location.port):\(location.database):\(role):PASSWORD)")
        case "28000" where text.contains("does not exist"):
            self.init(kind: .missingRole, sqlState: state,
                      message: "role '\(role)' does not exist on \(server); create it (docs/postgres.md shows how)")
        case "28000":
            self.init(kind: .authentication, sqlState: state, message: "\(server) refused role '\(role)': \(text)")
        case "3D000":
            self.init(kind: .missingDatabase, sqlState: state,
                      message: "database '\(location.database)' does not exist on \(server); create it with `createdb \(location.database)`")
        case "42P01", "3F000", "42501":
            self.init(kind: .missingObject, sqlState: state,
                      message: "\(server), database '\(location.database)', role '\(role)': \(text) (SQLSTATE \(state)); was the target created with `gatehouse init --target`, and the role granted its use?")
        case "25006":
            self.init(kind: .readOnly, sqlState: state,
                      message: "PostgreSQL refused a write in a read-only transaction: \(text) (SQLSTATE 25006); a dry run never writes")
        case "57P01", "57P02", "57P03":
            self.init(kind: .connectionLost, sqlState: state,
                      message: "the connection to \(server) was ended by the server: \(text) (SQLSTATE \(state)); whatever was not committed was rolled back")
        default:
            self.init(kind: .server, sqlState: state, message: "\(server), role '\(role)': \(text) (SQLSTATE \(state))")
        }
    }
}
