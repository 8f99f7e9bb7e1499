import Foundation

/// The language of the report and of the notes: Ukrainian by default.
package enum Language: String, Sendable, CaseIterable {
    case uk
    case en
}

/// Amounts and dates as the accountant reads them.
package enum Format {
    /// `1 250,40 ₴`, `46,08 €` in Ukrainian (no-break spaces between thousands); `1,250.40 UAH` in English.
    package static func money(_ amount: Fixed, _ currency: String, _ language: Language) -> String {
        var out: [UInt8] = []
        money(amount, currency, language, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The same, appended to `out`: a note or a report row with an amount makes no text of its own for it (a year
    /// has hundreds of thousands).
    package static func money(_ amount: Fixed, _ currency: String, _ language: Language, to out: inout [UInt8]) {
        var digits: [UInt8] = []
        amount.write(places: 2, to: &digits)
        let negative = digits.first == 0x2D
        let body = negative ? digits[1...] : digits[...]
        let point = body.firstIndex(of: 0x2E) ?? body.endIndex
        let whole = body[..<point]
        if negative { out += "\u{2212}".utf8 }  // −
        for (i, b) in whole.enumerated() {
            if i > 0 && (whole.count - i) % 3 == 0 {
                if language == .uk { out += "\u{00A0}".utf8 } else { out.append(0x2C) }  // no-break space, or ,
            }
            out.append(b)
        }
        out.append(language == .uk ? 0x2C : 0x2E)
        out += point < body.endIndex ? body[(point + 1)...] : [0x30, 0x30]
        switch language {
        case .uk:
            out += "\u{00A0}".utf8
            out += symbol(currency).utf8
        case .en:
            out.append(0x20)
            out += currency.utf8
        }
    }

    /// A quantity in its shortest exact form, with the language's decimal mark.
    package static func quantity(_ q: Fixed, _ language: Language) -> String {
        var text: [UInt8] = []
        quantity(q, language, to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// The same, appended to `out`.
    package static func quantity(_ q: Fixed, _ language: Language, to out: inout [UInt8]) {
        let start = out.count
        q.write(places: nil, to: &out)
        if language == .uk {
            for i in start..<out.count where out[i] == 0x2E { out[i] = 0x2C }
        }
    }

    /// `28.11.2026` in Ukrainian, `2026-11-28` in English.
    package static func date(_ d: CalendarDate, _ language: Language) -> String {
        var text: [UInt8] = []
        date(d, language, to: &text)
        return String(decoding: text, as: UTF8.self)
    }

    /// The same, appended to `out`.
    package static func date(_ d: CalendarDate, _ language: Language, to out: inout [UInt8]) {
        guard language == .uk else { return d.write(separator: 0x2D, to: &out) }
        func pad(_ n: Int) {
            if n < 10 { out.append(0x30) }
            out += String(n).utf8
        }
        pad(d.day)
        out.append(0x2E)
        pad(d.month)
        out.append(0x2E)
        out += String(d.year).utf8
    }

    package static func symbol(_ currency: String) -> String {
        switch currency {
        case "UAH": return "₴"
        case "EUR": return "€"
        case "USD": return "$"
        default: return currency
        }
    }
}
