import Foundation
import GRDB
import Testing

@testable import Nakladna

/// Pulls over HTTP from a stub of the five suppliers' APIs that the test itself starts on 127.0.0.1
/// (Tests/stub/supplier_stub.py), serving the demo station's documents.
@Suite(.serialized) struct HTTPPullTests {
    /// Every secret, and the Inter Cars Basic-auth header value that carries one, base64-encoded.
    static let secrets = [
        "omega-secret-7Qx2Lk9", "bm-secret-Zr48Tn1", "utr-secret-Pq71", "vesna-secret-Hh90", "ic-secret-Ww33",
        Data("station-42:ic-secret-Ww33".utf8).base64EncodedString(),
    ]

    /// A running stub; stopped when the test ends.
    final class Stub {
        let process = Process()
        let port: Int

        init(scenarios: [String], inbox: String = repoPath("fixtures/demo/inbox")) throws {
            let portFile = FileManager.default.temporaryDirectory.appendingPathComponent("stub-\(UUID().uuidString)")
                .path
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments =
                ["python3", repoPath("Tests/stub/supplier_stub.py"), inbox, portFile]
                + scenarios.flatMap { ["--scenario", $0] }
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            var port: Int?
            for _ in 0..<200 {
                if let text = try? String(contentsOfFile: portFile, encoding: .utf8), let p = Int(text) {
                    port = p
                    break
                }
                usleep(25_000)
            }
            try? FileManager.default.removeItem(atPath: portFile)
            guard let port else {
                kill(process.processIdentifier, SIGKILL)
                throw CocoaError(.fileReadUnknown)
            }
            self.port = port
        }

        deinit {
            // SIGKILL: the child may have SIGTERM blocked, as Foundation spawns it.
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }

        func url(_ supplier: String) -> String { "http://127.0.0.1:\(port)/\(supplier)/" }
    }

    /// The demo station with an empty inbox, every supplier with an API pulled from the stub.
    static func station(_ stub: Stub, omegaKey: String = "${DEMO_OMEGA_KEY}", vesnaTimeout: Int = 10) throws -> Station
    {
        let s = try Station()
        for supplier in s.files("inbox") {
            try FileManager.default.removeItem(atPath: s.path("inbox/\(supplier)"))
        }
        var text = try s.read("nakladna.yaml")
        let entries = """
            suppliers:
              omega:       { enabled: true, mapping: mappings/omega.yaml, credentials: { key: "\(omegaKey)" }, http: { base_url: "\(stub.url("omega"))", timeout_s: 5 } }
              elit:        { enabled: true, mapping: mappings/elit.yaml }
              busmarket:   { enabled: true, mapping: mappings/busmarket.yaml, credentials: { key: "${DEMO_BM_KEY}" }, http: { base_url: "\(stub.url("busmarket"))" } }
              uniquetrade: { enabled: true, mapping: mappings/uniquetrade.yaml, credentials: { email: station@example.com, password: "${UTR_PASSWORD}" }, http: { base_url: "\(stub.url("uniquetrade"))" } }
              vesna:       { enabled: true, mapping: mappings/vesna.yaml, credentials: { customer_id: 4411, token: "${file:vesna.token}" }, http: { base_url: "\(stub.url("vesna"))", timeout_s: \(vesnaTimeout) } }
              intercars:   { enabled: true, mapping: mappings/intercars.yaml, price_tolerance: { percent: 1, absolute: 0.10 }, credentials: { client_id: station-42, client_secret: "${IC_SECRET}" }, http: { base_url: "\(stub.url("intercars"))" } }

            """
        text = String(text[..<(text.range(of: "suppliers:")?.lowerBound ?? text.endIndex)]) + entries
        try text.write(toFile: s.config, atomically: true, encoding: .utf8)
        try "vesna-secret-Hh90\n".write(toFile: s.path("vesna.token"), atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: s.path("vesna.token"))
        return s
    }

    static var environment: [String: String] {
        var env = Station.environment
        env["DEMO_OMEGA_KEY"] = "omega-secret-7Qx2Lk9"
        env["DEMO_BM_KEY"] = "bm-secret-Zr48Tn1"
        env["UTR_PASSWORD"] = "utr-secret-Pq71"
        env["IC_SECRET"] = "ic-secret-Ww33"
        env["NAKLADNA_TEST_HTTP_BACKOFF"] = "0.05"
        env["NAKLADNA_PROGRESS"] = "1"
        return env
    }

    @Test func pullingGivesWhatTheInboxGives() throws {
        // Several BusMarket pages, an Omega answer cut mid-body, an expired UTR token, a Vesna 429 with
        // Retry-After and an Inter Cars 500: every one is retried or refreshed, and the result is the demo's.
        let stub = try Stub(scenarios: ["omega-drop", "utr-expire", "vesna-429", "ic-500"])
        let s = try Self.station(stub)
        defer { s.remove() }
        let run = try s.run(Station.week, environment: Self.environment)
        #expect(run.status == 0, "\(run.stderr)")
        for name in ["inc_documents.csv", "inc_lines.csv", "reconciliation.csv"] {
            let golden = try String(contentsOfFile: repoPath("fixtures/demo/expected/\(name)"), encoding: .utf8)
            #expect(try s.read("out/2026-11-23_2026-11-29/\(name)") == golden, "\(name)")
        }
        // The retries were made, and said so.
        #expect(run.stderr.contains("the connection dropped"))
        #expect(run.stderr.contains("429 Too Many Requests"))
        #expect(run.stderr.contains("500 from the server"))
        #expect(run.stderr.contains("the token expired"))
        // Nothing secret in any file the run wrote, in its output, or in the database.
        for secret in Self.secrets {
            #expect(!run.stdout.contains(secret) && !run.stderr.contains(secret))
            for (name, data) in s.allFiles() where name != "vesna.token" {
                #expect(!String(decoding: data, as: UTF8.self).contains(secret), "\(name) holds a secret")
            }
        }
    }

    /// A paged answer is joined into one feed file from the values as read: an amount keeps the text the supplier
    /// sent, every digit of it, and is never a `Double` on the way (`JSONSerialization` wrote `3900.0` as `3900`).
    @Test func aPagedPullKeepsEveryDigitOfAnAmount() throws {
        let inbox = FileManager.default.temporaryDirectory.appendingPathComponent("inbox-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: inbox) }
        try FileManager.default.copyItem(atPath: repoPath("fixtures/demo/inbox"), toPath: inbox)
        let file = "\(inbox)/busmarket/bm-2026-11-25.json"
        let text = try String(contentsOfFile: file, encoding: .utf8)
        #expect(text.contains("\"price\": 650.0,"))
        try text.replacingOccurrences(of: "\"price\": 650.0,", with: "\"price\": 65000.000000000001,")
            .write(toFile: file, atomically: true, encoding: .utf8)
        let stub = try Stub(scenarios: [], inbox: inbox)
        let s = try Self.station(stub)
        defer { s.remove() }
        let run = try s.run(Station.week, environment: Self.environment)
        #expect(run.status == 0, "\(run.stderr)")
        let archived = s.allFiles().filter { $0.0.hasPrefix("archive/") }.map { String(decoding: $0.1, as: UTF8.self) }
        let feeds = archived.filter { $0.hasPrefix("{\"documents\":[") }
        // The amount as sent, and an amount's text as sent (`3900.0`, not `3900`).
        #expect(feeds.contains { $0.contains("\"price\":65000.000000000001") }, "\(feeds.map { $0.prefix(300) })")
        #expect(feeds.contains { $0.contains("\"sum\":3900.0,") }, "\(feeds.map { $0.prefix(300) })")
    }

    @Test func wrongCredentialsStopThatSupplierOnly() throws {
        let stub = try Stub(scenarios: [])
        let s = try Self.station(stub, omegaKey: "not-the-key")
        defer { s.remove() }
        let run = try s.run(Station.week, environment: Self.environment)
        #expect(run.status == 1)
        #expect(run.stderr.contains("the Omega key was refused (401): check `suppliers.omega.credentials.key`"))
        // Cron mail says which supplier could not be pulled, and why, on a line of its own.
        #expect(
            run.stderr.split(whereSeparator: \.isNewline).contains {
                $0.hasPrefix("не вдалося отримати: omega: the Omega key was refused (401)")
            }, "\(run.stderr)")
        #expect(!run.stderr.contains("у карантині: omega: "))
        #expect(!run.stderr.contains("not-the-key"))
        let documents = try s.read("out/2026-11-23_2026-11-29/inc_documents.csv")
        #expect(!documents.contains(",omega,"))
        #expect(documents.contains(",intercars,") && documents.contains(",vesna,"))
        // The pull is recorded as incomplete, and the report says why.
        #expect(try s.read("out/2026-11-23_2026-11-29/report.html").contains("check `suppliers.omega.credentials.key`"))
    }

    /// Hardening 2: a supplier's 200 answer that echoes the key back ("Invalid key <the key>") reaches no message.
    @Test func aKeyEchoedInA200AnswerIsRedacted() throws {
        let stub = try Stub(scenarios: ["omega-echo"])
        let s = try Self.station(stub)
        defer { s.remove() }
        let run = try s.run(Station.week, environment: Self.environment)
        #expect(run.status == 1)
        let key = "omega-secret-7Qx2Lk9"
        #expect(run.stderr.contains("the server answered with an error: Invalid key ***"), "\(run.stderr)")
        #expect(!run.stderr.contains(key) && !run.stdout.contains(key))
        #expect(try !s.read("out/2026-11-23_2026-11-29/report.html").contains(key))
        let store = try SQLiteStore(path: s.path("out/nakladna.sqlite"))
        let errors = try store.queue.read { db in try String.fetchAll(db, sql: "SELECT error FROM pulls") }
        #expect(errors.contains { $0.contains("Invalid key ***") })
        #expect(!errors.contains { $0.contains(key) })
    }

    @Test func aTimeOutIsRetriedThenGivenUp() throws {
        let stub = try Stub(scenarios: ["vesna-timeout"])
        let s = try Self.station(stub, vesnaTimeout: 1)
        defer { s.remove() }
        let run = try s.run(Station.week, environment: Self.environment)
        #expect(run.status == 1)
        #expect(
            run.stderr.contains(
                "vesna: POST /vesna/public-api/documents/get-invoices/: timed out after 1 s after 5 tries"))
        let documents = try s.read("out/2026-11-23_2026-11-29/inc_documents.csv")
        #expect(!documents.contains(",vesna,") && documents.contains(",omega,"))
    }
}
