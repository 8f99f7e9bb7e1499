import Foundation
import Testing

@testable import Nakladna

@Suite struct DatePatternTests {
    func kyivDate(_ pattern: String, _ text: String, source: TimeZone = kyiv) throws -> String {
        let stamp = try #require(try DatePattern(pattern).parse(text))
        return stamp.date(in: kyiv, sourceZone: source).description
    }

    @Test func winterUTCCrossesMidnightAtPlusTwo() throws {
        // 27 Nov 22:40 UTC + 2 h (EET) = 28 Nov 00:40 in Kyiv.
        #expect(try kyivDate("iso", "2026-11-27T22:40:05Z") == "2026-11-28")
        // 21:59 UTC + 2 h = 23:59: still the same day.
        #expect(try kyivDate("iso", "2026-11-27T21:59:59Z") == "2026-11-27")
    }

    @Test func summerIsPlusThree() throws {
        // 14 Jul 21:15 UTC + 3 h (EEST) = 15 Jul 00:15. A fixed +2 would give 23:15 on the 14th.
        #expect(try kyivDate("iso", "2026-07-14T21:15:00Z") == "2026-07-15")
        #expect(try kyivDate("iso", "2026-07-14T20:59:00Z") == "2026-07-14")
    }

    @Test func offsetsAndLocalTimes() throws {
        // +05:00 at 01:30 is 20:30 UTC the day before, 22:30 in Kyiv in winter.
        #expect(try kyivDate("iso", "2026-11-28T01:30:00+05:00") == "2026-11-27")
        // No offset: already Kyiv time.
        #expect(try kyivDate("iso", "2026-11-28T00:00:00") == "2026-11-28")
        #expect(try kyivDate("dd.MM.yyyy HH:mm:ss", "28.11.2026 23:59:59") == "2026-11-28")
        #expect(try kyivDate("yyyyMMdd", "20261128") == "2026-11-28")
        // A local UTC time without an offset, from a feed whose mapping says timezone: UTC.
        let utc = try #require(TimeZone(identifier: "UTC"))
        #expect(try kyivDate("yyyy-MM-dd HH:mm", "2026-11-27 22:40", source: utc) == "2026-11-28")
    }

    @Test func refusesDaysThatDoNotExist() throws {
        #expect(try DatePattern("dd.MM.yyyy").parse("31.02.2026") == nil)
        #expect(try DatePattern("dd.MM.yyyy").parse("29.02.2028") != nil)
        #expect(try DatePattern("iso").parse("2026-13-01") == nil)
        #expect(try DatePattern("yyyyMMdd").parse("2026112") == nil)
    }

    /// The regional suppliers' dates (new-suppliers.md): `3/12/26`, `3 грудня 2026`, Unix seconds.
    @Test func shortFieldsMonthNamesAndUnixTime() throws {
        let short = try DatePattern("d/M/yy")
        #expect(short.parse("3/12/26").map { [$0.year, $0.month, $0.day] } ?? [] == [2026, 12, 3])
        #expect(short.parse("22/11/26").map { [$0.year, $0.month, $0.day] } ?? [] == [2026, 11, 22])
        #expect(short.parse("03/12/26") == nil)  // no leading zeros
        #expect(short.parse("31/2/26") == nil)
        let named = try DatePattern("d MMMM yyyy")
        #expect(named.parse("3 грудня 2026").map { [$0.year, $0.month, $0.day] } ?? [] == [2026, 12, 3])
        #expect(named.parse("1 Січня 2027").map { [$0.year, $0.month, $0.day] } ?? [] == [2027, 1, 1])
        #expect(named.parse("3 грудень 2026") == nil)  // the nominative is not how a date writes it
        let unix = try DatePattern("unix")
        // 1796337000 is 2026-12-03 22:30 UTC (date -u -d @1796337000), the 4th in Kyiv.
        let stamp = try #require(unix.parse("1796337000"))
        let fields: [Int] = [stamp.year, stamp.month, stamp.day, stamp.hour, stamp.minute]
        #expect(fields == [2026, 12, 3, 22, 30])
        #expect(stamp.date(in: kyiv, sourceZone: kyiv) == CalendarDate(year: 2026, month: 12, day: 4))
        #expect(unix.parse("1796337000.5") == nil)
        #expect(unix.parse("") == nil)
    }

    @Test func refusesBadPatterns() {
        #expect(throws: MappingPathError.self) { try DatePattern("dd.MM.yyy") }
        #expect(throws: MappingPathError.self) { try DatePattern("dd.MMM.yyyy") }
        #expect(throws: MappingPathError.self) { try DatePattern("d.M.yy yyyy") }
        #expect(throws: MappingPathError.self) { try DatePattern("HH:mm") }
        #expect(throws: MappingPathError.self) { try DatePattern("yyyy-MM-dd'T") }
    }

    /// `YYYY-MM-DD` exactly, and only days the calendar has.
    @Test func isoDatesAreFourDigitsTwoAndTwo() {
        #expect(CalendarDate(iso: "2024-02-29") == CalendarDate(year: 2024, month: 2, day: 29))
        #expect(CalendarDate(iso: "2026-12-31"[...]) == CalendarDate(year: 2026, month: 12, day: 31))
        for text in [
            "2026-02-29", "2026-13-01", "2026-00-10", "2026-1-05", "2026-01-5", "2026-01-05x", "99999-01-01",
            "2026-+1-05", "2026--01-05", "2026-01-05-01", "20260105", "", "-", "2026-01-",
        ] {
            #expect(CalendarDate(iso: text) == nil, "\(text)")
        }
    }
}
