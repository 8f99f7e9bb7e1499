import Foundation
import GRDB
import GRDBSQLite

extension SQLiteStore {
    package func importPrices(
        _ file: PriceFileRecord, brands: Brands,
        read: (_ item: (PriceItem) throws -> Void) -> [FeedError]
    ) throws -> PriceImport {
        var outcome = PriceImport.known
        try queue.inTransaction { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM price_files WHERE sha256 = ?", arguments: [file.sha256])
                != nil
            {
                outcome = .known
                return .rollback
            }
            let asOf = file.asOf.description
            let current = try String.fetchOne(
                db, sql: "SELECT MAX(as_of) FROM price_files WHERE supplier = ? AND status = 'imported'",
                arguments: [file.supplier])
            var items = 0
            var status = "imported"
            if let current, asOf < current {
                status = "older"
                outcome = .older
            } else {
                // The newest file replaces the supplier's older offers entirely, and the same kind of file of its own
                // date (a corrected one sent again).
                try db.execute(
                    sql: "DELETE FROM offers WHERE supplier = ? AND (as_of < ? OR (as_of = ? AND feed = ?))",
                    arguments: [file.supplier, asOf, asOf, file.feed])
                var rows = try RowInserter(db, "INSERT INTO offers VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                let feed = String(file.feed)
                var failure: (any Error)?
                let errors = read { item in
                    let k = brands.articleKey(brand: item.brand, article: item.article)
                    do {
                        try rows.insert([
                            file.supplier, feed, asOf, item.code, item.brand, item.article, item.name, k.brand,
                            k.number, item.priced ? "1" : "0", item.price?.formatted(places: 2), item.currency,
                            StoredRows.stockText(item.stock),
                        ])
                    } catch {
                        failure = error
                        throw error
                    }
                    items += 1
                }
                if let failure { throw failure }
                guard errors.isEmpty else {
                    outcome = .failed(errors)
                    return .rollback
                }
                outcome = .imported(items: items)
            }
            try db.execute(
                sql: "INSERT INTO price_files VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                arguments: [
                    file.sha256, file.supplier, file.name, file.feed, asOf, items, status, file.importedAt,
                ])
            return .commit
        }
        return outcome
    }

    package func offers(of key: ArticleKey) throws -> [StoredOffer] {
        try queue.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT supplier, as_of, code, brand, article, name, priced, price, currency, stock FROM offers
                    WHERE search_number = ? AND brand_key = ? ORDER BY supplier, rowid
                    """,
                arguments: [key.number, key.brand])
            return try rows.map { try StoredRows.offer($0) }
        }
    }
}
