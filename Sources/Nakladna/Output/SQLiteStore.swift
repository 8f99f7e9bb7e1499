import Foundation
import GRDB
import GRDBSQLite

/// The SQLite store, through GRDB: versioned migrations, one transaction per run. Amounts are kept as their exact
/// decimal text, never as floating point.
package final class SQLiteStore: ResultStore, Sendable {
    let queue: DatabaseQueue

    /// Opens (or creates) the database at `path` and brings its schema up to date.
    package init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        // SQLite's own page cache (2 MiB) and rollback journal: the journal keeps a killed run harmless, and a
        // larger cache makes no run measurably faster while a night holds all of it (README, "Nights").
        queue = try DatabaseQueue(path: path, configuration: configuration)
        FileSystem.makePrivate(path)
        try SQLiteStore.migrator.migrate(queue)
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: documents, results, runs") { db in
            try db.execute(
                sql: """
                    CREATE TABLE feed_files (
                        sha256 TEXT PRIMARY KEY, supplier TEXT NOT NULL, name TEXT NOT NULL,
                        sequence INTEGER NOT NULL, status TEXT NOT NULL, error TEXT NOT NULL,
                        size INTEGER NOT NULL, documents INTEGER NOT NULL);
                    CREATE TABLE documents (
                        supplier TEXT NOT NULL, supplier_invoice TEXT NOT NULL, content_sha256 TEXT NOT NULL,
                        invoice_date TEXT NOT NULL, kind TEXT NOT NULL, received_order INTEGER NOT NULL,
                        file_name TEXT NOT NULL, body TEXT NOT NULL, line_keys TEXT NOT NULL,
                        PRIMARY KEY (supplier, content_sha256));
                    CREATE TABLE orders (
                        order_number TEXT NOT NULL, supplier TEXT NOT NULL, supplier_order_id TEXT NOT NULL,
                        order_date TEXT NOT NULL, brand TEXT NOT NULL, article TEXT NOT NULL, name TEXT NOT NULL,
                        quantity TEXT NOT NULL, unit_price TEXT NOT NULL, currency TEXT NOT NULL,
                        brand_key TEXT NOT NULL, search_number TEXT NOT NULL, row INTEGER NOT NULL);
                    CREATE TABLE inc_documents (
                        inc_number TEXT PRIMARY KEY, supplier TEXT NOT NULL, supplier_invoice TEXT NOT NULL,
                        kind TEXT NOT NULL, invoice_date TEXT NOT NULL, currency TEXT NOT NULL,
                        net_total TEXT NOT NULL, vat_total TEXT NOT NULL, gross_total TEXT NOT NULL, rate TEXT,
                        gross_total_uah TEXT, lines INTEGER NOT NULL, status TEXT NOT NULL, orders TEXT NOT NULL,
                        source_sha256 TEXT NOT NULL);
                    CREATE INDEX inc_documents_date ON inc_documents (invoice_date);
                    CREATE TABLE inc_lines (
                        inc_number TEXT NOT NULL, line INTEGER NOT NULL, brand TEXT NOT NULL, article TEXT NOT NULL,
                        supplier_code TEXT NOT NULL, name TEXT NOT NULL, quantity TEXT, unit_price_gross TEXT,
                        vat_rate TEXT NOT NULL, net_amount TEXT NOT NULL, vat_amount TEXT NOT NULL,
                        gross_amount TEXT NOT NULL, order_number TEXT NOT NULL, status TEXT NOT NULL,
                        supplier TEXT NOT NULL, PRIMARY KEY (inc_number, line));
                    CREATE TABLE reconciliation (
                        position INTEGER NOT NULL, supplier TEXT NOT NULL, supplier_invoice TEXT NOT NULL,
                        inc_number TEXT NOT NULL, line INTEGER, order_number TEXT NOT NULL, brand TEXT NOT NULL,
                        article TEXT NOT NULL, status TEXT NOT NULL, ordered_qty TEXT, invoiced_qty TEXT,
                        order_price TEXT, invoice_price TEXT, currency TEXT NOT NULL, amount_at_stake TEXT NOT NULL,
                        note TEXT NOT NULL, finding_date TEXT NOT NULL, range_from TEXT, range_to TEXT);
                    CREATE INDEX reconciliation_date ON reconciliation (finding_date);
                    CREATE TABLE inc_numbers (
                        supplier TEXT NOT NULL, supplier_invoice TEXT NOT NULL, inc_number TEXT NOT NULL UNIQUE,
                        PRIMARY KEY (supplier, supplier_invoice));
                    CREATE TABLE accepted_versions (
                        supplier TEXT NOT NULL, supplier_invoice TEXT NOT NULL, content_sha256 TEXT NOT NULL,
                        PRIMARY KEY (supplier, supplier_invoice));
                    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
                    CREATE TABLE runs (
                        id INTEGER PRIMARY KEY AUTOINCREMENT, started_at TEXT NOT NULL, finished_at TEXT NOT NULL,
                        command TEXT NOT NULL, range_from TEXT NOT NULL, range_to TEXT NOT NULL,
                        suppliers TEXT NOT NULL, files_read INTEGER NOT NULL, files_quarantined INTEGER NOT NULL,
                        exit_code INTEGER NOT NULL);
                    """)
        }
        migrator.registerMigration("v2: HTTP pulls") { db in
            try db.execute(
                sql: """
                    CREATE TABLE pulls (
                        id INTEGER PRIMARY KEY AUTOINCREMENT, supplier TEXT NOT NULL, range_from TEXT NOT NULL,
                        range_to TEXT NOT NULL, status TEXT NOT NULL, error TEXT NOT NULL, responses INTEGER NOT NULL,
                        feed_sha256 TEXT NOT NULL, run_started_at TEXT NOT NULL);
                    """)
        }
        migrator.registerMigration("v3: price and stock feeds") { db in
            try db.execute(
                sql: """
                    CREATE TABLE price_files (
                        sha256 TEXT PRIMARY KEY, supplier TEXT NOT NULL, name TEXT NOT NULL, feed INTEGER NOT NULL,
                        as_of TEXT NOT NULL, items INTEGER NOT NULL, status TEXT NOT NULL, imported_at TEXT NOT NULL);
                    CREATE TABLE offers (
                        supplier TEXT NOT NULL, feed INTEGER NOT NULL, as_of TEXT NOT NULL, code TEXT NOT NULL,
                        brand TEXT NOT NULL, article TEXT NOT NULL, name TEXT NOT NULL, brand_key TEXT NOT NULL,
                        search_number TEXT NOT NULL, priced INTEGER NOT NULL, price TEXT, currency TEXT NOT NULL,
                        stock TEXT NOT NULL);
                    CREATE INDEX offers_part ON offers (search_number, brand_key);
                    CREATE INDEX offers_supplier ON offers (supplier, as_of, feed);
                    """)
        }
        migrator.registerMigration("v4: feed files by name and bytes") { db in
            // The same bytes under two names are two files: an invoice and a price file must not share a status.
            try db.execute(
                sql: """
                    CREATE TABLE feed_files_v4 (
                        sha256 TEXT NOT NULL, supplier TEXT NOT NULL, name TEXT NOT NULL,
                        sequence INTEGER NOT NULL, status TEXT NOT NULL, error TEXT NOT NULL,
                        size INTEGER NOT NULL, documents INTEGER NOT NULL, PRIMARY KEY (sha256, supplier, name));
                    INSERT INTO feed_files_v4 SELECT * FROM feed_files;
                    DROP TABLE feed_files;
                    ALTER TABLE feed_files_v4 RENAME TO feed_files;
                    """)
        }
        migrator.registerMigration("v5: incremental replay") { db in
            // What a run needs to replay only the days its input changed (docs/incremental.md): the movements of
            // allocation, each order's digest, the rates and fingerprints the results were reconciled with, and
            // the indexes that find a day's documents and a document's versions. A database without them is
            // replayed from the start of history once, which fills them.
            try db.execute(
                sql: """
                    CREATE TABLE movement_days (
                        supplier TEXT NOT NULL, day TEXT NOT NULL, count INTEGER NOT NULL, total TEXT NOT NULL,
                        sha256 TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (supplier, day));
                    CREATE TABLE order_digests (
                        supplier TEXT NOT NULL, order_date TEXT NOT NULL, digest TEXT NOT NULL,
                        PRIMARY KEY (supplier, order_date));
                    CREATE INDEX orders_day ON orders (supplier, order_date);
                    CREATE TABLE replay_inputs (
                        kind TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (kind, key));
                    CREATE INDEX documents_date ON documents (invoice_date);
                    CREATE TABLE stale_ranges (
                        range_from TEXT NOT NULL, range_to TEXT NOT NULL, supplier TEXT NOT NULL, since TEXT NOT NULL,
                        PRIMARY KEY (range_from, range_to, supplier));
                    CREATE INDEX documents_key ON documents (supplier, supplier_invoice, invoice_date);
                    """)
        }
        migrator.registerMigration("v6: findings found by their range") { db in
            // A run finds its range's order findings, and the last position, through an index: without one it read
            // every finding ever stored, twice, and each night stores its range's order findings (about 85,000 on
            // the generated year). Order findings stay out of the date index, which only document findings are
            // looked up by, so that a night's rows go in at the end of its indexes rather than all over them.
            try db.execute(
                sql: """
                    DROP INDEX reconciliation_date;
                    CREATE INDEX reconciliation_date ON reconciliation (finding_date) WHERE range_from IS NULL;
                    CREATE INDEX reconciliation_range ON reconciliation (range_from, range_to)
                        WHERE range_from IS NOT NULL;
                    CREATE INDEX reconciliation_position ON reconciliation (position);
                    """)
        }
        migrator.registerMigration("v7: documents with versions of several dates") { db in
            // The supplier documents whose versions carry more than one invoice date, kept as the versions arrive:
            // finding them among all the stored documents read every document's key on every run.
            try db.execute(
                sql: """
                    CREATE TABLE document_spread (
                        supplier TEXT NOT NULL, supplier_invoice TEXT NOT NULL, first TEXT NOT NULL,
                        last TEXT NOT NULL, PRIMARY KEY (supplier, supplier_invoice));
                    """)
            try db.execute(sql: SQLiteStore.spreadOfAll)
        }
        return migrator
    }

    /// The statements that look stored findings up. Each night adds its range's order findings, so every one of them
    /// must go through an index (migration v6), never read them all: `FindingIndexTests` asks SQLite's plans.
    enum FindingSQL {
        /// The findings of a range: its document findings by their date, its order findings by the range.
        static let ofRange = """
            SELECT * FROM reconciliation
            WHERE (range_from IS NULL AND finding_date BETWEEN ? AND ?) OR (range_from = ? AND range_to = ?)
            ORDER BY position
            """
        static let lastPosition = "SELECT COALESCE(MAX(position), 0) FROM reconciliation"

        /// The document findings of the replayed days, from the first one on.
        static func replayedDelete(suppliers: Int) -> String {
            "DELETE FROM reconciliation WHERE range_from IS NULL AND finding_date >= ? AND supplier IN "
                + "(\(databaseQuestionMarks(count: suppliers)))"
        }

        /// A range's order findings.
        static func rangeDelete(suppliers: Int) -> String {
            "DELETE FROM reconciliation WHERE range_from = ? AND range_to = ? AND supplier IN "
                + "(\(databaseQuestionMarks(count: suppliers)))"
        }
    }

    /// The dates of every supplier document's versions, kept where they are more than one (`document_spread`).
    static let spreadOfAll = spread(of: "")
    /// The same for one supplier document.
    static let spreadOfOne = spread(of: "WHERE supplier = ? AND supplier_invoice = ?")

    private static func spread(of documents: String) -> String {
        """
        INSERT OR REPLACE INTO document_spread
            SELECT supplier, supplier_invoice, MIN(invoice_date), MAX(invoice_date) FROM documents \(documents)
            GROUP BY supplier, supplier_invoice HAVING MIN(invoice_date) <> MAX(invoice_date)
        """
    }

    /// What went wrong in the database, in SQLite's words (the caller names the file); nil for other errors.
    package static func describe(_ error: any Error) -> String? {
        switch error {
        case let error as DatabaseError: return error.message ?? "SQLite error \(error.resultCode.rawValue)"
        case let error as StoreError: return error.description
        default: return nil
        }
    }

    package func loadState() throws -> StoredState {
        try queue.read { db in
            var state = StoredState()
            state.hasDocuments = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM documents)") ?? false
            for row in try Row.fetchAll(db, sql: "SELECT * FROM feed_files") {
                let record = StoredRows.feedFile(row)
                state.feedFiles[record.key] = record
            }
            for row in try Row.fetchAll(db, sql: "SELECT * FROM accepted_versions") {
                state.accepted[DocumentKey(supplier: row["supplier"], invoice: row["supplier_invoice"])] =
                    row["content_sha256"]
            }
            if let text = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'covered_until'") {
                state.coveredUntil = CalendarDate(iso: text)
            }
            state.stationId = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'station_id'")
            return state
        }
    }

    package func documentRows(of suppliers: Set<String>, from: CalendarDate?) throws -> [StoredDocumentRow] {
        try queue.read { db in
            var stored: [StoredDocumentRow] = []
            let rows = try Row.fetchCursor(
                db,
                sql: from == nil
                    ? "SELECT * FROM documents ORDER BY received_order"
                    : "SELECT * FROM documents WHERE invoice_date >= ? ORDER BY received_order",
                arguments: from.map { [$0.description] } ?? [])
            while let row = try rows.next() {
                let supplier: String = row["supplier"]
                guard suppliers.contains(supplier) else { continue }
                let body: String = row["body"]
                stored.append(
                    StoredDocumentRow(
                        supplier: supplier, invoice: row["supplier_invoice"], body: Data(body.utf8),
                        keys: row["line_keys"], hash: row["content_sha256"], receivedOrder: row["received_order"],
                        fileName: row["file_name"]))
            }
            return stored
        }
    }

    package func replayRecord(of suppliers: Set<String>) throws -> ReplayRecord {
        try queue.read { db in
            var record = ReplayRecord()
            let digests = try Row.fetchCursor(db, sql: "SELECT * FROM order_digests")
            while let row = try digests.next() {
                let supplier: String = row["supplier"]
                guard suppliers.contains(supplier) else { continue }
                record.digests[supplier, default: [:]][try StoredRows.date(row["order_date"])] = row["digest"]
            }
            for row in try Row.fetchAll(db, sql: "SELECT * FROM replay_inputs") {
                record.add(kind: row["kind"], key: row["key"], value: row["value"])
            }
            for row in try Row.fetchAll(db, sql: "SELECT * FROM document_spread") {
                let key = DocumentKey(supplier: row["supplier"], invoice: row["supplier_invoice"])
                record.spread[key] = (try StoredRows.date(row["first"]), try StoredRows.date(row["last"]))
            }
            return record
        }
    }

    /// The INC numbers reconciling `documents` needs (`Reconciler`, "incNumber"): those given to their supplier
    /// documents before, and every number of their invoice dates, which a new number (`INC-<date>-…`) must not
    /// repeat. Not the numbers of all of history where the documents have a day or a few, as a night's have.
    package func incNumbers(for documents: some Collection<ReceivedDocument>) throws -> [DocumentKey: String] {
        try queue.read { db in
            var numbers: [DocumentKey: String] = [:]
            let dates = Set(documents.map(\.document.invoiceDate))
            // A range of more than a month asks for most of them: read whole, as one statement.
            guard dates.count <= 31 else {
                let rows = try Row.fetchCursor(
                    db, sql: "SELECT supplier, supplier_invoice, inc_number FROM inc_numbers")
                while let row = try rows.next() { numbers[DocumentKey(supplier: row[0], invoice: row[1])] = row[2] }
                return numbers
            }
            for date in dates {
                // The prefix ends in `-`, and `.` follows it: the range holds exactly the numbers that begin with it.
                let prefix = Reconciler.incNumberPrefix(date)
                let rows = try Row.fetchCursor(
                    db,
                    sql:
                        "SELECT supplier, supplier_invoice, inc_number FROM inc_numbers WHERE inc_number >= ? AND inc_number < ?",
                    arguments: [prefix, String(prefix.dropLast()) + "."])
                while let row = try rows.next() { numbers[DocumentKey(supplier: row[0], invoice: row[1])] = row[2] }
            }
            // The rest by key, a supplier's invoices a few hundred at a time: one statement each would cost a year's
            // first run seconds.
            var rest: [String: Set<String>] = [:]
            for d in documents
            where numbers[DocumentKey(supplier: d.supplier, invoice: d.document.supplierInvoice)] == nil {
                rest[d.supplier, default: []].insert(d.document.supplierInvoice)
            }
            for (supplier, invoices) in rest {
                let list = Array(invoices)
                for start in stride(from: 0, to: list.count, by: 500) {
                    let part = list[start..<min(start + 500, list.count)]
                    let rows = try Row.fetchCursor(
                        db,
                        sql:
                            "SELECT supplier_invoice, inc_number FROM inc_numbers WHERE supplier = ? AND supplier_invoice IN ("
                            + databaseQuestionMarks(count: part.count) + ")",
                        arguments: StatementArguments([supplier] + part))
                    while let row = try rows.next() {
                        numbers[DocumentKey(supplier: supplier, invoice: row[0])] = row[1]
                    }
                }
            }
            return numbers
        }
    }

    package func isKnown(supplier: String, contentHash: String) throws -> Bool {
        try queue.read { db in
            try Bool.fetchOne(
                db, sql: "SELECT 1 FROM documents WHERE supplier = ? AND content_sha256 = ?",
                arguments: [supplier, contentHash]) ?? false
        }
    }

    package func firstDate(of key: DocumentKey) throws -> CalendarDate? {
        try queue.read { db in
            try String.fetchOne(
                db, sql: "SELECT MIN(invoice_date) FROM documents WHERE supplier = ? AND supplier_invoice = ?",
                arguments: [key.supplier, key.invoice]
            ).map { try StoredRows.date($0) }
        }
    }

    package func movementDays(of suppliers: Set<String>, before day: CalendarDate) throws -> [MovementDays.Row] {
        try queue.read { db in
            var days: [MovementDays.Row] = []
            for supplier in suppliers.sorted() {
                let stored = try SQLiteStore.movementDays(of: supplier, bodiesBefore: day, db)
                let kept = try String.fetchOne(
                    db, sql: "SELECT value FROM replay_inputs WHERE kind = 'movements' AND key = ?",
                    arguments: [supplier])
                guard stored.digest == (kept ?? MovementDays(supplier: supplier).digest) else {
                    throw StoreError("\(supplier): the stored days of movements are not those that were written")
                }
                for row in stored.bodies {
                    days.append(
                        (
                            supplier, try StoredRows.date(row.day), row.count,
                            try StoredRows.fixed(row.total) ?? .zero,
                            row.sha256, row.body
                        ))
                }
            }
            return days
        }
    }

    /// A supplier's stored days of movements, read once: their digest (each day's count, total and SHA-256 in day
    /// order, as `replay_inputs` keeps it), and the days before `bodiesBefore` with their text (none where nil).
    static func movementDays(of supplier: String, bodiesBefore: CalendarDate?, _ db: Database) throws
        -> (digest: String, bodies: [(day: String, count: Int, total: String, sha256: String, body: String)])
    {
        var days = MovementDays(supplier: supplier)
        var bodies: [(day: String, count: Int, total: String, sha256: String, body: String)] = []
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT day, count, total, sha256, CASE WHEN day < ? THEN body END FROM movement_days
                WHERE supplier = ? ORDER BY day
                """,
            arguments: [bodiesBefore?.description ?? "", supplier])
        while let row = try rows.next() {
            days.add(day: row[0], count: row[1], total: row[2], sha256: row[3])
            if let body: String = row[4] { bodies.append((row[0], row[1], row[2], row[3], body)) }
        }
        return (days.digest, bodies)
    }

    package func results(from: CalendarDate, to: CalendarDate, excluding: Set<String>) throws -> RangeResults {
        try queue.read { db in
            var results = RangeResults()
            let skip = excluding
            for row in try Row.fetchAll(
                db, sql: "SELECT * FROM inc_documents WHERE invoice_date BETWEEN ? AND ?",
                arguments: [from.description, to.description])
            where !skip.contains(row["supplier"]) {
                results.incDocuments.append(try StoredRows.incDocument(row))
            }
            let numbers = Set(results.incDocuments.map(\.incNumber))
            for row in try Row.fetchAll(
                db,
                sql:
                    "SELECT * FROM inc_lines WHERE inc_number IN (SELECT inc_number FROM inc_documents WHERE invoice_date BETWEEN ? AND ?) ORDER BY inc_number, line",
                arguments: [from.description, to.description])
            where numbers.contains(row["inc_number"]) {
                results.incLines.append(try StoredRows.incLine(row))
            }
            for row in try Row.fetchAll(
                db,
                sql: FindingSQL.ofRange,
                arguments: [from.description, to.description, from.description, to.description])
            where !skip.contains(row["supplier"]) {
                results.findings.append(try StoredRows.finding(row))
            }
            return results
        }
    }

    package func ignoredOrders() throws -> [String: Int] {
        let text = try queue.read { db in
            try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'ignored_orders'")
        }
        var ignored: [String: Int] = [:]
        for line in (text ?? "").split(separator: "\n") {
            let parts = line.split(separator: "\t")
            if parts.count == 2, let n = Int(parts[1]) { ignored[String(parts[0])] = n }
        }
        return ignored
    }

    package func feedFiles() throws -> [FeedFileRecord] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM feed_files ORDER BY sequence").map { StoredRows.feedFile($0) }
        }
    }

    package func commit(
        _ intake: StoreIntake, results: () throws -> RangeResults?, change: () throws -> StoreChange,
        beforeCommit: () throws -> Void
    ) throws {
        try queue.write { db in
            var files = try RowInserter(
                db,
                """
                INSERT INTO feed_files VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (sha256, supplier, name) DO UPDATE SET status = excluded.status, error = excluded.error,
                documents = excluded.documents
                """)
            for f in intake.feedFiles {
                try files.insert([
                    f.sha256, f.supplier, f.name, String(f.sequence), f.status, f.error, String(f.size),
                    String(f.documents),
                ])
            }
            var documents = try RowInserter(db, "INSERT OR IGNORE INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")
            for d in intake.newDocuments {
                Columns.storedDocument(d, into: &documents)
                try documents.insert()
            }
            // A document whose versions now carry more than one invoice date is replayed with all of them.
            let keys = Set(
                intake.newDocuments.map { DocumentKey(supplier: $0.supplier, invoice: $0.document.supplierInvoice) })
            if keys.count > 1_000 {
                // A first run's 120,000 documents: one pass over all their keys costs less than a look at each.
                try db.execute(sql: SQLiteStore.spreadOfAll)
            } else {
                var spread = try RowInserter(db, SQLiteStore.spreadOfOne)
                for key in keys { try spread.insert([key.supplier, key.invoice]) }
            }
            try SQLiteStore.writeOrders(intake.replay, db)
            let suppliers = Array(intake.suppliers)
            let placeholders = databaseQuestionMarks(count: suppliers.count)
            let list = StatementArguments(suppliers)
            let from = intake.from.description
            let to = intake.to.description
            // The replayed days' rows go: from its first day on, or all of them.
            let day = (intake.replay.from ?? CalendarDate(year: 1, month: 1, day: 1)).description
            for sql in [
                """
                DELETE FROM inc_lines WHERE inc_number IN (
                    SELECT inc_number FROM inc_documents WHERE invoice_date >= ? AND supplier IN (\(placeholders)))
                """,
                "DELETE FROM inc_documents WHERE invoice_date >= ? AND supplier IN (\(placeholders))",
                FindingSQL.replayedDelete(suppliers: suppliers.count),
                "DELETE FROM movement_days WHERE day >= ? AND supplier IN (\(placeholders))",
            ] {
                try db.execute(sql: sql, arguments: [day] + list)
            }
            try db.execute(sql: FindingSQL.rangeDelete(suppliers: suppliers.count), arguments: [from, to] + list)
            try SQLiteStore.markStale(intake, suppliers: intake.suppliers, db)
            var position = try Int.fetchOne(db, sql: FindingSQL.lastPosition) ?? 0
            var incDocuments = try RowInserter(
                db, "INSERT INTO inc_documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            var incLines = try RowInserter(
                db, "INSERT INTO inc_lines VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            var findings = try RowInserter(
                db, "INSERT INTO reconciliation VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
            var numbers = try RowInserter(db, "INSERT OR IGNORE INTO inc_numbers VALUES (?, ?, ?)")
            while var part = try results() {
                // A part holds each of its lines' INC documents.
                let supplierOf = part.supplierOfInc
                try part.incDocuments.forEachOwned { d in
                    Columns.incDocument(d, into: &incDocuments)
                    try incDocuments.insert()
                    // Every number given is an INC document's: it is kept here, never to change.
                    try numbers.insert([d.supplier, d.supplierInvoice, d.incNumber])
                }
                try part.incLines.forEachOwned { l in
                    Columns.storedIncLine(l, suppliers: supplierOf, into: &incLines)
                    try incLines.insert()
                }
                try part.findings.forEachOwned { f in
                    position += 1
                    Columns.storedFinding(f, position: position, from: intake.from, to: intake.to, into: &findings)
                    try findings.insert()
                }
            }
            // The pages written so far go to disk now, while the other thread is still writing the folder: the
            // commit then has only its last pages to sync. (Written mid-transaction as a cache spill would be: the
            // rollback journal still undoes them if the run dies.)
            if sqlite3_db_cacheflush(db.sqliteConnection) == SQLITE_OK { FileSystem.sync(queue.path) }
            let change = try change()
            for (key, hash) in change.accepted {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO accepted_versions VALUES (?, ?, ?)",
                    arguments: [key.supplier, key.invoice, hash])
            }
            // The replayed days' movements, a row a supplier's day; then each supplier's digest of its days.
            var movementDays = try RowInserter(db, "INSERT INTO movement_days VALUES (?, ?, ?, ?, ?, ?)")
            for row in change.movementDays {
                try movementDays.insert([
                    row.supplier, row.day.description, String(row.count), row.total.description, row.sha256, row.body,
                ])
            }
            for supplier in suppliers {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO replay_inputs VALUES ('movements', ?, ?)",
                    arguments: [supplier, try SQLiteStore.movementDays(of: supplier, bodiesBefore: nil, db).digest])
            }
            for (supplier, fingerprint) in intake.replay.fingerprints {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO replay_inputs VALUES ('fingerprint', ?, ?)",
                    arguments: [supplier, fingerprint])
                try db.execute(
                    sql: "INSERT OR REPLACE INTO replay_inputs VALUES ('covered', ?, ?)",
                    arguments: [supplier, change.coveredUntil.description])
                try db.execute(
                    sql: "INSERT OR REPLACE INTO replay_inputs VALUES ('orders_file', ?, ?)",
                    arguments: [supplier, intake.replay.ordersSHA256])
            }
            if let rates = intake.replay.rates {
                try db.execute(sql: "DELETE FROM replay_inputs WHERE kind IN ('rate', 'rates')")
                try db.execute(sql: "INSERT INTO replay_inputs VALUES ('rates', '', '')")
                for (key, rate) in rates {
                    try db.execute(sql: "INSERT INTO replay_inputs VALUES ('rate', ?, ?)", arguments: [key, rate])
                }
            }
            try db.execute(
                sql: "INSERT OR REPLACE INTO meta VALUES ('covered_until', ?)",
                arguments: [change.coveredUntil.description])
            let ignored = change.ignoredOrders.keys.sorted(by: codePointLess).map {
                "\($0)\t\(change.ignoredOrders[$0] ?? 0)"
            }
            try db.execute(
                sql: "INSERT OR REPLACE INTO meta VALUES ('ignored_orders', ?)",
                arguments: [ignored.joined(separator: "\n")])
            if let id = change.stationId {
                try db.execute(sql: "INSERT OR IGNORE INTO meta VALUES ('station_id', ?)", arguments: [id])
            }
            for p in change.pulls {
                try db.execute(
                    sql:
                        "INSERT INTO pulls (supplier, range_from, range_to, status, error, responses, feed_sha256, run_started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    arguments: [
                        p.supplier, p.from.description, p.to.description, p.status, p.error, p.responses, p.feedSHA256,
                        change.run.startedAt,
                    ])
            }
            let r = change.run
            try db.execute(
                sql:
                    "INSERT INTO runs (started_at, finished_at, command, range_from, range_to, suppliers, files_read, files_quarantined, exit_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                arguments: [
                    r.startedAt, r.finishedAt, r.command, r.from.description, r.to.description,
                    r.suppliers.joined(separator: ","), r.filesRead, r.filesQuarantined, r.exitCode,
                ])
            try beforeCommit()
        }
    }

    /// The ranges written before (the `runs` log) that end on or after the first day whose results may have
    /// changed: their order findings, which depend on the allocation state at their end, go; each range is named
    /// stale for the suppliers replayed, until a run writes it again. This run's own range is current.
    static func markStale(_ intake: StoreIntake, suppliers: Set<String>, _ db: Database) throws {
        let since = (intake.replay.staleFrom ?? CalendarDate(year: 1, month: 1, day: 1)).description
        let (from, to) = (intake.from.description, intake.to.description)
        for row in try Row.fetchAll(
            db, sql: "SELECT DISTINCT range_from, range_to, suppliers FROM runs WHERE range_to >= ?",
            arguments: [since])
        {
            let (rangeFrom, rangeTo, list): (String, String, String) = (row[0], row[1], row[2])
            guard rangeFrom != from || rangeTo != to else { continue }
            for supplier in list.split(separator: ",").map(String.init) where suppliers.contains(supplier) {
                try db.execute(
                    sql: "INSERT OR IGNORE INTO stale_ranges VALUES (?, ?, ?, ?)",
                    arguments: [rangeFrom, rangeTo, supplier, since])
                try db.execute(sql: FindingSQL.rangeDelete(suppliers: 1), arguments: [rangeFrom, rangeTo, supplier])
            }
        }
        for supplier in suppliers {
            try db.execute(
                sql: "DELETE FROM stale_ranges WHERE range_from = ? AND range_to = ? AND supplier = ?",
                arguments: [from, to, supplier])
        }
    }

    package func staleRange(from: CalendarDate, to: CalendarDate) throws -> [String: CalendarDate] {
        try queue.read { db in
            var out: [String: CalendarDate] = [:]
            for row in try Row.fetchAll(
                db, sql: "SELECT supplier, since FROM stale_ranges WHERE range_from = ? AND range_to = ?",
                arguments: [from.description, to.description])
            {
                out[row[0]] = try StoredRows.date(row[1])
            }
            return out
        }
    }

    /// Only the orders that changed are written: their old lines go, their new lines and digests come.
    static func writeOrders(_ replay: ReplayChange, _ db: Database) throws {
        for supplier in replay.replaceOrders.sorted() {
            try db.execute(sql: "DELETE FROM orders WHERE supplier = ?", arguments: [supplier])
            try db.execute(sql: "DELETE FROM order_digests WHERE supplier = ?", arguments: [supplier])
        }
        for o in replay.removedOrders {
            try db.execute(
                sql: "DELETE FROM orders WHERE supplier = ? AND order_date = ?",
                arguments: [o.supplier, o.date.description])
        }
        var orders = try RowInserter(db, "INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
        let lines = replay.orders.take()
        for i in replay.addedLines {
            Columns.storedOrder(lines[i], into: &orders)
            try orders.insert()
        }
        for d in replay.digests {
            if let digest = d.digest {
                try db.execute(
                    sql: "INSERT OR REPLACE INTO order_digests VALUES (?, ?, ?)",
                    arguments: [d.supplier, d.date.description, digest])
            } else {
                try db.execute(
                    sql: "DELETE FROM order_digests WHERE supplier = ? AND order_date = ?",
                    arguments: [d.supplier, d.date.description])
            }
        }
    }
}

/// A GRDB row as the stores' decoders read it (`StoredRows`): every value as its text, integers included.
extension Row: StoredRow {
    package func text(_ column: String) -> String? {
        switch (self[column] as DatabaseValue).storage {
        case .null: return nil
        case .int64(let n): return String(n)
        case .string(let s): return s
        case .double(let d): return "\(d)"
        case .blob(let data): return String(decoding: data, as: UTF8.self)
        }
    }
}

package struct StoreError: Error, CustomStringConvertible {
    package var description: String
    /// A database a newer release migrated: this one leaves it alone (exit 2).
    var isSchemaTooNew = false

    init(_ description: String) {
        self.description = description
    }

    init(schemaTooNew description: String) {
        self.description = description
        isSchemaTooNew = true
    }
}

/// One prepared INSERT fed row by row: the cells of a row (a `CellSink`) are written into a reused buffer,
/// `insert()` binds them in place (SQLITE_STATIC) and writes the row, so no value is allocated twice; GRDB's
/// per-row arguments and SQLite's own copies were most of a year's commit. SQLite's column affinity turns integer
/// text into integers. A struct, so that its buffers are checked for exclusive access when compiled, not at every
/// row.
struct RowInserter: CellSink {
    private let statement: Statement
    private let db: Database
    private var bytes: [UInt8] = []
    /// Each cell's first byte in `bytes`, -1 for NULL.
    private var starts: [Int] = []
    private var lengths: [Int32] = []

    private let parameters: Int

    init(_ db: Database, _ sql: String) throws {
        statement = try db.makeStatement(sql: sql)
        self.db = db
        parameters = Int(sqlite3_bind_parameter_count(statement.sqliteStatement))
    }

    mutating func text(_ s: String) {
        var s = s
        s.withUTF8 { add($0) }
    }

    mutating func empty() {
        starts.append(-1)
        lengths.append(0)
    }

    mutating func ascii(number: Bool, _ write: (inout [UInt8]) -> Void) { utf8(write) }

    /// A text cell whose UTF-8 bytes `write` appends.
    mutating func utf8(_ write: (inout [UInt8]) -> Void) {
        starts.append(bytes.count)
        write(&bytes)
        lengths.append(Int32(bytes.count - starts[starts.count - 1]))
    }

    private mutating func add(_ utf8: UnsafeBufferPointer<UInt8>) {
        starts.append(bytes.count)
        bytes.append(contentsOf: utf8)
        lengths.append(Int32(utf8.count))
    }

    /// A row of texts and NULLs, written.
    mutating func insert(_ cells: [String?]) throws {
        texts(cells)
        try insert()
    }

    /// Writes the row whose cells were given, and starts the next.
    mutating func insert() throws {
        // Every parameter is bound anew for every row, so none is left from the row before.
        guard starts.count == parameters else {
            throw StoreError("a row of \(starts.count) cells for a statement of \(parameters) parameters")
        }
        bytes.append(0)  // never empty: an empty text binds as "", not NULL
        let handle = statement.sqliteStatement
        let code = bytes.withUnsafeBufferPointer { buffer -> Int32 in
            guard let start = buffer.baseAddress else { return SQLITE_MISUSE }
            sqlite3_reset(handle)
            let base = UnsafeRawPointer(start).assumingMemoryBound(to: CChar.self)
            for i in starts.indices {
                if starts[i] < 0 {
                    sqlite3_bind_null(handle, Int32(i + 1))
                } else {
                    sqlite3_bind_text(handle, Int32(i + 1), base + starts[i], lengths[i], nil)
                }
            }
            return sqlite3_step(handle)
        }
        bytes.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        lengths.removeAll(keepingCapacity: true)
        guard code == SQLITE_DONE else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
    }
}
