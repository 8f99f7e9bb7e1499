import Foundation

/// One run at a time per station, across machines: a PostgreSQL advisory lock on the station's id, held by a
/// connection of its own for as long as the run lasts. The server releases it when that connection ends, however it
/// ends (a worker killed, its machine gone), so it never goes stale.
///
/// Taking it also writes the holder (host, pid, command) and a new generation into `station_locks`: a run that found
/// the lock taken names its holder, and a run's commit checks, in its own transaction, that the generation is still
/// its own (`PostgresStore.commit`): a worker whose lock went with its connection, while another took the station,
/// commits nothing.
package final class PostgresLock {
    private let connection: PostgresConnection
    private let station: String
    /// The generation this run holds the station under.
    package let generation: Int

    /// Takes the lock, or throws `RunLockError.held` with what the holder wrote about itself.
    package init(url: PostgresURL, station: String, holder: String) throws {
        connection = try PostgresConnection(url)
        self.station = station
        try PostgresSchema.migrate(connection)
        let taken = try connection.query(
            "SELECT pg_try_advisory_lock(\(PostgresLock.namespace), hashtext($1))", [station]
        ).first?[0]
        guard taken == "t" else {
            let row = try connection.query("SELECT holder FROM station_locks WHERE station_id = $1", [station]).first
            throw RunLockError.held("station \(station): " + ((row?[0] ?? nil) ?? "another worker"))
        }
        let written = try connection.query(
            """
            INSERT INTO station_locks VALUES ($1, $2, 1) ON CONFLICT (station_id)
            DO UPDATE SET holder = excluded.holder, generation = station_locks.generation + 1
            RETURNING generation
            """, [station, "\(PostgresLock.host), \(holder)"])
        generation = Int(written.first?[0] ?? "") ?? 0
    }

    deinit {
        if connection.isOpen {
            _ = try? connection.query(
                "SELECT pg_advisory_unlock(\(PostgresLock.namespace), hashtext($1))", [station])
        }
    }

    /// The advisory locks' first key, so that the stations' locks stand apart from any other program's in the same
    /// database; the second is the station id's hash (two ids of one hash would only wait for each other).
    static let namespace = 1_853_096_300

    static var host: String {
        // One byte more than gethostname may fill, so that a name it cuts short still ends in a zero.
        var name = [CChar](repeating: 0, count: 257)
        return name.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress, gethostname(base, buffer.count - 1) == 0 else { return "host unknown" }
            return "host \(String(cString: base))"
        }
    }
}
