import Foundation

/// A row read back from a store, by column name, every value as text (nil for NULL): a GRDB row and a PostgreSQL one
/// alike, so that both stores turn rows into values through the same functions.
package protocol StoredRow {
    func text(_ column: String) -> String?
}

extension StoredRow {
    /// A column that is never NULL.
    func string(_ column: String) -> String { text(column) ?? "" }

    func int(_ column: String) -> Int? { text(column).flatMap { Int($0) } }
}

/// Rows back into values, for every store. Amounts are kept as their exact decimal text, never as floating point.
enum StoredRows {
    static func fixed(_ text: String?) throws -> Fixed? {
        guard let text, !text.isEmpty else { return nil }
        return try Fixed(parsing: text)
    }

    static func date(_ text: String) throws -> CalendarDate {
        guard let d = CalendarDate(iso: text) else { throw StoreError("bad date '\(text)' in the database") }
        return d
    }

    static func incDocument(_ row: some StoredRow) throws -> IncDocument {
        let orders = row.string("orders")
        return IncDocument(
            incNumber: row.string("inc_number"), supplier: row.string("supplier"),
            supplierInvoice: row.string("supplier_invoice"),
            kind: DocumentKind(rawValue: row.string("kind")) ?? .invoice,
            invoiceDate: try date(row.string("invoice_date")), currency: row.string("currency"),
            totals: Totals(
                net: try fixed(row.text("net_total")) ?? .zero, vat: try fixed(row.text("vat_total")) ?? .zero,
                gross: try fixed(row.text("gross_total")) ?? .zero),
            rate: try fixed(row.text("rate")), grossTotalBase: try fixed(row.text("gross_total_uah")),
            lines: row.int("lines") ?? 0, status: row.string("status"),
            orders: orders.isEmpty ? [] : orders.split(separator: ";").map(String.init),
            sourceSHA256: row.string("source_sha256"))
    }

    static func incLine(_ row: some StoredRow) throws -> IncLine {
        let orders = row.string("order_number")
        return IncLine(
            incNumber: row.string("inc_number"), line: row.int("line") ?? 0, brand: row.string("brand"),
            article: row.string("article"), supplierCode: row.string("supplier_code"), name: row.string("name"),
            quantity: try fixed(row.text("quantity")), unitPriceGross: try fixed(row.text("unit_price_gross")),
            vatRate: try fixed(row.text("vat_rate")) ?? .zero,
            amounts: Totals(
                net: try fixed(row.text("net_amount")) ?? .zero, vat: try fixed(row.text("vat_amount")) ?? .zero,
                gross: try fixed(row.text("gross_amount")) ?? .zero),
            orderNumbers: orders.isEmpty ? [] : orders.split(separator: ";").map(String.init),
            status: row.string("status"))
    }

    static func finding(_ row: some StoredRow) throws -> Finding {
        let status = row.string("status")
        guard let s = Status(rawValue: status) else { throw StoreError("unknown status '\(status)' in the database") }
        return Finding(
            supplier: row.string("supplier"), supplierInvoice: row.string("supplier_invoice"),
            incNumber: row.string("inc_number"), line: row.int("line"), orderNumber: row.string("order_number"),
            brand: row.string("brand"), article: row.string("article"), status: s,
            orderedQty: try fixed(row.text("ordered_qty")), invoicedQty: try fixed(row.text("invoiced_qty")),
            orderPrice: try fixed(row.text("order_price")), invoicePrice: try fixed(row.text("invoice_price")),
            currency: row.string("currency"), amountAtStake: try fixed(row.text("amount_at_stake")) ?? .zero,
            // The note's values (`Note.stored`), rendered in the page's language; an earlier release stored text.
            note: Note(stored: row.string("note")),
            date: try date(row.string("finding_date")))
    }

    static func feedFile(_ row: some StoredRow) -> FeedFileRecord {
        FeedFileRecord(
            sha256: row.string("sha256"), supplier: row.string("supplier"), name: row.string("name"),
            sequence: row.int("sequence") ?? 0, status: row.string("status"), error: row.string("error"),
            size: row.int("size") ?? 0, documents: row.int("documents") ?? 0)
    }

    static func offer(_ row: some StoredRow) throws -> StoredOffer {
        StoredOffer(
            supplier: row.string("supplier"), asOf: try date(row.string("as_of")),
            item: PriceItem(
                code: row.string("code"), brand: row.string("brand"), article: row.string("article"),
                name: row.string("name"), priced: row.int("priced") == 1, price: try fixed(row.text("price")),
                currency: row.string("currency"), stock: try stock(row.string("stock"))))
    }

    /// Stock as JSON text in the row, readable to an integrator: `[{"branch", "branch_id", "quantity", "at_least"}]`.
    static func stockText(_ stock: [StockLevel]) -> String {
        var s = "["
        for (i, level) in stock.enumerated() {
            s += i == 0 ? "{\"branch\":" : ",{\"branch\":"
            CanonicalJSON.append(level.branch, to: &s)
            s += ",\"branch_id\":"
            CanonicalJSON.append(level.branchId, to: &s)
            s += ",\"quantity\":\"\(level.quantity.description)\",\"at_least\":\(level.atLeast)}"
        }
        return s + "]"
    }

    private struct StoredLevel: Decodable {
        var branch: String
        var branch_id: String
        var quantity: String
        var at_least: Bool
    }

    static func stock(_ text: String) throws -> [StockLevel] {
        try JSONDecoder().decode([StoredLevel].self, from: Data(text.utf8)).map { level in
            StockLevel(
                branch: level.branch, branchId: level.branch_id, quantity: try fixed(level.quantity) ?? .zero,
                atLeast: level.at_least)
        }
    }
}
