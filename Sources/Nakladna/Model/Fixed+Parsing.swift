/// Why a text is not a number the tool accepts.
package enum NumberError: Error, Equatable, CustomStringConvertible {
    case empty
    case notANumber(String)
    case outOfRange(String)

    package var description: String {
        switch self {
        case .empty: return "empty where a number belongs"
        case .notANumber(let text): return "\"\(text.prefix(40))\" is not a number"
        case .outOfRange(let text): return "\"\(text.prefix(40))\" is out of range"
        }
    }
}

extension Fixed {
    /// The largest magnitude accepted from a feed: 10^15, far beyond any invoice, so products cannot overflow.
    static let maxIntegerDigits = 15
    /// The most decimals accepted from a feed (after trailing zeros are dropped).
    static let maxFeedScale = 12

    /// Parses a feed's decimal text: `.` or `,` as the mark, spaces or no-break spaces between thousands,
    /// an optional sign and, for JSON numbers, an exponent. `"2,000"` is 2: `,` is always a decimal mark.
    /// Throws on anything else, on both marks at once, and on values beyond the accepted range.
    package init(parsing text: Substring) throws(NumberError) {
        var units: Int128 = 0
        var scale = 0
        var digits = 0
        var integerDigits = 0
        var negative = false
        var seenMark = false
        var seenDigit = false
        var lastWasSeparator = false
        var exponent = 0
        let scalars = text.unicodeScalars
        var index = scalars.startIndex
        // Leading and trailing white space.
        while index < scalars.endIndex, scalars[index].properties.isWhitespace { index = scalars.index(after: index) }
        var end = scalars.endIndex
        while end > index, scalars[scalars.index(before: end)].properties.isWhitespace {
            end = scalars.index(before: end)
        }
        guard index < end else { throw .empty }
        if scalars[index] == "-" || scalars[index] == "\u{2212}" || scalars[index] == "+" {
            negative = scalars[index] != "+"
            index = scalars.index(after: index)
        }
        while index < end {
            let c = scalars[index]
            switch c {
            case "0"..."9":
                let d = Int128(c.value - 48)
                if seenMark {
                    scale += 1
                } else {
                    integerDigits += 1
                }
                if units != 0 || d != 0 { digits += 1 }
                guard digits <= 30 else { throw .outOfRange(String(text)) }
                units = units * 10 + d
                seenDigit = true
                lastWasSeparator = false
            case ".", ",":
                guard !seenMark, seenDigit, !lastWasSeparator else { throw .notANumber(String(text)) }
                seenMark = true
            case " ", "\u{00A0}", "\u{202F}", "\u{2009}":
                guard seenDigit, !seenMark, !lastWasSeparator else { throw .notANumber(String(text)) }
                lastWasSeparator = true
            case "e", "E":
                guard seenDigit, !lastWasSeparator else { throw .notANumber(String(text)) }
                exponent = try Fixed.parseExponent(scalars[scalars.index(after: index)..<end], text: text)
                index = end
                continue
            default:
                throw .notANumber(String(text))
            }
            index = scalars.index(after: index)
        }
        guard seenDigit, !lastWasSeparator else { throw .notANumber(String(text)) }
        if seenMark && scale == 0 { throw .notANumber(String(text)) }
        var value = Fixed(units: negative ? -units : units, scale: scale)
        if exponent > 0 {
            let take = min(exponent, value.scale)
            value = Fixed(units: value.units, scale: value.scale - take)
            let rest = exponent - take
            guard rest <= Fixed.maxIntegerDigits, let u = Fixed.checkedScale(value.units, rest) else {
                throw .outOfRange(String(text))
            }
            value = Fixed(units: u, scale: value.scale)
        } else if exponent < 0 {
            guard value.scale - exponent <= 38 else { throw .outOfRange(String(text)) }
            value = Fixed(units: value.units, scale: value.scale - exponent)
        }
        value = value.normalized
        guard value.scale <= Fixed.maxFeedScale,
            value.magnitude < Fixed(units: Fixed.pow10(Fixed.maxIntegerDigits), scale: 0)
        else {
            throw .outOfRange(String(text))
        }
        self = value
    }

    package init(parsing text: String) throws(NumberError) {
        try self.init(parsing: Substring(text))
    }

    private static func checkedScale(_ u: Int128, _ n: Int) -> Int128? {
        let (r, o) = u.multipliedReportingOverflow(by: pow10(n))
        return o ? nil : r
    }

    private static func parseExponent(_ s: Substring.UnicodeScalarView, text: Substring) throws(NumberError) -> Int {
        var negative = false
        var value = 0
        var seen = false
        var index = s.startIndex
        if index < s.endIndex, s[index] == "-" || s[index] == "+" {
            negative = s[index] == "-"
            index = s.index(after: index)
        }
        while index < s.endIndex {
            let c = s[index]
            guard c.value >= 48 && c.value <= 57 else { throw .notANumber(String(text)) }
            value = value * 10 + Int(c.value - 48)
            guard value <= 1000 else { throw .outOfRange(String(text)) }
            seen = true
            index = s.index(after: index)
        }
        guard seen else { throw .notANumber(String(text)) }
        return negative ? -value : value
    }
}
