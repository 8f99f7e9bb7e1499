import Foundation

/// A chain's nights of work in its database (`chain_queue`): one row per station and night, put there by the first
/// worker of the night, and taken by any number of workers on any number of machines. A night is named as its
/// folder in `out/` is: `D`, or `F_T` for a range of days.
///
/// A worker holds the row it works on locked (`FOR UPDATE SKIP LOCKED`, in a transaction that lasts the station's
/// run), and marks it done with the run's exit code in that same transaction. A worker that dies lets go of the row
/// with its connection, still queued: another worker takes the station in the same night.
package final class ChainQueue {
    /// A station's night: queued, or done with its run's exit code and last message.
    package struct Entry: Sendable, Equatable {
        package var station: String
        package var night: String
        package var exitCode: Int32?
        package var worker: String
        package var message: String
    }

    private let db: PostgresConnection
    private var held: (station: String, night: String)?

    package init(url: PostgresURL) throws {
        db = try PostgresConnection(url)
        try PostgresSchema.migrate(db)
    }

    /// Puts each station's night in the queue, unless it is there already (done or not).
    package func enqueue(_ nights: [(station: String, night: String)]) throws {
        try db.query(
            """
            INSERT INTO chain_queue SELECT s, n, 'queued', NULL, '', '', ''
            FROM unnest($1::text[], $2::text[]) AS q(s, n) ON CONFLICT DO NOTHING
            """,
            [PostgresConnection.array(nights.map(\.station)), PostgresConnection.array(nights.map(\.night))])
    }

    /// Takes a queued station's night among `nights`, and holds it until `finish`; nil when every one is done.
    /// Where the queued ones are all held by other workers, it waits for them: a worker that ends its run lets its
    /// row go done, and one that dies lets it go queued, to be taken here. So every worker's summary is the night's
    /// whole, and no station is left behind by a dead worker while a live one is still up.
    package func take(from nights: [(station: String, night: String)]) throws -> (
        station: String, night: String
    )? {
        let arguments = [
            PostgresConnection.array(nights.map(\.station)), PostgresConnection.array(nights.map(\.night)),
        ]
        let queued = """
            SELECT station_id, night FROM chain_queue
            WHERE status = 'queued' AND (station_id, night) IN (SELECT * FROM unnest($1::text[], $2::text[]))
            ORDER BY night, station_id LIMIT 1 FOR UPDATE
            """
        while true {
            try db.execute("BEGIN")
            for sql in [queued + " SKIP LOCKED", queued] {
                let row = try db.query(sql, arguments).first
                if let station = row?[0] ?? nil, let night = row?[1] ?? nil {
                    held = (station, night)
                    return (station, night)
                }
            }
            try db.execute("COMMIT")
            // The row waited for was done by its holder; others may be queued still.
            let left = try db.query(
                """
                SELECT count(*) FROM chain_queue
                WHERE status = 'queued' AND (station_id, night) IN (SELECT * FROM unnest($1::text[], $2::text[]))
                """, arguments)
            if left.first?[0] == "0" { return nil }
        }
    }

    /// The held station's night is done: its exit code and message are kept, and the row let go.
    package func finish(exitCode: Int32, worker: String, message: String) throws {
        guard let held else { return }
        try db.query(
            """
            UPDATE chain_queue SET status = 'done', exit_code = $3, worker = $4, finished_at = $5, message = $6
            WHERE station_id = $1 AND night = $2
            """,
            [
                held.station, held.night, String(exitCode), worker,
                ISO8601DateFormatter().string(from: Date()), message,
            ])
        try db.execute("COMMIT")
        self.held = nil
    }

    /// Every station's night among `nights`, as the queue has it now.
    package func entries(_ nights: [(station: String, night: String)]) throws -> [Entry] {
        try db.rows(
            """
            SELECT station_id, night, exit_code, worker, message FROM chain_queue
            WHERE (station_id, night) IN (SELECT * FROM unnest($1::text[], $2::text[])) ORDER BY station_id, night
            """,
            [PostgresConnection.array(nights.map(\.station)), PostgresConnection.array(nights.map(\.night))]
        ).map { row in
            Entry(
                station: row.string("station_id"),
                night: row.string("night"),
                exitCode: row.int("exit_code").map { Int32($0) }, worker: row.string("worker"),
                message: row.string("message"))
        }
    }
}
