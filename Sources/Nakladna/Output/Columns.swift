/// The contract's output columns (`contract.md`, "Outputs"), one place for the CSV files and the database.
package enum Columns {
    package static let incDocuments = [
        "inc_number", "supplier", "supplier_invoice", "kind", "invoice_date", "currency", "net_total", "vat_total",
        "gross_total", "rate", "gross_total_uah", "lines", "status", "orders", "source_sha256",
    ]
    package static let incLines = [
        "inc_number", "line", "brand", "article", "supplier_code", "name", "quantity", "unit_price_gross", "vat_rate",
        "net_amount", "vat_amount", "gross_amount", "order_number", "status",
    ]
    package static let reconciliation = [
        "supplier", "supplier_invoice", "inc_number", "line", "order_number", "brand", "article", "status",
        "ordered_qty", "invoiced_qty", "order_price", "invoice_price", "currency", "amount_at_stake", "note",
    ]

    static func money(_ x: Fixed?) -> CSVCell { x.map { .number($0.formatted(places: 2)) } ?? .empty }
    static func price(_ x: Fixed?) -> CSVCell { x.map { .number($0.formatted(places: 4)) } ?? .empty }
    static func exact(_ x: Fixed?) -> CSVCell { x.map { .number($0.description) } ?? .empty }
    static func int(_ x: Int?) -> CSVCell { x.map { .number(String($0)) } ?? .empty }
    static func text(_ s: String) -> CSVCell { .text(s) }

    package static func incDocument(_ d: IncDocument) -> [CSVCell] {
        [
            text(d.incNumber), text(d.supplier), text(d.supplierInvoice), text(d.kind.rawValue),
            text(d.invoiceDate.description), text(d.currency), money(d.totals.net), money(d.totals.vat),
            money(d.totals.gross), exact(d.rate), money(d.grossTotalBase), int(d.lines), text(d.status),
            text(d.orders.joined(separator: ";")), text(d.sourceSHA256),
        ]
    }

    package static func incLine(_ l: IncLine) -> [CSVCell] {
        [
            text(l.incNumber), int(l.line), text(l.brand), text(l.article), text(l.supplierCode), text(l.name),
            exact(l.quantity), price(l.unitPriceGross), exact(l.vatRate), money(l.amounts.net), money(l.amounts.vat),
            money(l.amounts.gross), text(l.orderNumbers.joined(separator: ";")), text(l.status),
        ]
    }

    package static func finding(_ f: Finding) -> [CSVCell] {
        [
            text(f.supplier), text(f.supplierInvoice), text(f.incNumber), int(f.line), text(f.orderNumber),
            text(f.brand), text(f.article), text(f.status.rawValue), exact(f.orderedQty), exact(f.invoicedQty),
            price(f.orderPrice), price(f.invoicePrice), text(f.currency), money(f.amountAtStake), text(f.note),
        ]
    }
}

extension CSVCell {
    /// The cell as the database keeps it: the exact text, or NULL when empty.
    var databaseText: String? {
        switch self {
        case .empty: return nil
        case .text(let t): return t
        case .number(let n): return n
        }
    }
}
