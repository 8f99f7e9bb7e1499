import Foundation
import GRDB
import Testing

@testable import Nakladna

/// An INC number is `INC-<invoice date>-<first four bytes of SHA-256(supplier, 0, invoice)>`, with `-2`, `-3`… where
/// that number is taken. Supplier "s" invoices C115822 and C120597 share those four bytes (63D5F5AB: found and
/// checked with Python's hashlib, not with this code).
@Suite struct IncNumberTests {
    static let day = ReconcilerTests.date(3)

    static func doc(_ invoice: String) -> ReceivedDocument {
        ReconcilerTests.doc(invoice, day: 3, lines: [("111", "1", "50.00")])
    }

    static func numbers(_ documents: [ReceivedDocument], given: [DocumentKey: String]) -> [String] {
        ReconcilerTests.run(
            orders: [ReconcilerTests.order("X", day: 1, "111", qty: "5", price: "50.00")], documents: documents,
            to: 5, incNumbers: given
        ).incDocuments.map(\.incNumber)
    }

    @Test func twoDocumentsOfOneRunWhoseNumbersClashAreToldApart() {
        #expect(
            Self.numbers([Self.doc("C115822"), Self.doc("C120597")], given: [:]) == [
                "INC-20261103-63D5F5AB", "INC-20261103-63D5F5AB-2",
            ])
    }

    /// A night asks the store for the numbers its documents' dates hold, not for all of history's: a number given
    /// on an earlier night to another document of the same date must be among them.
    @Test func aNumberGivenOnAnEarlierNightIsNotGivenAgain() throws {
        let store = try SQLiteStore(path: try temporaryFile("nakladna.sqlite", Data()))
        try store.queue.write { db in
            for (invoice, number) in [
                ("C115822", "INC-20261103-63D5F5AB"), ("OTHER", "INC-20261102-63D5F5AB"), ("C9", "INC-2026110-X"),
            ] {
                try db.execute(sql: "INSERT INTO inc_numbers VALUES ('s', ?, ?)", arguments: [invoice, number])
            }
        }
        let given = try store.incNumbers(for: [Self.doc("C120597")])
        #expect(given == [DocumentKey(supplier: "s", invoice: "C115822"): "INC-20261103-63D5F5AB"])
        #expect(Self.numbers([Self.doc("C120597")], given: given) == ["INC-20261103-63D5F5AB-2"])
        // A document numbered before keeps its number, whatever its date now.
        let corrected = ReconcilerTests.doc("OTHER", day: 3, lines: [("111", "1", "50.00")])
        let kept = try store.incNumbers(for: [corrected])
        #expect(kept[DocumentKey(supplier: "s", invoice: "OTHER")] == "INC-20261102-63D5F5AB")
        #expect(Self.numbers([corrected], given: kept) == ["INC-20261102-63D5F5AB"])
        // Documents of more than a month of dates: every number given, read at once.
        let month = (0..<32).map { i in
            var d = ReconcilerTests.doc("M\(i)", day: 1, lines: [("111", "1", "50.00")])
            d.document.invoiceDate = CalendarDate(year: 2026, month: 10 + i / 28, day: 1 + i % 28)
            return d
        }
        #expect(try store.incNumbers(for: month).count == 3)
    }
}
