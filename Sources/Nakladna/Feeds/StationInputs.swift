import Foundation

/// `orders.csv` and `rates.csv`, read into values; a malformed file is a configuration error naming the line
/// and column (exit 2, nothing changed). A cell that looks like a formula is valid data here.
package enum StationInputs {
    package static let orderColumns = [
        "order_number", "supplier", "supplier_order_id", "order_date", "brand", "article", "name", "quantity",
        "unit_price", "currency",
    ]
    package static let rateColumns = ["date", "currency", "rate"]

    /// The station's own files come from Excel: one that is not UTF-8 was most likely saved as windows-1251.
    static func withHint(_ failure: CSVTable.Failure) -> CSVTable.Failure {
        guard failure.reason == CSVScanner.notUTF8 else { return failure }
        var hinted = failure
        hinted.reason += " (saved as windows-1251?): in Excel, save the file as \"CSV UTF-8\""
        return hinted
    }

    static func read(_ path: String) throws(CSVTable.Failure) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CSVTable.Failure(file: path, line: 0, column: 0, reason: "cannot read the file")
        }
        guard let text = data.withUnsafeBytes({ String(validUTF8: $0) }) else {
            throw CSVTable.Failure(file: path, line: 0, column: 0, reason: "the file is not UTF-8")
        }
        return text
    }

    /// The order lines of the configured suppliers, with their article keys by each supplier's brands; lines of
    /// other suppliers are counted by supplier id, not kept. With them, the SHA-256 of the file's bytes: a night
    /// whose `orders.csv` is the one the stored orders were read from need not compare them day by day (`Replay`).
    package static func orders(path: String, brands: [String: Brands]) throws(CSVTable.Failure)
        -> (orders: [OrderLine], ignored: [String: Int], sha256: String)
    {
        let file: MappedFile
        do {
            file = try MappedFile(path: path)
        } catch {
            throw CSVTable.Failure(file: path, line: 0, column: 0, reason: "cannot read the file")
        }
        // A year's orders are scanned, checked and keyed on every core, a share of the file each, into one array.
        var orders: [OrderLine]
        let shares: [(count: Int, result: (ignored: [String: Int], rows: Int))]
        let sha256: String
        do {
            // Taken apart at once, so that the lines are held by `orders` alone and numbered below in place.
            (orders, shares, sha256) = try file.withBytes { all in
                nonisolated(unsafe) let all = all
                // Hashed on another core while the file is cut into shares (each a pass over its 60 MB after a year),
                // and waited for on every way out, before the bytes are let go.
                let hashing = Background { SHA256Hex.of(all) }
                defer { _ = try? hashing.value() }
                // More shares than cores, taken by whichever core is free: the hashing above takes a core's time
                // too, and with one share a core, the core that shares with it finished 0.25 s after the other.
                let cores = ProcessInfo.processInfo.activeProcessorCount
                let parts = CSVScanner.shares(of: all, count: all.count < 1 << 20 ? 1 : cores * 4)
                let separator = CSVScanner.separator(of: all)
                // A share holds no more rows than it has line breaks, and one more: counted on every core too
                // (50 -> 20 ms on the year's orders.csv).
                let bounds = try Parallel.map(parts.count) { k in
                    var breaks = 1
                    for byte in UnsafeRawBufferPointer(rebasing: all[parts[k].range]) {
                        breaks &+= byte == 0x0A || byte == 0x0D ? 1 : 0
                    }
                    return breaks
                }.map { try $0.get() }
                let (lines, shares) = try Parallel.fill(bounds: bounds) { k, lines in
                    try orderLines(
                        UnsafeRawBufferPointer(rebasing: all[parts[k].range]), line: parts[k].line, header: k == 0,
                        separator: separator, path, brands, into: lines)
                }
                return (lines, shares, try hashing.value())
            }
        } catch let error as CSVTable.Failure {
            // The first error in the file wins: a share's error is its first, and the shares are in file order.
            throw withHint(error)
        } catch {
            throw CSVTable.Failure(file: path, line: 0, column: 0, reason: "\(error)")
        }
        var ignored: [String: Int] = [:]
        var (first, rows) = (0, 0)
        for share in shares {
            // A share numbers its rows from 1; `row` counts the file's data rows.
            if rows > 0 {
                for i in first..<first + share.count { orders[i].row += rows }
            }
            first += share.count
            rows += share.result.rows
            ignored.merge(share.result.ignored, uniquingKeysWith: +)
        }
        return (orders, ignored, sha256)
    }

    /// The order lines in a share of `orders.csv` that begins on `line` (the first share with the header), appended
    /// to `orders`; returns the share's lines of other suppliers by supplier id and its count of data rows. An error
    /// names the first bad row among them.
    static func orderLines(
        _ bytes: UnsafeRawBufferPointer, line: Int, header: Bool, separator: UInt8, _ path: String,
        _ brands: [String: Brands], into orders: Parallel.Filler<OrderLine>
    ) throws(CSVTable.Failure) -> (ignored: [String: Int], rows: Int) {
        var scanner = CSVScanner(bytes: bytes, separator: separator, file: path, line: line)
        if header { _ = try CSVTable.header(try scanner.next(), columns: orderColumns, file: path) }
        var ignored: [String: Int] = [:]
        var rows = 0
        // A part's name repeats on every order of it, and is longer than a string holds in place (41 MB of a
        // year's names, heaptrack): each is kept once.
        var names = TextPool()
        while let row = try scanner.next() {
            try CSVTable.check(row, columns: orderColumns, file: path)
            rows += 1
            let c = row.cells
            func fail(_ column: String, _ reason: String) -> CSVTable.Failure {
                CSVTable.Failure(
                    file: path, line: row.line, column: (orderColumns.firstIndex(of: column) ?? 0) + 1,
                    reason: "\(column): \(reason)")
            }
            let supplier = c[1]
            guard let supplierBrands = brands[supplier] else {
                ignored[supplier, default: 0] += 1
                continue
            }
            guard !c[0].isEmpty else { throw fail("order_number", "empty") }
            guard let date = CalendarDate(iso: c[3]) else { throw fail("order_date", "\"\(c[3])\" is not YYYY-MM-DD") }
            let quantity: Fixed
            let price: Fixed
            do {
                quantity = try Fixed(parsing: c[7])
            } catch {
                throw fail("quantity", error.description)
            }
            do {
                price = try Fixed(parsing: c[8])
            } catch {
                throw fail("unit_price", error.description)
            }
            guard quantity > .zero else { throw fail("quantity", "must be more than 0") }
            guard !c[9].isEmpty else { throw fail("currency", "empty") }
            orders.append(
                OrderLine(
                    orderNumber: c[0], supplier: supplier, supplierOrderId: c[2], orderDate: date, brand: c[4],
                    article: c[5], name: names.intern(c[6]), quantity: quantity, unitPrice: price,
                    currency: c[9],
                    key: supplierBrands.articleKey(brand: c[4], article: c[5]), row: rows))
        }
        return (ignored, rows)
    }

    /// The station's rates: its `rates.csv`, or none for a station that buys in hryvnias only (no `rates` key and no
    /// file).
    package static func rates(of config: Config) throws(CSVTable.Failure) -> Rates {
        guard config.hasRates else { return Rates(base: config.baseCurrency, rows: []) }
        return try rates(path: config.rates, base: config.baseCurrency)
    }

    package static func rates(path: String, base: String) throws(CSVTable.Failure) -> Rates {
        let table: CSVTable
        do {
            table = try CSVTable(text: try read(path), file: path, columns: rateColumns)
        } catch {
            throw withHint(error)
        }
        var rows: [(currency: String, date: CalendarDate, rate: Fixed)] = []
        // Two rates for one currency and day: which one an invoice gets would depend on the row order.
        var lineOf: [String: (line: Int, rate: String)] = [:]
        for row in table.rows {
            let c = row.cells
            guard let date = CalendarDate(iso: c[0]) else {
                throw CSVTable.Failure(
                    file: path, line: row.line, column: 1, reason: "date: \"\(c[0])\" is not YYYY-MM-DD")
            }
            if let first = lineOf["\(c[1]) \(date)"] {
                throw CSVTable.Failure(
                    file: path, line: row.line, column: 3,
                    reason: "\(c[1]) has two rates on \(date): \(first.rate) on line \(first.line) and \(c[2]) on line "
                        + "\(row.line); keep one")
            }
            lineOf["\(c[1]) \(date)"] = (row.line, c[2])
            do {
                let rate = try Fixed(parsing: c[2])
                guard rate > .zero else { throw NumberError.notANumber(c[2]) }
                rows.append((c[1], date, rate))
            } catch {
                throw CSVTable.Failure(file: path, line: row.line, column: 3, reason: "rate: \(error)")
            }
        }
        return Rates(base: base, rows: rows)
    }
}
