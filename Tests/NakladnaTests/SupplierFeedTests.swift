import Testing

@testable import Nakladna

/// Each supplier's fixture through its mapping file. Every expected number is worked out by hand in the comments
/// from the fixture's own text, by the contract's rules: a gross price g gives gross = r2(q·g),
/// net = r2(gross / 1.2); a net price p gives net = r2(q·p), VAT = r2(net · 0.2).
@Suite struct SupplierFeedTests {
    func documents(_ mapping: String, _ file: String) throws -> [Document] {
        let result = try readFeed(mapping: mapping, file: file)
        #expect(result.errors.isEmpty, "\(result.errors)")
        return result.documents
    }

    @Test func omega() throws {
        let docs = try documents("omega", "fixtures/feeds/omega/omega-2026-11-28.json")
        try #require(docs.count == 3)

        let first = docs[0]
        #expect(first.supplierInvoice == "ВН-0012345")
        #expect(first.invoiceDate.description == "2026-11-28")
        #expect(first.currency == "UAH")
        #expect(first.orderRefs == ["77812"])
        #expect(first.customerId == "CB-10234")
        // Line 1: 2 × 312.50 gross = 625.00; net 625 / 1.2 = 520.833… → 520.83; VAT 104.17.
        #expect(first.lines[0].brand == "BOSCH")
        #expect(first.lines[0].amounts == Totals(net: d("520.83"), vat: d("104.17"), gross: d("625.00")))
        #expect(first.lines[0].unitPriceGross == d("312.5"))
        // Line 2: no Brand key; the description ends "(пр-во KNECHT)". "415,20" has a decimal comma:
        // gross 415.20, net 415.20 / 1.2 = 346.00, VAT 69.20.
        #expect(first.lines[1].brand == "KNECHT")
        #expect(first.lines[1].amounts == Totals(net: d("346.00"), vat: d("69.20"), gross: d("415.20")))
        // Stated Summ 1040.20 = 625.00 + 415.20.
        #expect(first.stated.gross == d("1040.20"))
        #expect(first.totals.gross == d("1040.20"))

        let second = docs[1]
        // 23:59:59 Kyiv time stays on the 28th.
        #expect(second.invoiceDate.description == "2026-11-28")
        // Brand null, description "(TRW)": the last trailing parenthesis. "1 250,40": thousands space and comma.
        #expect(second.lines[0].brand == "TRW")
        #expect(second.lines[0].amounts == Totals(net: d("1042.00"), vat: d("208.40"), gross: d("1250.40")))
        // Brand "" with "(пр-во KNECHT)"; Code "ОС 90" is written with Cyrillic О and С.
        #expect(second.lines[1].brand == "KNECHT")
        #expect(second.lines[1].article == "ОС 90")
        #expect(ArticleKey.searchNumber(second.lines[1].article) == "OC90")
        // 2 × 415.20 = 830.40; net 692.00; VAT 138.40. Stated "2 080,80" = 1250.40 + 830.40.
        #expect(second.lines[1].amounts == Totals(net: d("692.00"), vat: d("138.40"), gross: d("830.40")))
        #expect(second.stated.gross == d("2080.80"))
        #expect(second.orderRefs.isEmpty)

        // A return: Count -1. It becomes kind return with quantity +1; Summ -312.50 becomes 312.50.
        let ret = docs[2]
        #expect(ret.kind == .return)
        #expect(ret.lines[0].quantity == d("1"))
        // 312.50 gross; net 312.50 / 1.2 = 260.4166… → 260.42; VAT 52.08.
        #expect(ret.lines[0].amounts == Totals(net: d("260.42"), vat: d("52.08"), gross: d("312.50")))
        #expect(ret.stated.gross == d("312.50"))
    }

    @Test func omegaErrorAnswerIsRefused() throws {
        let result = try readFeed(mapping: "omega", file: "fixtures/feeds/omega/omega-error.json")
        #expect(result.documents.isEmpty)
        #expect(
            result.errors.map(\.description) == [
                "fixtures/feeds/omega/omega-error.json:$.Success: the file is an error answer, not data: "
                    + "Ключ не дійсний для цієї IP-адреси"
            ])
    }

    @Test func busmarket() throws {
        let docs = try documents("busmarket", "fixtures/feeds/busmarket/bm-2026-11-28.json")
        try #require(docs.count == 3)
        let sale = docs[0]
        // 2026-11-27T22:40:05Z is 00:40 on the 28th in Kyiv (UTC+2 in November).
        #expect(sale.invoiceDate.description == "2026-11-28")
        #expect(sale.currency == "UAH")  // currency_name ГРН
        #expect(sale.kind == .invoice)
        #expect(sale.orderRefs == ["4C2B9A0E0B7D11EFA2B3005056BA7D7A"])
        // price 260.42 net, stated sum 520.84 stands; VAT r2(520.84 × 0.2 = 104.168) = 104.17; gross 625.01.
        #expect(sale.lines[0].quantity == d("2"))  // "2", a string
        #expect(sale.lines[0].amounts == Totals(net: d("520.84"), vat: d("104.17"), gross: d("625.01")))
        // Unit gross from the unit price: 260.42 × 1.2 = 312.504, exact.
        #expect(sale.lines[0].unitPriceGross == d("312.504"))
        #expect(sale.lines[0].supplierCode == "0A1B2C3D4E5F60718293A4B5C6D7E8F9")
        #expect(sale.stated == StatedTotals(net: nil, vat: d("104.17"), gross: d("625.01")))

        let ret = docs[1]
        // 22:10Z on the 28th is 00:10 on the 29th in Kyiv.
        #expect(ret.invoiceDate.description == "2026-11-29")
        // type return keeps its positive quantity; "260,42" net → VAT r2(52.084) = 52.08, gross 312.50.
        #expect(ret.kind == .return)
        #expect(ret.lines[0].quantity == d("1"))
        #expect(ret.lines[0].amounts == Totals(net: d("260.42"), vat: d("52.08"), gross: d("312.50")))
        #expect(ret.orderRefs.isEmpty)  // order_uuid null

        let summer = docs[2]
        // 2026-07-14T21:15:00Z is 00:15 on 15 July in Kyiv, summer time UTC+3.
        #expect(summer.invoiceDate.description == "2026-07-15")
        #expect(summer.currency == "EUR")
        // 4 × 8.50 = 34.00 net (stated sum 34.00), VAT 6.80, gross 40.80.
        #expect(summer.lines[0].amounts == Totals(net: d("34.00"), vat: d("6.80"), gross: d("40.80")))
    }

    @Test func uniqueTrade() throws {
        let docs = try documents("uniquetrade", "fixtures/feeds/uniquetrade/utr-2026-11-28.json")
        try #require(docs.count == 2)
        let sale = docs[0]
        #expect(sale.supplierInvoice == "UT-000784512")
        #expect(sale.orderRefs == ["58127734"])
        // The brand is brand.name, MANN-FILTER; detail_id is the supplier code.
        #expect(sale.lines[0].brand == "MANN-FILTER")
        #expect(sale.lines[0].supplierCode == "1184523")
        // 4 × 780.00 gross = 3120.00; net 2600.00; VAT 520.00.
        #expect(sale.lines[0].amounts == Totals(net: d("2600.00"), vat: d("520.00"), gross: d("3120.00")))
        // "FEBI" is an alias of FEBI BILSTEIN. 2 × "1 150,50" = 2301.00; net 1917.50; VAT 383.50.
        #expect(sale.lines[1].brand == "FEBI")
        #expect(sale.lines[1].amounts == Totals(net: d("1917.50"), vat: d("383.50"), gross: d("2301.00")))
        #expect(sale.stated.gross == d("5421.00"))

        let ret = docs[1]
        #expect(ret.kind == .return)
        #expect(ret.orderRefs.isEmpty)  // no order_code
        // Positive quantity 1 at "780,00": gross 780.00, net 650.00, VAT 130.00.
        #expect(ret.lines[0].quantity == d("1"))
        #expect(ret.lines[0].amounts == Totals(net: d("650.00"), vat: d("130.00"), gross: d("780.00")))
    }

    @Test func vesna() throws {
        let docs = try documents("vesna", "fixtures/feeds/vesna/vesna-2026-11-28.json")
        try #require(docs.count == 3)
        // EUR stays EUR. 46.08 gross; net 46.08 / 1.2 = 38.40; VAT 7.68.
        #expect(docs[0].currency == "EUR")
        #expect(docs[0].customerId == "4411")
        #expect(docs[0].lines[0].supplierCode == "VS-114598")
        #expect(docs[0].lines[0].amounts == Totals(net: d("38.40"), vat: d("7.68"), gross: d("46.08")))
        // Quantity -1: a return of 1; total -46.08 becomes 46.08. customer_id "4411" as a string is the same.
        #expect(docs[1].kind == .return)
        #expect(docs[1].lines[0].quantity == d("1"))
        #expect(docs[1].stated.gross == d("46.08"))
        #expect(docs[1].customerId == "4411")
        // Another customer's document is read; reconciliation refuses it as foreign_customer.
        #expect(docs[2].customerId == "5000")
        // 2 × 10.55 = 21.10 gross; net 21.10 / 1.2 = 17.5833… → 17.58; VAT 3.52.
        #expect(docs[2].lines[0].amounts == Totals(net: d("17.58"), vat: d("3.52"), gross: d("21.10")))
        // Lemförder with Cyrillic В and Е in "ВЕ 017".
        #expect(ArticleKey.searchNumber(docs[2].lines[0].article) == "BE017")
    }

    @Test func interCars() throws {
        let docs = try documents("intercars", "fixtures/feeds/intercars/intercars-2026-11-28.xml")
        try #require(docs.count == 2)
        let invoice = docs[0]
        #expect(invoice.supplierInvoice == "FV/UA/2026/112233")
        #expect(invoice.invoiceDate.description == "2026-11-28")
        #expect(invoice.orderRefs == ["REQ-55871"])
        // The file is windows-1251; the Cyrillic must arrive as the same letters.
        // The <poz> with lp 2 comes first in the file, before its <nag>: lines still go in lp order.
        #expect(invoice.lines.map(\.line) == [1, 2])
        #expect(invoice.lines[0].name == "Фільтр масляний")
        #expect(invoice.lines[1].name == "Фільтр оливи")
        #expect(invoice.lines[0].brand == "BOSCH")
        #expect(invoice.lines[0].article == "0 986 452 041")
        #expect(invoice.lines[0].supplierCode == "BOS0986452041")
        // cena 260.42 net × 2 = 520.84; VAT r2(104.168) = 104.17; gross 625.01.
        #expect(invoice.lines[0].amounts == Totals(net: d("520.84"), vat: d("104.17"), gross: d("625.01")))
        // 650.00 × 1 = 650.00 net; VAT 130.00; gross 780.00.
        #expect(invoice.lines[1].amounts == Totals(net: d("650.00"), vat: d("130.00"), gross: d("780.00")))
        // war_b 1405.01 = 625.01 + 780.00.
        #expect(invoice.stated == StatedTotals(net: d("1170.84"), vat: d("234.17"), gross: d("1405.01")))
        #expect(invoice.totals.gross == d("1405.01"))

        let correction = docs[1]
        // KF with ilosc -1.000 and an ISO dat_w without offset (Kyiv time).
        #expect(correction.kind == .return)
        #expect(correction.invoiceDate.description == "2026-11-29")
        #expect(correction.orderRefs.isEmpty)  // zam_nr xsi:nil
        #expect(correction.lines[0].quantity == d("1"))
        #expect(correction.lines[0].name == "Фільтр масляний, повернення")
        #expect(correction.lines[0].amounts == Totals(net: d("260.42"), vat: d("52.08"), gross: d("312.50")))
        #expect(correction.stated.gross == d("312.50"))
    }

    @Test func interCarsScatteredLinesStillJoin() throws {
        // Document 1 has a line after document 2's records: the reader must notice and read the file again.
        // Document 1: 1 × 10.00 + 2 × 10.00 net = 30.00, VAT 6.00, gross 36.00. Document 2: 2 × 10.00 = 20.00 net,
        // 24.00 gross.
        let mapping = try MappingFiles.load(path: repoPath("mappings/intercars.yaml"))
        let reader = try #require(MappingReader(mapping: mapping, zone: kyiv))
        var restarts = 0
        var seen: [String] = []
        let result = reader.read(
            path: repoPath("fixtures/feeds/intercars/intercars-scattered.xml"), displayName: "scattered.xml",
            onRestart: {
                restarts += 1
                seen = []
            }
        ) { seen.append($0.supplierInvoice) }
        #expect(result.errors.isEmpty)
        #expect(restarts == 1)
        let byNumber = Dictionary(uniqueKeysWithValues: result.documents.map { ($0.supplierInvoice, $0) })
        let first = try #require(byNumber["FV/UA/2026/000001"])
        #expect(first.lines.map(\.line) == [1, 2])
        #expect(first.totals == Totals(net: d("30.00"), vat: d("6.00"), gross: d("36.00")))
        #expect(try #require(byNumber["FV/UA/2026/000002"]).totals.gross == d("24.00"))
        #expect(seen.sorted() == ["FV/UA/2026/000001", "FV/UA/2026/000002"])
    }

    @Test func elitSendsNoInvoices() throws {
        let mapping = try MappingFiles.load(path: repoPath("mappings/elit.yaml"))
        #expect(mapping.invoices == nil)
        #expect(MappingReader(mapping: mapping, zone: kyiv) == nil)
    }
}
