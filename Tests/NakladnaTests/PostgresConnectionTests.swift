import Foundation
import Testing

@testable import Nakladna

/// `database:` as a PostgreSQL URL: its parts, what messages show of it, and where a `${…}` goes.
@Suite struct PostgresURLTests {
    func parse(_ text: String, _ env: [String: String] = [:]) throws -> PostgresURL {
        try PostgresURL(text) { part throws(ConfigError) in
            try Config.expandEach(part, place: "nakladna.yaml", key: "database", resolve: { $0 }, env: env)
        }
    }

    func value(_ url: PostgresURL, _ key: String) -> String? {
        url.parameters.first { $0.key == key }?.value
    }

    @Test func theURLsPartsGoToLibpqOneByOne() throws {
        let url = try parse("postgres://nakladna:${PG_PASSWORD}@db.example:5433/chain", ["PG_PASSWORD": "s3:c@/r%41t"])
        #expect(value(url, "user") == "nakladna")
        // The password is taken as the variable holds it: `@`, `/`, `:` and `%41` are not the URL's own.
        #expect(value(url, "password") == "s3:c@/r%41t")
        #expect(value(url, "host") == "db.example")
        #expect(value(url, "port") == "5433")
        #expect(value(url, "dbname") == "chain")
        #expect(url.masked == "postgres://nakladna:***@db.example:5433/chain")
        #expect(!url.masked.contains("s3:c"))
    }

    @Test func aSocketFolderComesInTheQuery() throws {
        let url = try parse("postgresql://station@/nakladna?host=/run/postgresql&port=5432")
        #expect(value(url, "host") == "/run/postgresql")
        #expect(value(url, "port") == "5432")
        #expect(value(url, "dbname") == "nakladna")
        #expect(value(url, "password") == nil)
        #expect(url.masked == "postgresql://station@/nakladna?host=/run/postgresql&port=5432")
    }

    @Test func aLiteralPartIsPercentDecodedAndAPasswordInTheQueryIsMasked() throws {
        let url = try parse("postgres://n%C3%A1@[::1]:5432/d%20b?password=${file:pw}") { _ in "x" }
        #expect(value(url, "user") == "ná")
        #expect(value(url, "host") == "::1")
        #expect(value(url, "dbname") == "d b")
        #expect(url.masked == "postgres://n%C3%A1@[::1]:5432/d%20b?password=***")
    }

    func parse(_ text: String, secret: (String) -> String) throws -> PostgresURL {
        try PostgresURL(text) { part in part.contains("${") ? secret(part) : part }
    }

    @Test func aBadPortOrAMissingVariableIsAConfigurationErrorThatShowsNoPassword() throws {
        let port = #expect(throws: ConfigError.self) { try parse("postgres://u:hunter2@h:99999/d") }
        #expect(port?.message.contains("hunter2") == false)
        #expect(port?.message.contains("u:***@h:99999/d") == true)
        let missing = #expect(throws: ConfigError.self) { try parse("postgres://u:${NOPE}@h/d") }
        #expect(missing?.message.contains("NOPE") == true)
    }

    @Test func aServersMessageLosesThePassword() throws {
        let url = try parse("postgres://u:${P}@h/d", ["P": "hunter2"])
        #expect(url.masking("FATAL: password hunter2 is wrong") == "FATAL: password *** is wrong")
    }
}

/// The client against a real server on 127.0.0.1, started for this suite.
@Suite(.serialized) final class PostgresConnectionTests {
    let server: TestPostgres

    init() throws {
        server = try TestPostgres()
    }

    func connect(_ url: String, password: String? = nil) throws -> PostgresConnection {
        try PostgresConnection(
            PostgresURL(url) { part throws(ConfigError) in
                try Config.expandEach(
                    part, place: "nakladna.yaml", key: "database", resolve: { $0 },
                    env: ["PG_PASSWORD": password ?? server.password])
            })
    }

    @Test func textGoesThereAndBackAsItIs() throws {
        let db = try connect(try server.newDatabase())
        try db.execute("CREATE TABLE t (a TEXT, b TEXT)")
        let texts: [String?] = ["12345678901234567890.1234", "Гуртівня «Омега»\ttab\nline\\slash", nil, "\\N", ""]
        for t in texts { try db.query("INSERT INTO t VALUES ($1, $2)", [t, "param"]) }
        var rows = CopySink()
        for t in texts { rows.row([t, "copy"]) }
        try db.copy(into: "t (a, b)", rows)
        let byParameters = try db.query("SELECT a FROM t WHERE b = 'param' ORDER BY ctid").map { $0[0] }
        let byCopy = try db.query("SELECT a FROM t WHERE b = $1 ORDER BY ctid", ["copy"]).map { $0[0] }
        #expect(byParameters == texts)
        #expect(byCopy == texts)
    }

    @Test func aRefusedCopyKeepsNothing() throws {
        let db = try connect(try server.newDatabase())
        try db.execute("CREATE TABLE t (a TEXT NOT NULL)")
        // A NULL where the table has none, after a row that fits: the server refuses the COPY with its SQLSTATE
        // (23502: not_null_violation), and keeps neither row.
        var rows = CopySink()
        rows.row(["kept?"])
        rows.row([nil])
        let refused = #expect(throws: PostgresError.self) { try db.copy(into: "t", rows) }
        #expect(refused?.kind == .statement("23502"))
        #expect(try db.query("SELECT count(*) FROM t") == [["0"]])
    }

    /// Rows made as they are sent, in pieces of about a megabyte: all arrive, in order; and one refused among
    /// them, in a later piece, keeps none.
    @Test func rowsGoInPiecesAndAllOrNone() throws {
        let db = try connect(try server.newDatabase())
        try db.execute("CREATE TABLE t (n BIGINT NOT NULL, text TEXT NOT NULL)")
        let filler = String(repeating: "ґ\tx\\", count: 40)
        try db.copy(into: "t") { rows in
            for n in 0..<20_000 {
                rows.int(n)
                rows.text(filler)
                rows.endRow()
            }
        }
        #expect(
            try db.query("SELECT count(*), sum(n), count(DISTINCT text), min(text) FROM t")
                == [["20000", "199990000", "1", filler]])
        try db.execute("DELETE FROM t")
        #expect(throws: PostgresError.self) {
            try db.copy(into: "t") { rows in
                for n in 0..<20_000 {
                    rows.int(n)
                    if n == 19_999 { rows.empty() } else { rows.text(filler) }
                    rows.endRow()
                }
            }
        }
        #expect(try db.query("SELECT count(*) FROM t") == [["0"]])
    }

    @Test func aWrongPasswordOrAMissingDatabaseIsRefusedAndNamesTheURLMasked() throws {
        let url = try server.newDatabase()
        let wrong = #expect(throws: PostgresError.self) { try connect(url, password: "not-it-42") }
        #expect(wrong?.kind == .refused)
        #expect(wrong?.message.contains("nakladna:***@127.0.0.1:\(server.port)") == true)
        #expect(wrong?.message.contains("not-it-42") == false)
        let missing = #expect(throws: PostgresError.self) {
            try connect("postgres://nakladna:${PG_PASSWORD}@127.0.0.1:\(server.port)/no_such_db")
        }
        #expect(missing?.kind == .refused)
        #expect(missing?.message.contains("no_such_db") == true)
        #expect(missing?.message.contains(server.password) == false)
    }

    @Test func aServerThatIsDownIsUnreachableAndARestartLosesTheConnection() throws {
        let url = try server.newDatabase()
        let db = try connect(url)
        try server.stop()
        let down = #expect(throws: PostgresError.self) { try connect(url) }
        #expect(down?.kind == .unreachable)
        #expect(down?.message.contains(server.password) == false)
        let lost = #expect(throws: PostgresError.self) { try db.query("SELECT 1") }
        #expect(lost?.connectionLost == true)
        try server.start()
        #expect(try connect(url).query("SELECT 1") == [["1"]])
    }
}
