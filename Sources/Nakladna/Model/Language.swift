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
        let text = amount.formatted(places: 2)
        let negative = text.hasPrefix("-")
        let body = negative ? String(text.dropFirst()) : text
        let parts = body.split(separator: ".", maxSplits: 1)
        let whole = grouped(String(parts[0]), separator: language == .uk ? "\u{00A0}" : ",")
        let fraction = parts.count > 1 ? String(parts[1]) : "00"
        let sign = negative ? "−" : ""
        switch language {
        case .uk: return "\(sign)\(whole),\(fraction)\u{00A0}\(symbol(currency))"
        case .en: return "\(sign)\(whole).\(fraction) \(currency)"
        }
    }

    /// A quantity in its shortest exact form, with the language's decimal mark.
    package static func quantity(_ q: Fixed, _ language: Language) -> String {
        let text = q.description
        return language == .uk ? text.replacingOccurrences(of: ".", with: ",") : text
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

    static func grouped(_ digits: String, separator: String) -> String {
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += separator }
            out.append(c)
        }
        return out
    }
}
