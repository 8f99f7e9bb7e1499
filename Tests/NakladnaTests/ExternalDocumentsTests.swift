import Foundation
import FoundationXML
import Testing

/// The public e-invoices of `fixtures/external/` through `nakladna mapping check --format json`, checked against
/// what each document itself states, read independently with Foundation's XMLDocument and XPath.
@Suite struct ExternalDocumentsTests {
    struct Case: CustomStringConvertible, Sendable {
        var file: String
        var mapping: String
        var number: String
        var date: String
        var currency: String
        var kind: String
        var lines: String
        var lineNet: String
        var statedGross: String
        var adjustments: String
        var documentNet: String?

        var description: String { file }
    }

    static let ublLines = "//*[local-name()='InvoiceLine' or local-name()='CreditNoteLine']"
    static func ubl(_ name: String) -> Case {
        Case(
            file: "fixtures/external/ubl/\(name)", mapping: "mappings/ubl-2.1.yaml",
            number: "/*/*[local-name()='ID']", date: "/*/*[local-name()='IssueDate']",
            currency: "/*/*[local-name()='DocumentCurrencyCode']", kind: "local-name(/*)", lines: ublLines,
            lineNet: ublLines + "/*[local-name()='LineExtensionAmount']",
            statedGross: "/*/*[local-name()='LegalMonetaryTotal']/*[local-name()='TaxInclusiveAmount']",
            adjustments: "/*/*[local-name()='AllowanceCharge']",
            documentNet: "/*/*[local-name()='LegalMonetaryTotal']/*[local-name()='LineExtensionAmount']")
    }

    static let cases: [Case] =
        [
            "peppol-allowance-example.xml", "peppol-base-creditnote-correction.xml", "peppol-base-example.xml",
            "ubl-tc434-creditnote1.xml", "ubl-tc434-example1.xml", "ubl-tc434-example2.xml",
        ].map(ubl) + [
            Case(
                file: "fixtures/external/edin/INVOICE_example.xml", mapping: "mappings/edin-invoice.yaml",
                number: "/INVOICE/NUMBER", date: "/INVOICE/DATE", currency: "/INVOICE/CURRENCY", kind: "'Invoice'",
                lines: "//POSITION", lineNet: "//POSITION/AMOUNT", statedGross: "/INVOICE/INVOICETOTALAMOUNT",
                adjustments: "/nothing", documentNet: "/INVOICE/GOODSTOTALAMOUNT"),
            Case(
                file: "fixtures/external/edin/COMDOC_006.xml", mapping: "mappings/comdoc-006.yaml",
                number: "/ЕлектроннийДокумент/Заголовок/НомерДокументу",
                date: "/ЕлектроннийДокумент/Заголовок/ДатаДокументу", currency: "'UAH'", kind: "'Invoice'",
                lines: "//Таблиця/Рядок", lineNet: "//Таблиця/Рядок/ВсьогоПоРядку/СумаБезПДВ",
                statedGross: "/ЕлектроннийДокумент/ВсьогоПоДокументу/Сума", adjustments: "/nothing",
                documentNet: "/ЕлектроннийДокумент/ВсьогоПоДокументу/СумаБезПДВ"),
        ]

    /// Sums decimal texts exactly, in kopecks, without the project's own decimal type.
    static func cents(_ text: String) throws -> Int {
        let t = text.trimmingCharacters(in: .whitespacesAndNewlines)
        let negative = t.hasPrefix("-")
        let body = negative ? String(t.dropFirst()) : t
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        let whole = try #require(Int(parts[0]))
        var fraction = parts.count > 1 ? String(parts[1]) : ""
        while fraction.count > 2 && fraction.hasSuffix("0") { fraction.removeLast() }
        try #require(fraction.count <= 2, "more than 2 decimals in \(text)")
        fraction += String(repeating: "0", count: 2 - fraction.count)
        let value = whole * 100 + (try #require(Int(fraction)))
        return negative ? -value : value
    }

    func strings(_ doc: XMLDocument, _ xpath: String) throws -> [String] {
        if xpath.hasPrefix("'") { return [String(xpath.dropFirst().dropLast())] }
        if xpath.hasPrefix("local-name(") {
            return [try #require(doc.rootElement()?.localName)]
        }
        return try doc.nodes(forXPath: xpath).compactMap(\.stringValue)
    }

    @Test(arguments: cases)
    func documentAgreesWithItself(_ c: Case) throws {
        let xml = try XMLDocument(contentsOf: URL(fileURLWithPath: repoPath(c.file)))
        let run = try runBinary(["mapping", "check", c.mapping, c.file, "--format", "json"])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
        try #require(json.count == 1)
        let doc = json[0]

        #expect(doc["supplier_invoice"] as? String == (try strings(xml, c.number).first))
        #expect(doc["invoice_date"] as? String == (try strings(xml, c.date).first))
        #expect(doc["currency"] as? String == (try strings(xml, c.currency).first))
        let rootKind = try strings(xml, c.kind).first
        #expect(doc["kind"] as? String == (rootKind == "CreditNote" ? "return" : "invoice"))

        let lines = try #require(doc["lines"] as? [[String: Any]])
        #expect(lines.count == (try xml.nodes(forXPath: c.lines).count))
        // The sum of the line net amounts equals the document's own sum of line amounts.
        let mappedNet = try lines.map { try Self.cents(try #require($0["net_amount"] as? String)) }.reduce(0, +)
        let statedLineNets = try strings(xml, c.lineNet).map(Self.cents).reduce(0, +)
        #expect(mappedNet == statedLineNets)
        if let documentNet = c.documentNet {
            #expect(mappedNet == (try Self.cents(try #require(try strings(xml, documentNet).first))))
        }
        // stated.gross is the document's own total.
        let stated = try #require(doc["stated"] as? [String: Any])
        let gross = try #require(stated["gross"] as? String)
        #expect(try Self.cents(gross) == (try Self.cents(try #require(try strings(xml, c.statedGross).first))))
        // The computed totals (lines plus document-level allowances and charges) meet the stated gross within
        // 0.01 per line, the contract's total_mismatch tolerance.
        let totals = try #require(doc["totals"] as? [String: Any])
        let computed = try Self.cents(try #require(totals["gross"] as? String))
        #expect(abs(computed - (try Self.cents(gross))) <= lines.count)
        let adjustments = try #require(doc["adjustments"] as? [[String: Any]])
        #expect(adjustments.count == (try xml.nodes(forXPath: c.adjustments).count))
    }
}
