import Foundation
import Testing

@testable import Nakladna

/// `nakladna mapping check` for people and for tools: errors as JSON with `--format json`, all of a file's errors
/// at once (the first 100, and how many more), and the brand aliases it used.
@Suite struct MappingCheckTests {
    /// A JSON array of objects, for assertions on what the command printed (no money passes through it).
    func objects(_ text: String) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
    }

    @Test func errorsAreJSONOnStandardOutputWithFormatJSON() throws {
        let bad = try temporaryFile(
            "omega-bad.json",
            Data(
                """
                {"Success": true, "Data": [{"Id": "1", "Number": "ВН-1", "Date": "31.02.2026 10:00:00", "Summ": 1,
                "Details": [{"Code": "X", "Brand": "B", "ProductDescrition": "n", "Count": "two", "PiceWithVAT": 1}]}],
                "Errors": []}
                """.utf8))
        let run = try runBinary(["mapping", "check", "mappings/omega.yaml", bad, "--format", "json"])
        #expect(run.status == 1)
        #expect(run.stderr.isEmpty, "\(run.stderr)")
        let errors = try objects(run.stdout)
        // The document's date and the line's count, both at once, each with its file, place and field.
        #expect(errors.count == 2, "\(run.stdout)")
        #expect(errors.allSatisfy { ($0["file"] as? String) == bad })
        let fields = Set(errors.compactMap { $0["field"] as? String })
        #expect(fields == ["invoice_date", "quantity"], "\(run.stdout)")
        #expect(errors.allSatisfy { !(($0["place"] as? String) ?? "").isEmpty && $0["message"] is String })
    }

    @Test func aFileOfManyErrorsListsTheFirstHundredAndCountsTheRest() throws {
        let records = (1...250).map { _ in "{}" }.joined(separator: ",")
        let bad = try temporaryFile("omega-many.json", Data("{\"Success\": true, \"Data\": [\(records)]}".utf8))
        let json = try runBinary(["mapping", "check", "mappings/omega.yaml", bad, "--format", "json"])
        #expect(json.status == 1)
        let errors = try objects(json.stdout)
        #expect(errors.count == 101)
        let last = try #require(errors.last?["message"] as? String)
        #expect(last.hasPrefix("… and ") && last.hasSuffix(" more errors in this file"), "\(last)")
        let text = try runBinary(["mapping", "check", "mappings/omega.yaml", bad])
        #expect(text.stderr.split(separator: "\n").count == 101)
    }

    @Test func itSaysWhichBrandsItUsedAndTakesBrands() throws {
        let sample = repoPath("fixtures/feeds/omega/omega-2026-11-28.json")
        let plain = try runBinary(["mapping", "check", "mappings/omega.yaml", sample])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(
            plain.stdout.hasPrefix("brands: \(repoPath("mappings/brands.yaml"))\n")
                || plain.stdout.hasPrefix("brands: mappings/brands.yaml\n"), "\(plain.stdout)")
        let other = try temporaryFile("brands.yaml", Data("aliases:\n  KNECHT: MAHLE\n".utf8))
        let given = try runBinary(["mapping", "check", "mappings/omega.yaml", sample, "--brands", other])
        #expect(given.status == 0)
        #expect(given.stdout.hasPrefix("brands: \(other)\n"))
        // The file given is the one read: a broken one refuses the mapping, naming it.
        let broken = try temporaryFile("brands.yaml", Data("aliases: [\n".utf8))
        let refused = try runBinary(["mapping", "check", "mappings/omega.yaml", sample, "--brands", broken])
        #expect(refused.status == 2)
        #expect(refused.stderr.hasPrefix(broken), "\(refused.stderr)")
    }

    @Test func aRefusedMappingIsAJSONErrorToo() throws {
        let mapping = try temporaryFile("bad.yaml", Data("format: json\ndocuments: $.Data[*]\nbogus: 1\n".utf8))
        let run = try runBinary([
            "mapping", "check", mapping, repoPath("fixtures/feeds/omega/omega-2026-11-28.json"), "--format", "json",
        ])
        #expect(run.status == 2)
        let errors = try objects(run.stdout)
        #expect(errors.count == 1)
        #expect((errors.first?["file"] as? String) == mapping)
        #expect(errors.first?["field"] is NSNull)
        let place = try #require(errors.first?["place"] as? String)
        #expect(place.contains(":"), "\(place)")
    }

    // MARK: Several values from one text

    /// The order references of a UBL bill whose OrderReference ID is `id`, read through `mappings/ubl-2.1.yaml`.
    func references(_ id: String) throws -> [String] {
        let original = try String(
            contentsOfFile: repoPath("fixtures/external/ubl/ubl-tc434-example2.xml"), encoding: .utf8)
        let from = "<cac:OrderReference>\n        <cbc:ID>123</cbc:ID>"
        #expect(original.contains(from))
        let bill = original.replacingOccurrences(of: from, with: "<cac:OrderReference>\n        <cbc:ID>\(id)</cbc:ID>")
        let path = try temporaryFile("bill.xml", Data(bill.utf8))
        let mapping = try MappingFiles.load(path: repoPath("mappings/ubl-2.1.yaml"))
        let reader = try #require(MappingReader(mapping: mapping, zone: kyiv))
        let result = reader.read(path: path, displayName: "bill.xml")
        #expect(result.errors.isEmpty, "\(result.errors)")
        return try #require(result.documents.first).orderRefs
    }

    @Test func packedOrderReferencesAreSeveralReferences() throws {
        // OCA's UBL purchase matching: one OrderReference holding two, and the form its suite expects three from.
        #expect(try references("#PO0001,#PO0002") == ["PO0001", "PO0002"])
        #expect(try references("PO0001; PO0002 / #PO0003") == ["PO0001", "PO0002", "PO0003"])
        #expect(try references("123") == ["123"])
    }

    @Test func splitIsRefusedWhereAFieldHoldsOneValue() throws {
        let text = """
            format: json
            documents: $.Data[*]
            document:
              supplier_invoice: { path: Number, split: "," }
              invoice_date: { path: Date, date: iso }
              currency: { const: UAH }
            lines:
              path: Details[*]
              fields: { quantity: Count, vat_rate: { const: "20" }, unit_price: { path: Price, basis: gross } }
            """
        #expect {
            try MappingLoader.compile(text: text, file: "one.yaml", brands: Brands())
        } throws: { error in
            "\(error)"
                == "one.yaml:4:44: 'split' is for fields that keep several values (order_refs), not supplier_invoice"
        }
    }
}
