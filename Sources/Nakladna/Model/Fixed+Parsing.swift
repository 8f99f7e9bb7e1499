/// Why a text is not a number the tool accepts.
package enum NumberError: Error, Equatable, CustomStringConvertible {
    case empty
    case notANumber(String)
    case outOfRange(String)
    /// Not in the form the mapping declares for the field (`NumberForm`): the text and what is wrong.
    case notInForm(String, String)

    package var description: String {
        switch self {
        case .empty: return "empty where a number belongs"
        case .notANumber(let text): return "\"\(text.prefix(40))\" is not a number"
        case .outOfRange(let text): return "\"\(text.prefix(40))\" is out of range"
        case .notInForm(let text, let why): return "\"\(text.prefix(40))\" is not a number in the declared form: \(why)"
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
        var copy = text
        let parsed: Result<Fixed, NumberError> = copy.withUTF8 { buffer in
            Result { () throws(NumberError) in try Fixed(utf8: buffer[...], text: text) }
        }
        self = try parsed.get()
    }

    /// Bytes, not characters: the separators that are not ASCII are matched as their UTF-8 sequences.
    init(utf8 input: Slice<UnsafeBufferPointer<UInt8>>, text: Substring) throws(NumberError) {
        var bytes = input
        func isSpace(_ b: Slice<UnsafeBufferPointer<UInt8>>) -> Int {  // the length of a white space at the front, or 0
            guard let first = b.first else { return 0 }
            if first == 0x20 || (first >= 0x09 && first <= 0x0D) { return 1 }
            let i = b.startIndex
            if first == 0xC2, b.count >= 2, b[i + 1] == 0xA0 { return 2 }  // no-break space
            if first == 0xE2, b.count >= 3, b[i + 1] == 0x80, b[i + 2] == 0xAF || b[i + 2] == 0x89 { return 3 }
            return 0
        }
        func isTrailingSpace(_ b: Slice<UnsafeBufferPointer<UInt8>>) -> Int {
            guard let last = b.last else { return 0 }
            if last == 0x20 || (last >= 0x09 && last <= 0x0D) { return 1 }
            if b.count >= 2, last == 0xA0, b[b.endIndex - 2] == 0xC2 { return 2 }
            if b.count >= 3, last == 0xAF || last == 0x89, b[b.endIndex - 2] == 0x80, b[b.endIndex - 3] == 0xE2 {
                return 3
            }
            return 0
        }
        while case let n = isSpace(bytes), n > 0 { bytes = bytes.dropFirst(n) }
        while case let n = isTrailingSpace(bytes), n > 0 { bytes = bytes.dropLast(n) }
        guard !bytes.isEmpty else { throw .empty }
        var units: Int128 = 0
        var scale = 0
        var digits = 0
        var negative = false
        var seenMark = false
        var seenDigit = false
        var lastWasSeparator = false
        var exponent = 0
        if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") {
            negative = bytes.first == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        } else if bytes.starts(with: [0xE2, 0x88, 0x92]) {  // U+2212 minus sign
            negative = true
            bytes = bytes.dropFirst(3)
        }
        while let c = bytes.first {
            switch c {
            case 0x30...0x39:
                let d = Int128(c - 0x30)
                if seenMark { scale += 1 }
                if units != 0 || d != 0 { digits += 1 }
                guard digits <= 30 else { throw .outOfRange(String(text)) }
                units = units * 10 + d
                seenDigit = true
                lastWasSeparator = false
                bytes = bytes.dropFirst()
            case UInt8(ascii: "."), UInt8(ascii: ","):
                guard !seenMark, seenDigit, !lastWasSeparator else { throw .notANumber(String(text)) }
                seenMark = true
                bytes = bytes.dropFirst()
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                guard seenDigit, !lastWasSeparator else { throw .notANumber(String(text)) }
                exponent = try Fixed.parseExponent(bytes.dropFirst(), text: text)
                bytes = bytes.suffix(0)
            default:
                let n = isSpace(bytes)
                guard n > 0, seenDigit, !seenMark, !lastWasSeparator else { throw .notANumber(String(text)) }
                lastWasSeparator = true
                bytes = bytes.dropFirst(n)
            }
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

    private static func parseExponent(_ s: Slice<UnsafeBufferPointer<UInt8>>, text: Substring) throws(NumberError)
        -> Int
    {
        var negative = false
        var value = 0
        var seen = false
        var rest = s
        if let sign = rest.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            rest = rest.dropFirst()
        }
        for c in rest {
            guard c >= 0x30 && c <= 0x39 else { throw .notANumber(String(text)) }
            value = value * 10 + Int(c - 0x30)
            guard value <= 1000 else { throw .outOfRange(String(text)) }
            seen = true
        }
        guard seen else { throw .notANumber(String(text)) }
        return negative ? -value : value
    }
}
