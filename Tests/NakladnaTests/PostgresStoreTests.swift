import Foundation
import Testing

@testable import Nakladna

/// Issue "A chain of stations on PostgreSQL", must-show 1: a station whose results are kept in PostgreSQL gives the
/// same CSV files, byte for byte, and the same table rows as the same station on SQLite, through the random
/// histories of `IncrementalTests` (nights, late files, corrections, re-runs, `--supplier`, edits of the orders,
/// the rates and the settings). Against a real server on 127.0.0.1, started for the suite.
@Suite(.serialized) final class PostgresStoreTests {
    let server: TestPostgres

    init() throws {
        server = try TestPostgres()
    }

    @Test(arguments: [1, 2] as [UInt64])
    func aStationOnPostgresEndsWhereTheSameOnSQLiteEnds(seed: UInt64) throws {
        let url = try server.newDatabase()
        var history = try IncrementalTests.History(
            seed: seed, other: .postgres(server, url: url, station: "kyiv-\(seed)"))
        defer {
            history.incremental.remove()
            history.full.remove()
        }
        try history.write()
        for _ in 0..<24 {
            try history.step()
        }
    }
}
