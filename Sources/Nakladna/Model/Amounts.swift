/// The contract's amount rules ("Amounts, exactly"): how a line's net, VAT, gross and unit gross price follow from
/// what the document states. Pure, exact, rounded half away from zero only where a document shows an amount.
package enum Amounts {
    /// `1 + v/100`, exact.
    static func grossFactor(_ vatRate: Fixed) -> Fixed {
        Fixed.one + vatRate * Fixed(units: 1, scale: 2)
    }

    /// `price × (1 − percent/100)`, exact: a line discount taken off a unit price before any rounding.
    package static func less(percent: Fixed, of price: Fixed) -> Fixed {
        (price * (Fixed.hundred - percent) * Fixed(units: 1, scale: 2)).normalized
    }

    /// Net, VAT and gross from an amount stated on `basis`.
    package static func from(amount: Fixed, basis: PriceBasis, vatRate: Fixed) -> Totals {
        switch basis {
        case .net:
            let net = amount.r2
            let vat = (net * vatRate * Fixed(units: 1, scale: 2)).r2
            return Totals(net: net, vat: vat, gross: net + vat)
        case .gross:
            let gross = amount.r2
            let net = gross.divided(by: grossFactor(vatRate), places: 2) ?? gross
            return Totals(net: net, vat: gross - net, gross: gross)
        }
    }

    /// A line's amounts and exact unit gross price.
    ///
    /// A stated line amount stands; otherwise the amount is `r2(quantity × unit price)` on the price's basis.
    /// The unit gross price comes from the unit price where there is one, else `gross ÷ quantity` (to 10 places;
    /// zero for a zero quantity). Returns nil when there is neither a price nor an amount.
    package static func line(
        quantity: Fixed, unitPrice: (Fixed, PriceBasis)?, lineAmount: (Fixed, PriceBasis)?, vatRate: Fixed
    ) -> (amounts: Totals, unitGross: Fixed)? {
        let amounts: Totals
        if let (amount, basis) = lineAmount {
            amounts = from(amount: amount, basis: basis, vatRate: vatRate)
        } else if let (price, basis) = unitPrice {
            amounts = from(amount: quantity * price, basis: basis, vatRate: vatRate)
        } else {
            return nil
        }
        let unitGross: Fixed
        if let (price, basis) = unitPrice {
            unitGross = basis == .gross ? price : price * grossFactor(vatRate)
        } else {
            unitGross = amounts.gross.divided(by: quantity, places: 10)?.normalized ?? .zero
        }
        return (amounts, unitGross)
    }
}
