import Foundation

/// `orders.csv` and `rates.csv`, read into values; a malformed file is a configuration error naming the line
/// and column (exit 2, nothing changed). A cell that looks like a formula is valid data here.
package enum StationInputs {
    package static let orderColumns = [
        "order_number", "supplier", "supplier_order_id", "order_date", "brand", "article", "name", "quantity",
        "unit_price", "currency",
    ]
    package static let rateColumns = ["date", "currency", "rate"]

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
    /// other suppliers are counted, not kept.
    package static func orders(path: String, brands: [String: Brands]) throws(CSVTable.Failure)
        -> (orders: [OrderLine], ignored: Int)
    {
        let table = try CSVTable(text: try read(path), file: path, columns: orderColumns)
        // A year's order lines are checked and keyed on every core, a share each; the first error in the file wins.
        let shares = table.rows.count < 10_000 ? 1 : ProcessInfo.processInfo.activeProcessorCount
        let size = (table.rows.count + shares - 1) / max(shares, 1)
        var orders: [OrderLine] = []
        orders.reserveCapacity(table.rows.count)
        var ignored = 0
        for share in Parallel.map(
            shares,
            { share in
                try orderLines(table, rows: (share * size)..<min(table.rows.count, (share + 1) * size), path, brands)
            })
        {
            switch share {
            case .success(let part):
                orders += part.orders
                ignored += part.ignored
            case .failure(let error as CSVTable.Failure): throw error
            case .failure(let error): throw CSVTable.Failure(file: path, line: 0, column: 0, reason: "\(error)")
            }
        }
        return (orders, ignored)
    }

    /// The order lines of `rows` of the table; an error names the first bad row among them.
    static func orderLines(
        _ table: CSVTable, rows: Range<Int>, _ path: String, _ brands: [String: Brands]
    ) throws(CSVTable.Failure) -> (orders: [OrderLine], ignored: Int) {
        var orders: [OrderLine] = []
        orders.reserveCapacity(rows.count)
        var ignored = 0
        for i in rows {
            let row = table.rows[i]
            let c = row.cells
            func fail(_ column: String, _ reason: String) -> CSVTable.Failure {
                CSVTable.Failure(
                    file: path, line: row.line, column: table.column(column), reason: "\(column): \(reason)")
            }
            let supplier = c[1]
            guard let supplierBrands = brands[supplier] else {
                ignored += 1
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
                    article: c[5], name: c[6], quantity: quantity, unitPrice: price, currency: c[9],
                    key: supplierBrands.articleKey(brand: c[4], article: c[5]), row: i + 1))
        }
        return (orders, ignored)
    }

    package static func rates(path: String, base: String) throws(CSVTable.Failure) -> Rates {
        let table = try CSVTable(text: try read(path), file: path, columns: rateColumns)
        var rows: [(currency: String, date: CalendarDate, rate: Fixed)] = []
        for row in table.rows {
            let c = row.cells
            guard let date = CalendarDate(iso: c[0]) else {
                throw CSVTable.Failure(
                    file: path, line: row.line, column: 1, reason: "date: \"\(c[0])\" is not YYYY-MM-DD")
            }
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
