import Foundation

/// Finds a role's password the way libpq does: `PGPASSWORD`, then the password file
/// (`PGPASSFILE`, else `~/.pgpass`), whose lines are `host:port:database:user:password` with
/// `*` matching anything and `\` escaping `:` and `\`.
public enum PostgresPassword {
    /// The password for `location`'s user, or nil when none is set (the server may not ask).
    public static func lookup(for location: PostgresLocation, environment: [String: String]) -> String? {
        if let password = environment["PGPASSWORD"] { return password }
        let file = environment["PGPASSFILE"] ?? (environment["HOME"].map { $0 + "/.pgpass" } ?? NSHomeDirectory() + "/.pgpass")
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        return lookup(for: location, passfile: text)
    }

    /// The password the first matching line of a password file's `text` gives, if any.
    public static func lookup(for location: PostgresLocation, passfile text: String) -> String? {
        let wanted = [location.host, String(location.port), location.database, location.user]
        for line in text.split(whereSeparator: \.isNewline) where !line.hasPrefix("#") {
            let fields = split(line)
            guard fields.count == 5 else { continue }
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    /// The colon-separated fields of a line, unescaping `\:` and `\\`.
    private static func split(_ line: Substring) -> [String] {
        var fields: [String] = []
        var field = ""
        var escaped = false
        for character in line {
            if escaped {
                field.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ":" && fields.count < 4 {
                fields.append(field)
                field = ""
            } else {
                field.append(character)
            }
        }
        fields.append(field)
        return fields
    }
}
