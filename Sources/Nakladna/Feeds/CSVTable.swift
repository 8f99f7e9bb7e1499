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
        var cell = ""
        var line = 1
        var column = 1
        var rowLine = 1
        var quoted = false
        var quoteLine = 0
        var quoteColumn = 0
        var cellStarted = false
        var afterQuote = false
        var scalars = text.unicodeScalars[...]
        if scalars.first == "\u{FEFF}" { scalars = scalars.dropFirst() }
        var iterator = scalars.makeIterator()
        var pending: Unicode.Scalar? = iterator.next()
        func endRow() {
            cells.append(cell)
            if !(cells.count == 1 && cells[0].isEmpty && !cellStarted) { rows.append(Row(line: rowLine, cells: cells)) }
            cells = []
            cell = ""
            cellStarted = false
            afterQuote = false
        }
        while let c = pending {
            pending = iterator.next()
            if quoted {
                if c == "\"" {
                    if pending == "\"" {
                        cell.unicodeScalars.append("\"")
                        pending = iterator.next()
                        column += 2
                        continue
                    }
                    quoted = false
                    afterQuote = true
                } else {
                    cell.unicodeScalars.append(c)
                    if c == "\n" {
                        line += 1
                        column = 0
                    }
                }
                column += 1
                continue
            }
            switch c {
            case ",":
                cells.append(cell)
                cell = ""
                cellStarted = false
                afterQuote = false
            case "\r":
                if pending == "\n" { break }
                endRow()
                line += 1
                column = 0
                rowLine = line
            case "\n":
                endRow()
                line += 1
                column = 0
                rowLine = line
            case "\"":
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
                cell.unicodeScalars.append(c)
                cellStarted = true
            }
            column += 1
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
