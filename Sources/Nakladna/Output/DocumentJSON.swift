import Foundation

/// The canonical documents as `mapping check --format json` prints them (contract.md): every decimal a string,
/// money with 2 decimals, unit prices with 4, quantities and rates in their shortest exact form.
package enum DocumentJSON {
    struct Money: Encodable {
        var net: String
        var vat: String
        var gross: String
    }

    struct Stated: Encodable {
        var net: String?
        var vat: String?
        var gross: String?

        func encode(to encoder: Encoder) throws {
            // `stated` always has its three keys; null where the document says nothing.
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(net, forKey: .net)
            try c.encode(vat, forKey: .vat)
            try c.encode(gross, forKey: .gross)
        }

        enum CodingKeys: String, CodingKey { case net, vat, gross }
    }

    struct Line: Encodable {
        var line: Int
        var brand: String
        var article: String
        var supplier_code: String
        var name: String
        var quantity: String
        var unit_price_gross: String
        var vat_rate: String
        var net_amount: String
        var vat_amount: String
        var gross_amount: String
        var brand_key: String
        var search_number: String
    }

    struct Adjustment: Encodable {
        var reason: String
        var vat_rate: String
        var net_amount: String
        var vat_amount: String
        var gross_amount: String
    }

    struct Doc: Encodable {
        var supplier_invoice: String
        var kind: String
        var invoice_date: String
        var currency: String
        var order_refs: [String]
        var customer_id: String?
        var stated: Stated
        var totals: Money
        var lines: [Line]
        var adjustments: [Adjustment]
    }

    static func money(_ x: Fixed) -> String { x.formatted(places: 2) }

    static func view(_ d: Document, brands: Brands) -> Doc {
        let t = d.totals
        return Doc(
            supplier_invoice: d.supplierInvoice, kind: d.kind.rawValue, invoice_date: d.invoiceDate.description,
            currency: d.currency, order_refs: d.orderRefs, customer_id: d.customerId,
            stated: Stated(
                net: d.stated.net.map(money), vat: d.stated.vat.map(money), gross: d.stated.gross.map(money)),
            totals: Money(net: money(t.net), vat: money(t.vat), gross: money(t.gross)),
            lines: d.lines.map { l in
                Line(
                    line: l.line, brand: l.brand, article: l.article, supplier_code: l.supplierCode, name: l.name,
                    quantity: l.quantity.description, unit_price_gross: l.unitPriceGross.formatted(places: 4),
                    vat_rate: l.vatRate.description, net_amount: money(l.amounts.net),
                    vat_amount: money(l.amounts.vat), gross_amount: money(l.amounts.gross),
                    brand_key: brands.key(l.brand), search_number: ArticleKey.searchNumber(l.article))
            },
            adjustments: d.adjustments.map { a in
                Adjustment(
                    reason: a.reason, vat_rate: a.vatRate.description, net_amount: money(a.amounts.net),
                    vat_amount: money(a.amounts.vat), gross_amount: money(a.amounts.gross))
            })
    }

    /// One JSON array, pretty-printed with sorted keys so that the text is stable.
    package static func render(_ documents: [Document], brands: Brands) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(documents.map { view($0, brands: brands) }) else { return "[]" }
        return String(decoding: data, as: UTF8.self)
    }
}
