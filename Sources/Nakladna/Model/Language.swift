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
        // Written as bytes: every note and report row has one, and a year has hundreds of thousands.
        var digits: [UInt8] = []
        amount.write(places: 2, to: &digits)
        let negative = digits.first == 0x2D
        let body = negative ? digits[1...] : digits[...]
        let point = body.firstIndex(of: 0x2E) ?? body.endIndex
        let whole = body[..<point]
        var out: [UInt8] = []
        out.reserveCapacity(digits.count + 16)
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
        return String(decoding: out, as: UTF8.self)
    }

    /// A quantity in its shortest exact form, with the language's decimal mark.
    package static func quantity(_ q: Fixed, _ language: Language) -> String {
        var text: [UInt8] = []
        q.write(places: nil, to: &text)
        if language == .uk {
            for i in text.indices where text[i] == 0x2E { text[i] = 0x2C }
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// `28.11.2026` in Ukrainian, `2026-11-28` in English.
    package static func date(_ d: CalendarDate, _ language: Language) -> String {
        guard language == .uk else { return d.description }
        func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(pad(d.day)).\(pad(d.month)).\(d.year)"
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
