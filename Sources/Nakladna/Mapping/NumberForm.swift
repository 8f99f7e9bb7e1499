/// How one field writes its numbers, where the feed's form is not the general one (`docs/mapping.md`, "Number
/// forms"): its decimal mark, its thousands mark, and text around the number (`1.250,40`, `6 210,00 грн`, `20%`).
///
/// The general form (`Fixed(parsing:)`) takes `.` or `,` as the decimal mark, so `1.250,40` is two decimal marks
/// there. A declared form reads exactly one shape, so the feed's mistakes stay errors: a second decimal mark, a
/// thousands group that is not three digits, a missing unit.
package struct NumberForm: Sendable, Hashable {
    /// The decimal mark: `.` or `,`.
    package var decimal: Character = "."
    /// The thousands mark (`.`, `,`, `'`, or a space, which stands for any space, no-break ones too); nil: none.
    package var thousands: Character?
    /// Text before the number, such as a currency sign; required when declared.
    package var prefix = ""
    /// Text after the number, such as `грн` or `%`, with or without space before it; required when declared.
    package var suffix = ""

    package init(decimal: Character = ".", thousands: Character? = nil, prefix: String = "", suffix: String = "") {
        self.decimal = decimal
        self.thousands = thousands
        self.prefix = prefix
        self.suffix = suffix
    }

    /// The number `text` writes in this form.
    package func parse(_ text: String) throws(NumberError) -> Fixed {
        var body = Substring(text)
        if !prefix.isEmpty {
            guard body.hasPrefix(prefix) else { throw .notInForm(text, "it does not start with '\(prefix)'") }
            body = body.dropFirst(prefix.count).drop(while: \.isWhitespace)
        }
        if !suffix.isEmpty {
            guard body.hasSuffix(suffix) else { throw .notInForm(text, "it does not end in '\(suffix)'") }
            body = body.dropLast(suffix.count)
            while body.last?.isWhitespace == true { body = body.dropLast() }
        }
        var plain = ""
        var rest = body[...]
        if let sign = rest.first, sign == "-" || sign == "+" || sign == "\u{2212}" {
            if sign != "+" { plain.append("-") }
            rest = rest.dropFirst()
        }
        let parts = rest.split(separator: decimal, omittingEmptySubsequences: false)
        guard parts.count <= 2 else { throw .notInForm(text, "it has more than one decimal mark '\(decimal)'") }
        let whole = parts[0]
        guard !whole.isEmpty else { throw .notANumber(text) }
        let groups = whole.split(omittingEmptySubsequences: false) { isThousandsMark($0) }
        for (i, group) in groups.enumerated() {
            guard !group.isEmpty, group.allSatisfy(\.isASCIIDigit) else { throw .notANumber(text) }
            // With a thousands mark, every group after the first has three digits; `1.25` is not a thousand.
            if groups.count > 1, i > 0 ? group.count != 3 : group.count > 3 {
                throw .notInForm(text, "its thousands groups are not of three digits")
            }
            plain += group
        }
        if parts.count == 2 {
            let fraction = parts[1]
            guard !fraction.isEmpty, fraction.allSatisfy(\.isASCIIDigit) else { throw .notANumber(text) }
            plain += "." + fraction
        }
        return try Fixed(parsing: Substring(plain))
    }

    private func isThousandsMark(_ c: Character) -> Bool {
        guard let thousands else { return false }
        if thousands == " " { return c == " " || c == "\u{A0}" || c == "\u{202F}" || c == "\u{2009}" }
        return c == thousands
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
