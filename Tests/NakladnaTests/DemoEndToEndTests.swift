import Foundation
import Testing

@testable import Nakladna

/// The built binary on the demo station, against golden files recorded by `make golden` and reviewed.
@Suite(.serialized) struct DemoEndToEndTests {
    static let outputs = ["inc_documents.csv", "inc_lines.csv", "reconciliation.csv"]
    static let folder = "out/2026-11-23_2026-11-29"

    @Test func demoMatchesTheGoldenFiles() throws {
        let target = FileManager.default.temporaryDirectory.appendingPathComponent("nakladna-demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: target) }
        let run = try runBinary(["demo", "--into", target.path])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("report.html"))
        for name in Self.outputs {
            let produced = try String(
                contentsOf: target.appendingPathComponent("\(Self.folder)/\(name)"), encoding: .utf8)
            let golden = try String(contentsOfFile: repoPath("fixtures/demo/expected/\(name)"), encoding: .utf8)
            #expect(produced == golden, "\(name) differs from its golden file: re-record with `make golden` and review")
        }
        // The Ukrainian text survives the trip, windows-1251 included (Inter Cars' names).
        let lines = try String(
            contentsOf: target.appendingPathComponent("\(Self.folder)/inc_lines.csv"), encoding: .utf8)
        #expect(lines.contains("Фільтр масляний, повернення"))
        #expect(lines.contains("Свічка запалювання"))
    }

    @Test func everyStatusAppears() throws {
        let golden = try String(contentsOfFile: repoPath("fixtures/demo/expected/reconciliation.csv"), encoding: .utf8)
        let statuses = Set(
            golden.split(separator: "\r\n").dropFirst().map {
                String($0.split(separator: ",", omittingEmptySubsequences: false)[7])
            })
        #expect(statuses == Set(Status.allCases.map(\.rawValue)))
    }

    @Test func sameInputsSameBytesAndRows() throws {
        // Two fresh stations, and a second run on the first: the same CSV bytes and the same database rows.
        let a = try Station()
        let b = try Station()
        defer {
            a.remove()
            b.remove()
        }
        #expect(try a.run(Station.week).status == 0)
        #expect(try b.run(Station.week).status == 0)
        let first = try Self.outputs.map { try a.read("\(Self.folder)/\($0)") }
        let rowsBefore = try a.stored()
        #expect(first == (try Self.outputs.map { try b.read("\(Self.folder)/\($0)") }))
        // The inbox is empty now; the documents come from the database and the archive.
        #expect(a.files("inbox/omega").isEmpty)
        let again = try a.run(Station.week)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(first == (try Self.outputs.map { try a.read("\(Self.folder)/\($0)") }))
        #expect(try a.stored() == rowsBefore)
    }

    @Test func nightByNightEqualsOneRunOverTheWeek() throws {
        // Files arrive on the night their name says; each night runs for that day alone. Afterwards the week's INC
        // documents, lines and statuses equal those of one run over the week.
        let nightly = try Station()
        defer { nightly.remove() }
        let inbox = nightly.path("inbox")
        let held = nightly.path("held")
        try FileManager.default.moveItem(atPath: inbox, toPath: held)
        for supplier in ["omega", "busmarket", "uniquetrade", "vesna", "intercars", "elit"] {
            try FileManager.default.createDirectory(
                atPath: "\(inbox)/\(supplier)", withIntermediateDirectories: true)
        }
        for day in 23...29 {
            let date = "2026-11-\(day)"
            for supplier in nightly.files("held") {
                for file in nightly.files("held/\(supplier)") where file.contains(date) {
                    try FileManager.default.moveItem(
                        atPath: "\(held)/\(supplier)/\(file)", toPath: "\(inbox)/\(supplier)/\(file)")
                }
            }
            let run = try nightly.run(["--date", date])
            #expect(run.status == 0, "\(date): \(run.stderr)")
        }
        let report = try runBinary(
            ["report", "--config", nightly.config] + Station.week, environment: Station.environment)
        #expect(report.status == 0, "\(report.stderr)")
        for name in ["inc_documents.csv", "inc_lines.csv"] {
            let golden = try String(contentsOfFile: repoPath("fixtures/demo/expected/\(name)"), encoding: .utf8)
            #expect(try nightly.read("\(Self.folder)/\(name)") == golden, "\(name)")
        }
        // The document findings (statuses, quantities, amounts) are the same too; order findings depend on the
        // range a run ends on, and no nightly run ended on the week.
        let golden = try String(contentsOfFile: repoPath("fixtures/demo/expected/reconciliation.csv"), encoding: .utf8)
        let documentRows = golden.split(separator: "\r\n").filter {
            !$0.contains(",not_delivered,") && !$0.contains(",manual_receipt,")
        }
        let produced = try nightly.read("\(Self.folder)/reconciliation.csv").split(separator: "\r\n").filter {
            !$0.contains(",not_delivered,") && !$0.contains(",manual_receipt,")
        }
        #expect(produced == documentRows)
    }

    @Test func reportCommandReproducesTheRunFromTheDatabase() throws {
        let station = try Station()
        defer { station.remove() }
        #expect(try station.run(Station.week).status == 0)
        let before = try Self.outputs.map { try station.read("\(Self.folder)/\($0)") }
        let html = try station.read("\(Self.folder)/report.html")
        let report = try runBinary(
            ["report", "--config", station.config] + Station.week, environment: Station.environment)
        #expect(report.status == 0, "\(report.stderr)")
        #expect(before == (try Self.outputs.map { try station.read("\(Self.folder)/\($0)") }))
        // The same page apart from the time it was made.
        let again = try station.read("\(Self.folder)/report.html")
        let strip = { (s: String) in s.replacing(/<span id="generated">[^<]*<\/span>/, with: "") }
        #expect(strip(again) == strip(html))
    }

    @Test func acceptedCorrectionReplacesTheEarlierVersion() throws {
        // BusMarket sent РН-2611-004512 twice: 5 filters, then 4. Until accepted, the second is a duplicate worth
        // its own gross, 4 × 780.00 = 3120.00. Accepted, it replaces the first under the same INC number: 3 on
        // B-2001 and 1 over the order (780.00); and it stays accepted on the runs after.
        let s = try Station()
        defer { s.remove() }
        #expect(try s.run(Station.week).status == 0)
        let before = try s.read("\(Self.folder)/reconciliation.csv")
        #expect(before.contains("busmarket,РН-2611-004512,,,,,,duplicate_invoice,,,,,UAH,3120.00,"))
        let inc = try #require(try s.stored().incDocuments.first { $0.supplierInvoice == "РН-2611-004512" }?.incNumber)
        #expect(try s.run(Station.week + ["--accept-corrections"]).status == 0)
        for _ in 0..<2 {
            let after = try s.read("\(Self.folder)/reconciliation.csv")
            #expect(!after.contains("duplicate_invoice"))
            #expect(
                after.contains(
                    "busmarket,РН-2611-004512,\(inc),1,,MANN,W 712/95,over_delivered,,1,,780.0000,UAH,780.00,"))
            #expect(after.contains("busmarket,РН-2611-004512,\(inc),1,B-2001,MANN,W 712/95,matched,3,3,"))
            #expect(try s.run(Station.week).status == 0)
        }
    }

    @Test func excelDialect() throws {
        let station = try Station()
        defer { station.remove() }
        #expect(try station.run(Station.week + ["--csv", "excel-uk"]).status == 0)
        let data = try #require(FileManager.default.contents(atPath: station.path("\(Self.folder)/inc_documents.csv")))
        // A UTF-8 byte-order mark, then `;` between cells and a decimal comma in amounts.
        #expect(Array(data.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = String(decoding: data.dropFirst(3), as: UTF8.self)
        #expect(text.hasPrefix("inc_number;supplier;supplier_invoice;kind;"))
        #expect(text.contains(";1212,83;242,57;1455,40;1;1455,40;"))
        #expect(text.contains(";48,9512;4511,34;"))
    }
}
