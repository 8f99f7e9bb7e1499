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
                            SQLiteStore.stockText(item.stock),
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
            return try rows.map { row in
                StoredOffer(
                    supplier: row["supplier"], asOf: try SQLiteStore.date(row["as_of"]),
                    item: PriceItem(
                        code: row["code"], brand: row["brand"], article: row["article"], name: row["name"],
                        priced: row["priced"], price: try SQLiteStore.fixed(row["price"]), currency: row["currency"],
                        stock: try SQLiteStore.stock(row["stock"])))
            }
        }
    }

    /// Stock as JSON text in the row, readable to an integrator: `[{"branch", "branch_id", "quantity", "at_least"}]`.
    static func stockText(_ stock: [StockLevel]) -> String {
        var s = "["
        for (i, level) in stock.enumerated() {
            s += i == 0 ? "{\"branch\":" : ",{\"branch\":"
            CanonicalJSON.append(level.branch, to: &s)
            s += ",\"branch_id\":"
            CanonicalJSON.append(level.branchId, to: &s)
            s += ",\"quantity\":\"\(level.quantity.description)\",\"at_least\":\(level.atLeast)}"
        }
        return s + "]"
    }

    private struct StoredLevel: Decodable {
        var branch: String
        var branch_id: String
        var quantity: String
        var at_least: Bool
    }

    static func stock(_ text: String) throws -> [StockLevel] {
        try JSONDecoder().decode([StoredLevel].self, from: Data(text.utf8)).map { level in
            StockLevel(
                branch: level.branch, branchId: level.branch_id, quantity: try fixed(level.quantity) ?? .zero,
                atLeast: level.at_least)
        }
    }
}
