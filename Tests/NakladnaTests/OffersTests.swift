import Foundation
import Testing

@testable import Nakladna

/// A demo station run once: its price and stock files (`fixtures/demo/README.md`) imported by `nakladna run`.
func priceStation() throws -> Station {
    let station = try Station()
    // The oldest Omega file is touched last: the date in the name decides, never the modification time.
    try FileManager.default.setAttributes(
        [.modificationDate: Date()], ofItemAtPath: station.path("inbox/omega/omega-prices-2026-11-20.json"))
    let run = try station.run(Station.week + ["--lang", "en"])
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("price and stock files imported: 7"), "\(run.stdout)")
    return station
}

/// `nakladna offers --format json`, parsed.
func offers(_ station: Station, _ arguments: [String]) throws -> [[String: Any]] {
    let run = try runBinary(
        ["offers", "--config", station.config, "--today", "2026-11-29", "--format", "json"] + arguments,
        environment: [:])
    #expect(run.status == 0, "\(run.stderr)")
    let parsed = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8))
    return try #require(parsed as? [[String: Any]])
}

func field(_ offers: [[String: Any]], _ name: String) -> [String] {
    offers.map { offer in
        switch offer[name] {
        case let s as String: return s
        case is NSNull: return "null"
        case let b as Bool: return b ? "true" : "false"
        default: return "?"
        }
    }
}

func stock(_ offer: [String: Any]) -> [String] {
    ((offer["stock"] as? [[String: Any]]) ?? []).map { level in
        let atLeast = (level["at_least"] as? Bool) == true
        return "\(level["branch"] as? String ?? "?") \(atLeast ? ">=" : "")\(level["quantity"] as? String ?? "?")"
    }
}

/// Offers for parts imported from the six suppliers' price and stock files (`fixtures/demo/README.md`). Today is
/// 2026-11-29; EUR is 49.0501 on 2026-11-27, the latest rate in the demo's rates.csv.
@Suite struct OffersTests {
    /// BOSCH 0 986 452 041, every supplier, quantity 1 (everybody covers it):
    /// - uniquetrade 298.40 (file of 11-25: 4 days old, stale);
    /// - intercars: net 250.00 with VAT 20 → r2(250 × 1.2) = 300.00;
    /// - busmarket 305.00 (`ГРН` is UAH);
    /// - omega 312.50 (the 11-20 file's 100.00 is older, never current);
    /// - elit 320.00 (file of 11-27: 2 days old, not "more than 2", not stale);
    /// - vesna 6.95 EUR × 49.0501 = 340.898195 → 340.90.
    @Test func everySupplierCheapestFirst() throws {
        let station = try priceStation()
        defer { station.remove() }
        let list = try offers(station, ["BOSCH", "0 986 452 041"])
        #expect(field(list, "supplier") == ["uniquetrade", "intercars", "busmarket", "omega", "elit", "vesna"])
        #expect(
            field(list, "supplier_code") == ["1184523", "BOS0986452041", "0A1B2C3D", "51234", "EL-88123", "VS-114598"])
        #expect(field(list, "price") == ["298.40", "300.00", "305.00", "312.50", "320.00", "6.95"])
        #expect(field(list, "currency") == ["UAH", "UAH", "UAH", "UAH", "UAH", "EUR"])
        #expect(field(list, "price_uah") == ["298.40", "300.00", "305.00", "312.50", "320.00", "340.90"])
        #expect(
            field(list, "as_of") == [
                "2026-11-25", "2026-11-28", "2026-11-28", "2026-11-28", "2026-11-27", "2026-11-29",
            ])
        #expect(field(list, "stale") == ["true", "false", "false", "false", "false", "false"])
        // Stock words: ">10" and Inter Cars' 10 are "at least 10"; "+" at least 1; "-" none; plain numbers exact.
        #expect(stock(list[0]) == ["Київ 2", "Одеса 4"])
        #expect(stock(list[1]) == ["KIJ >=10", "LWO 3"])
        #expect(stock(list[2]) == ["Львів 0", "Київ >=10"])
        #expect(stock(list[3]) == ["Київ 5", "Харків >=10"])
        #expect(stock(list[4]) == ["Київ 4", "Дніпро >=1"])
        #expect(stock(list[5]) == ["Львів >=1"])
        // The same part under other spellings gives the same answer.
        for article in ["0986452041", "0986-452-041", "0 986 452 041 "] {
            #expect(field(try offers(station, ["Bosch", article]), "supplier_code") == field(list, "supplier_code"))
        }
    }

    /// Quantity 6: covered by intercars (KIJ at least 10), busmarket (Київ at least 10), omega (Харків at least
    /// 10), cheapest first; then the rest in the same order: uniquetrade (4 at most), elit (4), vesna (at least 1).
    @Test func atLeastStockCoversTheQuantity() throws {
        let station = try priceStation()
        defer { station.remove() }
        let list = try offers(station, ["BOSCH", "0986452041", "--qty", "6"])
        #expect(field(list, "supplier") == ["intercars", "busmarket", "omega", "uniquetrade", "elit", "vesna"])
        // --branch keeps one branch's stock: at Київ only busmarket has 6; Inter Cars names its branches KIJ and
        // Vesna has no Київ, so theirs is empty.
        let kyiv = try offers(station, ["BOSCH", "0986452041", "--qty", "6", "--branch", "Київ"])
        #expect(field(kyiv, "supplier") == ["busmarket", "uniquetrade", "intercars", "omega", "elit", "vesna"])
        #expect(kyiv.map(stock) == [["Київ >=10"], ["Київ 2"], [], ["Київ 5"], ["Київ 4"], []])
    }

    /// MANN C 30 005: Omega lists it as MANN `С30005` with a Cyrillic С (415.75, Київ 3); UTR has it at 540.00
    /// with no stock (does not cover 1); Inter Cars prices it 9999.99, "on request": price and price_uah null, last.
    @Test func onRequestAndLookAlikes() throws {
        let station = try priceStation()
        defer { station.remove() }
        let list = try offers(station, ["MANN-FILTER", "C 30 005"])
        #expect(field(list, "supplier") == ["omega", "uniquetrade", "intercars"])
        #expect(field(list, "price") == ["415.75", "540.00", "null"])
        #expect(field(list, "price_uah") == ["415.75", "540.00", "null"])
        // An on-request offer keeps its currency.
        #expect(field(list, "currency") == ["UAH", "UAH", "UAH"])
        #expect(stock(list[2]) == ["KIJ 2"])
    }

    /// FEBI BILSTEIN 01089: BusMarket lists it twice (120.00 and 115.50): one offer, the cheaper, with that
    /// listing's code and stock. Inter Cars has it in the stock file only: on request, no currency known.
    @Test func onePartListedTwiceAndStockWithoutPrice() throws {
        let station = try priceStation()
        defer { station.remove() }
        let list = try offers(station, ["FEBI", "01089"])
        #expect(field(list, "supplier") == ["busmarket", "intercars"])
        #expect(field(list, "supplier_code") == ["FB-2", "FEB01089"])
        #expect(field(list, "price") == ["115.50", "null"])
        #expect(field(list, "currency") == ["UAH", "null"])
        #expect(list.map(stock) == [["Київ 1"], ["KIJ 7"]])
    }

    /// TRW GDB1330: Inter Cars' pricing file has it (net 1000.00, VAT 20 → 1200.00) and its stock file does not:
    /// `stock: []`, so it does not cover. Vesna: 46.08 EUR × 49.0501 = 2260.228608 → 2260.23, stock 0.
    @Test func priceWithoutStockAndCurrencyConversion() throws {
        let station = try priceStation()
        defer { station.remove() }
        let list = try offers(station, ["TRW", "GDB 1330"])
        #expect(field(list, "supplier") == ["intercars", "vesna"])
        #expect(field(list, "price") == ["1200.00", "46.08"])
        #expect(field(list, "price_uah") == ["1200.00", "2260.23"])
        #expect(list.map(stock) == [[], ["Львів 0"]])
    }

    /// KYB 334302 is only in Inter Cars' older pricing file (11-27), which the 11-28 pair replaced entirely;
    /// nobody has it now: `[]` and exit 0. An unknown part likewise.
    @Test func olderFilesAreReplacedEntirely() throws {
        let station = try priceStation()
        defer { station.remove() }
        #expect(try offers(station, ["KYB", "334302"]).isEmpty)
        #expect(try offers(station, ["NGK", "BKR6E"]).isEmpty)
        // Running again changes nothing: the same files are known by their bytes.
        for supplier in ["intercars"] {
            for name in ["Stock_2026-11-28.csv", "Wholesale_Pricing_2026-11-28.csv"] {
                try FileManager.default.copyItem(
                    atPath: repoPath("fixtures/demo/inbox/\(supplier)/\(name)"),
                    toPath: station.path("inbox/\(supplier)/\(name)"))
            }
        }
        let before = try offers(station, ["BOSCH", "0986452041"])
        #expect(try station.run(Station.week).status == 0)
        let after = try offers(station, ["BOSCH", "0986452041"])
        #expect(field(after, "supplier_code") == field(before, "supplier_code"))
        #expect(after.map(stock) == before.map(stock))
    }

    /// `code` answers from the imported price feed: Omega's code for MANN C 30 005 is in no cross-reference row.
    @Test func codeFromThePriceFeed() throws {
        let station = try priceStation()
        defer { station.remove() }
        let run = try runBinary(["code", "--config", station.config, "--supplier", "omega", "MANN", "С 30 005"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == "60311\n")
    }

    /// A price file that cannot be read is quarantined with the file, the place and the field; nothing of it is
    /// kept (Omega's 11-29 file would have replaced its 11-28 offers), and every other file is imported.
    @Test func badPriceFileIsQuarantined() throws {
        let station = try Station()
        defer { station.remove() }
        try Data(
            """
            {"Success": true, "Data": [{"ProductId": 9, "Number": "X1", "BrandDescription": "NGK", "CustomerPrice": 1,
              "Rests": [{"Key": "Київ", "Value": "lots"}]}]}
            """.utf8
        ).write(to: URL(fileURLWithPath: station.path("inbox/omega/omega-prices-2026-11-29.json")))
        try Data("not a price file".utf8).write(to: URL(fileURLWithPath: station.path("inbox/elit/notes.txt")))
        try Data("TOW_KOD;INDEKS;MARKA;NAZWA;MAGAZYN;ILOSC\n".utf8).write(
            to: URL(fileURLWithPath: station.path("inbox/intercars/Stock_2026-02-30.csv")))
        let run = try station.run(Station.week + ["--lang", "en"])
        #expect(run.status == 1)
        let reason = try station.read("quarantine/omega/omega-prices-2026-11-29.json.error.txt")
        #expect(
            reason
                == "omega/omega-prices-2026-11-29.json:$.Data[0].Rests[0].Value: field 'quantity': \"lots\" is not a "
                + "stock quantity (a number, \"+\", \"-\" or \">N\")\n")
        let notes = try station.read("quarantine/elit/notes.txt.error.txt")
        #expect(notes == "elit/notes.txt: not a price or stock file of elit (expected elit-prices-{date}.xml)\n")
        // A name of the feed's shape with no such day is that feed's file, refused for its name.
        #expect(
            try station.read("quarantine/intercars/Stock_2026-02-30.csv.error.txt")
                == "intercars/Stock_2026-02-30.csv: the date in the name is not a calendar date (expected "
                + "Stock_{date}.csv, YYYY-MM-DD)\n")
        #expect(try offers(station, ["NGK", "X1"]).isEmpty)
        let bosch = try offers(station, ["BOSCH", "0986452041"])
        #expect(field(bosch, "supplier") == ["uniquetrade", "intercars", "busmarket", "omega", "elit", "vesna"])
        #expect(field(bosch, "price")[3] == "312.50")
    }

    /// `mapping check` reads a price file by its name: the items with their gross prices, or the error.
    @Test func mappingCheckReadsPriceFiles() throws {
        let good = try runBinary([
            "mapping", "check", "mappings/intercars.yaml",
            "fixtures/demo/inbox/intercars/Wholesale_Pricing_2026-11-28.csv",
        ])
        #expect(good.status == 0, "\(good.stderr)")
        // Net 250.00 with VAT 20 is 300.00 gross; 9999.99 is on request.
        #expect(good.stdout.contains("3 item(s) as of 2026-11-28"))
        #expect(good.stdout.contains("BOS0986452041: BOSCH 0 986 452 041, 300.00 UAH"))
        #expect(good.stdout.contains("MANC30005: MANN-FILTER C30005, on request"))
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("nakladna-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let bad = dir.appendingPathComponent("Stock_2026-11-28.csv")
        try Data("TOW_KOD;INDEKS;MARKA;NAZWA;MAGAZYN;ILOSC\nBOS1;1;BOSCH;x;KIJ;\"3\nBOS2;2;BOSCH;x;KIJ;4\n".utf8).write(
            to: bad)
        let refused = try runBinary(["mapping", "check", "mappings/intercars.yaml", bad.path])
        #expect(refused.status == 1)
        // Line 2: "BOS1;1;BOSCH;x;KIJ;" is 19 characters, so the quote that never closes is at column 20.
        #expect(refused.stderr == "\(bad.path):2:20: a quote that is never closed\n")
        // A windows-1251 name ("Пружина") is refused where its cell starts, never turned into replacement marks.
        var cp1251 = Data("TOW_KOD;INDEKS;MARKA;NAZWA;MAGAZYN;ILOSC\nFEB1;1;FEBI;".utf8)
        cp1251.append(contentsOf: [0xCF, 0xF0, 0xF3, 0xE6, 0xE8, 0xED, 0xE0])
        cp1251.append(contentsOf: Array(";KIJ;3\n".utf8))
        try cp1251.write(to: bad)
        let encoding = try runBinary(["mapping", "check", "mappings/intercars.yaml", bad.path])
        #expect(encoding.status == 1)
        #expect(encoding.stderr == "\(bad.path):2:13: the text is not valid UTF-8\n")
    }
}

/// The ranking rules on their own (`OfferBook`), where the files cannot easily show them.
@Suite struct OfferBookTests {
    static let day = CalendarDate(year: 2026, month: 11, day: 28)

    static func row(_ supplier: String, _ price: String?, _ currency: String = "UAH", stock: Int = 5) -> StoredOffer {
        StoredOffer(
            supplier: supplier, asOf: day,
            item: PriceItem(
                code: "C-\(supplier)", brand: "BOSCH", article: "1", name: "", priced: true,
                price: price.flatMap { try? Fixed(parsing: $0) }, currency: currency,
                stock: [StockLevel(branch: "A", branchId: "", quantity: Fixed(stock), atLeast: false)]))
    }

    /// No EUR rate on or before the offer's date: price_uah is null and the offer sorts with the on-request
    /// ones, after every priced one, even one that does not cover; equal prices go by supplier id.
    @Test func missingRateSortsWithOnRequest() throws {
        let rates = Rates(
            base: "UAH", rows: [(currency: "EUR", date: CalendarDate(year: 2026, month: 12, day: 1), rate: Fixed(50))])
        let ranked = OfferBook.rank(
            [
                Self.row("vesna", "6.95", "EUR"), Self.row("omega", "300.00"), Self.row("busmarket", "300.00"),
                Self.row("intercars", nil), Self.row("elit", "200.00", stock: 0),
            ], suppliers: ["omega", "busmarket", "vesna", "intercars", "elit"], rates: rates, quantity: .one,
            branch: nil, today: Self.day)
        #expect(ranked.map(\.supplier) == ["busmarket", "omega", "elit", "intercars", "vesna"])
        #expect(ranked.last?.price == Fixed(units: 695, scale: 2))
        #expect(ranked.last?.priceBase == nil)
    }

    /// A supplier that is not enabled gives no offer even when its rows are stored.
    @Test func onlyEnabledSuppliers() {
        let ranked = OfferBook.rank(
            [Self.row("omega", "1.00"), Self.row("elit", "0.50")], suppliers: ["omega"],
            rates: Rates(base: "UAH", rows: []), quantity: .one, branch: nil, today: Self.day)
        #expect(ranked.map(\.supplier) == ["omega"])
    }
}
