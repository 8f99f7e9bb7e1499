import Foundation

/// A calendar date (`YYYY-MM-DD`), as the contract writes dates.
package struct CalendarDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    package var year: Int { Int(storedYear) }
    package var month: Int { Int(storedMonth) }
    package var day: Int { Int(storedDay) }
    // Held in 8 bytes, not three `Int`s' 24: every order line, finding and movement has a date, and a year of them
    // is held at once.
    private var storedYear: Int32
    private var storedMonth: Int16
    private var storedDay: Int16

    package init(year: Int, month: Int, day: Int) {
        storedYear = Int32(year)
        storedMonth = Int16(month)
        storedDay = Int16(day)
    }

    /// Parses `YYYY-MM-DD`, refusing days that do not exist (`2026-02-31`).
    package init?(iso text: some StringProtocol) {
        self.init(isoBytes: text.utf8)
    }

    /// The same, from UTF-8 bytes.
    package init?(isoBytes: some Sequence<UInt8>) {
        // Byte by byte, four digits, two and two: a year of orders has a date on every line.
        var fields = (0, 0, 0)
        var field = 0
        var width = 0
        for b in isoBytes {
            if b == 0x2D {
                guard field < 2, width == (field == 0 ? 4 : 2) else { return nil }
                field += 1
                width = 0
                continue
            }
            guard b >= 0x30 && b <= 0x39, width < (field == 0 ? 4 : 2) else { return nil }
            let digit = Int(b - 0x30)
            switch field {
            case 0: fields.0 = fields.0 * 10 + digit
            case 1: fields.1 = fields.1 * 10 + digit
            default: fields.2 = fields.2 * 10 + digit
            }
            width += 1
        }
        guard field == 2, width == 2, CalendarDate.isValid(year: fields.0, month: fields.1, day: fields.2) else {
            return nil
        }
        self.init(year: fields.0, month: fields.1, day: fields.2)
    }

    /// Today's date in `zone`.
    package static func today(in zone: TimeZone, now: Date = Date()) -> CalendarDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day], from: now)
        return CalendarDate(year: c.year ?? 1970, month: c.month ?? 1, day: c.day ?? 1)
    }

    package static func isValid(year: Int, month: Int, day: Int) -> Bool {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1 else { return false }
        return day <= daysIn(year: year, month: month)
    }

    package static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    package static func < (a: CalendarDate, b: CalendarDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    package var description: String {
        var bytes: [UInt8] = []
        write(separator: 0x2D, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `YYYY-MM-DD`, or `YYYYMMDD` with no `separator`: the bytes of every date cell and INC number.
    package func write(separator: UInt8?, to out: inout [UInt8]) {
        CalendarDate.append(year, width: 4, to: &out)
        if let separator { out.append(separator) }
        CalendarDate.append(month, width: 2, to: &out)
        if let separator { out.append(separator) }
        CalendarDate.append(day, width: 2, to: &out)
    }

    /// `value` in `width` (4 or 2) digits, zero-padded; as it is where it does not fit. Each digit is divided out by
    /// a constant, which compiles to a multiplication, not by a divisor held in a variable: the files and the
    /// database of a night after years hold hundreds of thousands of dates.
    private static func append(_ value: Int, width: Int, to out: inout [UInt8]) {
        guard value >= 0, value < (width == 4 ? 10_000 : 100) else { return out += String(value).utf8 }
        if width == 4 {
            out.append(UInt8(truncatingIfNeeded: value / 1000) + 0x30)
            out.append(UInt8(truncatingIfNeeded: value / 100 % 10) + 0x30)
        }
        out.append(UInt8(truncatingIfNeeded: value / 10 % 10) + 0x30)
        out.append(UInt8(truncatingIfNeeded: value % 10) + 0x30)
    }
}

/// Whether a document delivers goods or takes them back.
package enum DocumentKind: String, Sendable, Hashable, Codable {
    case invoice
    case `return`
}

/// What a document itself says its totals are; nil where it says nothing.
package struct StatedTotals: Sendable, Hashable, Codable {
    package var net: Fixed?
    package var vat: Fixed?
    package var gross: Fixed?

    package init(net: Fixed? = nil, vat: Fixed? = nil, gross: Fixed? = nil) {
        self.net = net
        self.vat = vat
        self.gross = gross
    }
}

/// Net, VAT and gross amounts, each to the kopeck.
package struct Totals: Sendable, Hashable, Codable {
    package var net: Fixed
    package var vat: Fixed
    package var gross: Fixed

    package static let zero = Totals(net: .zero, vat: .zero, gross: .zero)

    package init(net: Fixed, vat: Fixed, gross: Fixed) {
        self.net = net
        self.vat = vat
        self.gross = gross
    }

    package static func + (a: Totals, b: Totals) -> Totals {
        Totals(net: a.net + b.net, vat: a.vat + b.vat, gross: a.gross + b.gross)
    }
}

/// One line of a canonical document.
package struct DocumentLine: Sendable, Hashable, Codable {
    /// The 1-based position in the supplier's own line order.
    package var line: Int
    /// As the supplier wrote it, or `""`.
    package var brand: String
    /// As the supplier wrote it, or `""`.
    package var article: String
    package var supplierCode: String
    package var name: String
    /// Positive: goods moving the document's way.
    package var quantity: Fixed
    /// Exact; written rounded to 4 decimals.
    package var unitPriceGross: Fixed
    package var vatRate: Fixed
    package var amounts: Totals

    package init(
        line: Int, brand: String, article: String, supplierCode: String, name: String, quantity: Fixed,
        unitPriceGross: Fixed, vatRate: Fixed, amounts: Totals
    ) {
        self.line = line
        self.brand = brand
        self.article = article
        self.supplierCode = supplierCode
        self.name = name
        self.quantity = quantity
        self.unitPriceGross = unitPriceGross
        self.vatRate = vatRate
        self.amounts = amounts
    }
}

/// A document-level charge (positive) or allowance (negative); never allocated.
package struct Adjustment: Sendable, Hashable, Codable {
    package var reason: String
    package var vatRate: Fixed
    package var amounts: Totals

    package init(reason: String, vatRate: Fixed, amounts: Totals) {
        self.reason = reason
        self.vatRate = vatRate
        self.amounts = amounts
    }
}

/// The one model every supplier format is mapped into, and that reconciliation reads.
package struct Document: Sendable, Hashable, Codable {
    package var supplierInvoice: String
    package var kind: DocumentKind
    /// The Kyiv calendar date of the invoice.
    package var invoiceDate: CalendarDate
    /// ISO 4217.
    package var currency: String
    /// The supplier's order ids the document refers to.
    package var orderRefs: [String]
    /// The customer the document is addressed to, where the feed says.
    package var customerId: String?
    package var stated: StatedTotals
    package var lines: [DocumentLine]
    package var adjustments: [Adjustment]

    package init(
        supplierInvoice: String, kind: DocumentKind, invoiceDate: CalendarDate, currency: String,
        orderRefs: [String], customerId: String?, stated: StatedTotals, lines: [DocumentLine],
        adjustments: [Adjustment]
    ) {
        self.supplierInvoice = supplierInvoice
        self.kind = kind
        self.invoiceDate = invoiceDate
        self.currency = currency
        self.orderRefs = orderRefs
        self.customerId = customerId
        self.stated = stated
        self.lines = lines
        self.adjustments = adjustments
    }

    /// Computed: the lines plus the adjustments.
    package var totals: Totals {
        var t = Totals.zero
        for l in lines { t = t + l.amounts }
        for a in adjustments { t = t + a.amounts }
        return t
    }
}
