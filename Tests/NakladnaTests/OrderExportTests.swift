import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// `nakladna order export` for each supplier, checked field by field against the shapes of supplier-feeds.md §9,
/// on the station of `OffersTests` (price files imported). The codes and branches are worked out by hand from
/// the demo station's price files and the mappings' cross-reference CSVs.
@Suite struct OrderExportTests {
    static let header =
        "order_number,supplier,supplier_order_id,order_date,brand,article,name,quantity,unit_price,currency"

    /// Writes an order file for `supplier` holding `lines` (brand, article, quantity) under order ZM-2001.
    static func orderFile(_ station: Station, _ supplier: String, _ lines: [(String, String, String)]) throws -> String
    {
        var text = header + "\n"
        for (brand, article, qty) in lines {
            text += "ZM-2001,\(supplier),,2026-11-28,\(brand),\(article),Деталь,\(qty),100.00,UAH\n"
        }
        let path = station.path("order-\(supplier).csv")
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func export(_ station: Station, _ supplier: String, _ lines: [(String, String, String)]) throws -> RunResult
    {
        try runBinary([
            "order", "export", "--config", station.config, "--supplier", supplier,
            try orderFile(station, supplier, lines),
        ])
    }

    static func json(_ run: RunResult) throws -> Any {
        #expect(run.status == 0, "\(run.stderr)")
        return try JSONSerialization.jsonObject(with: Data(run.stdout.utf8))
    }

    /// Omega `basket/addProductList`: ProductId from the price feed (51234) and from omega-codes.csv (TRW GDB1330
    /// is 52010), both JSON numbers; Count a number.
    @Test func omega() throws {
        let station = try priceStation()
        defer { station.remove() }
        let run = try Self.export(station, "omega", [("BOSCH", "0 986 452 041", "2"), ("TRW", "GDB1330", "1")])
        let body = try #require(try Self.json(run) as? [String: Any])
        #expect(body.keys.sorted() == ["ProductList"])
        let list = try #require(body["ProductList"] as? [[String: Any]])
        #expect(list.count == 2)
        #expect(list.map { $0.keys.sorted() } == [["Count", "ProductId"], ["Count", "ProductId"]])
        #expect(list.map { $0["ProductId"] as? Int } == [51234, 52010])
        #expect(list.map { $0["Count"] as? Int } == [2, 1])
        // The key is never in the body: the pull client adds it when it sends.
        #expect(!run.stdout.contains("Key") && !run.stdout.contains("omega-secret"))
        #expect(run.stdout.hasPrefix("{\"ProductList\":[{\"ProductId\":51234,\"Count\":2}"))
    }

    /// UTR `api/order/accept`: an array of one object; deliveryDate is the order's date; detail 1184523 and storage
    /// 7 (Одеса holds 4, Київ 2: the most stock wins), numbers; deliveryPoint null; paymentType beznal; comment
    /// the order number.
    @Test func uniquetrade() throws {
        let station = try priceStation()
        defer { station.remove() }
        let body = try #require(
            try Self.json(try Self.export(station, "uniquetrade", [("BOSCH", "0986452041", "4")])) as? [[String: Any]])
        #expect(body.count == 1)
        let order = body[0]
        #expect(order.keys.sorted() == ["comment", "deliveryDate", "deliveryPoint", "items", "paymentType"])
        #expect(order["deliveryDate"] as? String == "2026-11-28")
        #expect(order["deliveryPoint"] is NSNull)
        #expect(order["paymentType"] as? String == "beznal")
        #expect(order["comment"] as? String == "ZM-2001")
        let items = try #require(order["items"] as? [[String: Any]])
        #expect(items.count == 1)
        #expect(items[0]["detail"] as? Int == 1_184_523)
        #expect(items[0]["quantity"] as? Int == 4)
        #expect(items[0]["storage"] as? Int == 7)
    }

    /// Inter Cars `sales/requisition`: sku from the price feed (BOS0986452041) and from the stock file alone
    /// (FEB01089); MANN W 712/95 is in no file, so the rule gives MANW71295.
    @Test func intercars() throws {
        let station = try priceStation()
        defer { station.remove() }
        let run = try Self.export(
            station, "intercars", [("BOSCH", "0986452041", "2"), ("FEBI", "01089", "1"), ("MANN", "W 712/95", "3")])
        let body = try #require(try Self.json(run) as? [String: Any])
        #expect(body.keys.sorted() == ["customerOrderNumber", "lines"])
        #expect(body["customerOrderNumber"] as? String == "ZM-2001")
        let lines = try #require(body["lines"] as? [[String: Any]])
        #expect(lines.map { $0["sku"] as? String } == ["BOS0986452041", "FEB01089", "MANW71295"])
        #expect(lines.map { $0["quantity"] as? Int } == [2, 1, 3])
    }

    /// BusMarket (designed): product_uuid 0A1B2C3D; warehouse 92F5A1 (Київ, at least 10, against Львів's none).
    @Test func busmarket() throws {
        let station = try priceStation()
        defer { station.remove() }
        let body = try #require(
            try Self.json(try Self.export(station, "busmarket", [("BOSCH", "0986452041", "2")])) as? [String: Any])
        #expect(body.keys.sorted() == ["comment", "items"])
        #expect(body["comment"] as? String == "ZM-2001")
        let items = try #require(body["items"] as? [[String: Any]])
        #expect(items.count == 1)
        #expect(items[0]["product_uuid"] as? String == "0A1B2C3D")
        #expect(items[0]["quantity"] as? Int == 2)
        #expect(items[0]["warehouse_uuid"] as? String == "92F5A1")
    }

    /// Vesna (designed): customer_id 4411 as a JSON number from the configuration; sku VS-114598; warehouse_id 1.
    @Test func vesna() throws {
        let station = try priceStation()
        defer { station.remove() }
        let body = try #require(
            try Self.json(try Self.export(station, "vesna", [("BOSCH", "0986452041", "1")])) as? [String: Any])
        #expect(body.keys.sorted() == ["comment", "customer_id", "items"])
        #expect(body["customer_id"] as? Int == 4411)
        #expect(body["comment"] as? String == "ZM-2001")
        let items = try #require(body["items"] as? [[String: Any]])
        #expect(items.count == 1)
        #expect(items[0]["sku"] as? String == "VS-114598")
        #expect(items[0]["quantity"] as? Int == 1)
        #expect(items[0]["warehouse_id"] as? Int == 1)
    }

    /// Without a customer_id in Vesna's credentials its order cannot be written: exit 2, saying what to add.
    @Test func vesnaNeedsItsCustomerId() throws {
        let station = try priceStation()
        defer { station.remove() }
        let config = try station.read("nakladna.yaml").replacingOccurrences(
            of: "credentials: { customer_id: 4411 }", with: "credentials: {}")
        try config.write(toFile: station.config, atomically: true, encoding: .utf8)
        let run = try Self.export(station, "vesna", [("BOSCH", "0986452041", "1")])
        #expect(run.status == 2)
        #expect(run.stdout.isEmpty)
        #expect(
            run.stderr.hasSuffix(
                "the order carries customer_id: add it to the supplier's credentials in the configuration\n"))
    }

    /// Elit (designed): `createOrder` in its namespace, the order number, and one item EL-88123 × 2.
    @Test func elit() throws {
        let station = try priceStation()
        defer { station.remove() }
        let run = try Self.export(station, "elit", [("BOSCH", "0 986 452 041", "2")])
        #expect(run.status == 0, "\(run.stderr)")
        let doc = try XMLDocument(data: Data(run.stdout.utf8))
        let root = try #require(doc.rootElement())
        #expect(root.name == "createOrder")
        #expect(root.uri == "http://ecat.elit.cz/")
        let ns = "http://ecat.elit.cz/"
        func children(_ e: XMLElement, _ name: String) -> [XMLElement] { e.elements(forLocalName: name, uri: ns) }
        #expect(root.children?.compactMap(\.name) == ["customerOrderNo", "items"])
        #expect(children(root, "customerOrderNo").first?.stringValue == "ZM-2001")
        let items = children(try #require(children(root, "items").first), "item")
        #expect(items.count == 1)
        #expect(items.first.map { children($0, "itemNo") }?.first?.stringValue == "EL-88123")
        #expect(items.first.map { children($0, "qty") }?.first?.stringValue == "2")
    }

    /// An article without a code at the supplier: exit 1, each refused line named with its reason, nothing on
    /// standard output.
    @Test func refusedArticleWritesNothing() throws {
        let station = try priceStation()
        defer { station.remove() }
        let run = try Self.export(station, "omega", [("BOSCH", "0986452041", "2"), ("NGK", "BKR6E", "4")])
        #expect(run.status == 1)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.contains("order-omega.csv:3: NGK BKR6E: no imported price feed lists NGK BKR6E"))
        #expect(run.stderr.contains("nothing was written"))
    }

    /// More than one order in the file, or lines of another supplier: exit 2.
    @Test func oneOrderOneSupplierPerFile() throws {
        let station = try priceStation()
        defer { station.remove() }
        let path = station.path("two.csv")
        try Data(
            (Self.header
                + "\nZM-1,omega,,2026-11-28,BOSCH,0986452041,a,1,1,UAH\nZM-2,omega,,2026-11-28,BOSCH,0986452041,a,1,1,UAH\n")
                .utf8
        ).write(to: URL(fileURLWithPath: path))
        let two = try runBinary(["order", "export", "--config", station.config, "--supplier", "omega", path])
        #expect(two.status == 2)
        #expect(two.stderr.contains("2 orders (ZM-1, ZM-2); one order per file"))
        #expect(two.stdout.isEmpty)
        let other = try runBinary([
            "order", "export", "--config", station.config, "--supplier", "vesna",
            try Self.orderFile(station, "omega", [("BOSCH", "0986452041", "1")]),
        ])
        #expect(other.status == 2)
        #expect(other.stderr.contains("line(s) for other suppliers"))
    }
}
