import Foundation

/// The CSV dialects of the contract.
package enum CSVDialect: String, Sendable, CaseIterable {
    /// RFC 4180: `,`, `.` as the decimal mark, UTF-8 without BOM.
    case rfc
    /// Excel in a Ukrainian locale: `;`, decimal comma, UTF-8 with BOM.
    case excelUK = "excel-uk"
}

/// Writes CSV files; a text cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`
/// so that a spreadsheet never runs it, while a number (`-5.00`) stays a number.
package struct CSVWriter: Sendable {
    package var dialect: CSVDialect

    package init(dialect: CSVDialect) {
        self.dialect = dialect
    }

    /// The file's bytes: each row's cells written by `cells`, byte by byte into one buffer.
    package func render<Row>(header: [String], rows: [Row], cells: (Row, inout Cells) -> Void) -> [UInt8] {
        var sink = Cells(dialect: dialect)
        sink.out.reserveCapacity(rows.count * 200 + 512)
        write(header: header, rows: rows, cells: cells, into: &sink) { _ in }
        return sink.out
    }

    /// The same, given to `file` a megabyte at a time as the rows are made, rather than held whole: the night
    /// after three years writes 255,000 findings (43 MB), and every page of memory the process touches anew costs
    /// it a fault.
    package func write<Row>(header: [String], rows: [Row], cells: (Row, inout Cells) -> Void, to file: FileOutput) {
        var sink = Cells(dialect: dialect)
        sink.out.reserveCapacity(FileOutput.chunk + 65_536)
        write(header: header, rows: rows, cells: cells, into: &sink) { file.flush(&$0, least: FileOutput.chunk) }
        file.flush(&sink.out)
    }

    /// The header and the rows into `sink`, with `rowWritten` told of its bytes after each row.
    private func write<Row>(
        header: [String], rows: [Row], cells: (Row, inout Cells) -> Void, into sink: inout Cells,
        rowWritten: (inout [UInt8]) -> Void
    ) {
        for name in header {
            sink.separate()
            CSVWriter.append(name, guarded: false, to: &sink.out)
        }
        sink.endRow()
        for row in rows {
            cells(row, &sink)
            sink.endRow()
            rowWritten(&sink.out)
        }
    }

    /// The rows being written: a `CellSink` over the file's bytes.
    package struct Cells: CellSink {
        var out: [UInt8]
        let separator: UInt8
        let decimalComma: Bool
        var first = true
        private var scratch: [UInt8] = []

        init(dialect: CSVDialect) {
            out = dialect == .excelUK ? [0xEF, 0xBB, 0xBF] : []
            separator = dialect == .rfc ? 0x2C : 0x3B
            decimalComma = dialect == .excelUK
        }

        mutating func separate() {
            if !first { out.append(separator) }
            first = false
        }

        mutating func endRow() {
            out.append(0x0D)
            out.append(0x0A)
            first = true
        }

        package mutating func text(_ s: String) {
            separate()
            CSVWriter.append(s, guarded: true, to: &out)
        }

        package mutating func empty() { separate() }

        /// A text cell written into `scratch` first, which is kept from one cell to the next, and then quoted and
        /// guarded as `text` is.
        package mutating func utf8(_ write: (inout [UInt8]) -> Void) {
            separate()
            scratch.removeAll(keepingCapacity: true)
            write(&scratch)
            scratch.withUnsafeBufferPointer { CSVWriter.append(utf8: $0, guarded: true, to: &out) }
        }

        package mutating func ascii(number: Bool, _ write: (inout [UInt8]) -> Void) {
            separate()
            let start = out.count
            write(&out)
            if number && decimalComma {
                for i in start..<out.count where out[i] == 0x2E { out[i] = 0x2C }
            }
        }
    }

    /// A text cell: a leading `'` where a spreadsheet would take it for a formula, quoted where it holds a quote,
    /// a line break or either separator.
    static func append(_ text: String, guarded: Bool, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { append(utf8: $0, guarded: guarded, to: &out) }
    }

    /// The same for a cell given as its UTF-8 bytes.
    static func append(utf8 bytes: UnsafeBufferPointer<UInt8>, guarded: Bool, to out: inout [UInt8]) {
        let formula = guarded && CSVWriter.looksLikeFormula(bytes)
        let needs = bytes.contains { (b: UInt8) -> Bool in
            switch b {
            case 0x22, 0x0A, 0x0D, 0x2C, 0x3B: return true
            default: return false
            }
        }
        guard needs || formula else { return out.append(contentsOf: bytes) }
        if needs { out.append(0x22) }
        if formula { out.append(0x27) }
        for b in bytes {
            out.append(b)
            if b == 0x22 { out.append(0x22) }
        }
        if needs { out.append(0x22) }
    }

    /// Whether a spreadsheet could take the cell for a formula: its first character is `=`, `+`, `-`, `@`, a tab or
    /// a carriage return, or its first visible character, after invisible and format characters (C0 controls,
    /// U+FEFF, U+200B, U+180E, U+202E and the rest of Unicode's format class), is one of `= + - @`, their
    /// full-width and small forms, or U+2212. A cell that starts with a plain letter or digit is decided at once.
    static func looksLikeFormula(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first else { return false }
        switch first {
        case 0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D: return true
        case 0x20..<0x7F: return false
        default: break
        }
        for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
            switch scalar.value {
            case 0x3D, 0x2B, 0x2D, 0x40, 0xFF1D, 0xFE66, 0xFF0B, 0xFE62, 0xFF0D, 0xFE63, 0xFF20, 0xFE6B, 0x2212:
                return true
            case 0x00..<0x20, 0x7F, 0x180E, 0x200B, 0xFEFF:
                continue
            default:
                if scalar.properties.generalCategory == .format { continue }
                return false
            }
        }
        return false
    }
}
