/// Exchange rates (`rates.csv`): units of the base currency for one unit of a currency, by date.
package struct Rates: Sendable {
    package var base: String
    /// By currency, sorted by date.
    private var table: [String: [(date: CalendarDate, rate: Fixed)]]

    package init(base: String, rows: [(currency: String, date: CalendarDate, rate: Fixed)]) {
        self.base = base
        var table: [String: [(date: CalendarDate, rate: Fixed)]] = [:]
        for row in rows { table[row.currency, default: []].append((row.date, row.rate)) }
        for key in table.keys { table[key]?.sort { $0.date < $1.date } }
        self.table = table
    }

    /// Every rate, as `CUR<tab>YYYY-MM-DD` and its rate's shortest exact text: what a run compares with the rates
    /// an earlier run reconciled with.
    package var entries: [String: String] {
        var out: [String: String] = [:]
        for (currency, rows) in table {
            for row in rows { out["\(currency)\t\(row.date)"] = row.rate.description }
        }
        return out
    }

    /// The rate of `date`, or else of the latest earlier date; 1 for the base currency; nil when there is none.
    package func rate(_ currency: String, on date: CalendarDate, base: String? = nil) -> Fixed? {
        if currency == (base ?? self.base) { return .one }
        return entry(currency, on: date)?.rate
    }

    /// The date of the rate `rate(_:on:)` gives for a currency other than the base one; nil when there is none.
    package func rateDate(_ currency: String, on date: CalendarDate) -> CalendarDate? {
        entry(currency, on: date)?.date
    }

    private func entry(_ currency: String, on date: CalendarDate) -> (date: CalendarDate, rate: Fixed)? {
        guard let list = table[currency] else { return nil }
        var low = 0
        var high = list.count
        while low < high {
            let mid = (low + high) / 2
            if date < list[mid].date { high = mid } else { low = mid + 1 }
        }
        return low == 0 ? nil : list[low - 1]
    }
}
