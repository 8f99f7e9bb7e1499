import Testing

/// `nakladna code` for every supplier: the expected codes are the fixture cross-reference rows and the Inter
/// Cars rule (brand prefix + search number), written out by hand.
@Suite struct CodeCommandTests {
    static let cases: [(String, String, String, String)] = [
        ("omega", "BOSCH", "0 986 452 041", "51234"),
        // Cyrillic О and С in the article still find KNECHT OC 90.
        ("omega", "Knecht", "ОС-90", "51877"),
        ("busmarket", "MANN", "W712/95", "1B2C3D4E5F60718293A4B5C6D7E8F9A0"),
        ("uniquetrade", "FEBI", "01089", "2200331"),
        ("vesna", "Lemforder", "BE017", "VS-220011"),
        ("elit", "BOSCH", "0986452041", "EL-88123"),
        // The rule: BOSCH → BOS, then the search number.
        ("intercars", "Bosch", "0 986 452 041", "BOS0986452041"),
        // MANN is an alias of MANN-FILTER, whose prefix is MAN.
        ("intercars", "MANN", "W 712/95", "MANW71295"),
    ]

    @Test(arguments: cases)
    func code(supplier: String, brand: String, article: String, expected: String) throws {
        let run = try runBinary([
            "code", "--config", "fixtures/config/nakladna.yaml", "--supplier", supplier, brand, article,
        ])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout == expected + "\n")
    }

    @Test func unknownPartSaysWhatIsMissing() throws {
        let run = try runBinary([
            "code", "--config", "fixtures/config/nakladna.yaml", "--supplier", "omega", "NGK", "BKR6E",
        ])
        #expect(run.status == 1)
        #expect(run.stdout.isEmpty)
        #expect(
            run.stderr
                == "omega has no code for NGK BKR6E: no imported price feed lists NGK BKR6E; no cross-reference row "
                + "for NGK BKR6E; import a price feed or add the part to the mapping's cross-reference CSV\n")
    }

    @Test func neverMatchesOnTheNumberAlone() throws {
        // 0986452041 is a BOSCH number; under another brand it is another part.
        let run = try runBinary([
            "code", "--config", "fixtures/config/nakladna.yaml", "--supplier", "omega", "TRW", "0986452041",
        ])
        #expect(run.status == 1)
    }

    @Test func unknownSupplierIsUsageError() throws {
        let run = try runBinary(["code", "--config", "fixtures/config/nakladna.yaml", "--supplier", "acme", "X", "1"])
        #expect(run.status == 2)
        #expect(run.stderr.contains("no supplier 'acme'"))
    }
}
