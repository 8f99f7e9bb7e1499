/// The allocation state reconciliation goes on from, and the movements that change it: what lets a run replay only
/// the days its input touched (`docs/incremental.md`).
///
/// A movement is made where an invoice line takes open quantity from an order line (rules 2-4) or a return gives
/// it back to a receipt (rule 5). The state at the end of any day is the orders' quantities less the movements up
/// to that day: `AllocationStart.Builder`.
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

    /// The state after the movements of the days before a replay, handed over one at a time, in any order: a
    /// replay after a year is built from its 600,000 stored movements without holding them as one list (51 MB on
    /// the night after a year, heaptrack).
    package struct Builder {
        private var start: AllocationStart
        private struct Take: Hashable {
            var receipt: Int
            var order: Int
        }
        /// What give-backs took from each receipt they name: most receipts are never given back, so only those
        /// are looked up by key.
        private var givenBack: [Take: Fixed] = [:]

        package init(orders: [OrderLine]) { start = AllocationStart(orders: orders) }

        /// Room for `count` movements: at most one receipt each, rather than a list that doubles through a year.
        package mutating func reserve(_ count: Int) { start.receipts.reserveCapacity(count) }

        package mutating func add(_ m: Movement) {
            start.open[m.order] = start.open[m.order] - m.quantity
            start.nextSequence = max(start.nextSequence, m.receipt + 1)
            if m.quantity.isNegative {
                givenBack[Take(receipt: m.receipt, order: m.order), default: .zero] += m.quantity
            } else {
                start.receipts.append((m.receipt, m.order, m.quantity))
            }
        }

        /// The state: each receipt less what was given back from it, those with nothing left dropped, in the order
        /// they were made.
        package consuming func finish() -> AllocationStart {
            if !givenBack.isEmpty {
                for i in start.receipts.indices {
                    let r = start.receipts[i]
                    start.receipts[i].quantity =
                        r.quantity + (givenBack[Take(receipt: r.sequence, order: r.order)] ?? .zero)
                }
            }
            start.receipts.removeAll { $0.quantity.isZero || $0.quantity.isNegative }
            start.receipts.sort { ($0.sequence, $0.order) < ($1.sequence, $1.order) }
            return start
        }
    }
}
