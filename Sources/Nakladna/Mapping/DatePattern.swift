import Foundation

/// A date pattern from a mapping file: `dd.MM.yyyy HH:mm:ss`, `yyyyMMdd`, `d/M/yy`, `d MMMM yyyy`, `iso` (ISO 8601
/// with an optional time, fraction and offset or `Z`) or `unix` (seconds since 1970-01-01 UTC). Letters other than
/// the tokens must be quoted with `'`.
package struct DatePattern: Sendable, Hashable {
    enum Token: Hashable {
        case year, month, day, hour, minute, second, fraction
        /// Two digits, the year 20yy.
        case shortYear
        /// One or two digits, without a leading zero.
        case shortMonth, shortDay
        /// The month's Ukrainian name in the genitive, as a date writes it (`3 грудня 2026`).
        case monthName
        case literal(Character)
    }

    enum Form: Hashable {
        case tokens([Token])
        case iso
        case unix
    }

    package let source: String
    let form: Form

    /// The months' names as `MMMM` reads them, in the genitive (`1 січня`), in either case.
    static let monthNames = [
        "січня", "лютого", "березня", "квітня", "травня", "червня", "липня", "серпня", "вересня", "жовтня",
        "листопада", "грудня",
    ]

    /// Whether the pattern names the month (`MMMM`): an error then lists the names it knows.
    var namesMonths: Bool {
        if case .tokens(let tokens) = form { return tokens.contains(.monthName) }
        return false
    }

    static let monthNamesHint = " (MMMM is one of: " + monthNames.joined(separator: ", ") + ")"

    /// Compiles the pattern; throws with a reason for an unknown letter or a pattern without a full date.
    package init(_ source: String) throws(MappingPathError) {
        self.source = source
        if source == "iso" || source == "unix" {
            form = source == "iso" ? .iso : .unix
            return
        }
        var tokens: [Token] = []
        let chars = Array(source)
        var i = 0
        var quoted = false
        while i < chars.count {
            let c = chars[i]
            if c == "'" {
                quoted.toggle()
                i += 1
                continue
            }
            if quoted || !c.isLetter {
                tokens.append(.literal(c))
                i += 1
                continue
            }
            var j = i
            while j < chars.count && chars[j] == c { j += 1 }
            let run = String(chars[i..<j])
            switch run {
            case "yyyy": tokens.append(.year)
            case "yy": tokens.append(.shortYear)
            case "MMMM": tokens.append(.monthName)
            case "MM": tokens.append(.month)
            case "M": tokens.append(.shortMonth)
            case "dd": tokens.append(.day)
            case "d": tokens.append(.shortDay)
            case "HH": tokens.append(.hour)
            case "mm": tokens.append(.minute)
            case "ss": tokens.append(.second)
            case "SSS", "SSSSSS", "S": tokens.append(.fraction)
            default:
                throw MappingPathError(
                    reason:
                        "'\(run)' is not a date token (yyyy yy MMMM MM M dd d HH mm ss SSS, or quote literal letters)")
            }
            i = j
        }
        guard !quoted else { throw MappingPathError(reason: "unclosed quote in the date pattern") }
        let has = { (choices: [Token]) in choices.filter(tokens.contains).count == 1 }
        guard has([.year, .shortYear]), has([.month, .shortMonth, .monthName]), has([.day, .shortDay]) else {
            throw MappingPathError(
                reason: "a date pattern needs one year (yyyy, yy), one month (MM, M, MMMM) and one day (dd, d)")
        }
        form = .tokens(tokens)
    }

    /// A parsed timestamp: civil fields and, when the text carried one, its UTC offset in seconds.
    package struct Stamp: Sendable, Hashable {
        var year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0
        var offset: Int?
    }

    /// Parses `text`; nil when it does not fit the pattern or names a day that does not exist.
    package func parse(_ text: String) -> Stamp? {
        let t = Array(text.utf8)
        var stamp = Stamp()
        var i = 0
        func number(_ width: Int) -> Int? {
            guard i + width <= t.count else { return nil }
            var v = 0
            for k in i..<(i + width) {
                guard t[k] >= 48 && t[k] <= 57 else { return nil }
                v = v * 10 + Int(t[k] - 48)
            }
            i += width
            return v
        }
        /// One or two digits, the first not a zero.
        func short() -> Int? {
            guard i < t.count, t[i] >= 49 && t[i] <= 57 else { return nil }
            if i + 1 < t.count, t[i + 1] >= 48 && t[i + 1] <= 57 { return number(2) }
            return number(1)
        }
        switch form {
        case .unix:
            return Self.unixStamp(text)
        case .tokens(let tokens):
            for token in tokens {
                switch token {
                case .year: guard let v = number(4) else { return nil }; stamp.year = v
                case .shortYear: guard let v = number(2) else { return nil }; stamp.year = 2000 + v
                case .month: guard let v = number(2) else { return nil }; stamp.month = v
                case .shortMonth: guard let v = short() else { return nil }; stamp.month = v
                case .monthName:
                    var end = i
                    while end < t.count, t[end] >= 0x80 || (t[end] | 0x20 >= 0x61 && t[end] | 0x20 <= 0x7A) { end += 1 }
                    let word = String(decoding: t[i..<end], as: UTF8.self).lowercased()
                    guard let index = Self.monthNames.firstIndex(of: word) else { return nil }
                    stamp.month = index + 1
                    i = end
                case .day: guard let v = number(2) else { return nil }; stamp.day = v
                case .shortDay: guard let v = short() else { return nil }; stamp.day = v
                case .hour: guard let v = number(2) else { return nil }; stamp.hour = v
                case .minute: guard let v = number(2) else { return nil }; stamp.minute = v
                case .second: guard let v = number(2) else { return nil }; stamp.second = v
                case .fraction:
                    let start = i
                    while i < t.count, t[i] >= 48 && t[i] <= 57 { i += 1 }
                    guard i > start else { return nil }
                case .literal(let c):
                    let bytes = Array(String(c).utf8)
                    guard i + bytes.count <= t.count, Array(t[i..<(i + bytes.count)]) == bytes else { return nil }
                    i += bytes.count
                }
            }
        case .iso:
            guard let y = number(4), i < t.count, t[i] == 0x2D else { return nil }
            i += 1
            guard let m = number(2), i < t.count, t[i] == 0x2D else { return nil }
            i += 1
            guard let d = number(2) else { return nil }
            (stamp.year, stamp.month, stamp.day) = (y, m, d)
            if i < t.count, t[i] == UInt8(ascii: "T") || t[i] == UInt8(ascii: " ") {
                i += 1
                guard let h = number(2), i < t.count, t[i] == 0x3A else { return nil }
                i += 1
                guard let mi = number(2) else { return nil }
                (stamp.hour, stamp.minute) = (h, mi)
                if i < t.count, t[i] == 0x3A {
                    i += 1
                    guard let s = number(2) else { return nil }
                    stamp.second = s
                    if i < t.count, t[i] == UInt8(ascii: ".") || t[i] == UInt8(ascii: ",") {
                        i += 1
                        let start = i
                        while i < t.count, t[i] >= 48 && t[i] <= 57 { i += 1 }
                        guard i > start else { return nil }
                    }
                }
                if i < t.count {
                    if t[i] == UInt8(ascii: "Z") {
                        stamp.offset = 0
                        i += 1
                    } else if t[i] == UInt8(ascii: "+") || t[i] == UInt8(ascii: "-") {
                        let sign = t[i] == UInt8(ascii: "-") ? -1 : 1
                        i += 1
                        guard let oh = number(2) else { return nil }
                        if i < t.count, t[i] == 0x3A { i += 1 }
                        let om = number(2) ?? 0
                        guard oh <= 14, om < 60 else { return nil }
                        stamp.offset = sign * (oh * 3600 + om * 60)
                    }
                }
            }
        }
        guard i == t.count else { return nil }
        guard CalendarDate.isValid(year: stamp.year, month: stamp.month, day: stamp.day), stamp.hour < 24,
            stamp.minute < 60, stamp.second < 61
        else { return nil }
        return stamp
    }
}

extension DatePattern {
    /// Unix time: whole seconds since 1970-01-01 UTC, as digits (a JSON number's text); an instant, with offset 0.
    static func unixStamp(_ text: String) -> Stamp? {
        let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        guard (1...12).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }),
            let seconds = Int(text)
        else { return nil }
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let rest = seconds - days * 86_400
        let civil = civil(fromDays: days)
        return Stamp(
            year: civil.year, month: civil.month, day: civil.day, hour: rest / 3600, minute: rest % 3600 / 60,
            second: rest % 60, offset: 0)
    }
}

extension DatePattern.Stamp {
    /// The calendar date in `zone` of this timestamp: a stamp without an offset is already local time in
    /// `sourceZone`; one with an offset names an instant, converted through the time-zone database.
    package func date(in zone: TimeZone, sourceZone: TimeZone) -> CalendarDate {
        let civil = CalendarDate(year: year, month: month, day: day)
        let secondsOfDay = hour * 3600 + minute * 60 + second
        var utc: Int
        if let offset {
            utc = DatePattern.days(from: civil) * 86_400 + secondsOfDay - offset
        } else {
            if sourceZone.identifier == zone.identifier { return civil }
            let local = DatePattern.days(from: civil) * 86_400 + secondsOfDay
            // The zone's offset at the local time, found from a first guess at the instant.
            let guess = local - sourceZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(local)))
            utc = local - sourceZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(guess)))
        }
        utc += zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(utc)))
        return DatePattern.civil(fromDays: utc >= 0 ? utc / 86_400 : (utc - 86_399) / 86_400)
    }
}

extension DatePattern {
    /// Days since 1970-01-01 (Howard Hinnant's civil-days algorithm).
    package static func days(from d: CalendarDate) -> Int {
        let y = d.month <= 2 ? d.year - 1 : d.year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (d.month + 9) % 12
        let doy = (153 * mp + 2) / 5 + d.day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    package static func civil(fromDays z0: Int) -> CalendarDate {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return CalendarDate(year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d)
    }
}
