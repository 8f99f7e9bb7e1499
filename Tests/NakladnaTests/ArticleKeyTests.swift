import Testing

@testable import Nakladna

@Suite struct ArticleKeyTests {
    @Test(arguments: [
        ("0 986 452 041", "0986452041"), ("0986452041", "0986452041"), ("W 712/95", "W71295"),
        // Cyrillic О and С (U+041E, U+0421) look like Latin O and C.
        ("\u{041E}\u{0421} 90", "OC90"), ("oc-90", "OC90"),
        // Cyrillic В, Е; a full-width digit folds under NFKC.
        ("ВЕ 017", "BE017"), ("\u{FF11}23", "123"),
    ])
    func searchNumber(article: String, expected: String) {
        #expect(ArticleKey.searchNumber(article) == expected)
    }

    @Test func brandKeysFoldAccentsAndAliases() throws {
        let brands = try MappingFiles.loadBrands(path: repoPath("mappings/brands.yaml"))
        #expect(brands.key("LEMFÖRDER") == "LEMFORDER")
        #expect(brands.key("Lemförder") == "LEMFORDER")
        #expect(brands.key("MANN") == "MANNFILTER")
        #expect(brands.key("Mann-Filter") == "MANNFILTER")
        #expect(brands.key("FEBI") == "FEBIBILSTEIN")
        #expect(brands.key("KAYABA") == "KYB")
        #expect(brands.key("Febi Bilstein") == "FEBIBILSTEIN")
        #expect(brands.key("A.B.S.") == "ABS")
    }
}
