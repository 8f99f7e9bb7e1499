import Foundation
import Testing

@testable import Nakladna

/// The range's long files are given to their files as they are made, a megabyte and a batch of rows at a time: the
/// bytes that reach the file are the bytes the file holds when made whole.
struct StreamedFilesTests {
    static let day = CalendarDate(year: 2026, month: 11, day: 25)

    /// Order findings enough for more than one batch of the page's orders section (32,768 rows) and for several
    /// megabytes, with a manual receipt after them and one discrepancy before.
    static var findings: [Finding] {
        func finding(_ n: Int, _ status: Status) -> Finding {
            Finding(
                supplier: "omega", supplierInvoice: status.isOrderFinding ? "" : "A-1",
                orderNumber: String(format: "O-%05d", n), brand: "BOSCH", article: "A \(n)", status: status,
                orderedQty: Fixed(2), invoicedQty: .zero, orderPrice: Fixed(10), currency: "UAH",
                amountAtStake: Fixed(20), note: .text("open \(n) = still open"), date: day)
        }
        return [finding(0, .priceMismatch)] + (1...40_000).map { finding($0, .notDelivered) }
            + [finding(40_001, .manualReceipt)]
    }

    /// The bytes `body` gives a file written in place of an empty one.
    static func written(_ body: (FileOutput) -> Void) throws -> [UInt8] {
        let path = try temporaryFile("file", Data())
        try FileSystem.writeAtomically(to: path, body)
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Where two files' bytes first differ, nil where they are equal: the files are megabytes, too long to show.
    static func firstDifference(_ a: [UInt8], _ b: [UInt8]) -> Int? {
        zip(a, b).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            ?? (a.count == b.count ? nil : min(a.count, b.count))
    }

    @Test func aPageWrittenAsItIsMadeIsThePageMadeWhole() throws {
        let report = Report(
            results: RangeResults(findings: StreamedFilesTests.findings), from: StreamedFilesTests.day,
            to: StreamedFilesTests.day, generatedAt: Date(timeIntervalSince1970: 1_795_000_000),
            timezone: kyiv, language: .en, quarantined: [], suppliers: ["omega"])
        let whole = report.html()
        #expect(whole.count > 10 << 20)
        let streamed = try StreamedFilesTests.written { report.write(to: $0) }
        #expect(StreamedFilesTests.firstDifference(streamed, whole) == nil)
        // Both ways make the orders a batch at a time: every row is there, once and in order, in both batches.
        let rows = String(decoding: streamed, as: UTF8.self)
            .components(separatedBy: "<tr class=\"finding\" data-status=\"not_delivered\"").dropFirst()
            .map { $0.components(separatedBy: "<td>")[2].components(separatedBy: "</td>")[0] }
        let expected = (1...40_000).map { String(format: "O-%05d", $0) }
        #expect(rows.count == expected.count)
        #expect(zip(rows, expected).first { $0 != $1 } == nil)
    }

    @Test(arguments: CSVDialect.allCases) func aCSVFileWrittenAsItIsMadeIsTheFileMadeWhole(_ dialect: CSVDialect) throws
    {
        let writer = CSVWriter(dialect: dialect)
        let rows = StreamedFilesTests.findings
        func cells(_ f: Finding, _ sink: inout CSVWriter.Cells) { Columns.finding(f, notes: .en, into: &sink) }
        let whole = writer.render(header: Columns.reconciliation, rows: rows, cells: cells)
        #expect(whole.count > 3 << 20)
        let streamed = try StreamedFilesTests.written {
            writer.write(header: Columns.reconciliation, rows: rows, cells: cells, to: $0)
        }
        #expect(StreamedFilesTests.firstDifference(streamed, whole) == nil)
    }
}
