import GRDB

extension DatabaseWriter {
    /// Runs `body` in one `BEGIN IMMEDIATE` transaction and returns what it returns: the write
    /// lock is held from the first statement to the commit, and nothing is kept when `body` throws.
    func inImmediateTransaction<T>(_ body: (Database) throws -> T) throws -> T {
        try writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction(.immediate) {
                result = try body(db)
                return .commit
            }
            // `inTransaction` returns only once the closure has returned, so `result` is set.
            return result!
        }
    }
}
