import Foundation

/// Where a PostgreSQL database is: `postgres://USER@HOST:PORT/DB`, never with a password.
///
/// The password comes from `PGPASSWORD` or a `.pgpass` file (``PostgresPassword``), so that a
/// location can be printed, passed on a command line and journaled without leaking it. The
/// query parameter `readonly_user` names the read-only role of a target's dry runs (default
/// ``defaultReadOnlyUser``); `sslmode` is `disable`, `prefer` (the default, as libpq's) or
/// `require`, and like libpq's modes of those names it encrypts without checking the
/// server's certificate.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    /// The role dry runs connect as unless the location names another.
    public static let defaultReadOnlyUser = "context_pack_readonly"

    public var user: String
    public var host: String
    public var port: Int
    public var database: String
    /// The role a dry run connects as.
    public var readOnlyUser: String
    /// Whether the connection uses TLS.
    public var sslMode: SSLMode

    /// libpq's `sslmode`, of the values that do not check certificates.
    public enum SSLMode: String, Sendable, Equatable, CaseIterable {
        case disable, prefer, require
    }

    public init(user: String, host: String, port: Int = 5432, database: String,
                readOnlyUser: String = PostgresLocation.defaultReadOnlyUser, sslMode: SSLMode = .prefer) {
        self.user = user
        self.host = host
        self.port = port
        self.database = database
        self.readOnlyUser = readOnlyUser
        self.sslMode = sslMode
    }

    /// Whether `text` is meant as a PostgreSQL location (and not a file path).
    public static func isPostgres(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Parses `postgres://USER@HOST[:PORT]/DB[?readonly_user=NAME]`.
    public init(parsing text: String) throws(PostgresLocationError) {
        func fail(_ problem: String) -> PostgresLocationError {
            PostgresLocationError(text: Self.redacting(text), problem: problem)
        }
        guard Self.isPostgres(text), let components = URLComponents(string: text) else {
            throw fail("expected postgres://USER@HOST:PORT/DATABASE")
        }
        if components.password != nil {
            throw fail("it holds a password, which would be printed and journaled with it; remove it and set PGPASSWORD or a line in ~/.pgpass instead")
        }
        guard let user = components.user, !user.isEmpty else {
            throw fail("no user; write the role before an @, as in postgres://gatehouse@db.example:5432/contextpack")
        }
        guard let host = components.host, !host.isEmpty else {
            throw fail("no host; expected postgres://USER@HOST:PORT/DATABASE")
        }
        let database = String(components.path.drop(while: { $0 == "/" }))
        guard !database.isEmpty, !database.contains("/") else {
            throw fail("no database name after the host; expected postgres://USER@HOST:PORT/DATABASE")
        }
        var readOnlyUser = Self.defaultReadOnlyUser
        var sslMode = SSLMode.prefer
        for item in components.queryItems ?? [] {
            switch item.name {
            case "readonly_user":
                guard let value = item.value, !value.isEmpty else { throw fail("readonly_user has no value") }
                readOnlyUser = value
            case "sslmode":
                guard let value = item.value, let mode = SSLMode(rawValue: value) else {
                    throw fail("sslmode is '\(item.value ?? "")'; expected one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                sslMode = mode
            default:
                throw fail("unknown parameter '\(item.name)'; expected readonly_user or sslmode")
            }
        }
        self.init(user: user.removingPercentEncoding ?? user, host: host, port: components.port ?? 5432,
                  database: database.removingPercentEncoding ?? database, readOnlyUser: readOnlyUser, sslMode: sslMode)
    }

    /// The location as it is written, for messages and the journal (it has no password).
    public var description: String {
        let text = "postgres://\(user)@\(host):\(port)/\(database)"
        var parameters: [String] = []
        if readOnlyUser != Self.defaultReadOnlyUser { parameters.append("readonly_user=\(readOnlyUser)") }
        if sslMode != .prefer { parameters.append("sslmode=\(sslMode.rawValue)") }
        return parameters.isEmpty ? text : text + "?" + parameters.joined(separator: "&")
    }

    /// The location as libpq's programs (`psql`, `pg_restore --dbname`) read it: without
    /// `readonly_user`, which only gatehouse knows (and without a password).
    public var libpqURI: String {
        let text = "postgres://\(user)@\(host):\(port)/\(database)"
        return sslMode == .prefer ? text : text + "?sslmode=\(sslMode.rawValue)"
    }

    /// The same server and database as another role.
    public func connecting(as role: String) -> PostgresLocation {
        var copy = self
        copy.user = role
        return copy
    }

    /// `text` with anything between `://` and `@` past a colon replaced, for error messages.
    static func redacting(_ text: String) -> String {
        guard let scheme = text.range(of: "://"), let at = text[scheme.upperBound...].firstIndex(of: "@"),
              let colon = text[scheme.upperBound..<at].firstIndex(of: ":") else { return text }
        return text.replacingCharacters(in: text.index(after: colon)..<at, with: "***")
    }
}

/// A PostgreSQL location that cannot be used.
public struct PostgresLocationError: Error, Equatable, CustomStringConvertible {
    /// The location as given, any password replaced by `***`.
    public var text: String
    public var problem: String

    public var description: String { "\(text): \(problem)" }
}
