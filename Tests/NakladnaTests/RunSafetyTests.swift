import Foundation
import Testing

@testable import Nakladna

/// The promises of contract.md "Runs": crashes, concurrent runs, hostile files, bad configuration, secrets.
@Suite(.serialized) struct RunSafetyTests {
    static let folder = "out/2026-11-23_2026-11-29"
    static let outputs = ["inc_documents.csv", "inc_lines.csv", "reconciliation.csv"]

    /// A late Omega invoice for the 29th: one more BOSCH filter against O-1001.
    static let lateFile = """
        {"Success": true, "Data": [{"Id": "late", "Number": "ВН-0012450", "Date": "29.11.2026 08:00:00",
        "Summ": 312.50, "InvoiceDocIds": ["77812"], "Details": [{"Code": "0986452041", "Brand": "BOSCH",
        "ProductDescrition": "Фільтр масляний", "Count": 1, "PiceWithVAT": 312.50}]}], "Errors": []}
        """

    func outputs(_ s: Station) -> [String]? {
        guard FileManager.default.fileExists(atPath: s.path(Self.folder)) else { return nil }
        return try? Self.outputs.map { try s.read("\(Self.folder)/\($0)") }
    }

    @Test func killedAtAnyPointLeavesThePreviousOrTheNewResult() throws {
        // The expected before and after: a clean station runs the week (R1), then gets a late file and runs again (R2).
        let clean = try Station()
        defer { clean.remove() }
        #expect(try clean.run(Station.week).status == 0)
        let before = try #require(outputs(clean))
        let rowsBefore = try clean.stored()
        try Self.lateFile.write(
            toFile: clean.path("inbox/omega/omega-2026-11-29.json"), atomically: true, encoding: .utf8)
        #expect(try clean.run(Station.week).status == 0)
        let after = try #require(outputs(clean))
        let rowsAfter = try clean.stored()
        #expect(before != after)

        // R2 killed at each of its 9 checkpoints in turn (the lock, the late file archived and read, the
        // reconciliation, the folder written and sealed, the commit, the swap, the inbox cleared); points 10–12
        // are past the end, and the run completes.
        var killed = 0
        for point in 1...12 {
            let s = try Station()
            defer { s.remove() }
            #expect(try s.run(Station.week).status == 0)
            try Self.lateFile.write(
                toFile: s.path("inbox/omega/omega-2026-11-29.json"), atomically: true, encoding: .utf8)
            var env = Station.environment
            env["NAKLADNA_TEST_KILL_AT"] = String(point)
            let dying = try s.run(Station.week, environment: env)
            if dying.status == 9 { killed += 1 }
            // Never a mix: the folder is R1's or R2's, and so are the database rows.
            let seen = outputs(s)
            #expect(seen == before || seen == after, "kill point \(point): out/ is neither the old nor the new result")
            let rows = try s.stored()
            #expect(rows == rowsBefore || rows == rowsAfter, "kill point \(point): the database is a mix")
            // The next run finishes the job.
            let next = try s.run(Station.week)
            #expect(next.status == 0, "kill point \(point): \(next.stderr)")
            #expect(outputs(s) == after, "kill point \(point)")
            #expect(try s.stored() == rowsAfter)
            #expect(s.files("inbox/omega").isEmpty)
        }
        #expect(killed == 9)

        // And the first run of a fresh station, killed at every one of its checkpoints (lock, 11 invoice files archived
        // and read, 9 price files archived and imported, each in its own transaction, reconciliation, folder written
        // and sealed, commit, swap, 20 inbox files cleared). The offers are the same after the next run.
        let offersBefore = try offers(clean, ["BOSCH", "0986452041"]).map { String(describing: $0["price"] ?? "") }
        var firstRunKills = 0
        for point in 1...70 {
            let s = try Station()
            defer { s.remove() }
            var env = Station.environment
            env["NAKLADNA_TEST_KILL_AT"] = String(point)
            let dying = try s.run(Station.week, environment: env)
            if dying.status == 9 { firstRunKills += 1 }
            let seen = outputs(s)
            #expect(seen == nil || seen == before, "first run, kill point \(point)")
            if FileManager.default.fileExists(atPath: s.path("out/nakladna.sqlite")) {
                let rows = try s.stored()
                #expect(rows == RangeResults() || rows == rowsBefore, "first run, kill point \(point)")
            }
            // Nothing is lost: every inbox file is still there or already archived.
            #expect(try s.run(Station.week).status == 0, "first run, kill point \(point)")
            #expect(outputs(s) == before, "first run, kill point \(point)")
            let prices = try offers(s, ["BOSCH", "0986452041"]).map { String(describing: $0["price"] ?? "") }
            #expect(prices == offersBefore, "first run, kill point \(point)")
            #expect(s.files("inbox/intercars").isEmpty, "first run, kill point \(point)")
        }
        // 1 + 2 × 11 + 2 × 9 + 1 + 2 + 1 + 1 + 20 = 66 checkpoints: with R2's 9, 75 kill points in all.
        #expect(firstRunKills == 66)
    }

    @Test func twoConcurrentRunsOneWaitsOut() throws {
        let s = try Station()
        defer { s.remove() }
        var env = Station.environment
        env["NAKLADNA_TEST_PAUSE_AT"] = "1"
        env["NAKLADNA_TEST_PAUSE_SECONDS"] = "3"
        let first = Process()
        first.executableURL = URL(fileURLWithPath: binaryPath)
        first.arguments = ["run", "--config", s.config] + Station.week
        first.environment = env
        first.standardOutput = FileHandle.nullDevice
        try first.run()
        // Wait until the first run holds the lock and has said who it is.
        let lockFile = s.path("out/nakladna.sqlite.lock")
        for _ in 0..<100 where ((try? String(contentsOfFile: lockFile, encoding: .utf8)) ?? "").isEmpty {
            usleep(50_000)
        }
        let second = try s.run(Station.week)
        first.waitUntilExit()
        #expect(second.status == 3)
        #expect(second.stderr.contains("another run holds the database: pid \(first.processIdentifier)"))
        #expect(first.terminationStatus == 0)
        // The database is intact: the week as one clean run leaves it.
        let golden = try String(contentsOfFile: repoPath("fixtures/demo/expected/inc_documents.csv"), encoding: .utf8)
        #expect(try s.read("\(Self.folder)/inc_documents.csv") == golden)
        #expect(try s.stored().incDocuments.count == 12)
    }

    @Test func hostileFilesAreQuarantinedAndTheRestIsRead() throws {
        let s = try Station()
        defer { s.remove() }
        for (mapping, file, _) in BadInputTests.feeds {
            try FileManager.default.copyItem(
                atPath: repoPath("fixtures/bad/\(file)"), toPath: s.path("inbox/\(mapping)/\(file)"))
        }
        let run = try s.run(Station.week)
        #expect(run.status == 1)
        for (mapping, file, message) in BadInputTests.feeds {
            #expect(s.files("quarantine/\(mapping)").contains(file), "\(file) is not in quarantine")
            let reason = try s.read("quarantine/\(mapping)/\(file).error.txt")
            #expect(reason == "\(mapping)/\(file):\(message)\n")
            #expect(run.stdout.contains("\(mapping)/\(file)"))
        }
        // Every good file of every supplier, the bad ones' neighbours included, was read as usual.
        let golden = try String(contentsOfFile: repoPath("fixtures/demo/expected/inc_documents.csv"), encoding: .utf8)
        #expect(try s.read("\(Self.folder)/inc_documents.csv") == golden)
        #expect(s.files("inbox/omega").isEmpty && s.files("inbox/intercars").isEmpty)
        // The report lists the quarantined files with their reasons.
        let report = try s.read("\(Self.folder)/report.html")
        #expect(report.contains("omega/omega-nul.json"))
        // The local file the XXE names was never read into anything.
        let passwd = try String(contentsOfFile: "/etc/passwd", encoding: .utf8)
        let firstLine = try #require(passwd.split(separator: "\n").first.map(String.init))
        for (name, data) in s.allFiles() {
            #expect(!String(decoding: data, as: UTF8.self).contains(firstLine), "\(name) holds /etc/passwd")
        }
        // A quarantined file put back after a fix is read again: here, the same bytes fail the same way.
        try FileManager.default.moveItem(
            atPath: s.path("quarantine/omega/omega-nul.json"), toPath: s.path("inbox/omega/omega-nul.json"))
        #expect(try s.run(Station.week).status == 1)
    }

    @Test func configurationErrorsChangeNothing() throws {
        let cases: [(String, (Station) throws -> Void, [String: String]?, String)] = [
            (
                "unknown key",
                { s in
                    try (try s.read("nakladna.yaml") + "colour: blue\n").write(
                        toFile: s.config, atomically: true, encoding: .utf8)
                }, nil, "unknown key 'colour'"
            ),
            (
                "missing orders", { s in try FileManager.default.removeItem(atPath: s.path("orders.csv")) }, nil,
                "orders.csv"
            ),
            ("undefined variable", { _ in }, ProcessInfo.processInfo.environment, "DEMO_OMEGA_KEY is not defined"),
            (
                "unbalanced quotes",
                { s in
                    try FileManager.default.removeItem(atPath: s.path("orders.csv"))
                    try FileManager.default.copyItem(
                        atPath: repoPath("fixtures/bad/orders-unbalanced.csv"), toPath: s.path("orders.csv"))
                }, nil, "orders.csv:3:51: a quote that is never closed"
            ),
            (
                "mapping syntax error",
                { s in
                    try FileManager.default.removeItem(atPath: s.path("mappings/omega.yaml"))
                    try FileManager.default.copyItem(
                        atPath: repoPath("fixtures/bad/syntax-error-mapping.yaml"),
                        toPath: s.path("mappings/omega.yaml"))
                }, nil, "mappings/omega.yaml:4:1: YAML:"
            ),
            (
                "secret file others can read",
                { s in
                    try "k".write(toFile: s.path("omega.key"), atomically: true, encoding: .utf8)
                    try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: s.path("omega.key"))
                    let text = try s.read("nakladna.yaml").replacingOccurrences(
                        of: "${DEMO_OMEGA_KEY}", with: "${file:omega.key}")
                    try text.write(toFile: s.config, atomically: true, encoding: .utf8)
                }, nil, "can be read by others"
            ),
        ]
        for (name, prepare, environment, message) in cases {
            let s = try Station()
            defer { s.remove() }
            try prepare(s)
            let before = s.allFiles().map(\.0).sorted()
            let run = try s.run(Station.week, environment: environment ?? Station.environment)
            #expect(run.status == 2, "\(name)")
            #expect(run.stderr.contains(message), "\(name): \(run.stderr)")
            #expect(s.allFiles().map(\.0).sorted() == before, "\(name): something changed")
        }
        // A variable of a disabled supplier does not matter.
        let s = try Station()
        defer { s.remove() }
        var env = Station.environment
        env.removeValue(forKey: "DEMO_OMEGA_KEY")
        let text = try s.read("nakladna.yaml").replacingOccurrences(
            of: "omega:       { enabled: true", with: "omega:       { enabled: false")
        try text.write(toFile: s.config, atomically: true, encoding: .utf8)
        #expect(try s.run(Station.week, environment: env).status == 0)
    }

    @Test func formulaCellsAreGuardedOnlyAsText() throws {
        let s = try Station()
        defer { s.remove() }
        try FileManager.default.removeItem(atPath: s.path("orders.csv"))
        try FileManager.default.copyItem(
            atPath: repoPath("fixtures/bad/orders-formula.csv"), toPath: s.path("orders.csv"))
        let run = try s.run(Station.week)
        #expect(run.status == 0, "\(run.stderr)")
        let findings = try s.read("\(Self.folder)/reconciliation.csv")
        // The order number that looks like a formula is data, written with a leading quote; a negative amount
        // stays a number.
        #expect(findings.contains(",'=SUM(A1:A9),"))
        #expect(!findings.contains(",=SUM"))
        #expect(findings.contains(",-312.50,"))
        let lines = try s.read("\(Self.folder)/inc_lines.csv")
        #expect(lines.contains("'=SUM(A1:A9)"))
    }

    @Test func secretsNeverLeave() throws {
        let s = try Station()
        defer { s.remove() }
        try FileManager.default.copyItem(
            atPath: repoPath("fixtures/bad/omega-nul.json"), toPath: s.path("inbox/omega/omega-nul.json"))
        let run = try s.run(Station.week)
        let lock = try runBinary(["report", "--config", s.config] + Station.week, environment: Station.environment)
        for secret in ["omega-secret-7Qx2Lk9", "bm-secret-Zr48Tn1"] {
            #expect(!run.stdout.contains(secret) && !run.stderr.contains(secret))
            #expect(!lock.stdout.contains(secret) && !lock.stderr.contains(secret))
            for (name, data) in s.allFiles() where name != "nakladna.yaml" {
                #expect(!String(decoding: data, as: UTF8.self).contains(secret), "\(name) holds a secret")
            }
        }
    }
}
