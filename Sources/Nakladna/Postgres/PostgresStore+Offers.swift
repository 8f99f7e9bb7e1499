import Foundation

extension PostgresStore {
    package func importPrices(
        _ file: PriceFileRecord, brands: Brands,
        read: (_ item: (PriceItem) throws -> Void) -> [FeedError]
    ) throws -> PriceImport {
        // An outcome that keeps nothing (a file seen before, or one with errors) rolls back, by throwing this.
        struct Undo: Error { var outcome: PriceImport }
        do {
            return try transaction { db in
                if !(try db.query(
                    "SELECT 1 FROM price_files WHERE station_id = $1 AND sha256 = $2", [station, file.sha256]
                )
                .isEmpty) {
                    throw Undo(outcome: .known)
                }
                let asOf = file.asOf.description
                let current = try db.query(
                    "SELECT MAX(as_of) FROM price_files WHERE station_id = $1 AND supplier = $2 AND status = 'imported'",
                    [station, file.supplier]
                ).first?[0]
                var outcome = PriceImport.older
                var items = 0
                if current == nil || !(asOf < current ?? "") {
                    // The newest file replaces the supplier's older offers entirely, and the same kind of file of its
                    // own date (a corrected one sent again).
                    try db.query(
                        """
                        DELETE FROM offers WHERE station_id = $1 AND supplier = $2
                        AND (as_of < $3 OR (as_of = $3 AND feed = $4))
                        """, [station, file.supplier, asOf, String(file.feed)])
                    var rows = CopySink()
                    let errors = read { item in
                        let k = brands.articleKey(brand: item.brand, article: item.article)
                        rows.row([
                            station, file.supplier, String(file.feed), asOf, item.code, item.brand, item.article,
                            item.name, k.brand, k.number, item.priced ? "1" : "0", item.price?.formatted(places: 2),
                            item.currency, StoredRows.stockText(item.stock), String(items),
                        ])
                        items += 1
                    }
                    guard errors.isEmpty else { throw Undo(outcome: .failed(errors)) }
                    try db.copy(into: "offers", rows)
                    outcome = .imported(items: items)
                }
                try db.query(
                    "INSERT INTO price_files VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                    [
                        station, file.sha256, file.supplier, file.name, String(file.feed), asOf, String(items),
                        outcome == .older ? "older" : "imported", file.importedAt,
                    ])
                return outcome
            }
        } catch let undo as Undo {
            return undo.outcome
        }
    }

    package func offers(of key: ArticleKey) throws -> [StoredOffer] {
        try using { db in
            try db.rows(
                """
                SELECT supplier, as_of, code, brand, article, name, priced, price, currency, stock FROM offers
                WHERE station_id = $1 AND search_number = $2 AND brand_key = $3 ORDER BY supplier, as_of, feed, item
                """, [station, key.number, key.brand]
            ).map { try StoredRows.offer($0) }
        }
    }
}
