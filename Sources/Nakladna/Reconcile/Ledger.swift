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
    package typealias Receipt = (sequence: Int, order: Int, quantity: Fixed)
    package var open: [Fixed]
    /// Every take, in no particular order, and what give-backs took from each (negative), by the take's receipt
    /// and order line. Kept apart until the receipts of some order lines are asked for (`receipts(of:)`): a night
    /// needs those of the few lines its documents name, where three years of takes are 1.8 million.
    var takes: [Receipt]
    var givenBack: [Take: Fixed]
    package var nextSequence: Int

    /// A take: the receipt it made, and the order line it was taken from.
    struct Take: Hashable, Sendable {
        var receipt: Int
        var order: Int
    }

    /// Nothing received yet: every order line wholly open.
    package init(orders: [OrderLine]) {
        open = orders.map(\.quantity)
        (takes, givenBack) = ([], [:])
        nextSequence = 0
    }

    /// The receipts of the order lines `keep` accepts (by index) that were not wholly given back, in the order they
    /// were made: (sequence, order line, quantity left).
    package func receipts(of keep: (Int) -> Bool) -> [Receipt] {
        var receipts = takes.filter { keep($0.order) }
        receipts.sort { ($0.sequence, $0.order) < ($1.sequence, $1.order) }
        // Only the kept receipts are looked up among the give-backs: the lines a night's documents name have a few
        // thousand, where all of history's takes are counted in millions.
        for i in receipts.indices {
            if let back = givenBack[Take(receipt: receipts[i].sequence, order: receipts[i].order)] {
                receipts[i].quantity = receipts[i].quantity + back
            }
        }
        receipts.removeAll { $0.quantity.isZero || $0.quantity.isNegative }
        return receipts
    }

    /// The state after the movements of the days before a replay, handed over one at a time, in any order: a
    /// replay after a year is built from its 600,000 stored movements without holding them as one list (51 MB on
    /// the night after a year, heaptrack). Shares of the movements may be added to builders of their own, on other
    /// cores, and merged; the orders' quantities come in at the end.
    package struct Builder: Sendable {
        /// The order lines the movements name by index.
        private let lines: Int
        /// Every take, in the order added: each is a receipt, and together they are what was taken from each line.
        private var takes: [Receipt] = []
        private var nextSequence = 0
        /// What give-backs took from each receipt they name: most receipts are never given back, so only those
        /// are looked up by key.
        private var givenBack: [Take: Fixed] = [:]

        /// No movements yet, over as many order lines. A share holds no quantity per line: the takes and give-backs
        /// are summed up per line once, at the end, rather than into a year's 650,000 lines on each core.
        package init(lines: Int) { self.lines = lines }

        /// Room for `count` movements: at most one receipt each, rather than a list that doubles through a year.
        package mutating func reserve(_ count: Int) { takes.reserveCapacity(count) }

        package mutating func add(_ m: Movement) {
            precondition(m.order < lines, "a movement of an order line beyond the orders")
            nextSequence = max(nextSequence, m.receipt + 1)
            if m.quantity.isNegative {
                givenBack[Take(receipt: m.receipt, order: m.order), default: .zero] += m.quantity
            } else {
                takes.append((m.receipt, m.order, m.quantity))
            }
        }

        /// Adds the movements `share` was given, as if they had been added here.
        package mutating func merge(_ share: consuming Builder) {
            precondition(share.lines == lines, "a share over other order lines")
            nextSequence = max(nextSequence, share.nextSequence)
            takes += share.takes
            givenBack.merge(share.givenBack, uniquingKeysWith: +)
        }

        /// The state from `orders` (the lines the movements name by index): each line's quantity and its change,
        /// and the takes and give-backs, for the receipts to be made of them where asked (`receipts(of:)`). A line's
        /// quantity is added to its change even where that is zero: a take given back whole leaves a zero with the
        /// take's decimals, as subtracting each movement from the quantity in turn would.
        package consuming func finish(orders: [OrderLine]) -> AllocationStart {
            precondition(orders.count == lines, "other order lines than the movements name")
            var change = Array(repeating: Fixed.zero, count: lines)
            for t in takes { change[t.order] = change[t.order] - t.quantity }
            for (take, back) in givenBack { change[take.order] = change[take.order] - back }
            for i in change.indices { change[i] = orders[i].quantity + change[i] }
            var start = AllocationStart(orders: [])
            (start.open, start.takes, start.givenBack, start.nextSequence) = (change, takes, givenBack, nextSequence)
            return start
        }
    }
}
