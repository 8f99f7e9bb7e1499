/// An RFC 4180 table read with its places: each cell knows its line and column.
///
/// Written by hand: the listed CSV packages report malformed quoting without a line and column, and the
/// operator must be told exactly where `orders.csv` is broken.
package struct CSVTable: Sendable {
    package struct Row: Sendable {
        /// The 1-based line the row starts on.
        package var line: Int
        package var cells: [String]
    }

    package var header: [String]
    package var rows: [Row]

    /// Why a CSV file is refused: the file, line and column, and the reason.
    package struct Failure: Error, Sendable, CustomStringConvertible {
        package var file: String
        package var line: Int
        package var column: Int
        package var reason: String
        package var description: String { "\(file):\(line):\(column): \(reason)" }
    }

    /// Parses `text` (a leading BOM is skipped), expecting exactly `columns` as the header.
    package init(text: String, file: String, columns: [String]) throws(Failure) {
        var rows: [Row] = []
        var cells: [String] = []
        // UTF-8 bytes: every character CSV gives a meaning to is ASCII, so multi-byte letters pass through whole;
        // columns count characters (continuation bytes are not counted).
        var cell: [UInt8] = []
        var line = 1
        var column = 1
        var rowLine = 1
        var quoted = false
        var quoteLine = 0
        var quoteColumn = 0
        var cellStarted = false
        var afterQuote = false
        var bytes = Array(text.utf8)[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        func endCell() {
            cells.append(String(decoding: cell, as: UTF8.self))
            cell.removeAll(keepingCapacity: true)
        }
        func endRow() {
            endCell()
            if !(cells.count == 1 && cells[0].isEmpty && !cellStarted) { rows.append(Row(line: rowLine, cells: cells)) }
            cells = []
            cellStarted = false
            afterQuote = false
        }
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let c = bytes[i]
            let next: UInt8? = i + 1 < bytes.endIndex ? bytes[i + 1] : nil
            i += 1
            let counts = c & 0xC0 != 0x80
            if quoted {
                if c == 0x22 {
                    if next == 0x22 {
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
            case 0x2C:
                endCell()
                cellStarted = false
                afterQuote = false
            case 0x0D:
                if next == 0x0A { break }
                endRow()
                line += 1
                column = 0
                rowLine = line
            case 0x0A:
                endRow()
                line += 1
                column = 0
                rowLine = line
            case 0x22:
                guard !cellStarted && !afterQuote else {
                    throw Failure(file: file, line: line, column: column, reason: "a quote inside an unquoted cell")
                }
                quoted = true
                cellStarted = true
                quoteLine = line
                quoteColumn = column
            default:
                guard !afterQuote else {
                    throw Failure(file: file, line: line, column: column, reason: "text after a closing quote")
                }
                cell.append(c)
                cellStarted = true
            }
            if counts { column += 1 }
        }
        if quoted {
            throw Failure(file: file, line: quoteLine, column: quoteColumn, reason: "a quote that is never closed")
        }
        if cellStarted || !cells.isEmpty { endRow() }
        guard let first = rows.first else {
            throw Failure(
                file: file, line: 1, column: 1, reason: "empty: expected the header \(columns.joined(separator: ","))")
        }
        guard first.cells == columns else {
            throw Failure(
                file: file, line: 1, column: 1, reason: "the header must be \(columns.joined(separator: ","))")
        }
        for row in rows.dropFirst() where row.cells.count != columns.count {
            throw Failure(
                file: file, line: row.line, column: 1,
                reason: "\(row.cells.count) cells where the header has \(columns.count)")
        }
        header = first.cells
        self.rows = Array(rows.dropFirst())
    }

    /// The 1-based column of `name`, for errors.
    package func column(_ name: String) -> Int { (header.firstIndex(of: name) ?? 0) + 1 }
}
