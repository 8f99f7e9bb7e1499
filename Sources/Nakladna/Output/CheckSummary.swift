/// One line per document for `mapping check --format text`.
package enum CheckSummary {
    package static func line(_ d: Document) -> String {
        let t = d.totals
        let stated = d.stated.gross.map { " (stated \($0.formatted(places: 2)))" } ?? ""
        let refs = d.orderRefs.isEmpty ? "" : ", orders \(d.orderRefs.joined(separator: ";"))"
        return "\(d.supplierInvoice) \(d.kind.rawValue) \(d.invoiceDate) \(d.currency): \(d.lines.count) line(s), "
            + "net \(t.net.formatted(places: 2)), VAT \(t.vat.formatted(places: 2)), "
            + "gross \(t.gross.formatted(places: 2))\(stated)\(refs)"
    }
}
