import Foundation

/// Where a station's results are kept, as its configuration says: a SQLite file (`database:` a path), or the
/// station's rows in a PostgreSQL database many stations share (`database:` a URL, `station:` its id).
enum StationStore {
    /// The lock a run or a report holds on its station, for as long as it holds the value.
    struct Lease {
        var file: RunLock?
        var postgres: PostgresLock?
        /// The generation a PostgreSQL commit checks that it still holds the station under.
        var generation: Int? { postgres?.generation }
    }

    /// One run at a time per station: `flock` on `<database>.lock`, or the station's PostgreSQL advisory lock.
    /// Throws `.locked` naming the holder, `.configuration` where the lock cannot be had (a folder, a login), and
    /// `.failed` where the server does not answer.
    static func lock(_ config: Config, holder: String) throws(RunError) -> Lease {
        do {
            if let url = config.postgres {
                return Lease(postgres: try PostgresLock(url: url, station: config.station, holder: holder))
            }
            return Lease(file: try RunLock(database: config.database, holder: holder))
        } catch {
            switch error {
            case RunLockError.held: throw .locked("\(error)")
            case RunLockError.cannotOpen: throw .configuration("\(error)")
            default: throw runError(error)
            }
        }
    }

    /// The station's store, its schema brought up to date; `lease`, where a run holds one, fences a PostgreSQL commit.
    static func open(_ config: Config, lease: Lease? = nil) throws -> any ResultStore {
        if let url = config.postgres {
            return try PostgresStore(url: url, station: config.station, lease: lease?.generation)
        }
        return try SQLiteStore(path: config.database)
    }

    /// The station's store where a run has stored anything yet, for the commands that only read it (`report`,
    /// `offers`, `code`); nil before the first run. A SQLite file that does not exist is not made; a PostgreSQL
    /// database is asked, through the one connection the reader then uses.
    static func openIfRun(_ config: Config) throws -> (any ResultStore)? {
        guard config.postgres != nil else {
            return FileManager.default.fileExists(atPath: config.database) ? try open(config) : nil
        }
        guard let store = try open(config) as? PostgresStore else { return nil }
        return try store.hasRuns() ? store : nil
    }

    /// What a failure of the store means for the exit code: a PostgreSQL server that refused the login or holds a
    /// schema too new is the configuration's (2); one that does not answer, or any other failure, is the run's (4).
    static func runError(_ error: any Error) -> RunError {
        if let error = error as? PostgresError {
            return error.kind == .refused ? .configuration(error.message) : .failed(error.message)
        }
        if let error = error as? StoreError, error.isSchemaTooNew { return .configuration(error.description) }
        return .failed("\(error)")
    }
}
