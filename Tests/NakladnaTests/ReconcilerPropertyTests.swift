import PropertyBased
import Testing

@testable import Nakladna

/// Invariants of allocation on generated orders and invoices.
@Suite struct ReconcilerPropertyTests {
    /// (article 0–3, quantity 1–5, order day 1–10)
    static let orders = zip(Gen.int(in: 0...3), Gen.int(in: 1...5), Gen.int(in: 1...10)).array(of: 0...8)
    /// (article 0–4, where 4 is never ordered; quantity −2…6; day 1–15; document 0–5; is a return)
    static let lines = zip(Gen.int(in: 0...4), Gen.int(in: -2...6), Gen.int(in: 1...15), Gen.int(in: 0...5), Gen.bool)
        .array(of: 1...14)

    static func build(_ o: [(Int, Int, Int)], _ l: [(Int, Int, Int, Int, Bool)]) -> ([OrderLine], [ReceivedDocument]) {
        let orders = o.enumerated().map { i, spec in
            ReconcilerTests.order(
                "O\(i)", day: spec.2, "A\(spec.0)", qty: "\(spec.1)", price: "10.00", row: i)
        }
        // Lines grouped into documents by their document number; a document takes the first line's day and kind.
        var grouped: [Int: (day: Int, isReturn: Bool, lines: [(String, String, String)])] = [:]
        for spec in l where spec.1 != 0 {
            grouped[spec.3, default: (spec.2, spec.4, [])].lines.append(("A\(spec.0)", "\(spec.1)", "10.00"))
        }
        let documents = grouped.keys.sorted().compactMap { n -> ReceivedDocument? in
            guard let g = grouped[n] else { return nil }
            return ReconcilerTests.doc(
                "D\(n)", day: g.day, kind: g.isReturn ? .return : .invoice, lines: g.lines, received: n)
        }
        return (orders, documents)
    }

    @Test func everyInvoicedQuantityIsInExactlyOneFinding() async {
        await propertyCheck(input: Self.orders, Self.lines) { o, l in
            let (orders, documents) = Self.build(o, l)
            let out = ReconcilerTests.run(orders: orders, documents: documents)
            for received in documents {
                let inc = out.incDocuments.first { $0.supplierInvoice == received.document.supplierInvoice }
                for line in received.document.lines {
                    let parts = out.findings.filter { $0.incNumber == inc?.incNumber && $0.line == line.line }
                    let total = parts.reduce(Fixed.zero) { $0 + ($1.invoicedQty ?? .zero) }
                    #expect(total == line.quantity.magnitude, "\(received.document.supplierInvoice) line \(line.line)")
                }
            }
        }
    }

    @Test func noOrderLineReceivesMoreThanOrdered() async {
        await propertyCheck(input: Self.orders, Self.lines) { o, l in
            let (orders, documents) = Self.build(o, l)
            let out = ReconcilerTests.run(orders: orders, documents: documents)
            // Net received per order line: matched and mismatched parts in, returned parts back out. Anything beyond
            // an order never lands on it: it is an over_delivered or unordered row with no order number.
            for order in orders {
                let net = out.findings.filter { $0.orderNumber == order.orderNumber }.reduce(Fixed.zero) { sum, f in
                    switch f.status {
                    case .matched, .priceMismatch: return sum + (f.invoicedQty ?? .zero)
                    case .returned: return sum - (f.invoicedQty ?? .zero)
                    default: return sum
                    }
                }
                #expect(!(order.quantity < net), "\(order.orderNumber) received \(net) of \(order.quantity)")
                #expect(!net.isNegative)
            }
            #expect(
                out.findings.filter { $0.status == .overDelivered || $0.status == .unordered }.allSatisfy {
                    $0.orderNumber.isEmpty
                })
        }
    }

    @Test func outputDoesNotDependOnTheOrderFilesComeIn() async {
        await propertyCheck(input: Self.orders, Self.lines, Gen.int(in: 0...1000)) { o, l, seed in
            let (orders, documents) = Self.build(o, l)
            // Another arrival order: the files listed differently and received in another sequence. Documents are
            // distinct, so no version is a duplicate of another and arrival order must not matter.
            var shuffled = documents
            var generator = SplitMix(seed: UInt64(seed))
            shuffled.shuffle(using: &generator)
            for i in shuffled.indices { shuffled[i].receivedOrder = i }
            let a = ReconcilerTests.run(orders: orders, documents: documents)
            let b = ReconcilerTests.run(orders: orders, documents: shuffled)
            #expect(a.findings == b.findings)
            #expect(a.incDocuments == b.incDocuments)
            #expect(a.incLines == b.incLines)
        }
    }
}

/// A small seeded generator, so that a failing shuffle can be replayed.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
