import Foundation
import Testing

@testable import Nakladna

/// A stored version is read back as the document that was stored: through the project's JSON parser, as
/// `JSONDecoder` reads it through `Codable`; and a body that is not a stored document is refused, not guessed at.
@Suite struct StoredDocumentTests {
    static func line(_ n: Int, _ name: String, quantity: String) throws -> DocumentLine {
        DocumentLine(
            line: n, brand: "MANN-FILTER", article: "W 712/95", supplierCode: "sku-\(n)", name: name,
            quantity: try Fixed(parsing: quantity), unitPriceGross: try Fixed(parsing: "312.5"),
            vatRate: Fixed(20),
            amounts: Totals(
                net: try Fixed(parsing: "260.4167"), vat: try Fixed(parsing: "52.0833"),
                gross: try Fixed(parsing: "312.50")))
    }

    static func documents() throws -> [Document] {
        let plain = Document(
            supplierInvoice: "РН-0000068", kind: .invoice, invoiceDate: CalendarDate(year: 2026, month: 11, day: 24),
            currency: "UAH", orderRefs: [], customerId: nil, stated: StatedTotals(), lines: [], adjustments: [])
        var full = plain
        full.kind = .return
        full.currency = "EUR"
        full.orderRefs = ["77812", "a \"quoted\" ref"]
        full.customerId = "CB-10234"
        full.stated = StatedTotals(gross: try Fixed(parsing: "-625.0"))
        full.lines = [
            try line(1, "Фільтр \"Knecht\"\nмасляний", quantity: "-2"),
            try line(2, "tab\there \\ and \u{1}", quantity: "0.125"),
        ]
        full.adjustments = [
            Adjustment(
                reason: "доставка", vatRate: Fixed(0),
                amounts: Totals(net: try Fixed(parsing: "123456789012345.123456789012"), vat: .zero, gross: .one))
        ]
        var partial = full
        partial.stated = StatedTotals(net: Fixed(1), vat: Fixed(0))
        partial.customerId = ""
        return [plain, full, partial]
    }

    @Test func readsBackTheStoredDocument() throws {
        for document in try Self.documents() {
            let body = String(decoding: document.canonicalJSON(), as: UTF8.self)
            let read = try StoredDocument.document(Data(body.utf8))
            #expect(read == document, "\(body)")
            #expect(read == (try JSONDecoder().decode(Document.self, from: Data(body.utf8))))
            // The same content, the same canonical bytes: its hash does not change on the way through the store.
            #expect(read.canonicalJSON() == document.canonicalJSON())
        }
    }

    @Test func readsBackTheLineKeys() throws {
        let keys = [ArticleKey(brand: "MANNFILTER", number: "W71295"), ArticleKey(brand: "", number: "\"q\"")]
        let text = String(decoding: try JSONEncoder().encode(keys), as: UTF8.self)
        #expect(try StoredDocument.lineKeys(text) == keys)
        #expect(try StoredDocument.lineKeys("[]") == [])
    }

    /// Each a stored body with one thing wrong: a key missing, a value of the wrong kind, a date or a number that
    /// is not one, text after the value. The error names the member at fault, so that the row can be mended.
    @Test func refusesWhatIsNotAStoredDocument() throws {
        let body = String(decoding: try Self.documents()[1].canonicalJSON(), as: UTF8.self)
        let broken = [
            (body.replacing("\"supplierInvoice\"", with: "\"invoice\""), "supplierInvoice: missing"),
            (body.replacing("\"kind\":\"return\"", with: "\"kind\":\"credit\""), "kind: not a kind"),
            (
                body.replacing("\"invoiceDate\":\"2026-11-24\"", with: "\"invoiceDate\":\"2026-11-31\""),
                "invoiceDate: not a date"
            ),
            (body.replacing("\"line\":2,", with: "\"line\":\"2\","), "lines[1].line: not an integer"),
            (
                body.replacing("\"quantity\":\"-2\"", with: "\"quantity\":\"two\""),
                "lines[0].quantity: \"two\" is not a number"
            ),
            (
                body.replacing("\"orderRefs\":[", with: "\"orderRefs\":{\"x\":[").replacing(
                    "],\"stated\"", with: "]},\"stated\""),
                "orderRefs: not an array"
            ),
            (
                body.replacing("\"stated\":{\"gross\":\"-625\"}", with: "\"stated\":{\"gross\":-625}"),
                "stated.gross: not a string"
            ),
            (body + " {}", nil), (String(body.dropLast()), nil), ("", nil),
        ]
        for (text, place) in broken {
            #expect(text != body)
            #expect {
                try StoredDocument.document(Data(text.utf8))
            } throws: { error in
                place.map { "\(error)" == $0 } ?? true
            }
        }
        #expect(throws: (any Error).self) { try StoredDocument.lineKeys(#"[{"brand":"B"}]"#) }
        #expect {
            try StoredDocument.lineKeys(#"[{"brand":"B","number":"1"},{"brand":"B"}]"#)
        } throws: { error in
            "\(error)" == "line_keys[1].number: missing"
        }
    }

    /// A store of 300 versions is read back in the order received, decoded on every core; a version whose body was
    /// changed by hand stops the read, and the first such row in that order is the one named.
    @Test func theStoreReadsVersionsBackInOrderAndNamesTheFirstBadRow() throws {
        let path = try temporaryFile("nakladna.sqlite", Data())
        try FileManager.default.removeItem(atPath: path)
        let store = try SQLiteStore(path: path)
        let base = try Self.documents()[1]
        try store.queue.write { db in
            for n in 0..<300 {
                var d = base
                d.supplierInvoice = "РН-\(n)"
                try db.execute(
                    sql: "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    arguments: [
                        n % 3 == 0 ? "vesna" : "omega", d.supplierInvoice, "hash-\(n)", "2026-11-24", "return",
                        1000 - n, "f\(n).json", String(decoding: d.canonicalJSON(), as: UTF8.self),
                        #"[{"brand":"MANNFILTER","number":"W71295"}]"#,
                    ])
            }
        }
        let read = try store.documents(of: ["omega"], from: nil)
        let expected = (0..<300).reversed().filter { $0 % 3 != 0 }
        #expect(read.map(\.document.supplierInvoice) == expected.map { "РН-\($0)" })
        #expect(read.allSatisfy { $0.lineKeys == [ArticleKey(brand: "MANNFILTER", number: "W71295")] })
        #expect(read.last?.document.lines == base.lines)
        try store.queue.write { db in
            try db.execute(sql: "UPDATE documents SET body = '{}' WHERE supplier_invoice IN ('РН-20', 'РН-250')")
        }
        // Received in the order 299 down to 0: РН-250 comes first, in the first share.
        #expect {
            try store.documents(of: ["omega"], from: nil)
        } throws: { error in
            "\(error)".contains("supplier_invoice 'РН-250'")
        }
    }
}
