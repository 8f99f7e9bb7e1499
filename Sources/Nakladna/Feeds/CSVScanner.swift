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
    /// Where the current line begins: a column is counted from here only for an error, not kept up byte by byte.
    private var lineStart: Int
    /// A quoted cell's text, its doubled quotes made single.
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
        lineStart = i
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

    /// A place in the file as the line it is on and its 1-based column there, counted in characters (UTF-8
    /// continuation bytes are not counted), from the byte where that line begins.
    private struct Place {
        var line: Int
        var lineStart: Int
        var at: Int
    }

    private var here: Place { Place(line: line, lineStart: lineStart, at: i) }

    private func failure(_ place: Place, _ reason: String) -> CSVTable.Failure {
        var column = 1
        for b in bytes[place.lineStart..<place.at] where b & 0xC0 != 0x80 { column += 1 }
        return CSVTable.Failure(file: file, line: place.line, column: column, reason: reason)
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
        let end = bytes.count
        while true {
            // A line that holds nothing more is not a row.
            if i == end && cells.isEmpty { return nil }
            let start = here
            var quoted = false
            // UTF-8: every byte CSV gives a meaning to is ASCII, so multi-byte letters pass through whole.
            if i < end && bytes[i] == 0x22 {
                // A quoted cell: up to the quote that is not doubled; line breaks are its text.
                quoted = true
                i += 1
                cell.removeAll(keepingCapacity: true)
                while true {
                    var stop = i
                    while stop < end && bytes[stop] != 0x22 && bytes[stop] != 0x0A { stop += 1 }
                    cell.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[i..<stop]))
                    i = stop
                    guard i < end else { throw failure(start, "a quote that is never closed") }
                    i += 1
                    if bytes[stop] == 0x0A {
                        cell.append(0x0A)
                        line += 1
                        lineStart = i
                    } else if i < end && bytes[i] == 0x22 {
                        cell.append(0x22)
                        i += 1
                    } else {
                        break
                    }
                }
                if i < end && bytes[i] != separator && bytes[i] != 0x0D && bytes[i] != 0x0A {
                    throw failure(here, "text after a closing quote")
                }
                guard let text = cell.withUnsafeBufferPointer({ String(validUTF8: $0) }) else {
                    throw failure(start, CSVScanner.notUTF8)
                }
                cells.append(text)
            } else {
                // An unquoted cell: its bytes up to the next one CSV gives a meaning to, made text where they lie.
                var stop = i
                while stop < end {
                    let b = bytes[stop]
                    if b == separator || b == 0x0D || b == 0x0A || b == 0x22 { break }
                    stop += 1
                }
                if stop < end && bytes[stop] == 0x22 {
                    i = stop
                    throw failure(here, "a quote inside an unquoted cell")
                }
                guard let text = String(validUTF8: UnsafeRawBufferPointer(rebasing: bytes[i..<stop])) else {
                    throw failure(start, CSVScanner.notUTF8)
                }
                i = stop
                cells.append(text)
            }
            guard i < end else { break }
            let c = bytes[i]
            i += 1
            if c == separator { continue }
            // A line end: CR LF, LF, or CR alone.
            if c == 0x0D && i < end && bytes[i] == 0x0A { i += 1 }
            line += 1
            lineStart = i
            if cells.count == 1 && cells[0].isEmpty && !quoted {
                cells.removeAll(keepingCapacity: true)
                rowLine = line
                continue
            }
            break
        }
        width = min(max(width, cells.count), 64)
        return CSVTable.Row(line: rowLine, cells: cells)
    }
}
