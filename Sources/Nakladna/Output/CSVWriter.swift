import Foundation

/// The CSV dialects of the contract.
package enum CSVDialect: String, Sendable, CaseIterable {
    /// RFC 4180: `,`, `.` as the decimal mark, UTF-8 without BOM.
    case rfc
    /// Excel in a Ukrainian locale: `;`, decimal comma, UTF-8 with BOM.
    case excelUK = "excel-uk"
}

/// A cell: text is guarded against formulas, numbers are written as numbers in the dialect's decimal mark.
package enum CSVCell: Sendable {
    case text(String)
    case number(String)
    case empty
}

/// Writes CSV files; a text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`
/// so that a spreadsheet never runs it, while a number (`-5.00`) stays a number.
package struct CSVWriter: Sendable {
    package var dialect: CSVDialect

    package init(dialect: CSVDialect) {
        self.dialect = dialect
    }

    var separator: UInt8 { dialect == .rfc ? 0x2C : 0x3B }

    /// The file's bytes: written byte by byte into one buffer, since a year's files hold millions of cells.
    package func render(header: [String], rows: [[CSVCell]]) -> Data {
        var out: [UInt8] = dialect == .excelUK ? [0xEF, 0xBB, 0xBF] : []
        out.reserveCapacity(rows.count * 120 + 512)
        for (i, name) in header.enumerated() {
            if i > 0 { out.append(separator) }
            append(name, guarded: false, to: &out)
        }
        out += [0x0D, 0x0A]
        let decimalComma = dialect == .excelUK
        for row in rows {
            for (i, c) in row.enumerated() {
                if i > 0 { out.append(separator) }
                switch c {
                case .empty: break
                case .number(let n):
                    for b in n.utf8 { out.append(decimalComma && b == 0x2E ? 0x2C : b) }
                case .text(let t):
                    append(t, guarded: true, to: &out)
                }
            }
            out += [0x0D, 0x0A]
        }
        return Data(out)
    }

    /// A text cell: a leading `'` where a spreadsheet would take it for a formula, quoted where it holds a quote,
    /// a line break or either separator.
    func append(_ text: String, guarded: Bool, to out: inout [UInt8]) {
        let bytes = text.utf8
        let formula = guarded && bytes.first.map { [0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D].contains($0) } == true
        let needs = bytes.contains { (b: UInt8) -> Bool in
            switch b {
            case 0x22, 0x0A, 0x0D, 0x2C, 0x3B: return true
            default: return false
            }
        }
        if needs { out.append(0x22) }
        if formula { out.append(0x27) }
        for b in bytes {
            out.append(b)
            if b == 0x22 { out.append(0x22) }
        }
        if needs { out.append(0x22) }
    }
}
