import Foundation

/// The PostgreSQL store: one station's rows in a database many stations share (`PostgresSchema`), the same rows the
/// SQLite store keeps, through the same questions (`ResultStore`). Every statement names the station first. One
/// connection, used by one thread at a time; a run's changes go in one transaction, the year's rows through COPY.
package final class PostgresStore: ResultStore, @unchecked Sendable {
    package let station: String
    /// The generation of the station's lock the run holds (`PostgresLock`), checked before its commit; nil for a
    /// reader, which commits nothing.
    let lease: Int?
    private let db: PostgresConnection
    /// The connection is used from the run's threads in turn, never at once (`ResultStore.commit` runs on the
    /// database's thread while the others reconcile); the lock makes that so rather than assumed.
    private let lock = NSLock()

    /// Connects to `url` and brings its schema up to date. Throws `PostgresError` (the server, the login) or
    /// `StoreError` (a schema a newer release made).
    package init(url: PostgresURL, station: String, lease: Int? = nil) throws {
        db = try PostgresConnection(url)
        self.station = station
        self.lease = lease
        try PostgresSchema.migrate(db)
    }

    func using<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(db)
    }

    /// `body` in one transaction: committed when it returns, rolled back when it throws.
    func transaction<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try using { db in
            try db.execute("BEGIN")
            do {
                let value = try body(db)
                try db.execute("COMMIT")
                return value
            } catch {
                if db.isOpen { try? db.execute("ROLLBACK") }
                throw error
            }
        }
    }

    private func meta(_ key: String, _ db: PostgresConnection) throws -> String? {
        try db.query("SELECT value FROM meta WHERE station_id = $1 AND key = $2", [station, key]).first?[0] ?? nil
    }

    package func loadState() throws -> StoredState {
        try using { db in
            var state = StoredState()
            state.hasDocuments =
                !(try db.query("SELECT 1 FROM documents WHERE station_id = $1 LIMIT 1", [station]).isEmpty)
            for row in try db.rows("SELECT * FROM feed_files WHERE station_id = $1", [station]) {
                let record = StoredRows.feedFile(row)
                state.feedFiles[record.key] = record
            }
            for row in try db.rows("SELECT * FROM accepted_versions WHERE station_id = $1", [station]) {
                state.accepted[DocumentKey(supplier: row.string("supplier"), invoice: row.string("supplier_invoice"))] =
                    row.string("content_sha256")
            }
            state.coveredUntil = try meta("covered_until", db).flatMap { CalendarDate(iso: $0) }
            state.stationId = try meta("station_id", db)
            return state
        }
    }

    package func documentRows(of suppliers: Set<String>, from: CalendarDate?) throws -> [StoredDocumentRow] {
        try using { db in
            try db.rows(
                """
                SELECT supplier, supplier_invoice, body, line_keys, content_sha256, received_order, file_name
                FROM documents WHERE station_id = $1 AND invoice_date >= $2 AND supplier = ANY($3::text[])
                ORDER BY received_order
                """, [station, from?.description ?? "", PostgresConnection.array(suppliers)]
            ).map { row in
                StoredDocumentRow(
                    supplier: row.string("supplier"), invoice: row.string("supplier_invoice"),
                    body: Data(row.string("body").utf8), keys: row.string("line_keys"),
                    hash: row.string("content_sha256"), receivedOrder: row.int("received_order") ?? 0,
                    fileName: row.string("file_name"))
            }
        }
    }

    package func replayRecord(of suppliers: Set<String>) throws -> ReplayRecord {
        try using { db in
            var record = ReplayRecord()
            for row in try db.rows(
                "SELECT supplier, order_date, digest FROM order_digests WHERE station_id = $1 AND supplier = ANY($2::text[])",
                [station, PostgresConnection.array(suppliers)])
            {
                record.digests[row.string("supplier"), default: [:]][try StoredRows.date(row.string("order_date"))] =
                    row.string("digest")
            }
            for row in try db.rows("SELECT kind, key, value FROM replay_inputs WHERE station_id = $1", [station]) {
                record.add(kind: row.string("kind"), key: row.string("key"), value: row.string("value"))
            }
            for row in try db.rows("SELECT * FROM document_spread WHERE station_id = $1", [station]) {
                let key = DocumentKey(supplier: row.string("supplier"), invoice: row.string("supplier_invoice"))
                record.spread[key] = (try StoredRows.date(row.string("first")), try StoredRows.date(row.string("last")))
            }
            return record
        }
    }

    package func incNumbers(for documents: some Collection<ReceivedDocument>) throws -> [DocumentKey: String] {
        // Those of the documents' dates, and those of the documents' keys, each in one statement.
        let prefixes = Set(documents.map { Reconciler.incNumberPrefix($0.document.invoiceDate) })
        var suppliers: [String] = []
        var invoices: [String] = []
        for d in documents {
            suppliers.append(d.supplier)
            invoices.append(d.document.supplierInvoice)
        }
        return try using { db in
            var numbers: [DocumentKey: String] = [:]
            for row in try db.query(
                """
                SELECT supplier, supplier_invoice, inc_number FROM inc_numbers
                WHERE station_id = $1 AND ($2 = 'all' OR inc_number LIKE ANY($3::text[]))
                UNION
                SELECT n.supplier, n.supplier_invoice, n.inc_number FROM inc_numbers n
                JOIN unnest($4::text[], $5::text[]) AS k(supplier, supplier_invoice)
                    ON n.supplier = k.supplier AND n.supplier_invoice = k.supplier_invoice
                WHERE n.station_id = $1
                """,
                [
                    // A range of more than a month asks for most of them: read whole.
                    station, prefixes.count > 31 ? "all" : "dates",
                    PostgresConnection.array(prefixes.map { PostgresConnection.likePrefix($0) }),
                    PostgresConnection.array(suppliers),
                    PostgresConnection.array(invoices),
                ])
            {
                numbers[DocumentKey(supplier: row[0] ?? "", invoice: row[1] ?? "")] = row[2] ?? ""
            }
            return numbers
        }
    }

    package func isKnown(supplier: String, contentHash: String) throws -> Bool {
        try using { db in
            !(try db.query(
                "SELECT 1 FROM documents WHERE station_id = $1 AND supplier = $2 AND content_sha256 = $3",
                [station, supplier, contentHash]
            ).isEmpty)
        }
    }

    package func firstDate(of key: DocumentKey) throws -> CalendarDate? {
        try using { db in
            try db.query(
                "SELECT MIN(invoice_date) FROM documents WHERE station_id = $1 AND supplier = $2 AND supplier_invoice = $3",
                [station, key.supplier, key.invoice]
            ).first?[0].map { try StoredRows.date($0) }
        }
    }

    package func movementDays(of suppliers: Set<String>, before day: CalendarDate) throws -> [MovementDays.Row] {
        try using { db in
            var days: [MovementDays.Row] = []
            for supplier in suppliers.sorted() {
                let stored = try movementDays(of: supplier, bodiesBefore: day, db)
                let kept = try db.query(
                    "SELECT value FROM replay_inputs WHERE station_id = $1 AND kind = 'movements' AND key = $2",
                    [station, supplier]
                ).first?[0]
                guard stored.digest == (kept ?? MovementDays(supplier: supplier).digest) else {
                    throw StoreError("\(supplier): the stored days of movements are not those that were written")
                }
                for row in stored.bodies {
                    days.append(
                        (
                            supplier, try StoredRows.date(row.day), row.count, try StoredRows.fixed(row.total) ?? .zero,
                            row.sha256, row.body
                        ))
                }
            }
            return days
        }
    }

    /// A supplier's stored days of movements: their digest (each day's count, total and SHA-256 in day order, as
    /// `replay_inputs` keeps it), and the days before `bodiesBefore` with their text (none where nil).
    func movementDays(of supplier: String, bodiesBefore: CalendarDate?, _ db: PostgresConnection) throws
        -> (digest: String, bodies: [(day: String, count: Int, total: String, sha256: String, body: String)])
    {
        var days = MovementDays(supplier: supplier)
        var bodies: [(day: String, count: Int, total: String, sha256: String, body: String)] = []
        for row in try db.query(
            """
            SELECT day, count, total, sha256, CASE WHEN day < $3 THEN body END FROM movement_days
            WHERE station_id = $1 AND supplier = $2 ORDER BY day
            """, [station, supplier, bodiesBefore?.description ?? ""])
        {
            let (day, count, total, sha256) = (row[0] ?? "", Int(row[1] ?? "") ?? 0, row[2] ?? "", row[3] ?? "")
            days.add(day: day, count: count, total: total, sha256: sha256)
            if let body = row[4] { bodies.append((day, count, total, sha256, body)) }
        }
        return (days.digest, bodies)
    }

    package func results(from: CalendarDate, to: CalendarDate, excluding: Set<String>) throws -> RangeResults {
        let (f, t) = (from.description, to.description)
        let skip = PostgresConnection.array(excluding)
        return try using { db in
            var results = RangeResults()
            results.incDocuments = try db.rows(
                """
                SELECT * FROM inc_documents WHERE station_id = $1 AND invoice_date BETWEEN $2 AND $3
                AND NOT supplier = ANY($4::text[]) ORDER BY invoice_date, inc_number
                """, [station, f, t, skip]
            ).map { try StoredRows.incDocument($0) }
            results.incLines = try db.rows(
                """
                SELECT l.* FROM inc_lines l JOIN inc_documents d ON d.station_id = l.station_id AND d.inc_number = l.inc_number
                WHERE l.station_id = $1 AND d.invoice_date BETWEEN $2 AND $3 AND NOT d.supplier = ANY($4::text[])
                ORDER BY l.inc_number, l.line
                """, [station, f, t, skip]
            ).map { try StoredRows.incLine($0) }
            results.findings = try db.rows(
                """
                SELECT * FROM reconciliation WHERE station_id = $1 AND NOT supplier = ANY($4::text[])
                AND ((range_from IS NULL AND finding_date BETWEEN $2 AND $3) OR (range_from = $2 AND range_to = $3))
                ORDER BY position
                """, [station, f, t, skip]
            ).map { try StoredRows.finding($0) }
            return results
        }
    }

    package func staleRange(from: CalendarDate, to: CalendarDate) throws -> [String: CalendarDate] {
        try using { db in
            var out: [String: CalendarDate] = [:]
            for row in try db.query(
                "SELECT supplier, since FROM stale_ranges WHERE station_id = $1 AND range_from = $2 AND range_to = $3",
                [station, from.description, to.description])
            {
                out[row[0] ?? ""] = try StoredRows.date(row[1] ?? "")
            }
            return out
        }
    }

    package func feedFiles() throws -> [FeedFileRecord] {
        try using { db in
            try db.rows("SELECT * FROM feed_files WHERE station_id = $1 ORDER BY sequence", [station]).map {
                StoredRows.feedFile($0)
            }
        }
    }

    /// Whether a run of the station was ever committed.
    func hasRuns() throws -> Bool {
        try using { db in !(try db.query("SELECT 1 FROM runs WHERE station_id = $1 LIMIT 1", [station]).isEmpty) }
    }

    package func ignoredOrders() throws -> [String: Int] {
        let text = try using { db in try meta("ignored_orders", db) }
        var ignored: [String: Int] = [:]
        for line in (text ?? "").split(separator: "\n") {
            let parts = line.split(separator: "\t")
            if parts.count == 2, let n = Int(parts[1]) { ignored[String(parts[0])] = n }
        }
        return ignored
    }
}
