import Foundation

@testable import Nakladna

/// The scanner as it was before it counted columns only for an error and made unquoted cells into text where
/// they lie (session 11): kept as the oracle that `CSVScannerTests` reads every file against.
struct ReferenceCSVScanner {
    private let bytes: UnsafeRawBufferPointer
    private let separator: UInt8
    private let file: String
    private var i: Int
    private var line = 1
    private var column = 1
    private var cell: [UInt8] = []
    /// The most cells a row had so far, up to 64: room for them is made once a row, not as the row's array grows
    /// (five allocations a row of ten cells, on the 650,000 rows of a year's `orders.csv`). A file with one row of
    /// thousands of cells does not make every later row reserve them.
    private var width = 0

    /// Scans `bytes`, which must stay valid while the scanner is used; a leading BOM is skipped. `line` is the
    /// line `bytes` begin on: a later share of a file (`shares(of:count:)`) has no BOM and counts on from there.
    init(bytes: UnsafeRawBufferPointer, separator: UInt8 = 0x2C, file: String, line: Int = 1) {
        self.bytes = bytes
        self.separator = separator
        self.file = file
        self.line = line
        i = line == 1 && bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    }

    /// The cell read so far as text; bytes that are not UTF-8 are refused, never replaced.
    private func text(line: Int, column: Int) throws(CSVTable.Failure) -> String {
        if let valid = cell.withUnsafeBufferPointer({ String(validUTF8: $0) }) { return valid }
        throw CSVTable.Failure(file: file, line: line, column: column, reason: "the text is not valid UTF-8")
    }

    /// The next row, or nil at the end of the file; blank lines are skipped.
    mutating func next() throws(CSVTable.Failure) -> CSVTable.Row? {
        var cells: [String] = []
        cells.reserveCapacity(width)
        var rowLine = line
        var quoted = false
        var quoteLine = 0
        var quoteColumn = 0
        var cellStarted = false
        var afterQuote = false
        // Where the current cell starts, for a cell that is not UTF-8.
        var cellLine = line
        var cellColumn = column
        cell.removeAll(keepingCapacity: true)
        let end = bytes.count
        // UTF-8: every byte CSV gives a meaning to is ASCII, so multi-byte letters pass through whole; columns count
        // characters (continuation bytes are not counted).
        while i < end {
            let c = bytes[i]
            let following: UInt8? = i + 1 < end ? bytes[i + 1] : nil
            i += 1
            let counts = c & 0xC0 != 0x80
            if quoted {
                if c == 0x22 {
                    if following == 0x22 {
                        cell.append(0x22)
                        i += 1
                        column += 2
                        continue
                    }
                    quoted = false
                    afterQuote = true
                } else {
                    cell.append(c)
                    if c == 0x0A {
                        line += 1
                        column = 0
                    }
                }
                if counts { column += 1 }
                continue
            }
            switch c {
            case separator:
                cells.append(try text(line: cellLine, column: cellColumn))
                (cellLine, cellColumn) = (line, column + 1)
                cell.removeAll(keepingCapacity: true)
                cellStarted = false
                afterQuote = false
            case 0x0D where following == 0x0A:
                break
            case 0x0D, 0x0A:
                line += 1
                column = 1
                cells.append(try text(line: cellLine, column: cellColumn))
                cell.removeAll(keepingCapacity: true)
                if cells.count == 1 && cells[0].isEmpty && !cellStarted {
                    cells = []
                    rowLine = line
                    (cellLine, cellColumn) = (line, 1)
                    continue
                }
                width = min(max(width, cells.count), 64)
                return CSVTable.Row(line: rowLine, cells: cells)
            case 0x22:
                guard !cellStarted && !afterQuote else {
                    throw CSVTable.Failure(
                        file: file, line: line, column: column, reason: "a quote inside an unquoted cell")
                }
                quoted = true
                cellStarted = true
                quoteLine = line
                quoteColumn = column
            default:
                guard !afterQuote else {
                    throw CSVTable.Failure(file: file, line: line, column: column, reason: "text after a closing quote")
                }
                // The rest of an unquoted run at once: up to the next byte CSV gives a meaning to.
                var stop = i
                while stop < end {
                    let b = bytes[stop]
                    if b == separator || b == 0x0D || b == 0x0A || b == 0x22 { break }
                    stop += 1
                }
                cell.append(c)
                if stop > i {
                    let run = UnsafeRawBufferPointer(rebasing: bytes[i..<stop])
                    cell.append(contentsOf: run)
                    for b in run where b & 0xC0 != 0x80 { column += 1 }
                    i = stop
                }
                cellStarted = true
            }
            if counts { column += 1 }
        }
        if quoted {
            throw CSVTable.Failure(
                file: file, line: quoteLine, column: quoteColumn, reason: "a quote that is never closed")
        }
        guard cellStarted || !cells.isEmpty else { return nil }
        cells.append(try text(line: cellLine, column: cellColumn))
        cell.removeAll(keepingCapacity: true)
        return CSVTable.Row(line: rowLine, cells: cells)
    }
}
