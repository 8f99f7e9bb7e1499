/// Streams the rows of an RFC 4180 file out of its UTF-8 bytes, each with the line it starts on; a malformed
/// quote is an error naming the line and column. The separator is the file's (`,`, or `;` for Inter Cars).
///
/// Written by hand: the listed CSV packages report malformed quoting without a line and column, and they read a
/// whole file into memory where a million-row price file must stream.
package struct CSVScanner {
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
    package init(bytes: UnsafeRawBufferPointer, separator: UInt8 = 0x2C, file: String, line: Int = 1) {
        self.bytes = bytes
        self.separator = separator
        self.file = file
        self.line = line
        i = line == 1 && bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    }

    /// Cuts a file's bytes into up to `count` shares of about equal size that scanners can read apart: each begins
    /// a row (after a line end outside quotes) and knows the line it begins on, counted as `next()` counts them.
    /// Where a file is malformed, the share holding its first error reports it as one scanner would: the bytes
    /// before a cut are the same to both.
    package static func shares(of bytes: UnsafeRawBufferPointer, count: Int) -> [(range: Range<Int>, line: Int)] {
        var shares: [(range: Range<Int>, line: Int)] = []
        let end = bytes.count
        var (start, startLine) = (0, 1)
        var (i, line, quoted) = (0, 1, false)
        for k in 1..<max(count, 1) {
            let target = end / count * k
            cut: while i < end {
                let c = bytes[i]
                i += 1
                switch c {
                case 0x22: quoted.toggle()
                case 0x0A:
                    line += 1
                    if !quoted && i >= target { break cut }
                case 0x0D where !quoted && (i == end || bytes[i] != 0x0A):
                    line += 1
                    if i >= target { break cut }
                default: break
                }
            }
            guard i < end else { break }
            shares.append((start..<i, startLine))
            (start, startLine) = (i, line)
        }
        shares.append((start..<end, startLine))
        return shares
    }

    /// The cell read so far as text; bytes that are not UTF-8 are refused, never replaced.
    private func text(line: Int, column: Int) throws(CSVTable.Failure) -> String {
        if let valid = cell.withUnsafeBufferPointer({ String(validUTF8: $0) }) { return valid }
        throw CSVTable.Failure(file: file, line: line, column: column, reason: CSVScanner.notUTF8)
    }

    /// The reason for bytes that are not UTF-8.
    package static let notUTF8 = "the text is not valid UTF-8"

    /// The separator a file uses, told from its header line: `;` where the line has one outside quotes (Excel in a
    /// Ukrainian locale, the dialect the tool writes as `excel-uk`), else `,`.
    package static func separator(of bytes: UnsafeRawBufferPointer) -> UInt8 {
        var quoted = false
        for b in bytes {
            switch b {
            case 0x22: quoted.toggle()
            case 0x3B: if !quoted { return 0x3B }
            case 0x0A, 0x0D: if !quoted { return 0x2C }
            default: continue
            }
        }
        return 0x2C
    }

    /// The next row, or nil at the end of the file; blank lines are skipped.
    package mutating func next() throws(CSVTable.Failure) -> CSVTable.Row? {
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
