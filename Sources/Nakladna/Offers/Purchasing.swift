import Foundation

/// Why `offers`, `code` or `order export` could not answer: a usage or configuration problem (exit 2), or a part
/// the supplier has no code for (exit 1).
package struct PurchasingError: Error, Sendable, CustomStringConvertible {
    package var description: String
    package var exitCode: Int32

    package init(_ description: String, exitCode: Int32 = 2) {
        self.description = description
        self.exitCode = exitCode
    }
}

/// Operations 1–3 of the seed over the database `run` fills: offers across suppliers, a part in a supplier's
/// code, and an order in a supplier's shape.
package struct Purchasing {
    package let config: Config
    package let mappings: [String: Mapping]
    let store: (any ResultStore)?
    /// No database yet: nothing was ever imported.
    package var isEmpty: Bool { store == nil }

    /// Loads the enabled suppliers' mappings and opens the database when there is one (a station that has never
    /// run has no offers, and nothing is created for it).
    package init(config: Config) throws(PurchasingError) {
        self.config = config
        var mappings: [String: Mapping] = [:]
        for supplier in config.suppliers where supplier.enabled {
            do {
                mappings[supplier.id] = try MappingFiles.load(path: supplier.mapping)
            } catch {
                throw PurchasingError(error.description)
            }
        }
        self.mappings = mappings
        do {
            store = try StationStore.openIfRun(config)
        } catch let error as PostgresError {
            throw PurchasingError(error.message)
        } catch {
            throw PurchasingError("\(config.database): \(error)")
        }
    }

    /// The current rows of a part. Each supplier's rows were keyed by its mapping's brand aliases, so the part is
    /// looked up under each supplier's key (one query when, as usual, they share `brands.yaml`).
    func rows(brand: String, article: String) throws(PurchasingError) -> [StoredOffer] {
        guard let store else { return [] }
        var keyOf: [String: ArticleKey] = [:]
        for (supplier, mapping) in mappings {
            keyOf[supplier] = mapping.brands.articleKey(brand: brand, article: article)
        }
        var rows: [StoredOffer] = []
        do {
            for key in Set(keyOf.values).sorted(by: <) {
                rows += try store.offers(of: key).filter { keyOf[$0.supplier] == key }
            }
        } catch {
            throw PurchasingError("\(config.database): \(error)")
        }
        return rows
    }

    /// `nakladna offers`: every enabled supplier's offer for the part, ranked.
    package func offers(
        brand: String, article: String, quantity: Fixed, branch: String?, today: CalendarDate
    ) throws(PurchasingError) -> [Offer] {
        let rates: Rates
        do {
            rates = try StationInputs.rates(path: config.rates, base: config.baseCurrency)
        } catch {
            throw PurchasingError(error.description)
        }
        let enabled = config.suppliers.filter(\.enabled).map(\.id)
        return OfferBook.rank(
            try rows(brand: brand, article: article), suppliers: enabled, rates: rates, quantity: quantity,
            branch: branch, today: today)
    }

    /// `nakladna code`: the part in the supplier's code, from its price feed, cross-reference or rule.
    package func code(supplier: String, brand: String, article: String) throws(PurchasingError)
        -> SupplierCodes.Answer
    {
        let mapping = try self.mapping(supplier)
        let own = try rows(brand: brand, article: article).filter { $0.supplier == supplier }
        return SupplierCodes.code(
            brand: brand, article: article, mapping: mapping, imported: own.isEmpty ? nil : OfferBook.choose(own))
    }

    func mapping(_ supplier: String) throws(PurchasingError) -> Mapping {
        guard let mapping = mappings[supplier] else {
            let known = mappings.keys.sorted().joined(separator: ", ")
            throw PurchasingError("\(config.file): no supplier '\(supplier)' among the enabled ones (\(known))")
        }
        return mapping
    }

    /// `nakladna order export`: the order in `path` (the `orders.csv` columns, one order, one supplier) in the
    /// supplier's own shape. Nothing is sent, and no secret is written.
    package func exportOrder(supplier: String, path: String) throws(PurchasingError) -> String {
        let mapping = try self.mapping(supplier)
        guard let template = mapping.order else {
            throw PurchasingError(
                "\(mapping.file): no 'order' section: the shape of \(supplier)'s orders is not described")
        }
        let lines: [OrderLine]
        let others: Int
        do {
            let read = try StationInputs.orders(path: path, brands: [supplier: mapping.brands])
            (lines, others) = (read.orders, read.ignored.values.reduce(0, +))
        } catch {
            throw PurchasingError(error.description)
        }
        guard others == 0 else {
            throw PurchasingError(
                "\(path): \(others) line(s) for other suppliers; an order file is for \(supplier) alone")
        }
        let numbers = Set(lines.map(\.orderNumber))
        guard numbers.count == 1, let first = lines.first else {
            throw PurchasingError(
                numbers.isEmpty
                    ? "\(path): no order lines"
                    : "\(path): \(numbers.count) orders (\(numbers.sorted().joined(separator: ", "))); one order per file"
            )
        }
        var refused: [String] = []
        var values: [OrderValues] = []
        for line in lines {
            let own = try rows(brand: line.brand, article: line.article).filter { $0.supplier == supplier }
            let chosen = own.isEmpty ? nil : OfferBook.choose(own)
            switch SupplierCodes.code(brand: line.brand, article: line.article, mapping: mapping, imported: chosen) {
            case .missing(let reason):
                refused.append("\(path):\(line.row + 1): \(line.brand) \(line.article): \(reason)")
            case .code(let code, _):
                let stock = own.filter { $0.code == code }.flatMap(\.stock)
                let branch = Purchasing.branch(stock)
                values.append([
                    "code": code, "quantity": line.quantity.description, "branch": branch?.branch,
                    "branch_id": branch.flatMap { $0.branchId.isEmpty ? nil : $0.branchId },
                    "brand": line.brand, "article": line.article, "name": line.name,
                ])
            }
        }
        guard refused.isEmpty else {
            throw PurchasingError(
                "\(supplier) has no code for:\n" + refused.joined(separator: "\n") + "\nnothing was written",
                exitCode: 1)
        }
        var order: OrderValues = [
            "order_number": first.orderNumber, "order_date": first.orderDate.description,
            "supplier_order_id": first.supplierOrderId,
        ]
        // Identifiers only: the configuration keeps secrets apart, so none can reach an order file.
        for (key, value) in config.supplier(supplier)?.identifiers ?? [:] { order["credential.\(key)"] = value }
        do {
            return try template.render(order: order, lines: values)
        } catch {
            throw PurchasingError("\(mapping.file): \(error.description)")
        }
    }

    /// The branch to order from: the most stock (an "at least" quantity counts as that many); ties, and all
    /// zero, go to the branch name first in code point order. Nil when the newest file lists no stock.
    static func branch(_ stock: [StockLevel]) -> StockLevel? {
        stock.min { a, b in
            if a.quantity != b.quantity { return b.quantity < a.quantity }
            return a.branch.unicodeScalars.lexicographicallyPrecedes(b.branch.unicodeScalars)
        }
    }
}

extension Offer {
    /// The `--format json` shape of `nakladna offers`; decimals are strings.
    package static func json(_ offers: [Offer]) -> String {
        var s = "["
        for (i, o) in offers.enumerated() {
            s += i == 0 ? "\n  {" : ",\n  {"
            s += "\"supplier\": "
            CanonicalJSON.append(o.supplier, to: &s)
            s += ", \"supplier_code\": "
            CanonicalJSON.append(o.supplierCode, to: &s)
            s += ", \"price\": " + (o.price.map { "\"\($0.formatted(places: 2))\"" } ?? "null")
            s += ", \"currency\": "
            if o.currency.isEmpty { s += "null" } else { CanonicalJSON.append(o.currency, to: &s) }
            s += ", \"price_uah\": " + (o.priceBase.map { "\"\($0.formatted(places: 2))\"" } ?? "null")
            s += ", \"as_of\": \"\(o.asOf)\", \"stale\": \(o.stale), \"stock\": ["
            for (j, level) in o.stock.enumerated() {
                s += j == 0 ? "{\"branch\": " : ", {\"branch\": "
                CanonicalJSON.append(level.branch, to: &s)
                s += ", \"quantity\": \"\(level.quantity.description)\", \"at_least\": \(level.atLeast)}"
            }
            s += "]}"
        }
        return s + (offers.isEmpty ? "]" : "\n]")
    }

    /// A table for people: cheapest first, with the stock per branch and the age of the data.
    package static func text(_ offers: [Offer], part: String, quantity: Fixed, base: String) -> String {
        guard !offers.isEmpty else { return "no supplier offers \(part)" }
        var rows = [["supplier", "code", "price", "in \(base)", "as of", "stock"]]
        for o in offers {
            let stock = o.stock.map { "\($0.branch) \($0.atLeast ? "≥" : "")\($0.quantity)" }.joined(separator: ", ")
            rows.append([
                o.supplier, o.supplierCode,
                o.price.map { "\($0.formatted(places: 2)) \(o.currency)" } ?? "on request",
                o.priceBase.map { $0.formatted(places: 2) } ?? (o.price == nil ? "-" : "no rate"),
                o.asOf.description + (o.stale ? " (stale)" : ""),
                (stock.isEmpty ? "none listed" : stock) + (o.covers ? "" : "  (does not cover \(quantity))"),
            ])
        }
        var widths = [Int](repeating: 0, count: rows[0].count)
        for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
        let lines = rows.map { row in
            row.enumerated().map { i, cell in
                i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count)
            }.joined(separator: "  ")
        }
        return "\(part), \(quantity) wanted\n" + lines.joined(separator: "\n")
    }
}
