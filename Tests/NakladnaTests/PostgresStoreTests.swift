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
        try history.play(steps: 24)
    }

    /// The demo's week on both stores, then what the other commands read back: `report` (its CSV files, and its page
    /// but for the time it was made), `offers`, `code` and `order export` answer alike.
    @Test func theOtherCommandsAnswerAlikeFromPostgres() throws {
        let sqlite = try Station()
        let postgres = try Station()
        defer {
            sqlite.remove()
            postgres.remove()
        }
        try postgres.usePostgres(url: try server.newDatabase(), station: "kyiv-1")
        var env = Station.environment
        env["PG_PASSWORD"] = server.password
        for s in [sqlite, postgres] {
            let run = try s.run(Station.week, environment: env)
            #expect(run.status == 0, "\(run.stderr)")
            try FileManager.default.removeItem(atPath: s.path("out/2026-11-23_2026-11-29"))
        }
        func both(_ arguments: [String]) throws -> [RunResult] {
            try [sqlite, postgres].map { s in
                try runBinary(
                    arguments.map { $0 == "CONFIG" ? s.config : $0.replacing("STATION", with: s.root) },
                    environment: env)
            }
        }
        let reports = try both(["report", "--config", "CONFIG"] + Station.week + ["--lang", "en"])
        #expect(reports.map(\.status) == [0, 0], "\(reports.map(\.stderr))")
        for name in ["inc_documents.csv", "inc_lines.csv", "reconciliation.csv", "report.en.html"] {
            let (x, y) = try (
                sqlite.read("out/2026-11-23_2026-11-29/\(name)"), postgres.read("out/2026-11-23_2026-11-29/\(name)")
            )
            let generated = /Generated: [^<]*/
            #expect(x.replacing(generated, with: "") == y.replacing(generated, with: ""), "\(name)")
        }
        for arguments in [
            ["offers", "--config", "CONFIG", "--today", "2026-11-29", "BOSCH", "0 986 452 041", "--qty", "3"],
            ["offers", "--config", "CONFIG", "--today", "2026-11-29", "--format", "json", "TRW", "GDB1330"],
            ["code", "--config", "CONFIG", "--supplier", "omega", "BOSCH", "0 986 452 041"],
            ["code", "--config", "CONFIG", "--supplier", "intercars", "KNECHT", "OC 90"],
        ] {
            let answers = try both(arguments)
            #expect(answers[0].status == answers[1].status && answers[0].stdout == answers[1].stdout, "\(arguments)")
            #expect(!answers[0].stdout.isEmpty, "\(arguments)")
        }
        let order =
            "order_number,supplier,supplier_order_id,order_date,brand,article,name,quantity,unit_price,currency\n"
            + "ZM-1,omega,,2026-11-28,BOSCH,0 986 452 041,Колодки,2,100.00,UAH\n"
        for s in [sqlite, postgres] { try order.write(toFile: s.path("order.csv"), atomically: true, encoding: .utf8) }
        let exports = try both(["order", "export", "--config", "CONFIG", "--supplier", "omega", "STATION/order.csv"])
        #expect(exports[0].status == 0 && exports[0].stdout == exports[1].stdout, "\(exports.map(\.stderr))")
    }

    /// With PostgreSQL the archive is the database's `archive` table: every inbox file's exact bytes, by their
    /// SHA-256, kept compressed; the station has no archive folder, and a quarantined file still reaches quarantine/
    /// whole.
    @Test func theArchiveIsTheDatabasesTable() throws {
        let station = try Station()
        defer { station.remove() }
        let url = try server.newDatabase()
        try station.usePostgres(url: url, station: "kyiv-1")
        // A large file that cannot be read: quarantined whole, and kept compressed in the table.
        let broken = Data(
            ("{\"Success\": true, \"Data\": [" + String(repeating: "{\"Id\": \"x\"}, ", count: 5_000)).utf8)
        try broken.write(to: URL(fileURLWithPath: station.path("inbox/omega/omega-2026-11-25-broken.json")))
        var received: [String: Data] = [:]
        for supplier in station.files("inbox") {
            for name in station.files("inbox/\(supplier)") {
                let data = try Data(contentsOf: URL(fileURLWithPath: station.path("inbox/\(supplier)/\(name)")))
                received[SHA256Hex.of(data)] = data
            }
        }
        var env = Station.environment
        env["PG_PASSWORD"] = server.password
        let run = try station.run(Station.week, environment: env)
        #expect(run.status == 1, "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: station.path("archive")))
        let quarantined = try Data(
            contentsOf: URL(fileURLWithPath: station.path("quarantine/omega/omega-2026-11-25-broken.json")))
        #expect(quarantined == broken)
        let database = String(url.split(separator: "/").last ?? "")
        let db = try server.superuserConnection(database: database)
        let keys = try db.query("SELECT sha256, size FROM archive WHERE station_id = 'kyiv-1'")
        #expect(Set(keys.compactMap { $0[0] ?? nil }) == Set(received.keys))
        for row in keys {
            let sha = (row[0] ?? nil) ?? ""
            let bytes = try db.bytes("SELECT bytes FROM archive WHERE station_id = 'kyiv-1' AND sha256 = $1", [sha])
            #expect(bytes == received[sha], "\(sha)")
            #expect(row[1] == String(received[sha]?.count ?? -1))
        }
        // Kept compressed: the large file takes a fraction of its bytes.
        let kept =
            try db.query(
                "SELECT pg_column_size(bytes) FROM archive WHERE sha256 = $1", [SHA256Hex.of(broken)]
            ).first?[0].flatMap { Int($0) } ?? 0
        #expect(kept > 0 && kept < broken.count / 4, "\(kept) of \(broken.count)")
    }
}
