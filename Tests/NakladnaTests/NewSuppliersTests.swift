import Foundation
import Testing

@testable import Nakladna

/// The three regional suppliers of `new-suppliers.md`, read through their mapping files alone: the samples against
/// the documents the spec's authors wrote down (`fixtures/external/new-suppliers/expected.json`), the new
/// constructs one by one, and a station with all nine suppliers reconciled end to end.
@Suite struct NewSuppliersTests {
    static let samples = "fixtures/external/new-suppliers"

    /// Every value of `expected` is in `actual` at the same place (`actual` may hold more keys: the article keys).
    static func differences(_ expected: Any, _ actual: Any?, at place: String) -> [String] {
        switch expected {
        case let object as [String: Any]:
            guard let got = actual as? [String: Any] else { return ["\(place): not an object"] }
            return object.sorted { $0.key < $1.key }.flatMap {
                differences($0.value, got[$0.key], at: "\(place).\($0.key)")
            }
        case let array as [Any]:
            guard let got = actual as? [Any], got.count == array.count else {
                return ["\(place): \((actual as? [Any])?.count ?? -1) items, not \(array.count)"]
            }
            return zip(array, got).enumerated().flatMap {
                differences($0.element.0, $0.element.1, at: "\(place)[\($0.offset)]")
            }
        case is NSNull:
            return actual is NSNull ? [] : ["\(place): \(String(describing: actual)), not null"]
        default:
            // Texts and whole numbers (line numbers); no amount is a JSON number in this shape.
            let e = "\(expected)"
            let a = actual.map { "\($0)" } ?? "nothing"
            return e == a ? [] : ["\(place): \(a), not \(e)"]
        }
    }

    @Test func theSamplesReadExactlyAsTheSpecSays() throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: repoPath("\(Self.samples)/expected.json")))
        let expected = try #require(try JSONSerialization.jsonObject(with: data) as? [String: [String: Any]])
        #expect(expected.keys.sorted() == ["kharkivauto", "poltavadetal", "zaporizhparts"])
        var files = 0
        for (supplier, byFile) in expected {
            for (file, documents) in byFile {
                let run = try runBinary([
                    "mapping", "check", "mappings/\(supplier).yaml", "\(Self.samples)/\(supplier)/\(file)", "--format",
                    "json",
                ])
                #expect(run.status == 0, "\(file): \(run.stderr)")
                let actual = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8))
                let problems = Self.differences(documents, actual, at: file)
                #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
                files += 1
            }
        }
        // Every sample file is in expected.json, and was read.
        let onDisk = try ["kharkivauto", "poltavadetal", "zaporizhparts"].flatMap {
            try FileManager.default.contentsOfDirectory(atPath: repoPath("\(Self.samples)/\($0)"))
        }
        #expect(files == onDisk.count && files == 6)
    }

    /// Declared number forms: the thousands and decimal marks, and the text around the number.
    @Test func numberFormsReadOneShapeExactly() throws {
        let kharkiv = NumberForm(decimal: ",", thousands: ".")
        #expect(try kharkiv.parse("1.250,40") == d("1250.40"))
        #expect(try kharkiv.parse("84,00") == d("84"))
        #expect(try kharkiv.parse("-1.000.000,5") == d("-1000000.5"))
        #expect(throws: NumberError.self) { try kharkiv.parse("1.250,40,5") }  // two decimal marks
        #expect(throws: NumberError.self) { try kharkiv.parse("1.25,40") }  // a thousands group of two
        #expect(throws: NumberError.self) { try kharkiv.parse("1250.40") }  // `.` is not the decimal mark here
        let hryvnias = NumberForm(decimal: ",", thousands: " ", suffix: "грн")
        #expect(try hryvnias.parse("6 210,00 грн") == d("6210"))
        #expect(try hryvnias.parse("6\u{A0}210,00грн") == d("6210"))
        #expect(throws: NumberError.self) { try hryvnias.parse("6 210,00") }
        #expect(throws: NumberError.self) { try hryvnias.parse("6 210,00 EUR") }
        let percent = NumberForm(suffix: "%")
        #expect(try percent.parse("20%") == d("20"))
        #expect(throws: NumberError.self) { try percent.parse("%") }
    }

    /// A line discount comes off the unit price exactly, before any rounding (N1).
    @Test func aDiscountIsTakenOffTheUnitPriceExactly() {
        #expect(Amounts.less(percent: d("5"), of: d("1250.40")) == d("1187.88"))
        #expect(Amounts.less(percent: d("2.5"), of: d("27")) == d("26.325"))
        #expect(Amounts.less(percent: d("0"), of: d("7.77")) == d("7.77"))
        #expect(Amounts.less(percent: d("100"), of: d("7.77")) == d("0"))
        #expect(Amounts.less(percent: d("33.3333"), of: d("0.03")) == d("0.020000010"))
    }

    static let nineFolder = "out/2026-11-23_2026-11-29"

    /// The demo's week with Kharkiv-Avto, Zaporizh-Parts and Poltava-Detal added: the golden files of
    /// `fixtures/nine/expected/` (recorded by `make golden`, reviewed by hand), the six old suppliers' rows exactly
    /// the demo's own golden rows, and the new suppliers' figures worked out by hand below.
    @Test func aStationWithNineSuppliersReconcilesEndToEnd() throws {
        let s = try Station(overlay: "fixtures/nine")
        defer { s.remove() }
        let run = try s.run(Station.week)
        #expect(run.status == 0, "\(run.stderr)")
        for file in ["inc_documents.csv", "inc_lines.csv", "reconciliation.csv"] {
            let golden = try String(contentsOfFile: repoPath("fixtures/nine/expected/\(file)"), encoding: .utf8)
            #expect(try s.read("\(Self.nineFolder)/\(file)") == golden, "\(file)")
        }
        // Without the three, the rows are the demo's: adding suppliers changes no other supplier's result.
        let new = ["kharkivauto", "zaporizhparts", "poltavadetal"]
        for file in ["inc_documents.csv", "reconciliation.csv"] {
            // Rows end in CRLF (RFC 4180), one Character in Swift: split on the two.
            let nine = try s.read("\(Self.nineFolder)/\(file)").components(separatedBy: "\r\n")
            let demo = try String(contentsOfFile: repoPath("fixtures/demo/expected/\(file)"), encoding: .utf8)
            let old = nine.filter { row in !new.contains { row.contains(",\($0),") || row.hasPrefix("\($0),") } }
            #expect(old.count < nine.count)
            #expect(old.joined(separator: "\r\n") == demo, "\(file)")
        }
        let documents = try s.read("\(Self.nineFolder)/inc_documents.csv")
        // KA-030001: 2 × 1250.40 less 5 % is 2375.76 net, plus delivery 84.00 (a charge, not a line): 2459.76 net,
        // 475.15 + 16.80 VAT, 2951.71 gross, as the file states; one line; its `meta` comes after the documents.
        #expect(documents.contains(",kharkivauto,KA-030001,invoice,2026-11-25,UAH,2459.76,491.95,2951.71,1,2951.71,1,"))
        // ZP/2026/0412 in EUR at the 26th's rate 49.1005: 27.80 gross (23.17 net) + 31.20 net + 2.50 packing.
        #expect(
            documents.contains(
                ",zaporizhparts,ZP/2026/0412,invoice,2026-11-26,EUR,56.87,11.37,68.24,49.1005,3350.62,2,"))
        // Poltava-Detal 5512, created 2026-11-26 22:30 UTC: already the 27th in Kyiv.
        #expect(documents.contains(",poltavadetal,5512,invoice,2026-11-27,UAH,6553.75,1310.75,7864.50,1,7864.50,2,"))
        // 5514, a return written negative: one piece given back against P-5001.
        let reconciliation = try s.read("\(Self.nineFolder)/reconciliation.csv")
        #expect(reconciliation.contains("poltavadetal,5514,"))
        #expect(reconciliation.contains(",P-5001,KNECHT,LX 1780,returned,1,1,412.5000,412.5000,UAH,-412.50,"))
        // ХА-030002: 27.00 less 2.5 % is 26.325 net, 31.59 gross, against 30.00 ordered: 1.59 × 3 at stake.
        #expect(reconciliation.contains(",K-3002,KNECHT,LX 1780,price_mismatch,3,3,30.0000,31.5900,EUR,4.77,"))
    }

    /// Each bad example of the spec is quarantined with its file, place and reason; every other file is read.
    @Test func theNewSuppliersBadFilesAreQuarantinedAndTheRestIsRead() throws {
        let s = try Station(overlay: "fixtures/nine")
        defer { s.remove() }
        for (supplier, file, _) in BadInputTests.newSupplierFeeds {
            try FileManager.default.copyItem(
                atPath: repoPath("fixtures/bad/\(file)"), toPath: s.path("inbox/\(supplier)/\(file)"))
        }
        let run = try s.run(Station.week)
        #expect(run.status == 1)
        for (supplier, file, message) in BadInputTests.newSupplierFeeds {
            let reason = try s.read("quarantine/\(supplier)/\(file).error.txt")
            #expect(reason == "\(supplier)/\(file):\(message)\n")
        }
        let golden = try String(contentsOfFile: repoPath("fixtures/nine/expected/inc_documents.csv"), encoding: .utf8)
        #expect(try s.read("\(Self.nineFolder)/inc_documents.csv") == golden)
    }
}

/// The mapping layer takes bytes: a file read from memory gives what the same file streamed from disk gives.
@Suite struct InMemoryReadingTests {
    @Test(arguments: [
        ("intercars", "fixtures/demo/inbox/intercars/intercars-2026-11-27.xml"),
        ("intercars", "fixtures/feeds/intercars/intercars-scattered.xml"),
        ("zaporizhparts", "fixtures/nine/inbox/zaporizhparts/zp-export-2026-11-26.xml"),
        ("kharkivauto", "fixtures/nine/inbox/kharkivauto/kharkivauto_20261125.json"),
        ("zaporizhparts", "fixtures/bad/zaporizhparts-unknown-month.xml"),
    ])
    func memoryAndFileReadTheSame(mapping: String, file: String) throws {
        let reader = try #require(
            MappingReader(mapping: try MappingFiles.load(path: repoPath("mappings/\(mapping).yaml")), zone: kyiv))
        let fromFile = reader.read(path: repoPath(file), displayName: file)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: repoPath(file)))
        let fromMemory = bytes.withUnsafeBytes { reader.read(bytes: $0, displayName: file) }
        #expect(fromFile.documents == fromMemory.documents)
        #expect(fromFile.errors == fromMemory.errors)
        #expect(!fromFile.documents.isEmpty || !fromFile.errors.isEmpty)
    }
}
