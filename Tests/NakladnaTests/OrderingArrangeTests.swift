import Testing

@testable import Nakladna

/// `Ordering.arrange` puts rows into their places by moving them along the permutation's cycles: it must give
/// exactly what copying them in that order gives, for any order of any subset of the rows.
@Suite struct OrderingArrangeTests {
    @Test func arrangingInPlaceGivesWhatCopyingGives() {
        var generator = SystemRandomNumberGenerator()
        for count in [0, 1, 2, 3, 10, 257] {
            for _ in 0..<50 {
                let rows = (0..<count).map { "row \($0)" }
                // A random subset, in a random order; sometimes all of them, sometimes in their own order.
                var order = Array(rows.indices).shuffled(using: &generator)
                if Bool.random(using: &generator) { order.removeLast(Int.random(in: 0...count, using: &generator)) }
                if Int.random(in: 0..<5, using: &generator) == 0 { order.sort() }
                var arranged = rows
                Ordering.arrange(&arranged, as: order)
                #expect(arranged == order.map { rows[$0] }, "\(count) rows as \(order)")
            }
        }
    }
}
