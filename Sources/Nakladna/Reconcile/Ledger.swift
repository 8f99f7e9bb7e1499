/// The allocation state reconciliation goes on from, and the movements that change it: what lets a run replay only
/// the days its input touched (`docs/incremental.md`).
///
/// A movement is made where an invoice line takes open quantity from an order line (rules 2-4) or a return gives
/// it back to a receipt (rule 5). The state at the end of any day is the orders' quantities less the movements up
/// to that day: `Ledger.state(orders:movements:)`.
package struct Movement: Sendable, Hashable {
    /// The document's invoice date.
    package var day: CalendarDate
    /// For a take, its receipt's sequence (one per invoice line, in processing order); for a give-back, the
    /// sequence of the receipt it reduces.
    package var receipt: Int
    /// The order line, by its index in the reconciliation's orders.
    package var order: Int
    /// Positive: taken by an invoice line. Negative: given back by a return.
    package var quantity: Fixed

    package init(day: CalendarDate, receipt: Int, order: Int, quantity: Fixed) {
        self.day = day
        self.receipt = receipt
        self.order = order
        self.quantity = quantity
    }
}

/// Where allocation starts: each order line's open quantity, the receipts a return can still give back to, and the
/// next receipt's sequence.
package struct AllocationStart: Sendable {
    package var open: [Fixed]
    /// Receipts not wholly given back: (sequence, order line, quantity left).
    package var receipts: [(sequence: Int, order: Int, quantity: Fixed)]
    package var nextSequence: Int

    /// Nothing received yet: every order line wholly open.
    package init(orders: [OrderLine]) {
        open = orders.map(\.quantity)
        receipts = []
        nextSequence = 0
    }

    /// The state after `movements` (those of the days before the replay), given in any order.
    package init(orders: [OrderLine], movements: [Movement]) {
        self.init(orders: orders)
        struct Take: Hashable {
            var receipt: Int
            var order: Int
        }
        // Most receipts are never given back: only those a give-back names are looked up by key.
        var givenBack: [Take: Fixed] = [:]
        for m in movements where m.quantity.isNegative {
            givenBack[Take(receipt: m.receipt, order: m.order), default: .zero] += m.quantity
        }
        // At most one receipt a movement: room for them at once, not a list that doubles through a year of them.
        receipts.reserveCapacity(movements.count)
        for m in movements {
            open[m.order] = open[m.order] - m.quantity
            nextSequence = max(nextSequence, m.receipt + 1)
            guard !m.quantity.isNegative else { continue }
            let left =
                m.quantity + (givenBack.isEmpty ? .zero : givenBack[Take(receipt: m.receipt, order: m.order)] ?? .zero)
            if !left.isZero && !left.isNegative { receipts.append((m.receipt, m.order, left)) }
        }
        receipts.sort { ($0.sequence, $0.order) < ($1.sequence, $1.order) }
    }
}
