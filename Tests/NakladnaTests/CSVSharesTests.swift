import Foundation
import PropertyBased
import Testing

@testable import Nakladna

/// `orders.csv` is scanned in shares, one per core: the shares must read as one scanner reads the whole file, rows,
/// lines and errors alike, however the file is quoted and whatever its line ends.
@Suite struct CSVSharesTests {
    typealias Read = (rows: [CSVTable.Row], error: String?)

    /// The rows a scanner reads, appended to `rows`, and the error that stopped it, if any.
    static func drain(_ next: () throws(CSVTable.Failure) -> CSVTable.Row?, into rows: inout [CSVTable.Row]) -> String?
    {
        do throws(CSVTable.Failure) {
            while let row = try next() { rows.append(row) }
        } catch {
            return error.description
        }
        return nil
    }

    /// What one scanner reads: the rows, and the error that stopped it, if any.
    static func whole(_ bytes: [UInt8], separator: UInt8 = 0x2C) -> Read {
        bytes.withUnsafeBytes { raw in
            var scanner = CSVScanner(bytes: raw, separator: separator, file: "f")
            var rows: [CSVTable.Row] = []
            let error = drain({ () throws(CSVTable.Failure) in try scanner.next() }, into: &rows)
            return (rows, error)
        }
    }

    /// What the shares read, one after the other: each share's rows, up to the first share that fails.
    static func shared(_ bytes: [UInt8], count: Int) -> Read {
        bytes.withUnsafeBytes { raw in
            var rows: [CSVTable.Row] = []
            for share in CSVScanner.shares(of: raw, count: count) {
                var scanner = CSVScanner(
                    bytes: UnsafeRawBufferPointer(rebasing: raw[share.range]), file: "f", line: share.line)
                if let error = drain({ () throws(CSVTable.Failure) in try scanner.next() }, into: &rows) {
                    return (rows, error)
                }
            }
            return (rows, nil)
        }
    }

    static func same(_ a: Read, _ b: Read) -> Bool {
        a.error == b.error && a.rows.map(\.line) == b.rows.map(\.line) && a.rows.map(\.cells) == b.rows.map(\.cells)
    }

    /// Well-formed files: cells quoted where they hold a separator, a quote or a line break, rows ended by LF,
    /// CRLF or a lone CR, some blank lines.
    @Test func wellFormedFilesReadTheSameInShares() async {
        let cell = Gen.element(of: ["a", "ключ", "", "x,y", "say \"hi\"", "two\nlines", "cr\rhere", "crlf\r\nin", "=1"])
            .map { $0 ?? "" }
        let row = cell.array(of: 1...4)
        let ending = Gen.element(of: ["\n", "\r\n", "\r", "\n\n"]).map { $0 ?? "\n" }
        await propertyCheck(input: zip(row, ending).array(of: 1...12)) { rows in
            var text = ""
            for (cells, end) in rows {
                text += cells.map { c in
                    c.contains(where: { ",\"\r\n".contains($0) })
                        ? "\"" + c.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : c
                }.joined(separator: ",")
                text += end
            }
            let bytes = Array(text.utf8)
            let one = Self.whole(bytes)
            #expect(one.error == nil)
            for count in 1...6 {
                #expect(Self.same(Self.shared(bytes, count: count), one), "\(count) shares of \(text.debugDescription)")
            }
        }
    }

    /// Any bytes of the ones CSV gives a meaning to, malformed quoting included: the shares report the same first
    /// error, after the same rows.
    @Test func anyBytesReadTheSameInShares() async {
        let byte = Gen.element(of: Array("a,\"\n\r;".utf8) + [0xD0, 0x9A, 0xFF]).map { $0 ?? 0x61 }
        await propertyCheck(input: byte.array(of: 0...40)) { bytes in
            let one = Self.whole(bytes)
            for count in 1...6 {
                #expect(Self.same(Self.shared(bytes, count: count), one), "\(count) shares of \(bytes)")
            }
        }
    }

    /// What the scanner before session 11 reads (`ReferenceCSVScanner`, which kept a column byte by byte and copied
    /// every cell): rows, lines and errors with their columns must be the same.
    static func reference(_ bytes: [UInt8], separator: UInt8) -> Read {
        bytes.withUnsafeBytes { raw in
            var scanner = ReferenceCSVScanner(bytes: raw, separator: separator, file: "f")
            var rows: [CSVTable.Row] = []
            let error = drain({ () throws(CSVTable.Failure) in try scanner.next() }, into: &rows)
            return (rows, error)
        }
    }

    /// Any bytes CSV gives a meaning to, a BOM, letters of two and three bytes and bytes that are not UTF-8: read as
    /// the scanner before read them, errors named at the same line and column, with either separator.
    @Test func anyBytesReadAsTheReferenceReadsThem() async {
        let piece = Gen.element(of: [
            "a", "bc", ",", ";", "\"", "\"\"", "\n", "\r", "\r\n", "ключ", "€", "\u{FEFF}", "\u{FF}", "\u{C0}",
        ]).map { $0 ?? "a" }
        await propertyCheck(input: piece.array(of: 0...30)) { pieces in
            // U+00FF and U+00C0 stand for the bytes 0xFF and 0xC0, which no UTF-8 text holds.
            var bytes: [UInt8] = []
            for p in pieces {
                if p == "\u{FF}" {
                    bytes.append(0xFF)
                } else if p == "\u{C0}" {
                    bytes.append(0xC0)
                } else {
                    bytes += p.utf8
                }
            }
            for separator in [UInt8(ascii: ","), UInt8(ascii: ";")] {
                let expected = Self.reference(bytes, separator: separator)
                let read = Self.whole(bytes, separator: separator)
                #expect(Self.same(read, expected), "\(bytes) with \(separator)")
            }
        }
    }

    /// A year's `orders.csv` is read on two cores: the rows are numbered across the whole file, and a bad cell in
    /// its second half is named by its own line.
    @Test func largeOrdersAreNumberedAndCheckedAcrossShares() throws {
        var text = StationInputs.orderColumns.joined(separator: ",") + "\n"
        // A quoted name with a line break in every tenth row: a cut must never fall inside it.
        for i in 1...40_000 {
            let name = i % 10 == 0 ? "\"Фільтр\nмасляний\"" : "Фільтр"
            text += "O\(i),omega,S\(i),2026-03-01,BOSCH,0 986 452 041,\(name),1,100.00,UAH\n"
        }
        let path = try temporaryFile("orders.csv", Data(text.utf8))
        #expect(text.utf8.count > 1 << 20)  // large enough to be shared
        let brands = ["omega": Brands()]
        let (orders, ignored, _) = try StationInputs.orders(path: path, brands: brands)
        #expect(ignored.isEmpty)
        #expect(orders.map(\.row) == Array(1...40_000))
        #expect(orders.map(\.orderNumber) == (1...40_000).map { "O\($0)" })
        #expect(orders[9].name == "Фільтр\nмасляний")
        #expect(orders[19].name == "Фільтр\nмасляний")
        #expect(orders[0].name == "Фільтр")

        // Row 35,000 starts on line 1 (header) + 34,999 rows + 3,499 extra lines of the quoted names before it.
        let bad = text.replacingOccurrences(of: "O35000,omega,S35000,2026-03-01", with: "O35000,omega,S35000,2026-3-01")
        try Data(bad.utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: CSVTable.Failure.self) { try StationInputs.orders(path: path, brands: brands) }
        do {
            _ = try StationInputs.orders(path: path, brands: brands)
        } catch {
            #expect(error.description == "\(path):38500:4: order_date: \"2026-3-01\" is not YYYY-MM-DD")
        }
    }

    /// Names are kept once each, yet as their bytes were: a precomposed `é` and `e` with a combining accent are equal
    /// strings, and each order line still keeps its own spelling.
    @Test func namesKeepTheirOwnBytes() throws {
        let (composed, decomposed) = ("Кліп\u{00E9}", "Кліпe\u{0301}")
        #expect(composed == decomposed)
        var text = StationInputs.orderColumns.joined(separator: ",") + "\n"
        for (i, name) in [composed, decomposed, composed, decomposed].enumerated() {
            text += "O\(i),omega,S\(i),2026-03-01,BOSCH,0 986 452 041,\(name),1,100.00,UAH\n"
        }
        let path = try temporaryFile("orders.csv", Data(text.utf8))
        let (orders, _, _) = try StationInputs.orders(path: path, brands: ["omega": Brands()])
        #expect(
            orders.map { Array($0.name.utf8) } == [composed, decomposed, composed, decomposed].map { Array($0.utf8) })
    }

    /// The file's SHA-256 comes with its lines: a night compares it with the one its stored orders were read from.
    /// The expected digest is `sha256sum`'s of the same bytes.
    @Test func theFilesDigestIsOfItsBytes() throws {
        let text =
            "order_number,supplier,supplier_order_id,order_date,brand,article,name,quantity,unit_price,currency\n"
            + "O1,omega,S1,2026-03-01,BOSCH,0 986 452 041,Filter,1,100.00,UAH\n"
        let path = try temporaryFile("orders.csv", Data(text.utf8))
        let read = try StationInputs.orders(path: path, brands: ["omega": Brands()])
        #expect(read.sha256 == "2063ed9a55c8eba2bb6dcba3d86e30d8c59021a5d767fee866c4faead2b51abc")
    }
}
