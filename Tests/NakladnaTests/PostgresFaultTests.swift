import Foundation
import Testing

@testable import Nakladna

/// Issue "A chain of stations on PostgreSQL", "Bad input" and must-show 3 and 4: what a station on PostgreSQL does
/// when the server refuses it, is down, restarts mid-run, holds a newer schema, or another worker holds the
/// station; and that the password is nowhere. Against a real server on 127.0.0.1, started for each test.
@Suite(.serialized) final class PostgresFaultTests {
    let server: TestPostgres
    let station: Station
    let url: String

    init() throws {
        server = try TestPostgres()
        url = try server.newDatabase()
        station = try Station()
        try station.usePostgres(url: url, station: "kyiv-1")
    }

    deinit {
        station.remove()
    }

    func run(_ arguments: [String] = Station.week, password: String? = nil, extra: [String: String] = [:]) throws
        -> RunResult
    {
        var env = Station.environment
        env["PG_PASSWORD"] = password ?? server.password
        env.merge(extra) { $1 }
        return try station.run(arguments, environment: env)
    }

    /// The demo's inbox files, which a run that changed nothing leaves where they are.
    var inbox: [String] { station.files("inbox").flatMap { s in station.files("inbox/\(s)").map { "\(s)/\($0)" } } }

    func rowCount(_ table: String) throws -> Int {
        let database = String(url.split(separator: "/").last ?? "")
        return Int(
            try server.superuser("SELECT count(*) FROM \(table) WHERE station_id = 'kyiv-1'", database: database)
                .first?[0] ?? "") ?? -1
    }

    @Test func aWrongPasswordOrAMissingDatabaseExits2AndChangesNothing() throws {
        let before = inbox
        let wrong = try run(password: "not-the-password-31")
        #expect(wrong.status == 2, "\(wrong.stderr)")
        #expect(wrong.stderr.contains("postgres://nakladna:***@127.0.0.1:\(server.port)/"))
        #expect(wrong.stderr.contains("password"))
        #expect(!wrong.stderr.contains("not-the-password-31") && !wrong.stdout.contains("not-the-password-31"))
        try station.usePostgres(url: "postgres://nakladna:${PG_PASSWORD}@127.0.0.1:\(server.port)/nope", station: "k")
        let missing = try run()
        #expect(missing.status == 2, "\(missing.stderr)")
        #expect(missing.stderr.contains("/nope") && missing.stderr.contains("does not exist"), "\(missing.stderr)")
        #expect(!missing.stderr.contains(server.password))
        #expect(inbox == before)
        #expect(station.files("out").filter { !$0.hasPrefix(".") }.isEmpty)
    }

    @Test func aServerThatIsDownExits4AndTheNextRunCompletes() throws {
        let before = inbox
        try server.stop()
        let down = try run()
        #expect(down.status == 4, "\(down.stderr)")
        #expect(down.stderr.contains("no PostgreSQL server answered"))
        #expect(down.stderr.contains("127.0.0.1:\(server.port)"))
        #expect(inbox == before)
        try server.start()
        let next = try run()
        #expect(next.status == 0, "\(next.stderr)")
        #expect(try rowCount("inc_documents") > 0)
    }

    @Test func aSchemaNewerThanThisReleaseExits2AndIsLeftAlone() throws {
        #expect(try run().status == 0)
        let database = String(url.split(separator: "/").last ?? "")
        try server.superuser("INSERT INTO schema_migrations VALUES (999, 'from the future')", database: database)
        let documents = try rowCount("inc_documents")
        let newer = try run(["--date", "2026-11-30"])
        #expect(newer.status == 2, "\(newer.stderr)")
        #expect(newer.stderr.contains("version 999"), "\(newer.stderr)")
        #expect(try rowCount("inc_documents") == documents)
    }

    @Test func aStationAnotherWorkerHoldsExits3NamingItWhileAnotherStationRuns() throws {
        let holder = try PostgresLock(
            url: PostgresURL(url) { $0.replacing("${PG_PASSWORD}", with: self.server.password) }, station: "kyiv-1",
            holder: "pid 4242, started earlier, nakladna run")
        let held = try run()
        #expect(held.status == 3, "\(held.stderr)")
        #expect(held.stderr.contains("pid 4242"), "\(held.stderr)")
        #expect(held.stderr.contains("station kyiv-1"))
        // Another station of the same database is not held up.
        let other = try Station()
        defer { other.remove() }
        try other.usePostgres(url: url, station: "lviv-2")
        var env = Station.environment
        env["PG_PASSWORD"] = server.password
        #expect(try other.run(Station.week, environment: env).status == 0)
        withExtendedLifetime(holder) {}
    }

    /// The week's run, started and waiting at "reconciled" with its transaction open, for 4 s: the process, and its
    /// standard error to read once it ends.
    func pausedRun() throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binaryPath)
        process.arguments = ["run", "--config", station.config] + Station.week
        var env = Station.environment
        env["PG_PASSWORD"] = server.password
        env["NAKLADNA_TEST_PAUSE_AT"] = "reconciled"
        env["NAKLADNA_TEST_PAUSE_SECONDS"] = "4"
        process.environment = env
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        #expect(try server.waitForTransactions(String(url.split(separator: "/").last ?? ""), count: 1))
        return (process, errors)
    }

    @Test func aRestartOfTheServerMidCommitExits4KeepsThePreviousResultAndTheNextRunCompletes() throws {
        #expect(try run(["--date", "2026-11-23"]).status == 0)
        let documents = try rowCount("inc_documents")
        let runs = try rowCount("runs")
        // The run waits at "reconciled", its transaction open, while the server restarts under it.
        let (process, errors) = try pausedRun()
        try server.stop(mode: "fast")
        try server.start()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 4, "\(text)")
        #expect(text.contains("127.0.0.1:\(server.port)"), "\(text)")
        #expect(try rowCount("inc_documents") == documents)
        #expect(try rowCount("runs") == runs)
        let next = try run()
        #expect(next.status == 0, "\(next.stderr)")
        #expect(try rowCount("inc_documents") > documents)
    }

    @Test func thePasswordIsInNoFileNoOutputAndNoTable() throws {
        let runs = [try run(), try run(["--date", "2026-11-30"]), try run(password: "wrong-\(server.password)")]
        for r in runs {
            #expect(!r.stdout.contains(server.password) && !r.stderr.contains(server.password))
        }
        for (name, data) in station.allFiles() {
            #expect(data.range(of: Data(server.password.utf8)) == nil, "\(name)")
        }
        let database = String(url.split(separator: "/").last ?? "")
        let dump = Process()
        dump.executableURL = URL(fileURLWithPath: TestPostgres.bin + "/pg_dump")
        dump.arguments = ["-h", "127.0.0.1", "-p", "\(server.port)", "-U", "nakladna", database]
        var env = ProcessInfo.processInfo.environment
        env["PGPASSWORD"] = server.password
        dump.environment = env
        let out = Pipe()
        dump.standardOutput = out
        try dump.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        dump.waitUntilExit()
        #expect(dump.terminationStatus == 0)
        #expect(text.contains("COPY public.inc_documents"))
        #expect(!text.contains(server.password))
    }

    /// Fencing: a run whose lock went with its connection, while another worker took the station, commits nothing
    /// and swaps no folder (exit 4); the database keeps what the other holder left.
    @Test func aRunThatLostItsLockCommitsNothingAndSwapsNoFolder() throws {
        #expect(try run(["--date", "2026-11-23"]).status == 0)
        let (documents, runs) = (try rowCount("inc_documents"), try rowCount("runs"))
        let (process, errors) = try pausedRun()
        let database = String(url.split(separator: "/").last ?? "")
        // The run's lock connection is cut, as a network would cut it, and another worker takes the station.
        try server.superuser(
            """
            SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND granted
            AND database = (SELECT oid FROM pg_database WHERE datname = '\(database)')
            """)
        let other = try PostgresLock(
            url: PostgresURL(url) { $0.replacing("${PG_PASSWORD}", with: self.server.password) }, station: "kyiv-1",
            holder: "pid 777, the other worker")
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 4, "\(text)")
        #expect(text.contains("lost its lock") && text.contains("pid 777"), "\(text)")
        #expect(try rowCount("inc_documents") == documents)
        #expect(try rowCount("runs") == runs)
        #expect(!FileManager.default.fileExists(atPath: station.path("out/2026-11-23_2026-11-29")))
        withExtendedLifetime(other) {}
    }
}
