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

    var separator: Character { dialect == .rfc ? "," : ";" }

    package func render(header: [String], rows: [[CSVCell]]) -> String {
        var out = dialect == .excelUK ? "\u{FEFF}" : ""
        out.reserveCapacity(rows.count * 120)
        out += header.map { quote($0) }.joined(separator: String(separator)) + "\r\n"
        for row in rows {
            for (i, c) in row.enumerated() {
                if i > 0 { out.append(separator) }
                out += cell(c)
            }
            out += "\r\n"
        }
        return out
    }

    func cell(_ c: CSVCell) -> String {
        switch c {
        case .empty: return ""
        case .number(let n): return dialect == .excelUK ? n.replacingOccurrences(of: ".", with: ",") : n
        case .text(let t):
            var text = t
            if let first = text.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) {
                text = "'" + text
            }
            return quote(text)
        }
    }

    func quote(_ text: String) -> String {
        let needs = text.utf8.contains { (b: UInt8) -> Bool in
            switch b {
            case 0x22, 0x0A, 0x0D, 0x2C, 0x3B: return true
            default: return false
            }
        }
        guard needs else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
