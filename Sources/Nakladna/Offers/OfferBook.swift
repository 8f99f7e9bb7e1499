/// What one supplier offers for a part, ranked by `OfferBook`.
package struct Offer: Sendable, Equatable {
    package var supplier: String
    package var supplierCode: String
    /// Gross per unit in `currency`; nil for "price on request".
    package var price: Fixed?
    /// Empty where the supplier's files give no currency for the part (stock without a price row).
    package var currency: String
    /// nil on request, or when the rate of `asOf` (or an earlier date) is missing.
    package var priceBase: Fixed?
    package var asOf: CalendarDate
    package var stale: Bool
    package var stock: [StockLevel]
    /// One branch holds at least the quantity asked for.
    package var covers: Bool
}

/// Compares the offers for a part: one offer per supplier, the ones that cover the
/// quantity cheapest first in the base currency, then the rest in the same order, then those without a price in
/// the base currency (on request, or no rate); ties by supplier id. A pure function of the stored rows.
package enum OfferBook {
    /// Offers older than this many days before today are stale.
    package static let staleAfterDays = 2

    /// The row a supplier's offer rests on: its cheapest priced row (the first of equals); a part listed only on
    /// request, or only in a stock file, is on request. `own` is one supplier's rows for the part, not empty.
    package static func choose(_ own: [StoredOffer]) -> StoredOffer {
        var best: StoredOffer?
        for row in own where row.priced {
            guard let price = row.price else { continue }
            if let b = best?.price, !(price < b) { continue }
            best = row
        }
        return best ?? own.first(where: \.priced) ?? own[0]
    }

    package static func rank(
        _ rows: [StoredOffer], suppliers: [String], rates: Rates, quantity: Fixed, branch: String?,
        today: CalendarDate
    ) -> [Offer] {
        var offers: [Offer] = []
        let todayNumber = DatePattern.days(from: today)
        for supplier in Set(suppliers) {
            let own = rows.filter { $0.supplier == supplier }
            guard !own.isEmpty else { continue }
            let chosen = choose(own)
            var stock = own.filter { $0.code == chosen.code }.flatMap(\.stock)
            if let branch { stock = stock.filter { $0.branch == branch } }
            let asOf = own.map(\.asOf).max { $0 < $1 } ?? chosen.asOf
            let price = chosen.priced ? chosen.price : nil
            let rate = rates.rate(chosen.currency, on: asOf)
            offers.append(
                Offer(
                    supplier: supplier, supplierCode: chosen.code, price: price, currency: chosen.currency,
                    priceBase: price.flatMap { p in rate.map { (p * $0).r2 } }, asOf: asOf,
                    stale: todayNumber - DatePattern.days(from: asOf) > staleAfterDays, stock: stock,
                    covers: stock.contains { !($0.quantity < quantity) }))
        }
        return offers.sorted { a, b in
            let (pa, pb) = (a.priceBase == nil, b.priceBase == nil)
            if pa != pb { return !pa }
            if a.covers != b.covers { return a.covers }
            if let x = a.priceBase, let y = b.priceBase, x != y { return x < y }
            return a.supplier < b.supplier
        }
    }
}
