import Foundation

/// With a PostgreSQL store, the archive is a table of the station's database (`archive`): every received byte, by
/// SHA-256, committed before anything reads it. PostgreSQL keeps each file's bytes compressed (a `bytea` over 2 kB is
/// compressed and stored apart, TOAST's default), so a feed's repeated JSON or XML costs a fraction of its size.
///
/// Safe to use from the intake's many threads at once: they take the one connection in turn.
package final class ArchiveTable: @unchecked Sendable {
    private let db: PostgresConnection
    private let station: String
    private let lock = NSLock()

    package init(url: PostgresURL, station: String) throws {
        db = try PostgresConnection(url)
        self.station = station
        try PostgresSchema.migrate(db)
    }

    /// Keeps `data` under `sha256` unless the station has it already; committed when this returns.
    package func keep(_ data: Data, sha256: String) throws {
        lock.lock()
        defer { lock.unlock() }
        try db.execute(
            """
            INSERT INTO archive VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING
            """, texts: [station, sha256, String(data.count)], bytes: data)
    }

    /// The bytes kept under `sha256`, or nil.
    package func bytes(_ sha256: String) throws -> Data? {
        lock.lock()
        defer { lock.unlock() }
        return try db.bytes("SELECT bytes FROM archive WHERE station_id = $1 AND sha256 = $2", [station, sha256])
    }
}
