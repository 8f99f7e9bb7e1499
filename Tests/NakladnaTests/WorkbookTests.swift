import Foundation
import Testing

@testable import Nakladna

/// `nakladna.xlsx`, opened for real: LibreOffice Calc (headless) reads the workbook and writes each sheet back as
/// CSV, text quoted and numbers bare, and every cell is compared with the CSV file the sheet repeats.
@Suite(.serialized) struct WorkbookTests {
    static let folder = "out/2026-11-23_2026-11-29"

    /// A cell of LibreOffice's CSV: its text, and whether it was quoted (text) or bare (a number or a date).
    struct Cell: Equatable {
        var text: String
        var quoted: Bool
    }

    /// LibreOffice's CSV, `,` and `"`, keeping whether each cell was quoted.
    static func parse(_ text: String) -> [[Cell]] {
        var rows: [[Cell]] = []
        var row: [Cell] = []
        var cell = ""
        var quoted = false
        var inQuotes = false
        var chars = Array(text.unicodeScalars)[...]
        while let c = chars.popFirst() {
            if inQuotes {
                if c == "\"" {
                    if chars.first == "\"" {
                        cell.unicodeScalars.append("\"")
                        chars = chars.dropFirst()
                    } else {
                        inQuotes = false
                    }
                } else {
                    cell.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"":
                inQuotes = true
                quoted = true
            case ",":
                row.append(Cell(text: cell, quoted: quoted))
                (cell, quoted) = ("", false)
            case "\n", "\r":
                if c == "\r" && chars.first == "\n" { chars = chars.dropFirst() }
                row.append(Cell(text: cell, quoted: quoted))
                rows.append(row)
                (row, cell, quoted) = ([], "", false)
            default:
                cell.unicodeScalars.append(c)
            }
        }
        if !row.isEmpty || !cell.isEmpty { rows.append(row + [Cell(text: cell, quoted: quoted)]) }
        return rows
    }

    /// The columns written as numbers, and the one written as a date.
    static let numbers: Set<String> = [
        "net_total", "vat_total", "gross_total", "rate", "gross_total_uah", "lines", "line", "quantity",
        "unit_price_gross", "vat_rate", "net_amount", "vat_amount", "gross_amount", "ordered_qty", "invoiced_qty",
        "order_price", "invoice_price", "amount_at_stake",
    ]
    static let dates: Set<String> = ["invoice_date"]

    @Test func everySheetEqualsItsCSVFileCellByCell() throws {
        let s = try Station()
        defer { s.remove() }
        let run = try s.run(Station.week + ["--xlsx"])
        #expect(run.status == 0, "\(run.stderr)")
        let workbook = s.path("\(Self.folder)/nakladna.xlsx")
        let converted = s.path("converted")
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("lo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        // Quote all text (7th token true), write cells as shown (9th), every sheet (last, -1).
        let office = try runBinary(
            [
                "soffice", "-env:UserInstallation=\(profile.absoluteString)", "--headless", "--convert-to",
                "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,true,false,true,false,false,-1", "--outdir", converted,
                workbook,
            ], executable: "/usr/bin/soffice")
        #expect(office.status == 0, "LibreOffice: \(office.stderr)")
        for (sheet, columns) in Workbook.sheets {
            let csvText = try s.read("\(Self.folder)/\(sheet).csv")
            let ours = try CSVTable(text: csvText, file: sheet, columns: columns)
            let calc = Self.parse(
                try String(contentsOfFile: "\(converted)/nakladna-\(sheet).csv", encoding: .utf8))
            #expect(calc.count == ours.rows.count + 1, "\(sheet): rows")
            #expect(calc.first?.map(\.text) == columns.map { Workbook.headers[$0] ?? $0 }, "\(sheet): headers")
            for (row, calcRow) in zip(ours.rows, calc.dropFirst()) {
                #expect(calcRow.count == columns.count, "\(sheet) line \(row.line): cells")
                for (i, column) in columns.enumerated() where i < calcRow.count {
                    let expected = row.cells[i]
                    let got = calcRow[i]
                    if expected.isEmpty {
                        #expect(got.text.isEmpty, "\(sheet) line \(row.line) \(column)")
                    } else if Self.dates.contains(column) {
                        // 2026-11-23 shown as 23.11.2026, a date, not text.
                        let p = expected.split(separator: "-")
                        #expect(got == Cell(text: "\(p[2]).\(p[1]).\(p[0])", quoted: false), "\(sheet) \(column)")
                    } else if Self.numbers.contains(column) {
                        #expect(got == Cell(text: expected, quoted: false), "\(sheet) line \(row.line) \(column)")
                    } else {
                        #expect(got == Cell(text: expected, quoted: true), "\(sheet) line \(row.line) \(column)")
                    }
                }
            }
        }
        // The leading zero of an article, kept as text.
        let lines = Self.parse(try String(contentsOfFile: "\(converted)/nakladna-inc_lines.csv", encoding: .utf8))
        #expect(lines.contains { $0.contains(Cell(text: "0986452041", quoted: true)) })
    }
}
