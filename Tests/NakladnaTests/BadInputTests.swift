import Foundation
import Testing

@testable import Nakladna

/// Bad feed files and bad mapping files: each is refused with its exact message naming the file, the place and
/// the field; nothing crashes and no document of a bad file is returned.
@Suite struct BadInputTests {
    static let feeds: [(String, String, String)] = [
        (
            "omega", "omega-bad-date.json",
            "$.Data[0].Date: field 'invoice_date': \"31.02.2026 10:00:00\" is not a valid date as 'dd.MM.yyyy HH:mm:ss'"
        ),
        (
            "omega", "omega-deep.json",
            "$.Data[0][0][0][0][0][0][0][0][0][0][0]… (64 levels): nesting deeper than 64 levels (line 1, column 91)"
        ),
        ("omega", "omega-empty.json", "$: the file is empty (line 1, column 1)"),
        (
            "omega", "omega-huge-number.json",
            "$.Data[0].Details[0].PiceWithVAT: field 'unit_price': \"1e400\" is out of range"
        ),
        ("omega", "omega-invalid-utf8.json", "$.Data[0].Number: the text is not valid UTF-8 (line 1, column 51)"),
        ("omega", "omega-missing-comma.json", "$.Data[0]: unexpected '\"', expected ',' or '}' (line 2, column 14)"),
        ("omega", "omega-missing-number.json", "$.Data[0].Number: field 'supplier_invoice': missing"),
        ("omega", "omega-nul.json", "$.Data[0].Number: a NUL byte inside a string (line 1, column 52)"),
        (
            "omega", "omega-text-for-number.json",
            "$.Data[0].Details[0].Count: field 'quantity': \"два\" is not a number"
        ),
        (
            "omega", "omega-truncated.json",
            "$.Data[0].Details[0]: unexpected end of file inside a string (line 1, column 120)"
        ),
        (
            "intercars", "intercars-bad-number.xml",
            "/VFPDataSet/poz[1]/cena: field 'unit_price': \"дорого\" is not a number"
        ),
        ("intercars", "intercars-billion-laughs.xml", "1:7: Detected an entity reference loop"),
        (
            "intercars", "intercars-orphan-line.xml",
            "/VFPDataSet/poz[2]: a line refers to document '2', which the file does not hold"
        ),
        ("intercars", "intercars-truncated.xml", "5:20: expected '>'"),
        (
            "intercars", "intercars-undeclared-1251.xml",
            "3:44: Input is not proper UTF-8, indicate encoding !; Bytes: 0xEB 0xFC 0xF2 0xF0"
        ),
        ("intercars", "intercars-xxe.xml", "6:1: a document type declaration is not accepted (no DTDs, no entities)"),
    ]

    /// The three regional suppliers' bad files (new-suppliers.md, "What a bad file gets"), each a copy of a good file
    /// of `fixtures/nine/` with one thing wrong.
    static let newSupplierFeeds: [(String, String, String)] = [
        (
            "kharkivauto", "kharkivauto-no-such-day.json",
            "$.docs[0].dt: field 'invoice_date': \"31/2/26\" is not a valid date as 'd/M/yy'"
        ),
        (
            "kharkivauto", "kharkivauto-two-decimal-marks.json",
            "$.docs[0].rows[0].price: field 'unit_price': \"1.250,40,5\" is not a number in the declared form: "
                + "it has more than one decimal mark ','"
        ),
        (
            "kharkivauto", "kharkivauto-discount-over-100.json",
            "$.docs[0].rows[0].disc: field 'discount': 105 is not a percent from 0 to 100"
        ),
        (
            "zaporizhparts", "zaporizhparts-unknown-month.xml",
            "/Export/Doc[1]/@date: field 'invoice_date': \"26 листопаду 2026\" is not a valid date as 'd MMMM yyyy' "
                + "(MMMM is one of: січня, лютого, березня, квітня, травня, червня, липня, серпня, вересня, жовтня, "
                + "листопада, грудня)"
        ),
        (
            "poltavadetal", "poltavadetal-unknown-price-type.json",
            "$.result[0].items[1].price_type: field 'unit_price basis': \"без НДС\" is not one of: без ПДВ, з ПДВ"
        ),
    ]

    @Test(arguments: feeds + newSupplierFeeds)
    func badFeedFile(mapping: String, file: String, message: String) throws {
        let path = "fixtures/bad/\(file)"
        let result = try readFeed(mapping: mapping, file: path)
        #expect(result.documents.isEmpty)
        #expect(result.errors.map(\.description) == ["\(path):\(message)"])
    }

    @Test func externalEntityIsNeverRead() throws {
        // The XXE file names /etc/passwd; whatever happens, no text of it may appear.
        let result = try readFeed(mapping: "intercars", file: "fixtures/bad/intercars-xxe.xml")
        #expect(!result.errors.description.contains("root:"))
        #expect(result.documents.isEmpty)
    }

    static let mappings: [(String, String)] = [
        (
            "bad-date-pattern.yaml",
            "5:37: invalid date pattern 'dd.MM.yyy': 'yyy' is not a date token "
                + "(yyyy yy MMMM MM M dd d HH mm ss SSS, or quote literal letters)"
        ),
        ("bad-path.yaml", "4:21: bad path 'Number[x]': '[x]' is not [*], [n] or ['key']"),
        ("bad-regex.yaml", "10:33: invalid regular expression '\\((unclosed'"),
        ("bad-xpath.yaml", "4:21: bad path 'NUMBER[[': not a valid XPath"),
        (
            "names-a-reader.yaml",
            "3:1: unknown key 'reader' (expected one of: adjustments, codes, description, document, documents, "
                + "error_when, format, lines, namespaces, order, prices, pull, returns)"
        ),
        (
            "syntax-error.yaml",
            "6:3: YAML: while parsing a flow mapping in line 5, column 17: did not find expected ',' or '}'"
        ),
        (
            "root-path-in-a-record.yaml",
            "8:9: bad path '$.docs[*].rows[*]': this path is read below each record, so it cannot start at the "
                + "file's root ('$'): write it from the record"
        ),
        ("undeclared-prefix.yaml", "2:12: prefix 'inv' is not declared under namespaces"),
        // The constructs the three regional suppliers brought, used wrongly.
        ("bad-number-form.yaml", "11:63: the decimal mark is '.' or ','"),
        ("discount-on-quantity.yaml", "10:38: 'discount' is for unit_price"),
        ("concat-of-one.yaml", "4:31: 'concat' takes a list of two or more fields: [series, { const: \"-\" }, no]"),
        ("bad-basis-map.yaml", "11:39: the basis map gives 'brutto', where net or gross belongs"),
        (
            "unknown-key.yaml",
            "11:46: unknown key 'rounding' (expected one of: basis, concat, const, date, default, discount, first, map, "
                + "negate_when, number, path, per, regex, split, timezone)"
        ),
    ]

    @Test(arguments: mappings)
    func badMappingFile(file: String, message: String) throws {
        let path = repoPath("fixtures/bad/mappings/\(file)")
        #expect(throws: MappingError.self) { try MappingFiles.load(path: path) }
        do {
            _ = try MappingFiles.load(path: path)
        } catch {
            #expect(error.description == "\(path):\(message)")
        }
    }

    @Test func mappingCheckExitCodes() throws {
        // 2 for a refused mapping, 1 for an unreadable feed file (with the others still read), 0 when all is read.
        let refused = try runBinary([
            "mapping", "check", "fixtures/bad/mappings/unknown-key.yaml", "fixtures/feeds/omega/omega-2026-11-28.json",
        ])
        #expect(refused.status == 2)
        #expect(refused.stderr.hasPrefix("fixtures/bad/mappings/unknown-key.yaml:11:46: unknown key 'rounding'"))
        let partial = try runBinary([
            "mapping", "check", "mappings/omega.yaml", "fixtures/bad/omega-nul.json",
            "fixtures/feeds/omega/omega-2026-11-28.json",
        ])
        #expect(partial.status == 1)
        #expect(partial.stdout.contains("fixtures/feeds/omega/omega-2026-11-28.json: 3 document(s)"))
        #expect(partial.stderr.contains("fixtures/bad/omega-nul.json:$.Data[0].Number: a NUL byte"))
        let fine = try runBinary([
            "mapping", "check", "mappings/vesna.yaml", "fixtures/feeds/vesna/vesna-2026-11-28.json",
        ])
        #expect(fine.status == 0)
    }

    /// Text is taken only when its bytes are UTF-8, byte for byte. The truncated emoji is decoded as one U+FFFD of
    /// the same three bytes' length, so a check of the length alone would take it.
    @Test func onlyValidUTF8IsText() {
        func text(_ bytes: [UInt8]) -> String? { bytes.withUnsafeBufferPointer { String(validUTF8: $0) } }
        #expect(text(Array("Фільтр масляний 😀".utf8)) == "Фільтр масляний 😀")
        #expect(text([]) == "")
        for bad: [UInt8] in [
            [0xF0, 0x9F, 0x98], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xCF], [0x41, 0xFF, 0x42], [0xD0, 0x41],
            [0xE2, 0x82, 0xAC, 0x80],
        ] {
            #expect(text(bad) == nil, "\(bad)")
        }
    }
}
