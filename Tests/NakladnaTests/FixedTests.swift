import Testing

@testable import Nakladna

@Suite struct FixedTests {
    @Test(arguments: [
        ("312.50", "312.5"), ("415,20", "415.2"), ("1 250,40", "1250.4"), ("1\u{00A0}250.40", "1250.4"),
        ("2,000", "2"), ("-1.000", "-1"), ("0", "0"), ("  7 ", "7"), ("1.5e2", "150"), ("-0.001", "-0.001"),
    ])
    func parsesFeedText(text: String, shortest: String) throws {
        #expect(try Fixed(parsing: text).description == shortest)
    }

    @Test(arguments: ["", "abc", "1,250.40", "1e400", "1.2.3", "1  000", "--1", "1,", ",5", "NaN", "12 345 6,7.8"])
    func refusesWhatIsNotAPlainNumber(text: String) {
        #expect(throws: NumberError.self) { try Fixed(parsing: text) }
    }

    @Test func outOfRangeSaysSo() {
        #expect(throws: NumberError.outOfRange("1e400")) { try Fixed(parsing: "1e400") }
    }

    @Test func roundsHalfAwayFromZero() {
        // 0.125 → 0.13 and -0.125 → -0.13: half goes away from zero, not to even.
        #expect(d("0.125").r2.description == "0.13")
        #expect(d("-0.125").r2.description == "-0.13")
        #expect(d("0.124999").r2.description == "0.12")
        #expect(d("2.5").rounded(0).description == "3")
        #expect(d("-2.5").rounded(0).description == "-3")
    }

    @Test func dividesWithRounding() throws {
        // 625 / 1.2 = 520.8333… → 520.83; 312.50 / 1.2 = 260.41666… → 260.42.
        #expect(try #require(d("625").divided(by: d("1.2"), places: 2)).description == "520.83")
        #expect(try #require(d("312.50").divided(by: d("1.2"), places: 2)).description == "260.42")
        // A tie: 0.05 / 2 = 0.025 → 0.03; negative: -0.03.
        #expect(try #require(d("0.05").divided(by: d("2"), places: 2)).description == "0.03")
        #expect(try #require(d("-0.05").divided(by: d("2"), places: 2)).description == "-0.03")
        #expect(d("1").divided(by: .zero, places: 2) == nil)
    }

    @Test func exactArithmetic() {
        // 0.1 + 0.2 is exactly 0.3 here, unlike binary floating point.
        #expect(d("0.1") + d("0.2") == d("0.3"))
        #expect((d("260.42") * d("1.2")).description == "312.504")
        #expect(d("2.50") == d("2.5"))
        #expect(d("2.5").formatted(places: 4) == "2.5000")
    }

    /// The bytes the CSV and database writers append are the text `description` and `formatted` give.
    @Test(arguments: ["0", "-0.5", "1250.4", "0.001", "-1234567.891", "big"])
    func writtenBytesAreTheText(text: String) throws {
        // "big": more units than 64 bits hold, the slow path.
        let x = text == "big" ? Fixed(units: -12_345_678_901_234_567_890_123, scale: 3) : try Fixed(parsing: text)
        for places in [nil, 0, 2, 4] as [Int?] {
            var bytes: [UInt8] = [0x41]
            x.write(places: places, to: &bytes)
            #expect(
                String(decoding: bytes, as: UTF8.self) == "A"
                    + (places.map { x.formatted(places: $0) } ?? x.description))
        }
    }

    /// A value is held as two 64-bit halves: every count of units comes back whole, sign and all.
    @Test(arguments: [
        Int128(0), -1, 1 << 63, -(1 << 63) - 1, 1 << 64, -(1 << 64), -12_345_678_901_234_567_890_123, .max, .min,
    ])
    func unitsComeBackWhole(units: Int128) {
        #expect(Fixed(units: units, scale: 3).units == units)
        #expect(Fixed(units: units, scale: 3).scale == 3)
    }

    @Test func textBeyondSixtyFourBits() {
        #expect(Fixed(units: -12_345_678_901_234_567_890_123, scale: 3).description == "-12345678901234567890.123")
        #expect(Fixed(units: 1 << 64, scale: 0).description == "18446744073709551616")
    }

    /// A year's order lines, findings and movements are held at once: the types they are made of stay this small
    /// (the night after a year's peak memory, `bench/nights.py`, rests on it).
    @Test func valuesHeldByTheMillionStaySmall() {
        #expect(MemoryLayout<Fixed>.stride == 24)
        #expect(MemoryLayout<Fixed?>.stride == 24)
        #expect(MemoryLayout<CalendarDate>.stride == 8)
    }

    /// The accountant's forms, as the comments of `Format` spell them.
    @Test func amountsAndQuantitiesAsTheReportShowsThem() throws {
        #expect(Format.money(d("1250.4"), "UAH", .uk) == "1\u{00A0}250,40\u{00A0}₴")
        #expect(Format.money(d("46.08"), "EUR", .uk) == "46,08\u{00A0}€")
        #expect(Format.money(d("1250.4"), "UAH", .en) == "1,250.40 UAH")
        // Rounded half away from zero to the kopeck, the minus a real minus sign.
        #expect(Format.money(d("-1234567.895"), "EUR", .en) == "−1,234,567.90 EUR")
        #expect(Format.money(d("0.004"), "PLN", .uk) == "0,00\u{00A0}PLN")
        #expect(Format.money(d("123456"), "UAH", .en) == "123,456.00 UAH")
        #expect(Format.quantity(d("1.50"), .uk) == "1,5")
        #expect(Format.quantity(d("12"), .en) == "12")
    }

    /// A report row and a note write their amounts after what they hold already: the digits are spread out to take
    /// the marks there, not at the start of the buffer.
    @Test func amountsWrittenAfterOtherText() throws {
        func after(_ prefix: String, _ write: (inout [UInt8]) -> Void) -> String {
            var out = Array(prefix.utf8)
            write(&out)
            return String(decoding: out, as: UTF8.self)
        }
        #expect(
            after("<td>") { Format.money(d("-1234567.895"), "EUR", .uk, to: &$0) }
                == "<td>−1\u{00A0}234\u{00A0}567,90\u{00A0}€")
        #expect(after("a; ") { Format.money(d("-999.995"), "UAH", .en, to: &$0) } == "a; −1,000.00 UAH")
        #expect(after("x") { Format.money(d("-5"), "USD", .uk, to: &$0) } == "x−5,00\u{00A0}$")
        #expect(after("x") { Format.money(d("100000"), "UAH", .en, to: &$0) } == "x100,000.00 UAH")
        #expect(after("q=") { Format.quantity(d("2.250"), .uk, to: &$0) } == "q=2,25")
        #expect(
            after("on ") { Format.date(CalendarDate(year: 2026, month: 3, day: 9), .uk, to: &$0) } == "on 09.03.2026")
        #expect(
            after("on ") { Format.date(CalendarDate(year: 2026, month: 3, day: 9), .en, to: &$0) } == "on 2026-03-09")
    }

    /// Statuses rank in the order of the contract's table.
    @Test func statusesRankInTheContractsOrder() {
        let table = [
            "matched", "price_mismatch", "over_delivered", "unordered", "returned", "duplicate_invoice",
            "total_mismatch", "foreign_customer", "missing_rate", "not_delivered", "manual_receipt",
        ]
        #expect(Status.allCases.sorted().map(\.rawValue) == table)
        #expect(Status.allCases.map(\.rank) == Array(0..<table.count))
    }
}
