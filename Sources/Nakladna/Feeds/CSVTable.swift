/// An RFC 4180 table read with its places (`CSVScanner`): each cell knows its line and column, so the operator is
/// told exactly where `orders.csv` is broken.
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

    /// Parses `text` (a leading BOM is skipped; `,` or `;` between cells, as its header line shows), expecting
    /// exactly `columns` as the header.
    package init(text: String, file: String, columns: [String]) throws(Failure) {
        let scanned: Result<[Row], Failure> = Array(text.utf8).withUnsafeBytes { raw in
            var scanner = CSVScanner(bytes: raw, separator: CSVScanner.separator(of: raw), file: file)
            var rows: [Row] = []
            do throws(Failure) {
                while let row = try scanner.next() { rows.append(row) }
            } catch {
                return .failure(error)
            }
            return .success(rows)
        }
        let rows = try scanned.get()
        let first = try CSVTable.header(rows.first, columns: columns, file: file)
        for row in rows.dropFirst() { try CSVTable.check(row, columns: columns, file: file) }
        header = first.cells
        self.rows = Array(rows.dropFirst())
    }

    /// The header row, refused unless it is exactly `columns` (comma-separated in the message).
    package static func header(_ row: Row?, columns: [String], file: String) throws(Failure) -> Row {
        guard let row else {
            throw Failure(
                file: file, line: 1, column: 1, reason: "empty: expected the header \(columns.joined(separator: ","))")
        }
        guard row.cells == columns else {
            throw Failure(
                file: file, line: 1, column: 1, reason: "the header must be \(columns.joined(separator: ","))")
        }
        return row
    }

    /// A data row, refused unless it has the header's number of cells.
    package static func check(_ row: Row, columns: [String], file: String) throws(Failure) {
        guard row.cells.count == columns.count else {
            throw Failure(
                file: file, line: row.line, column: 1,
                reason: "\(row.cells.count) cells where the header has \(columns.count)")
        }
    }

    /// The 1-based column of `name`, for errors.
    package func column(_ name: String) -> Int { (header.firstIndex(of: name) ?? 0) + 1 }
}
