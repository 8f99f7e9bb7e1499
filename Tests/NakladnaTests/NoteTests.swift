import Foundation
import Testing

@testable import Nakladna

/// A note's stored form reads back as the same values, whatever its texts hold.
@Suite struct NoteTests {
    static let side = Note.Side(
        quantity: Fixed(units: 15, scale: 1), unitPriceGross: Fixed(units: 12345, scale: 2),
        gross: Fixed(units: -18517, scale: 2), brand: "A|B", article: "x\\y|")
    static let notes: [Note] = [
        .matched(quantity: Fixed(3), order: "ЗМ-1|2"),
        .price(invoice: Fixed(units: 1005, scale: 2), order: Fixed(10), quantity: Fixed(2), currency: "EUR"),
        .over(invoiced: Fixed(-5), quantity: Fixed(2), amount: Fixed(units: 156000, scale: 2), currency: "UAH"),
        .unordered(quantity: Fixed(1), amount: Fixed(7), currency: "UAH", otherBrand: nil, otherOrder: nil),
        .unordered(quantity: Fixed(1), amount: Fixed(7), currency: "UAH", otherBrand: "BOSCH", otherOrder: ""),
        .returned(quantity: Fixed(1), order: "\\"),
        .returnedUnreceived(quantity: Fixed(units: 5, scale: 1)),
        .duplicate(
            Note.Duplicate(
                supplier: "omega", invoice: "РН|7", date: CalendarDate(year: 2026, month: 11, day: 24),
                currency: "UAH", totalBefore: Fixed(100), totalAfter: Fixed(120),
                lines: [
                    Note.LineChange(line: 1, before: side, after: nil),
                    Note.LineChange(line: 2, before: nil, after: side),
                    Note.LineChange(line: 3, before: side, after: side),
                ], more: 4)),
        .duplicate(
            Note.Duplicate(
                supplier: "s", invoice: "", date: CalendarDate(year: 2026, month: 1, day: 1), currency: "UAH",
                totalBefore: .zero, totalAfter: .zero, lines: [], more: 0)),
        .total(stated: Fixed(10), computed: Fixed(units: 999, scale: 2), currency: "USD"),
        .foreign(actual: "", expected: "C-1"),
        .missingRate(currency: "PLN", date: CalendarDate(year: 2026, month: 2, day: 28)),
        .notDelivered(
            ordered: Fixed(4), orderDate: CalendarDate(year: 2026, month: 10, day: 1), open: Fixed(3),
            amount: Fixed(units: 30, scale: 0), currency: "UAH", days: 59),
        .manual(quantity: Fixed(2)),
    ]

    @Test(arguments: notes) func readsBackAsTheSameValues(_ note: Note) {
        let back = Note(stored: note.stored)
        #expect(back == note, "\(note.stored)")
        #expect(back.text(.uk) == note.text(.uk) && back.text(.en) == note.text(.en))
    }

    /// A note an earlier release stored as its Ukrainian text, or any text that is not a stored note, is shown as
    /// it is.
    @Test(arguments: [
        "виставлено 5 шт., понад замовлене 2 шт. на 1 560,00 ₴", "", "matched|3|", "matched|3|o|extra|",
        "matched|x|o|", "price|1|2|3|UAH", "over|1|2|3|UAH|\\", "unknown|1|", "duplicate|s|i|2026-13-01|UAH|1|2|0|",
    ])
    func aTextThatIsNotAStoredNoteIsShownAsItIs(_ text: String) {
        #expect(Note(stored: text) == .text(text))
        #expect(Note(stored: text).text(.en) == text)
    }

    @Test func theDuplicateNoteNamesFiveChangedLinesAndCountsTheRest() {
        let line = { (n: Int, q: Int) in
            DocumentLine(
                line: n, brand: "BOSCH", article: "0986452041", supplierCode: "", name: "", quantity: Fixed(q),
                unitPriceGross: Fixed(10), vatRate: Fixed(20),
                amounts: Totals(net: .zero, vat: .zero, gross: Fixed(10 * q)))
        }
        var first = Document(
            supplierInvoice: "7", kind: .invoice, invoiceDate: CalendarDate(year: 2026, month: 11, day: 24),
            currency: "UAH", orderRefs: [], customerId: nil, stated: StatedTotals(), lines: (1...8).map { line($0, 1) },
            adjustments: [])
        var second = first
        second.lines = (1...8).map { line($0, $0 == 2 ? 1 : 2) } + [line(9, 1)]
        first.lines.removeLast()
        let d = Note.Duplicate(second, inForce: first, supplier: "omega")
        // Lines 1, 3-7 changed quantity; 8 is added; 9 too; line 2 is the same.
        #expect(d.lines.map(\.line) == [1, 3, 4, 5, 6])
        #expect(d.more == 3)
        #expect(Note.duplicate(d).text(.en).contains("line 1: 1 → 2 pcs; line 3: 1 → 2 pcs"))
        #expect(Note.duplicate(d).text(.en).contains("and 3 more lines; total "))
        #expect(
            Note.duplicate(d).text(.uk).hasSuffix("Прийняти цю версію: nakladna run --date 2026-11-24 --accept omega:7")
        )
    }
}
