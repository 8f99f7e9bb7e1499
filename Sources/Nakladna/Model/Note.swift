/// What a finding's note says, as values: the facts each sentence names, and nothing of its words. The words are
/// chosen when the note is written, in the language of the file or report it goes to (`Note.text(_:)`), so a
/// stored range can be rendered in any language.
/// Indirect: a finding holds one pointer, not the largest case's values inline (a year has 700,000 findings, sorted
/// and copied whole).
package indirect enum Note: Sendable, Hashable {
    /// `quantity` taken from the open order `order`.
    case matched(quantity: Fixed, order: String)
    /// Unit prices, gross, and the quantity taken at that price.
    case price(invoice: Fixed, order: Fixed, quantity: Fixed, currency: String)
    /// `invoiced` on the line, of which `quantity` worth `amount` is over the order.
    case over(invoiced: Fixed, quantity: Fixed, amount: Fixed, currency: String)
    /// Never ordered; `otherBrand`/`otherOrder` name an order of the same number under another brand, where there is.
    case unordered(quantity: Fixed, amount: Fixed, currency: String, otherBrand: String?, otherOrder: String?)
    case returned(quantity: Fixed, order: String)
    case returnedUnreceived(quantity: Fixed)
    /// A later version of a document: what changed from the version in force, and how to accept this one.
    case duplicate(Duplicate)
    case total(stated: Fixed, computed: Fixed, currency: String)
    case foreign(actual: String, expected: String)
    case missingRate(currency: String, date: CalendarDate)
    case notDelivered(
        ordered: Fixed, orderDate: CalendarDate, open: Fixed, amount: Fixed, currency: String, days: Int)
    case manual(quantity: Fixed)
    /// A note stored as text by a release before notes were values: shown as it was written.
    case text(String)

    /// A document version against the one in force.
    package struct Duplicate: Sendable, Hashable {
        package var supplier: String
        package var invoice: String
        package var date: CalendarDate
        package var currency: String
        package var totalBefore: Fixed
        package var totalAfter: Fixed
        /// The first lines that differ, at most `Duplicate.shown`.
        package var lines: [LineChange]
        /// How many more lines differ.
        package var more: Int

        /// How many changed lines a note names.
        package static let shown = 5
    }

    /// One line number in both versions: its side before and after (nil where the version lacks it).
    package struct LineChange: Sendable, Hashable {
        package var line: Int
        package var before: Side?
        package var after: Side?
    }

    /// What a note says of a line in one version.
    package struct Side: Sendable, Hashable {
        package var quantity: Fixed
        package var unitPriceGross: Fixed
        package var gross: Fixed
        package var brand: String
        package var article: String

        package init(_ line: DocumentLine) {
            self.init(
                quantity: line.quantity, unitPriceGross: line.unitPriceGross, gross: line.amounts.gross,
                brand: line.brand, article: line.article)
        }

        package init(quantity: Fixed, unitPriceGross: Fixed, gross: Fixed, brand: String, article: String) {
            self.quantity = quantity
            self.unitPriceGross = unitPriceGross
            self.gross = gross
            self.brand = brand
            self.article = article
        }
    }
}

extension Note.Duplicate {
    /// Version `d` of the document first received (or accepted) as `inForce`: the lines whose quantity, price,
    /// amount, brand or article differ, or that only one of the two has.
    package init(_ d: Document, inForce first: Document, supplier: String) {
        let before = Dictionary(first.lines.map { ($0.line, $0) }, uniquingKeysWith: { a, _ in a })
        let after = Dictionary(d.lines.map { ($0.line, $0) }, uniquingKeysWith: { a, _ in a })
        var changed: [Note.LineChange] = []
        for n in Set(before.keys).union(after.keys).sorted() {
            let (b, a) = (before[n].map(Note.Side.init), after[n].map(Note.Side.init))
            if let b, let a,
                b.quantity == a.quantity && b.unitPriceGross == a.unitPriceGross && b.gross == a.gross
                    && b.brand == a.brand && b.article == a.article
            {
                continue
            }
            changed.append(Note.LineChange(line: n, before: b, after: a))
        }
        self.init(
            supplier: supplier, invoice: d.supplierInvoice, date: d.invoiceDate, currency: d.currency,
            totalBefore: first.totals.gross, totalAfter: d.totals.gross, lines: Array(changed.prefix(Self.shown)),
            more: max(0, changed.count - Self.shown))
    }
}

// MARK: - Stored form

/// The note's values as one text for the database's `note` column: a tag and its fields (`StoredFields`).
extension Note {
    package var stored: String {
        var bytes: [UInt8] = []
        writeStored(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `stored`, appended as UTF-8.
    package func writeStored(to out: inout [UInt8]) {
        if case .text(let s) = self { return out += s.utf8 }
        StoredFields.append(to: &out) { w in writeStored(to: &w) }
    }

    private func writeStored(to w: inout StoredFields) {
        switch self {
        case .matched(let q, let order): w.add("matched", q, order)
        case .price(let invoice, let order, let q, let c): w.add("price", invoice, order, q, c)
        case .over(let invoiced, let q, let amount, let c): w.add("over", invoiced, q, amount, c)
        case .unordered(let q, let amount, let c, let brand, let order):
            w.add("unordered", q, amount, c)
            if let brand, let order { w.add(brand, order) }
        case .returned(let q, let order): w.add("returned", q, order)
        case .returnedUnreceived(let q): w.add("returned_unreceived", q)
        case .duplicate(let d):
            w.add("duplicate", d.supplier, d.invoice, d.date, d.currency, d.totalBefore, d.totalAfter, d.more)
            for change in d.lines {
                w.add(change.line)
                for side in [change.before, change.after] {
                    if let s = side {
                        w.add("+", s.quantity, s.unitPriceGross, s.gross, s.brand, s.article)
                    } else {
                        w.add("-")
                    }
                }
            }
        case .total(let stated, let computed, let c): w.add("total", stated, computed, c)
        case .foreign(let actual, let expected): w.add("foreign", actual, expected)
        case .missingRate(let c, let date): w.add("missing_rate", c, date)
        case .notDelivered(let ordered, let orderDate, let open, let amount, let c, let days):
            w.add("not_delivered", ordered, orderDate, open, amount, c, days)
        case .manual(let q): w.add("manual", q)
        case .text: break  // written as it is, by the caller
        }
    }

    /// The note whose stored form is `text`; a text that is not one (a note of an earlier release) is `.text`.
    package init(stored text: String) {
        var r = FieldReader(text)
        self = r.note() ?? .text(text)
    }
}

/// Reads the stored form back; nil where a field is missing, left over, or not what its place holds.
private struct FieldReader {
    var fields: [String]
    var next = 0

    init(_ text: String) {
        fields = StoredFields.split(text) ?? []
    }

    var atEnd: Bool { next == fields.count }

    mutating func string() -> String? {
        guard next < fields.count else { return nil }
        next += 1
        return fields[next - 1]
    }

    mutating func fixed() -> Fixed? { string().flatMap { try? Fixed(parsing: $0) } }
    mutating func int() -> Int? { string().flatMap { Int($0) } }
    mutating func date() -> CalendarDate? { string().flatMap { CalendarDate(iso: $0) } }

    mutating func side() -> Note.Side?? {
        switch string() {
        case "-": return .some(nil)
        case "+":
            guard let q = fixed(), let p = fixed(), let g = fixed(), let b = string(), let a = string() else {
                return nil
            }
            return .some(Note.Side(quantity: q, unitPriceGross: p, gross: g, brand: b, article: a))
        default: return nil
        }
    }

    mutating func note() -> Note? {
        guard let tag = string() else { return nil }
        let note: Note?
        switch tag {
        case "matched":
            note = fixed().flatMap { q in string().map { .matched(quantity: q, order: $0) } }
        case "price":
            guard let i = fixed(), let o = fixed(), let q = fixed(), let c = string() else { return nil }
            note = .price(invoice: i, order: o, quantity: q, currency: c)
        case "over":
            guard let i = fixed(), let q = fixed(), let a = fixed(), let c = string() else { return nil }
            note = .over(invoiced: i, quantity: q, amount: a, currency: c)
        case "unordered":
            guard let q = fixed(), let a = fixed(), let c = string() else { return nil }
            var brand: String?
            var order: String?
            if !atEnd {
                guard let b = string(), let o = string() else { return nil }
                (brand, order) = (b, o)
            }
            note = .unordered(quantity: q, amount: a, currency: c, otherBrand: brand, otherOrder: order)
        case "returned":
            note = fixed().flatMap { q in string().map { .returned(quantity: q, order: $0) } }
        case "returned_unreceived":
            note = fixed().map { .returnedUnreceived(quantity: $0) }
        case "duplicate":
            guard let s = string(), let i = string(), let d = date(), let c = string(), let b = fixed(),
                let a = fixed(), let more = int()
            else { return nil }
            var lines: [Note.LineChange] = []
            while !atEnd {
                guard let n = int(), let before = side(), let after = side() else { return nil }
                lines.append(Note.LineChange(line: n, before: before, after: after))
            }
            note = .duplicate(
                Note.Duplicate(
                    supplier: s, invoice: i, date: d, currency: c, totalBefore: b, totalAfter: a, lines: lines,
                    more: more))
        case "total":
            guard let s = fixed(), let c = fixed(), let cur = string() else { return nil }
            note = .total(stated: s, computed: c, currency: cur)
        case "foreign":
            guard let a = string(), let e = string() else { return nil }
            note = .foreign(actual: a, expected: e)
        case "missing_rate":
            guard let c = string(), let d = date() else { return nil }
            note = .missingRate(currency: c, date: d)
        case "not_delivered":
            guard let o = fixed(), let d = date(), let open = fixed(), let a = fixed(), let c = string(),
                let days = int()
            else { return nil }
            note = .notDelivered(ordered: o, orderDate: d, open: open, amount: a, currency: c, days: days)
        case "manual":
            note = fixed().map { .manual(quantity: $0) }
        default:
            return nil
        }
        return atEnd ? note : nil
    }
}
