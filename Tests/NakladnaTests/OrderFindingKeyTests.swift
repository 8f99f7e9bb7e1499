import Testing

@testable import Nakladna

/// `Ordering.sorted` puts order findings in the contract's order through `OrderFindingKey`, which compares the first
/// 16 bytes of each text as numbers: checked here against the order written out plainly, over texts made to meet
/// at the heads' edges (equal heads, one text the start of another, zero bytes, letters of two and three bytes).
@Suite struct OrderFindingKeyTests {
    /// The contract's order of order findings, as bytes compare: supplier, order number, article, then as they came.
    static func plainlyBefore(_ a: (finding: Finding, index: Int), _ b: (finding: Finding, index: Int)) -> Bool {
        for (x, y) in [
            (a.finding.supplier, b.finding.supplier), (a.finding.orderNumber, b.finding.orderNumber),
            (a.finding.article, b.finding.article),
        ] where Array(x.utf8) != Array(y.utf8) {
            return Array(x.utf8).lexicographicallyPrecedes(Array(y.utf8))
        }
        return a.index < b.index
    }

    @Test func orderFindingsComeInTheContractsOrder() {
        var generator = SystemRandomNumberGenerator()
        let sixteen = "ORD-000000000001"
        let texts = [
            "", "A", "ORD-1", "ORD-10", "ORD-2", sixteen, sixteen + "0", sixteen + "1", sixteen + "10",
            "ORD-00000000000",
            "ORD-00000000000\u{0}", "ORD-00000000000\u{0}\u{0}", "ЗАМ-1", "ЗАМ-10", "Зам-1", "€-1", "ORD-0000000€",
            "ORD-00000000€", "3 261 471 783", "3 261 471 7830", "3 261 471 783 0", "omega", "omega2",
        ]
        // The last is sorted in a share a core (`Parallel.sorted`'s minimum is 20,000).
        for (count, rounds) in [(0, 30), (1, 30), (2, 30), (3, 30), (40, 30), (400, 30), (30_000, 1)] {
            for _ in 0..<rounds {
                let day = CalendarDate(year: 2026, month: 1, day: 1)
                let findings = (0..<count).map { _ in
                    let ordered = Int.random(in: 0..<5, using: &generator) != 0
                    return Finding(
                        supplier: texts.randomElement(using: &generator)!,
                        supplierInvoice: ordered ? "" : texts.randomElement(using: &generator)!,
                        orderNumber: texts.randomElement(using: &generator)!,
                        article: texts.randomElement(using: &generator)!,
                        status: ordered ? .notDelivered : .matched, currency: "UAH", amountAtStake: .zero,
                        note: .manual(quantity: .zero), date: day)
                }
                let expected = findings.enumerated().filter { $0.element.status.isOrderFinding }
                    .map { (finding: $0.element, index: $0.offset) }.sorted(by: OrderFindingKeyTests.plainlyBefore)
                    .map(\.finding)
                let sorted = Ordering.sorted(RangeResults(findings: findings)).findings
                let documentFindings = sorted.count - expected.count
                #expect(sorted[..<documentFindings].allSatisfy { !$0.status.isOrderFinding })
                #expect(Array(sorted[documentFindings...]) == expected)
            }
        }
    }
}
