/// The one plain sentence a finding's note says, in the language of the file or report it is written to. Each ends
/// with what to do next where there is something to do.
extension Note {
    package func text(_ l: Language) -> String {
        var out: [UInt8] = []
        write(l, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The sentence's bytes, appended to `out`: the CSV file and the report write a note where it goes, without a
    /// text of its own (a night after a year writes 83,000 `not_delivered` notes twice).
    package func write(_ l: Language, to out: inout [UInt8]) {
        out += sentence(l).bytes
    }

    private func sentence(_ l: Language) -> Sentence {
        func money(_ a: Fixed, _ c: String) -> Sentence.Piece { .money(a, c, l) }
        func qty(_ q: Fixed) -> Sentence.Piece { .quantity(q, l) }
        let uk = l == .uk
        switch self {
        case .matched(let q, let order):
            return uk ? "\(qty(q)) шт. за замовленням \(order)" : "\(qty(q)) pcs against order \(order)"
        case .price(let invoice, let order, let q, let c):
            let per = money((invoice - order).r2, c)
            let total = money(((invoice - order) * q).r2, c)
            return uk
                ? "ціна \(money(invoice.r2, c)) проти замовленої \(money(order.r2, c)): \(per) за шт., \(total) на \(qty(q)) шт."
                : "priced \(money(invoice.r2, c)) against \(money(order.r2, c)) ordered: \(per) a piece, \(total) on \(qty(q)) pcs"
        case .over(let invoiced, let q, let amount, let c):
            return uk
                ? "виставлено \(qty(invoiced.magnitude)) шт., понад замовлене \(qty(q)) шт. на \(money(amount, c))"
                : "invoiced \(qty(invoiced.magnitude)) pcs; \(qty(q)) pcs worth \(money(amount, c)) over the order"
        case .unordered(let q, let amount, let c, let otherBrand, let otherOrder):
            var text: Sentence =
                uk
                ? "\(qty(q)) шт. на \(money(amount, c)) ніколи не замовляли в цього постачальника"
                : "\(qty(q)) pcs worth \(money(amount, c)) never ordered from this supplier"
            // Most often the same maker under a name `brands.yaml` does not know yet.
            if let brand = otherBrand, let order = otherOrder {
                text +=
                    uk
                    ? "; цей номер замовлено як \(brand) у \(order): якщо це той самий виробник, додайте "
                        + "псевдонім бренду в brands.yaml і перезапустіть період"
                    : "; the same number was ordered as \(brand) in \(order): if that is the same maker, add the "
                        + "brand alias to brands.yaml and re-run the range"
            }
            return text
        case .returned(let q, let order):
            return uk
                ? "повернено \(qty(q)) шт. за замовленням \(order)" : "\(qty(q)) pcs returned against order \(order)"
        case .returnedUnreceived(let q):
            return uk
                ? "повернено \(qty(q)) шт., яких не отримували" : "\(qty(q)) pcs returned that were never received"
        case .duplicate(let d):
            return "\(Note.duplicateText(d, l))"
        case .total(let stated, let computed, let c):
            return uk
                ? "підсумок накладної \(money(stated, c)), а сума рядків \(money(computed, c))"
                : "the invoice states \(money(stated, c)), its lines add up to \(money(computed, c))"
        case .foreign(let actual, let expected):
            return uk
                ? "документ адресовано клієнту \(actual), а не \(expected): не імпортовано"
                : "addressed to customer \(actual), not \(expected): not imported"
        case .missingRate(let c, let d):
            return uk
                ? "немає курсу \(c) на \(.date(d, l)) чи раніше: додайте курс у rates.csv і перезапустіть період"
                : "no \(c) rate on or before \(.date(d, l)): add the rate to rates.csv and re-run the range"
        case .notDelivered(let ordered, let orderDate, let open, let amount, let c, let days):
            return uk
                ? "замовлено \(qty(ordered)) шт. \(.date(orderDate, l)), не надійшло \(qty(open)) шт. на \(money(amount, c)) за \(days) дн."
                : "ordered \(qty(ordered)) pcs on \(.date(orderDate, l)); \(qty(open)) pcs worth \(money(amount, c)) not delivered after \(days) days"
        case .manual(let q):
            return uk
                ? "постачальник не надсилає накладних: оприбуткувати \(qty(q)) шт. вручну"
                : "the supplier sends no invoices: receive \(qty(q)) pcs by hand"
        case .text(let s):
            return "\(s)"
        }
    }

    /// What changed (lines and amounts, at most five lines named), and the command that accepts this version.
    static func duplicateText(_ d: Duplicate, _ l: Language) -> String {
        func money(_ a: Fixed) -> String { Format.money(a, d.currency, l) }
        func qty(_ q: Fixed) -> String { Format.quantity(q, l) }
        let uk = l == .uk
        var changes: [String] = []
        for change in d.lines {
            let n = change.line
            switch (change.before, change.after) {
            case (let b?, let a?):
                var parts: [String] = []
                if b.quantity != a.quantity {
                    parts.append("\(qty(b.quantity)) → \(qty(a.quantity)) \(uk ? "шт." : "pcs")")
                }
                if b.unitPriceGross != a.unitPriceGross {
                    parts.append(
                        (uk ? "ціна " : "price ") + "\(money(b.unitPriceGross.r2)) → \(money(a.unitPriceGross.r2))")
                }
                if b.gross != a.gross && parts.isEmpty { parts.append("\(money(b.gross)) → \(money(a.gross))") }
                if b.brand != a.brand || b.article != a.article {
                    parts.append("\(b.brand) \(b.article) → \(a.brand) \(a.article)")
                }
                if !parts.isEmpty { changes.append("\(uk ? "рядок" : "line") \(n): " + parts.joined(separator: ", ")) }
            case (nil, let a?):
                changes.append(
                    uk
                        ? "рядок \(n) додано: \(qty(a.quantity)) шт. на \(money(a.gross))"
                        : "line \(n) added: \(qty(a.quantity)) pcs worth \(money(a.gross))")
            case (let b?, nil):
                changes.append(
                    uk
                        ? "рядок \(n) прибрано: \(qty(b.quantity)) шт. на \(money(b.gross))"
                        : "line \(n) removed: \(qty(b.quantity)) pcs worth \(money(b.gross))")
            case (nil, nil): break
            }
        }
        if d.more > 0 { changes.append(uk ? "і ще \(d.more) рядк." : "and \(d.more) more lines") }
        changes.append((uk ? "разом " : "total ") + "\(money(d.totalBefore)) → \(money(d.totalAfter))")
        let command = "nakladna run --date \(d.date) --accept \(d.supplier):\(d.invoice)"
        return uk
            ? "накладну \(d.invoice) отримано ще раз з іншим змістом: \(changes.joined(separator: "; ")). "
                + "Прийняти цю версію: \(command)"
            : "invoice \(d.invoice) received again with other content: \(changes.joined(separator: "; ")). "
                + "To accept this version: \(command)"
    }
}

/// A note's sentence as UTF-8, written as its template is interpolated: amounts, quantities and dates go into the
/// bytes as digits, not through a text each.
private struct Sentence: ExpressibleByStringInterpolation {
    var bytes: [UInt8]

    /// An amount, a quantity or a date, as the language writes it.
    enum Piece {
        case money(Fixed, String, Language)
        case quantity(Fixed, Language)
        case date(CalendarDate, Language)
    }

    init(stringLiteral text: String) { bytes = Array(text.utf8) }

    init(stringInterpolation: Interpolation) { bytes = stringInterpolation.bytes }

    static func + (sentence: Sentence, more: Sentence) -> Sentence {
        var joined = sentence
        joined.bytes += more.bytes
        return joined
    }

    static func += (sentence: inout Sentence, more: Sentence) { sentence.bytes += more.bytes }

    struct Interpolation: StringInterpolationProtocol {
        var bytes: [UInt8] = []

        init(literalCapacity: Int, interpolationCount: Int) {
            bytes.reserveCapacity(literalCapacity + 16 * interpolationCount)
        }

        mutating func appendLiteral(_ text: String) { appendInterpolation(text) }

        mutating func appendInterpolation(_ text: String) {
            var text = text
            text.withUTF8 { bytes.append(contentsOf: $0) }
        }

        mutating func appendInterpolation(_ n: Int) { bytes += String(n).utf8 }

        mutating func appendInterpolation(_ piece: Piece) {
            switch piece {
            case .money(let amount, let currency, let l): Format.money(amount, currency, l, to: &bytes)
            case .quantity(let q, let l): Format.quantity(q, l, to: &bytes)
            case .date(let d, let l): Format.date(d, l, to: &bytes)
            }
        }
    }
}
