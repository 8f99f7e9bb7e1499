import Foundation
import Testing

@testable import Nakladna

/// A fresh copy of the demo station (with the project's mappings) in a temporary folder, run through the binary.
struct Station {
    let root: String
    static let week = ["--from", "2026-11-23", "--to", "2026-11-29"]
    static let environment: [String: String] = {
        var env = ProcessInfo.processInfo.environment
        env["DEMO_OMEGA_KEY"] = "omega-secret-7Qx2Lk9"
        env["DEMO_BM_KEY"] = "bm-secret-Zr48Tn1"
        return env
    }()

    /// The demo station; with `overlay` (a folder of `fixtures/`), that folder's files laid over it, replacing the
    /// demo's files of the same name (`fixtures/nine`: the demo with three more suppliers).
    init(overlay: String? = nil) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nakladna-station-\(UUID().uuidString)")
        root = dir.path
        try FileManager.default.copyItem(atPath: repoPath("fixtures/demo"), toPath: root)
        try? FileManager.default.removeItem(atPath: path("expected"))
        try FileManager.default.copyItem(atPath: repoPath("mappings"), toPath: path("mappings"))
        guard let overlay else { return }
        let source = repoPath(overlay)
        guard let walker = FileManager.default.enumerator(atPath: source) else { return }
        while let entry = walker.nextObject() as? String {
            if entry == "expected" {
                walker.skipDescendants()
                continue
            }
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(
                atPath: (source as NSString).appendingPathComponent(entry), isDirectory: &isDirectory)
            if isDirectory.boolValue {
                try FileManager.default.createDirectory(atPath: path(entry), withIntermediateDirectories: true)
            } else {
                try? FileManager.default.removeItem(atPath: path(entry))
                try FileManager.default.copyItem(
                    atPath: (source as NSString).appendingPathComponent(entry), toPath: path(entry))
            }
        }
    }

    /// Keeps the station's results in PostgreSQL from now on: `database:` becomes `url` (its password as
    /// `${PG_PASSWORD}`), under the id `station`.
    func usePostgres(url: String, station: String = "default") throws {
        let text = try read("nakladna.yaml").replacing(/\nstation: [^\n]*/, with: "").replacing(
            /database: [^\n]*/, with: "database: \"\(url)\"\nstation: \(station)")
        try text.write(toFile: config, atomically: true, encoding: .utf8)
    }

    func path(_ relative: String) -> String { (root as NSString).appendingPathComponent(relative) }
    var config: String { path("nakladna.yaml") }

    /// `nakladna run --config <station> ARGS…`.
    func run(_ arguments: [String], environment: [String: String] = Station.environment) throws -> RunResult {
        try runBinary(["run", "--config", config] + arguments, environment: environment)
    }

    func read(_ relative: String) throws -> String {
        try String(contentsOfFile: path(relative), encoding: .utf8)
    }

    func files(_ relative: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: path(relative))) ?? []).sorted()
    }

    /// Every regular file below the station, recursively, with its bytes.
    func allFiles() -> [(String, Data)] {
        var out: [(String, Data)] = []
        guard let walker = FileManager.default.enumerator(atPath: root) else { return [] }
        while let entry = walker.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let full = path(entry)
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue,
                let data = FileManager.default.contents(atPath: full)
            {
                out.append((entry, data))
            }
        }
        return out
    }

    /// The database's rows of the week, through the store.
    func stored(from: String = "2026-11-23", to: String = "2026-11-29") throws -> RangeResults {
        let store = try SQLiteStore(path: path("out/nakladna.sqlite"))
        return try store.results(
            from: try #require(CalendarDate(iso: from)), to: try #require(CalendarDate(iso: to)), excluding: [])
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: root)
    }
}
