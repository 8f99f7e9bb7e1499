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

    static func unordered(_ line: DocumentLine, _ q: Fixed, _ amount: Fixed, _ c: String, language l: Language)
        -> String
    {
        l == .uk
            ? "\(qty(q, l)) шт. на \(money(amount, c, l)) ніколи не замовляли в цього постачальника"
            : "\(qty(q, l)) pcs worth \(money(amount, c, l)) never ordered from this supplier"
    }

    static func returned(_ q: Fixed, _ order: String, language l: Language) -> String {
        l == .uk
            ? "повернено \(qty(q, l)) шт. за замовленням \(order)" : "\(qty(q, l)) pcs returned against order \(order)"
    }

    static func returnedUnreceived(_ q: Fixed, language l: Language) -> String {
        l == .uk
            ? "повернено \(qty(q, l)) шт., яких не отримували" : "\(qty(q, l)) pcs returned that were never received"
    }

    static func duplicate(_ d: Document, language l: Language) -> String {
        l == .uk
            ? "накладну \(d.supplierInvoice) отримано ще раз з іншим змістом на \(money(d.totals.gross, d.currency, l))"
            : "invoice \(d.supplierInvoice) received again with other content, \(money(d.totals.gross, d.currency, l))"
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
            ? "немає курсу \(c) на \(Format.date(d, l)) чи раніше"
            : "no \(c) rate on or before \(Format.date(d, l))"
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
