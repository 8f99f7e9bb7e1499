/// The one plain sentence each finding carries, in the report's language.
enum Notes {
    static func money(_ a: Fixed, _ c: String, _ l: Language) -> String { Format.money(a, c, l) }
    static func qty(_ q: Fixed, _ l: Language) -> String { Format.quantity(q, l) }

    static func matched(_ q: Fixed, _ order: String, language l: Language) -> String {
        l == .uk ? "\(qty(q, l)) шт. за замовленням \(order)" : "\(qty(q, l)) pcs against order \(order)"
    }

    static func price(_ invoice: Fixed, _ order: Fixed, _ q: Fixed, _ c: String, language l: Language) -> String {
        let per = money((invoice - order).r2, c, l)
        let total = money(((invoice - order) * q).r2, c, l)
        return l == .uk
            ? "ціна \(money(invoice.r2, c, l)) проти замовленої \(money(order.r2, c, l)): \(per) за шт., \(total) на \(qty(q, l)) шт."
            : "priced \(money(invoice.r2, c, l)) against \(money(order.r2, c, l)) ordered: \(per) a piece, \(total) on \(qty(q, l)) pcs"
    }

    static func over(_ line: DocumentLine, _ q: Fixed, _ amount: Fixed, _ c: String, language l: Language) -> String {
        l == .uk
            ? "виставлено \(qty(line.quantity.magnitude, l)) шт., понад замовлене \(qty(q, l)) шт. на \(money(amount, c, l))"
            : "invoiced \(qty(line.quantity.magnitude, l)) pcs; \(qty(q, l)) pcs worth \(money(amount, c, l)) over the order"
    }

    /// `otherBrand`: an order of the same search number from this supplier under another brand, where there is one:
    /// most often the same maker under a name `brands.yaml` does not know yet.
    static func unordered(
        _ line: DocumentLine, _ q: Fixed, _ amount: Fixed, _ c: String, otherBrand: OrderLine? = nil,
        language l: Language
    ) -> String {
        var text =
            l == .uk
            ? "\(qty(q, l)) шт. на \(money(amount, c, l)) ніколи не замовляли в цього постачальника"
            : "\(qty(q, l)) pcs worth \(money(amount, c, l)) never ordered from this supplier"
        if let o = otherBrand {
            text +=
                l == .uk
                ? "; цей номер замовлено як \(o.brand) у \(o.orderNumber): якщо це той самий виробник, додайте "
                    + "псевдонім бренду в brands.yaml і перезапустіть період"
                : "; the same number was ordered as \(o.brand) in \(o.orderNumber): if that is the same maker, add the "
                    + "brand alias to brands.yaml and re-run the range"
        }
        return text
    }

    static func returned(_ q: Fixed, _ order: String, language l: Language) -> String {
        l == .uk
            ? "повернено \(qty(q, l)) шт. за замовленням \(order)" : "\(qty(q, l)) pcs returned against order \(order)"
    }

    static func returnedUnreceived(_ q: Fixed, language l: Language) -> String {
        l == .uk
            ? "повернено \(qty(q, l)) шт., яких не отримували" : "\(qty(q, l)) pcs returned that were never received"
    }

    /// A later version `d` of the document first received as `first`: what changed (lines and amounts, at most
    /// five lines named), and the command that accepts this version.
    static func duplicate(_ d: Document, first: Document, supplier: String, language l: Language) -> String {
        let c = d.currency
        var changes: [String] = []
        let before = Dictionary(first.lines.map { ($0.line, $0) }, uniquingKeysWith: { a, _ in a })
        let after = Dictionary(d.lines.map { ($0.line, $0) }, uniquingKeysWith: { a, _ in a })
        let word = l == .uk ? "рядок" : "line"
        for n in Set(before.keys).union(after.keys).sorted() {
            switch (before[n], after[n]) {
            case (let b?, let a?):
                var parts: [String] = []
                if b.quantity != a.quantity {
                    parts.append("\(qty(b.quantity, l)) → \(qty(a.quantity, l)) \(l == .uk ? "шт." : "pcs")")
                }
                if b.unitPriceGross != a.unitPriceGross {
                    parts.append(
                        (l == .uk ? "ціна " : "price ")
                            + "\(money(b.unitPriceGross.r2, c, l)) → \(money(a.unitPriceGross.r2, c, l))")
                }
                if b.amounts.gross != a.amounts.gross && parts.isEmpty {
                    parts.append("\(money(b.amounts.gross, c, l)) → \(money(a.amounts.gross, c, l))")
                }
                if b.brand != a.brand || b.article != a.article {
                    parts.append("\(b.brand) \(b.article) → \(a.brand) \(a.article)")
                }
                if !parts.isEmpty { changes.append("\(word) \(n): " + parts.joined(separator: ", ")) }
            case (nil, let a?):
                changes.append(
                    l == .uk
                        ? "рядок \(n) додано: \(qty(a.quantity, l)) шт. на \(money(a.amounts.gross, c, l))"
                        : "line \(n) added: \(qty(a.quantity, l)) pcs worth \(money(a.amounts.gross, c, l))")
            case (let b?, nil):
                changes.append(
                    l == .uk
                        ? "рядок \(n) прибрано: \(qty(b.quantity, l)) шт. на \(money(b.amounts.gross, c, l))"
                        : "line \(n) removed: \(qty(b.quantity, l)) pcs worth \(money(b.amounts.gross, c, l))")
            case (nil, nil): break
            }
        }
        if changes.count > 5 {
            let more = changes.count - 5
            changes = Array(changes.prefix(5)) + [l == .uk ? "і ще \(more) рядк." : "and \(more) more lines"]
        }
        let totals = "\(money(first.totals.gross, c, l)) → \(money(d.totals.gross, c, l))"
        changes.append((l == .uk ? "разом " : "total ") + totals)
        let command = "nakladna run --date \(d.invoiceDate) --accept \(supplier):\(d.supplierInvoice)"
        return l == .uk
            ? "накладну \(d.supplierInvoice) отримано ще раз з іншим змістом: \(changes.joined(separator: "; ")). "
                + "Прийняти цю версію: \(command)"
            : "invoice \(d.supplierInvoice) received again with other content: \(changes.joined(separator: "; ")). "
                + "To accept this version: \(command)"
    }

    static func total(stated: Fixed, computed: Fixed, currency c: String, language l: Language) -> String {
        l == .uk
            ? "підсумок накладної \(money(stated, c, l)), а сума рядків \(money(computed, c, l))"
            : "the invoice states \(money(stated, c, l)), its lines add up to \(money(computed, c, l))"
    }

    static func foreign(_ actual: String, expected: String, language l: Language) -> String {
        l == .uk
            ? "документ адресовано клієнту \(actual), а не \(expected): не імпортовано"
            : "addressed to customer \(actual), not \(expected): not imported"
    }

    static func missingRate(_ c: String, _ d: CalendarDate, language l: Language) -> String {
        l == .uk
            ? "немає курсу \(c) на \(Format.date(d, l)) чи раніше: додайте курс у rates.csv і перезапустіть період"
            : "no \(c) rate on or before \(Format.date(d, l)): add the rate to rates.csv and re-run the range"
    }

    static func notDelivered(_ o: OrderLine, _ open: Fixed, _ amount: Fixed, to: CalendarDate, language l: Language)
        -> String
    {
        let days = DatePattern.days(from: to) - DatePattern.days(from: o.orderDate)
        return l == .uk
            ? "замовлено \(qty(o.quantity, l)) шт. \(Format.date(o.orderDate, l)), не надійшло \(qty(open, l)) шт. на \(money(amount, o.currency, l)) за \(days) дн."
            : "ordered \(qty(o.quantity, l)) pcs on \(Format.date(o.orderDate, l)); \(qty(open, l)) pcs worth \(money(amount, o.currency, l)) not delivered after \(days) days"
    }

    static func manual(_ o: OrderLine, language l: Language) -> String {
        l == .uk
            ? "постачальник не надсилає накладних: оприбуткувати \(qty(o.quantity, l)) шт. вручну"
            : "the supplier sends no invoices: receive \(qty(o.quantity, l)) pcs by hand"
    }
}
