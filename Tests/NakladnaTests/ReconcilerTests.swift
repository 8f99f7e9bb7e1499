import Testing

@testable import Nakladna

/// Hand-made cases, one or more per status. Every expected quantity and amount is worked out in the comments.
/// Prices are gross per unit; all orders and documents are for one supplier, "s", and the brand BOSCH.
@Suite struct ReconcilerTests {
    static let brands = Brands()

    static func date(_ day: Int, month: Int = 11) -> CalendarDate { CalendarDate(year: 2026, month: month, day: day) }

    static func order(
        _ number: String, day: Int, _ article: String, qty: String, price: String, ref: String = "",
        supplier: String = "s", currency: String = "UAH", row: Int = 0
    ) -> OrderLine {
        OrderLine(
            orderNumber: number, supplier: supplier, supplierOrderId: ref, orderDate: date(day), brand: "BOSCH",
            article: article, name: "part \(article)", quantity: d(qty), unitPrice: d(price), currency: currency,
            key: brands.articleKey(brand: "BOSCH", article: article), row: row)
    }

    /// A document whose lines are (article, quantity, gross unit price); amounts by the contract's gross rule.
    static func doc(
        _ number: String, day: Int, kind: DocumentKind = .invoice, refs: [String] = [],
        lines: [(String, String, String)], stated: String? = nil, currency: String = "UAH", customer: String? = nil,
        received: Int = 0, supplier: String = "s"
    ) -> ReceivedDocument {
        let documentLines = lines.enumerated().map { i, l in
            let q = d(l.1)
            let g = d(l.2)
            let amounts = Amounts.from(amount: q * g, basis: .gross, vatRate: d("20"))
            return DocumentLine(
                line: i + 1, brand: "BOSCH", article: l.0, supplierCode: "", name: "part \(l.0)", quantity: q,
                unitPriceGross: g, vatRate: d("20"), amounts: amounts)
        }
        let document = Document(
            supplierInvoice: number, kind: kind, invoiceDate: date(day), currency: currency, orderRefs: refs,
            customerId: customer, stated: StatedTotals(gross: stated.map(d)), lines: documentLines, adjustments: [])
        return ReceivedDocument(
            supplier: supplier, document: document, receivedOrder: received,
            fileName: "\(number).json", lineKeys: lines.map { brands.articleKey(brand: "BOSCH", article: $0.0) })
    }

    static func run(
        orders: [OrderLine], documents: [ReceivedDocument], to: Int = 30, from: Int = 1,
        tolerance: Tolerance = Tolerance(percent: d("0.5"), absolute: d("0.05")),
        rates: Rates = Rates(base: "UAH", rows: []),
        customer: String? = nil, acceptCorrections: Bool = false, incNumbers: [DocumentKey: String] = [:],
        suppliers: [SupplierRules]? = nil
    ) -> ReconcileOutput {
        Reconciler.run(
            ReconcileInput(
                suppliers: suppliers
                    ?? [SupplierRules(id: "s", tolerance: tolerance, hasInvoiceFeed: true, customerId: customer)],
                orders: orders, documents: documents, rates: rates, baseCurrency: "UAH", from: date(from),
                to: date(to), horizon: date(to), overdueAfterDays: 7, acceptCorrections: acceptCorrections,
                incNumbers: incNumbers))
    }

    /// The findings as (status, order, invoiced quantity, amount) for compact expectations.
    static func rows(_ out: ReconcileOutput) -> [String] {
        out.findings.map {
            "\($0.status.rawValue) \($0.supplierInvoice) \($0.orderNumber) \($0.invoicedQty?.description ?? "-") \($0.amountAtStake.formatted(places: 2))"
        }
    }

    /// The contract's tie-break for text: code points in order, a text before every longer one it begins; and
    /// byte order tells two spellings of one character apart, which `String`'s `==` takes for one.
    @Test func codePointOrderComparesTheBytesThenTheLength() {
        #expect(codePointLess("O-1", "O-10") && !codePointLess("O-10", "O-1"))
        #expect(codePointLess("O-10", "O-2") && codePointLess("Z", "a") && codePointLess("z", "Є"))
        #expect(!codePointLess("Фільтр", "Фільтр") && utf8Order("Фільтр", "Фільтр") == 0)
        #expect("\u{00E9}" == "e\u{0301}" && utf8Order("\u{00E9}", "e\u{0301}") != 0)
    }

    @Test func matched() {
        // Ordered 2 at 100.00, invoiced 2 at 100.00: one matched row of 2, nothing at stake, the INC is ready.
        let out = Self.run(
            orders: [Self.order("O1", day: 1, "111", qty: "2", price: "100.00")],
            documents: [Self.doc("I1", day: 2, lines: [("111", "2", "100.00")])])
        #expect(Self.rows(out) == ["matched I1 O1 2 0.00"])
        #expect(out.incDocuments.map(\.status) == ["ready"])
        #expect(out.incLines.map(\.status) == ["matched"])
    }

    @Test func partialDeliveryOverTwoInvoices() {
        // Ordered 5 on the 1st. Invoice A (2nd) brings 2, invoice B (3rd) brings 3: both matched to O1,
        // and at the range end (the 20th) nothing is open, so nothing is reported as not delivered.
        let order = Self.order("O1", day: 1, "111", qty: "5", price: "100.00")
        let a = Self.doc("A", day: 2, lines: [("111", "2", "100.00")])
        let b = Self.doc("B", day: 3, lines: [("111", "3", "100.00")])
        #expect(
            Self.rows(Self.run(orders: [order], documents: [a, b], to: 20)) == [
                "matched A O1 2 0.00", "matched B O1 3 0.00",
            ])
        // With invoice A alone, 3 stay open; on the 20th the order is 19 days old (> 7): 3 × 100.00 = 300.00.
        #expect(
            Self.rows(Self.run(orders: [order], documents: [a], to: 20)) == [
                "matched A O1 2 0.00", "not_delivered  O1 2 300.00",
            ])
    }

    @Test func oneLineSplitAcrossTwoOrders() {
        // X (1st) and Y (2nd) each ordered 2. A line of 3 takes the oldest first: 2 from X, 1 from Y.
        let out = Self.run(
            orders: [
                Self.order("X", day: 1, "111", qty: "2", price: "50.00"),
                Self.order("Y", day: 2, "111", qty: "2", price: "50.00"),
            ],
            documents: [Self.doc("I1", day: 3, lines: [("111", "3", "50.00")])], to: 5)
        #expect(Self.rows(out) == ["matched I1 X 2 0.00", "matched I1 Y 1 0.00"])
        #expect(out.incLines[0].orderNumbers == ["X", "Y"])
        #expect(out.incDocuments[0].orders == ["X", "Y"])
    }

    @Test func onOneOrderDateTheLowerOrderNumberComesFirst() {
        // B10 and A20 both ordered 2 on the 1st, B10 first in the file and then A20; Z30 ordered 2 on the 2nd, and
        // before them in the file. Rule 3: the oldest order date, then the order number: a line of 5 takes 2 from
        // A20, 2 from B10 and 1 from Z30, whatever the rows' order.
        let out = Self.run(
            orders: [
                Self.order("Z30", day: 2, "111", qty: "2", price: "50.00", row: 1),
                Self.order("B10", day: 1, "111", qty: "2", price: "50.00", row: 2),
                Self.order("A20", day: 1, "111", qty: "2", price: "50.00", row: 3),
            ],
            documents: [Self.doc("I1", day: 3, lines: [("111", "5", "50.00")])], to: 5)
        #expect(Self.rows(out) == ["matched I1 A20 2 0.00", "matched I1 B10 2 0.00", "matched I1 Z30 1 0.00"])
    }

    @Test func theReferencedOrderComesFirst() {
        // Y is younger, but the invoice names its supplier order id S2: Y takes the 2 before X.
        let out = Self.run(
            orders: [
                Self.order("X", day: 1, "111", qty: "2", price: "50.00", ref: "S1"),
                Self.order("Y", day: 2, "111", qty: "2", price: "50.00", ref: "S2"),
            ],
            documents: [Self.doc("I1", day: 3, refs: ["S2"], lines: [("111", "2", "50.00")])], to: 5)
        #expect(Self.rows(out) == ["matched I1 Y 2 0.00"])
    }

    @Test func overDelivered() {
        // Ordered 3, invoiced 5 at 260.00: 3 matched, 2 beyond the order: 2 × 260.00 = 520.00 at stake.
        let out = Self.run(
            orders: [Self.order("O1", day: 1, "111", qty: "3", price: "260.00")],
            documents: [Self.doc("I1", day: 2, lines: [("111", "5", "260.00")])], to: 5)
        #expect(Self.rows(out) == ["matched I1 O1 3 0.00", "over_delivered I1  2 520.00"])
        #expect(out.incLines[0].status == "over_delivered")
        #expect(out.incDocuments[0].status == "review")
    }

    @Test func unordered() {
        // 222 was never ordered: 4 × 95.00 = 380.00 at stake.
        let out = Self.run(
            orders: [Self.order("O1", day: 1, "111", qty: "1", price: "10.00")],
            documents: [Self.doc("I1", day: 2, lines: [("111", "1", "10.00"), ("222", "4", "95.00")])], to: 5)
        #expect(Self.rows(out) == ["matched I1 O1 1 0.00", "unordered I1  4 380.00"])
        // An order placed after the invoice date does not count as "ever ordered": still unordered.
        let late = Self.run(
            orders: [Self.order("O2", day: 9, "222", qty: "4", price: "95.00")],
            documents: [Self.doc("I1", day: 2, lines: [("222", "4", "95.00")])], to: 5)
        #expect(Self.rows(late) == ["unordered I1  4 380.00"])
    }

    /// X (1st) and Y (2nd), each 2 of 111 at 100.00: the orders the returns go back to.
    static let xAndY = [
        order("X", day: 1, "111", qty: "2", price: "100.00"), order("Y", day: 2, "111", qty: "2", price: "100.00"),
    ]

    @Test func returnGoesBackMostRecentReceiptFirst() {
        // X (1st) and Y (2nd) each ordered 2. Invoice A (3rd) fills X, invoice B (4th) fills Y.
        // A return of 3 on the 5th: Y's receipt is the latest, so Y gets 2 back (−2 × 100.00 = −200.00), then X 1
        // (−100.00). X and Y are open again (1 and 2): on the 30th both are overdue, 100.00 and 200.00.
        let out = Self.run(
            orders: Self.xAndY,
            documents: [
                Self.doc("A", day: 3, lines: [("111", "2", "100.00")]),
                Self.doc("B", day: 4, lines: [("111", "2", "100.00")]),
                Self.doc("R", day: 5, kind: .return, lines: [("111", "3", "100.00")]),
            ])
        #expect(
            Self.rows(out) == [
                "matched A X 2 0.00", "matched B Y 2 0.00", "returned R Y 2 -200.00", "returned R X 1 -100.00",
                "not_delivered  X 1 100.00", "not_delivered  Y 0 200.00",
            ])
        #expect(out.incDocuments.last?.status == "ready")
    }

    @Test func aReturnWithinOneReceiptGoesToTheLaterOrderFirst() {
        // X (1st) and Y (2nd) each ordered 2; one line of invoice A (3rd) takes 4: X 2, then Y 2, one receipt.
        // Rule 5's tie: a return of 1 on the 5th goes back to the later order date, Y (−100.00). On the 30th only
        // Y is open again, 1 × 100.00; with the tie reversed it would be X.
        let out = Self.run(
            orders: Self.xAndY,
            documents: [
                Self.doc("A", day: 3, lines: [("111", "4", "100.00")]),
                Self.doc("R", day: 5, kind: .return, lines: [("111", "1", "100.00")]),
            ])
        #expect(
            Self.rows(out) == [
                "matched A X 2 0.00", "matched A Y 2 0.00", "returned R Y 1 -100.00", "not_delivered  Y 1 100.00",
            ])
    }

    @Test func returnOfGoodsNeverReceived() {
        // Nothing of 333 was received: one returned row without an order, −1 × 40.00.
        let out = Self.run(
            orders: [], documents: [Self.doc("R", day: 5, kind: .return, lines: [("333", "1", "40.00")])])
        #expect(Self.rows(out) == ["returned R  1 -40.00"])
    }

    @Test func negativeLinesRunAgainstTheirDocument() {
        // An invoice line of −1 is given back like a return; a return line of −1 is received like an invoice.
        let out = Self.run(
            orders: [Self.order("O1", day: 1, "111", qty: "2", price: "10.00")],
            documents: [
                Self.doc("A", day: 2, lines: [("111", "2", "10.00")]),
                Self.doc("B", day: 3, lines: [("111", "-1", "10.00")]),
                Self.doc("C", day: 4, kind: .return, lines: [("111", "-1", "10.00")]),
            ], to: 5)
        #expect(Self.rows(out) == ["matched A O1 2 0.00", "returned B O1 1 -10.00", "matched C O1 1 0.00"])
    }

    @Test func priceJustInsideAndJustOutsideTheTolerance() {
        // Tolerance max(0.05, 0.5 % × 200.00 = 1.00) = 1.00. 201.00 is 1.00 over: not strictly beyond, matched.
        // 201.01 is 1.01 over: a mismatch, at stake (201.01 − 200.00) × 2 = 2.02.
        let order = Self.order("O1", day: 1, "111", qty: "2", price: "200.00")
        #expect(
            Self.rows(
                Self.run(orders: [order], documents: [Self.doc("I1", day: 2, lines: [("111", "2", "201.00")])], to: 5))
                == ["matched I1 O1 2 0.00"])
        #expect(
            Self.rows(
                Self.run(orders: [order], documents: [Self.doc("I1", day: 2, lines: [("111", "2", "201.01")])], to: 5))
                == ["price_mismatch I1 O1 2 2.02"])
        // Cheap parts: 0.5 % of 5.00 is 0.025, so the absolute 0.05 rules. 5.05 is inside, 4.94 outside (−0.06 × 1).
        let cheap = Self.order("O2", day: 1, "222", qty: "1", price: "5.00")
        #expect(
            Self.rows(
                Self.run(orders: [cheap], documents: [Self.doc("I2", day: 2, lines: [("222", "1", "5.05")])], to: 5))
                == ["matched I2 O2 1 0.00"])
        #expect(
            Self.rows(
                Self.run(orders: [cheap], documents: [Self.doc("I2", day: 2, lines: [("222", "1", "4.94")])], to: 5))
                == ["price_mismatch I2 O2 1 -0.06"])
    }

    @Test func netToGrossRoundingToTheKopeck() throws {
        // A net price of 0.125 at 20 %: net r2(0.125) = 0.13 (half away from zero), VAT r2(0.13 × 0.2 = 0.026) = 0.03,
        // gross 0.16; the unit gross price is exact, 0.125 × 1.2 = 0.15.
        let cheap = try #require(
            Amounts.line(quantity: d("1"), unitPrice: (d("0.125"), .net), lineAmount: nil, vatRate: d("20")))
        #expect(cheap.amounts == Totals(net: d("0.13"), vat: d("0.03"), gross: d("0.16")))
        #expect(cheap.unitGross == d("0.15"))
        // 3 × 260.42 net = 781.26; VAT r2(156.252) = 156.25; gross 937.51; unit gross 312.504 (not rounded).
        let bm = try #require(
            Amounts.line(quantity: d("3"), unitPrice: (d("260.42"), .net), lineAmount: nil, vatRate: d("20")))
        #expect(bm.amounts == Totals(net: d("781.26"), vat: d("156.25"), gross: d("937.51")))
        #expect(bm.unitGross == d("312.504"))
        // Gross 312.50: net r2(312.50 / 1.2 = 260.41666…) = 260.42, VAT 312.50 − 260.42 = 52.08.
        #expect(
            Amounts.from(amount: d("312.50"), basis: .gross, vatRate: d("20"))
                == Totals(
                    net: d("260.42"), vat: d("52.08"), gross: d("312.50")))
        // The exact unit gross 312.504 against an order at 312.50: 0.004 apart, within tolerance.
        let line = DocumentLine(
            line: 1, brand: "BOSCH", article: "111", supplierCode: "", name: "", quantity: d("3"),
            unitPriceGross: bm.unitGross, vatRate: d("20"), amounts: bm.amounts)
        var document = Self.doc("I1", day: 2, lines: []).document
        document.lines = [line]
        let received = ReceivedDocument(
            supplier: "s", document: document, receivedOrder: 0, fileName: "I1.json",
            lineKeys: [Self.brands.articleKey(brand: "BOSCH", article: "111")])
        let out = Self.run(
            orders: [Self.order("O1", day: 1, "111", qty: "3", price: "312.50")], documents: [received], to: 5)
        #expect(Self.rows(out) == ["matched I1 O1 3 0.00"])
        #expect(out.incDocuments[0].totals.gross == d("937.51"))
    }

    @Test func duplicateInvoiceAndAcceptedCorrection() {
        // I1 arrives first with 2 pieces, then again with 3: the second version is a duplicate, at stake its own
        // gross 3 × 10.00 = 30.00, with no INC; the first keeps its INC and its match.
        let first = Self.doc("I1", day: 2, lines: [("111", "2", "10.00")], received: 1)
        let second = Self.doc("I1", day: 2, lines: [("111", "3", "10.00")], received: 2)
        let order = Self.order("O1", day: 1, "111", qty: "3", price: "10.00")
        let out = Self.run(orders: [order], documents: [second, first], to: 5)
        #expect(Self.rows(out) == ["duplicate_invoice I1  - 30.00", "matched I1 O1 2 0.00"])
        #expect(out.incDocuments.count == 1)
        // The same content sent twice is one document: no duplicate.
        #expect(Self.rows(Self.run(orders: [order], documents: [first, first], to: 5)) == ["matched I1 O1 2 0.00"])
        // With --accept-corrections the second version replaces the first, under the same INC number.
        let accepted = Self.run(
            orders: [order], documents: [first, second], to: 5, acceptCorrections: true, incNumbers: out.incNumbers)
        #expect(Self.rows(accepted) == ["matched I1 O1 3 0.00"])
        #expect(accepted.incDocuments.map(\.incNumber) == out.incDocuments.map(\.incNumber))
        #expect(accepted.accepted[DocumentKey(supplier: "s", invoice: "I1")] == second.contentHash)
    }

    @Test func totalMismatch() {
        // Stated 400.00, lines add up to 4 × 95.00 = 380.00: stated − computed = 20.00, one finding, INC review.
        let out = Self.run(
            orders: [], documents: [Self.doc("I1", day: 2, lines: [("222", "4", "95.00")], stated: "400.00")])
        #expect(Self.rows(out) == ["total_mismatch I1  - 20.00", "unordered I1  4 380.00"])
        // Two lines allow 0.01 × 2 = 0.02: a stated 20.02 against 20.00 is not beyond it.
        let within = Self.run(
            orders: [],
            documents: [Self.doc("I2", day: 2, lines: [("1", "1", "10.00"), ("2", "1", "10.00")], stated: "20.02")])
        #expect(!within.findings.contains { $0.status == .totalMismatch })
    }

    @Test func foreignCustomer() {
        // Addressed to 5000, the station is 4411: a finding with nothing at stake, and no INC at all.
        let out = Self.run(
            orders: [], documents: [Self.doc("V1", day: 2, lines: [("1", "1", "10.55")], customer: "5000")],
            customer: "4411")
        #expect(Self.rows(out) == ["foreign_customer V1  - 0.00"])
        #expect(out.incDocuments.isEmpty)
    }

    @Test func missingRate() {
        // EUR on the 2nd with the first rate on the 3rd: missing_rate, the INC issued for review without rate.
        let rates = Rates(base: "UAH", rows: [("EUR", Self.date(3), d("49.0120"))])
        let doc = Self.doc("V1", day: 2, lines: [("1", "2", "46.08")], currency: "EUR")
        let out = Self.run(orders: [], documents: [doc], rates: rates)
        #expect(out.findings.first?.status == .missingRate)
        #expect(out.incDocuments[0].rate == nil && out.incDocuments[0].grossTotalBase == nil)
        #expect(out.incDocuments[0].status == "review")
        // On the 4th the rate of the 3rd applies: r2(92.16 × 49.0120 = 4516.945920) = 4516.95.
        let later = Self.run(
            orders: [], documents: [Self.doc("V2", day: 4, lines: [("1", "2", "46.08")], currency: "EUR")], rates: rates
        )
        #expect(later.incDocuments[0].rate == d("49.012"))
        #expect(later.incDocuments[0].grossTotalBase == d("4516.95"))
    }

    @Test func notDeliveredAfterSevenDaysNotOnTheSeventh() {
        // Ordered on the 1st, nothing came. On the 8th it is exactly 7 days old: not yet overdue.
        // On the 9th it is 8 days old: 2 × 312.50 = 625.00 not delivered.
        let order = Self.order("O1", day: 1, "111", qty: "2", price: "312.50")
        #expect(Self.rows(Self.run(orders: [order], documents: [], to: 8)).isEmpty)
        #expect(Self.rows(Self.run(orders: [order], documents: [], to: 9)) == ["not_delivered  O1 0 625.00"])
    }

    @Test func manualReceiptForASupplierWithoutFeed() {
        // Elit sends no invoices: its order lines ordered within the range are to be received by hand, never overdue.
        let rules = [
            SupplierRules(
                id: "elit", tolerance: Tolerance(percent: .zero, absolute: .zero), hasInvoiceFeed: false,
                customerId: nil)
        ]
        let orders = [
            Self.order("E1", day: 2, "111", qty: "2", price: "305.00", supplier: "elit"),
            Self.order("E0", day: 1, "222", qty: "1", price: "10.00", supplier: "elit"),
        ]
        let out = Self.run(orders: orders, documents: [], to: 20, from: 2, suppliers: rules)
        #expect(Self.rows(out) == ["manual_receipt  E1 - 0.00"])
    }
}
