/// Documents converted at a rate older than the station allows (`reconcile.rate_max_age_days`). The rate is still
/// used, as the contract says (an invoice takes the rate of its date, or of the latest earlier date), but the
/// accountant is told which documents rest on an old one, and how old.
package enum OldRates {
    /// One document and the rate it was converted at.
    package struct Flag: Sendable, Equatable {
        package var incNumber: String
        package var supplier: String
        package var supplierInvoice: String
        package var invoiceDate: CalendarDate
        package var currency: String
        package var rateDate: CalendarDate
        /// How many days the rate is older than the invoice.
        package var days: Int
    }

    /// The documents among `documents` whose rate is more than `maxAgeDays` older than their invoice date, in
    /// their order.
    package static func find(_ documents: [IncDocument], rates: Rates, maxAgeDays: Int) -> [Flag] {
        documents.compactMap { d in
            guard d.currency != rates.base, d.rate != nil, let rateDate = rates.rateDate(d.currency, on: d.invoiceDate)
            else { return nil }
            let days = DatePattern.days(from: d.invoiceDate) - DatePattern.days(from: rateDate)
            guard days > maxAgeDays else { return nil }
            return Flag(
                incNumber: d.incNumber, supplier: d.supplier, supplierInvoice: d.supplierInvoice,
                invoiceDate: d.invoiceDate, currency: d.currency, rateDate: rateDate, days: days)
        }
    }

    /// The flag as one line, in `language`.
    package static func line(_ f: Flag, _ language: Language) -> String {
        language == .uk
            ? "\(f.supplier) \(f.supplierInvoice) (\(f.incNumber)) від \(Format.date(f.invoiceDate, .uk)): курс "
                + "\(f.currency) на \(Format.date(f.rateDate, .uk)), старший на \(f.days) дн."
            : "\(f.supplier) \(f.supplierInvoice) (\(f.incNumber)) of \(Format.date(f.invoiceDate, .en)): the \(f.currency) "
                + "rate of \(Format.date(f.rateDate, .en)), \(f.days) days older"
    }
}
