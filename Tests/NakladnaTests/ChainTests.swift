import Foundation
import Testing

@testable import Nakladna

/// Issue "A chain of stations on PostgreSQL": `nakladna chain run` with several worker processes against one real
/// PostgreSQL server on 127.0.0.1, each station's result checked against the same station run alone on SQLite.
@Suite(.serialized) final class ChainTests {
    let server: TestPostgres
    let url: String
    let folder: String
    let ids = ["kyiv-1", "lviv-2", "odesa-3"]
    var stations: [String: Station] = [:]
    var environment: [String: String]

    init() throws {
        server = try TestPostgres()
        url = try server.newDatabase()
        folder =
            FileManager.default.temporaryDirectory.appendingPathComponent("nakladna-chain-\(UUID().uuidString)")
            .path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var text = "database: \"\(url)\"\nstations:\n"
        for id in ids {
            let station = try Station()
            stations[id] = station
            text += "  \(id): { config: \(station.config) }\n"
        }
        try text.write(toFile: folder + "/chain.yaml", atomically: true, encoding: .utf8)
        environment = Station.environment
        environment["PG_PASSWORD"] = server.password
    }

    deinit {
        for s in stations.values { s.remove() }
        try? FileManager.default.removeItem(atPath: folder)
    }

    /// `nakladna chain run` started now, not waited for: its pid, for `waitpid`. Spawned by hand: Foundation's
    /// `Process` was seen to wait for the grandchildren of a killed child before it said that child had ended.
    func start(_ arguments: [String], environment extra: [String: String] = [:]) throws -> pid_t {
        let argv = [binaryPath, "chain", "run", "--config", folder + "/chain.yaml"] + arguments
        let env = environment.merging(extra) { $1 }.map { "\($0.key)=\($0.value)" }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let cArguments = argv.map { strdup($0) } + [nil]
        let cEnvironment = env.map { strdup($0) } + [nil]
        defer {
            for p in cArguments + cEnvironment { free(p) }
        }
        var pid: pid_t = 0
        guard posix_spawn(&pid, binaryPath, &actions, nil, cArguments, cEnvironment) == 0 else {
            throw POSIXError(.EIO)
        }
        return pid
    }

    /// Waits for `pid` and gives its exit code (128 + the signal where a signal ended it).
    func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return status & 0x7f != 0 ? 128 + (status & 0x7f) : (status >> 8) & 0xff
    }

    func chain(_ arguments: [String]) throws -> RunResult {
        try runBinary(["chain", "run", "--config", folder + "/chain.yaml"] + arguments, environment: environment)
    }

    /// The station, alone on SQLite, night by night: what each chain station's results must equal.
    func alone(_ nights: [String]) throws -> Station {
        let s = try Station()
        for night in nights { #expect(try s.run(["--date", night]).status == 0) }
        return s
    }

    func sameResults(_ id: String, as reference: Station, nights: [String]) throws {
        guard let station = stations[id] else { return }
        for night in nights {
            for name in ["inc_documents.csv", "inc_lines.csv", "reconciliation.csv"] {
                let same = try station.read("out/\(night)/\(name)") == reference.read("out/\(night)/\(name)")
                #expect(same, "\(id) \(night) \(name)")
            }
        }
        let database = String(url.split(separator: "/").last ?? "")
        for table in ["inc_documents", "inc_lines", "reconciliation", "documents", "orders"] {
            let rows = try server.superuserConnection(database: database).rows(
                "SELECT * FROM \(table) WHERE station_id = $1", [id])
            let chained = rows.map { row in
                IncrementalTests.History.line(
                    row.columns.index.sorted { $0.value < $1.value }.map(\.key).filter { $0 != "station_id" }.map {
                        ($0, row.text($0))
                    }, table: table)
            }.sorted()
            let same = try chained == IncrementalTests.History.rows(table, reference)
            #expect(same, "\(id) table \(table)")
        }
    }

    @Test func twoWorkerProcessesRunEveryStationOnceAndEachEqualsItsRunAlone() throws {
        let nights = ["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27", "2026-11-28", "2026-11-29"]
        for night in nights {
            let workers = [try start(["--date", night]), try start(["--date", night, "--workers", "2"])]
            #expect(workers.map { wait($0) } == [0, 0], "\(night)")
        }
        let summary = try chain(["--date", "2026-11-29"])
        // A range is one night of the queue too, run by each station over its days.
        let range = try chain(["--from", "2026-11-23", "--to", "2026-11-29", "--workers", "2"])
        #expect(range.status == 0, "\(range.stderr)")
        #expect(range.stdout.contains("kyiv-1 2026-11-23_2026-11-29: exit 0"), "\(range.stdout)")
        #expect(summary.status == 0, "\(summary.stderr)")
        #expect(summary.stdout.contains("done: 3"), "\(summary.stdout)")
        let database = String(url.split(separator: "/").last ?? "")
        // Every station ran each night once: one run a night, whichever worker took it.
        let runs = try server.superuser(
            "SELECT station_id, count(*) FROM runs GROUP BY station_id ORDER BY station_id", database: database)
        #expect(runs == ids.map { [$0, "8"] })
        let reference = try alone(nights)
        defer { reference.remove() }
        #expect(try reference.run(Station.week).status == 0)
        for id in ids { try sameResults(id, as: reference, nights: nights + ["2026-11-23_2026-11-29"]) }
    }

    @Test func aWorkerKilledMidStationLetsItGoAndAnotherWorkerCompletesIt() throws {
        let night = "2026-11-23"
        // The worker's run of its first station waits at "reconciled", its transaction open, for longer than the
        // test lasts; the worker is killed there, and its run must go with it at once.
        let worker = try start(
            ["--date", night],
            environment: ["NAKLADNA_TEST_PAUSE_AT": "reconciled", "NAKLADNA_TEST_PAUSE_SECONDS": "60"])
        let database = String(url.split(separator: "/").last ?? "")
        #expect(try server.waitForTransactions(database, count: 2))
        kill(worker, SIGKILL)
        #expect(wait(worker) == 128 + SIGKILL)
        // Its station's run is gone too, at once, and the server lets go of what they held.
        var left = true
        for _ in 0..<60 where left {
            usleep(50_000)
            left = ChainTests.stationRuns(of: folder).count > 0
        }
        #expect(!left, "\(ChainTests.stationRuns(of: folder))")
        for _ in 0..<60 where left {
            usleep(50_000)
            left =
                try server.superuser(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = '\(database)' AND application_name = 'nakladna'"
                ).first?[0] != "0"
        }
        #expect(!left)
        let next = try chain(["--date", night])
        #expect(next.status == 0, "\(next.stdout)\(next.stderr)")
        #expect(next.stdout.contains("done: 3"), "\(next.stdout)")
        let reference = try alone([night])
        defer { reference.remove() }
        for id in ids { try sameResults(id, as: reference, nights: [night]) }
    }

    /// The station runs a chain's worker started (`--chain-station`) of this test's stations, still alive: their
    /// command lines, from /proc.
    static func stationRuns(of folder: String) -> [String] {
        let ids = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return ids.compactMap { id -> String? in
            guard Int(id) != nil, let data = FileManager.default.contents(atPath: "/proc/\(id)/cmdline") else {
                return nil
            }
            let line = String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
            return line.contains("--chain-station") && line.contains("nakladna-station-") ? line : nil
        }
    }

    /// A password written into chain.yaml's URL, not through `${VAR}`: the stations' runs get the URL through their
    /// environment, so it is in no command line the runs keep (`runs`, `station_locks`), no table and no output.
    @Test func aPasswordWrittenIntoChainYamlReachesNoTable() throws {
        let text = try String(contentsOfFile: folder + "/chain.yaml", encoding: .utf8)
        try text.replacing("${PG_PASSWORD}", with: server.password).write(
            toFile: folder + "/chain.yaml", atomically: true, encoding: .utf8)
        let night = try runBinary(
            ["chain", "run", "--config", folder + "/chain.yaml", "--date", "2026-11-23"],
            environment: Station.environment)
        #expect(night.status == 0, "\(night.stdout)\(night.stderr)")
        #expect(!night.stdout.contains(server.password) && !night.stderr.contains(server.password))
        let database = String(url.split(separator: "/").last ?? "")
        let commands = try server.superuser(
            "SELECT command FROM runs UNION ALL SELECT holder FROM station_locks", database: database)
        #expect(commands.count == 6)
        #expect(commands.allSatisfy { !(($0[0] ?? nil) ?? "").contains(server.password) }, "\(commands)")
        for id in ids {
            for (name, data) in stations[id]?.allFiles() ?? [] {
                #expect(data.range(of: Data(server.password.utf8)) == nil, "\(id) \(name)")
            }
        }
    }

    @Test func aStationThatNamesAnotherIdOrSharesAnInboxIsAConfigurationError() throws {
        guard let kyiv = stations["kyiv-1"], let lviv = stations["lviv-2"] else { return }
        let original = try kyiv.read("nakladna.yaml")
        try (original + "station: kharkiv-9\n").write(toFile: kyiv.config, atomically: true, encoding: .utf8)
        let named = try chain(["--date", "2026-11-23"])
        #expect(named.status == 2, "\(named.stderr)")
        #expect(named.stderr.contains("kharkiv-9") && named.stderr.contains("kyiv-1"), "\(named.stderr)")
        try original.replacing("inbox: inbox", with: "inbox: \(lviv.path("inbox"))").write(
            toFile: kyiv.config, atomically: true, encoding: .utf8)
        let shared = try chain(["--date", "2026-11-23"])
        #expect(shared.status == 2, "\(shared.stderr)")
        #expect(shared.stderr.contains("share the inbox"), "\(shared.stderr)")
        let database = String(url.split(separator: "/").last ?? "")
        // Nothing was queued, nothing run.
        #expect(
            try server.superuser("SELECT count(*) FROM pg_tables WHERE tablename = 'runs'", database: database) == [
                ["0"]
            ])
    }
}
