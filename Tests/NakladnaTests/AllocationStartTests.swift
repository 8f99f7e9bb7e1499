import Testing

@testable import Nakladna

/// `AllocationStart.Builder` makes the state a replay starts from out of the stored movements, in shares on every
/// core that are merged. Whatever the cut, it must give the state that taking each movement from the orders in turn
/// gives: each line's open quantity, the receipts with something left (less what was given back from them), and
/// the next receipt's sequence.
struct AllocationStartTests {
    /// Order lines of quantities with and without decimals, and movements over them: takes with a receipt each,
    /// and give-backs to earlier takes, some of them whole.
    static func history(seed: UInt64) -> (orders: [OrderLine], movements: [Movement]) {
        var random = SplitMix(seed: seed)
        let orders = (0..<40).map { i in
            ReconcilerTests.order(
                "O-\(i)", day: 1 + i % 20, "A\(i % 7)", qty: Bool.random(using: &random) ? "6" : "4.5", price: "10",
                row: i)
        }
        var movements: [Movement] = []
        var takes: [Movement] = []
        for receipt in 0..<300 {
            let day = ReconcilerTests.date(1 + receipt / 15)
            if let take = takes.randomElement(using: &random), Int.random(in: 0..<4, using: &random) == 0 {
                // A give-back names the receipt it reduces: half of it, or all of it.
                let back = Bool.random(using: &random) ? take.quantity : take.quantity * d("0.5")
                movements.append(Movement(day: day, receipt: take.receipt, order: take.order, quantity: -back))
            } else {
                let take = Movement(
                    day: day, receipt: receipt, order: Int.random(in: 0..<orders.count, using: &random),
                    quantity: Bool.random(using: &random) ? d("1") : d("0.25"))
                takes.append(take)
                movements.append(take)
            }
        }
        return (orders, movements)
    }

    /// The state by taking each movement from the orders in turn, as the book does, with the receipts of the
    /// order lines `keep` accepts.
    static func inTurn(_ orders: [OrderLine], _ movements: [Movement], keep: (Int) -> Bool) -> [String] {
        var open = orders.map(\.quantity)
        var next = 0
        var left: [Int: [Int: Fixed]] = [:]
        for m in movements {
            open[m.order] = open[m.order] - m.quantity
            next = max(next, m.receipt + 1)
            left[m.receipt, default: [:]][m.order, default: .zero] += m.quantity
        }
        var receipts: [String] = []
        for receipt in left.keys.sorted() {
            for (order, quantity) in left[receipt, default: [:]].sorted(by: { $0.key < $1.key })
            where !quantity.isZero && !quantity.isNegative && keep(order) {
                receipts.append("\(receipt) \(order) \(quantity)")
            }
        }
        return open.map { "\($0)" } + receipts + ["\(next)"]
    }

    static func text(_ s: AllocationStart, keep: (Int) -> Bool) -> [String] {
        s.open.map { "\($0)" } + s.receipts(of: keep).map { "\($0.sequence) \($0.order) \($0.quantity)" }
            + ["\(s.nextSequence)"]
    }

    @Test(arguments: [1, 2, 3, 7] as [UInt64])
    func sharesMergedGiveTheStateOfTheMovementsInTurn(seed: UInt64) {
        let (orders, movements) = AllocationStartTests.history(seed: seed)
        let expected = AllocationStartTests.inTurn(orders, movements, keep: { _ in true })
        // The receipts of some order lines only, as the book asks for those the documents can reach.
        let keep: @Sendable (Int) -> Bool = { $0 % 3 != 1 }
        let expectedKept = AllocationStartTests.inTurn(orders, movements, keep: keep)
        var random = SplitMix(seed: seed)
        // One share, shares of every size at random places, an empty one among them.
        for shares in [1, 2, 3, 5] {
            var cuts = (1..<shares).map { _ in Int.random(in: 0...movements.count, using: &random) }.sorted()
            cuts = [0] + cuts + [movements.count]
            var built: AllocationStart.Builder?
            for k in 0..<shares {
                var part = AllocationStart.Builder(lines: orders.count)
                for m in movements[cuts[k]..<cuts[k + 1]] { part.add(m) }
                if built == nil { built = part } else { built?.merge(part) }
            }
            let state = built!.finish(orders: orders)
            #expect(AllocationStartTests.text(state, keep: { _ in true }) == expected, "\(shares) shares at \(cuts)")
            #expect(AllocationStartTests.text(state, keep: keep) == expectedKept, "\(shares) shares at \(cuts)")
        }
    }
}
