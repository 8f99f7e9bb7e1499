/// The PostgreSQL store's tables: SQLite's, with `station_id` leading every primary key and index, so that one database
/// holds many stations and no statement reads across them. `station_id` is also the distribution column, for Citus
/// (`create_distributed_table('T', 'station_id')` for each table) or for partitioning by list of stations (README,
/// "PostgreSQL"). Dates and amounts are kept as text, as SQLite keeps them: an ISO date sorts as its text, and an
/// amount is its exact decimal. Every text compares by its bytes (`COLLATE "C"`), as in SQLite, whatever the
/// database's locale: the order of rows, and the days a replay starts from, must not depend on it.
enum PostgresSchema {
    /// The migrations, in order; `schema_migrations` holds the versions applied. A database with a version this
    /// binary does not know was made by a newer release, and is left alone.
    static let migrations: [(version: Int, name: String, sql: String)] = [
        (
            1, "tables of a chain of stations",
            """
            CREATE TABLE feed_files (
                station_id TEXT COLLATE "C" NOT NULL, sha256 TEXT COLLATE "C" NOT NULL,
                supplier TEXT COLLATE "C" NOT NULL, name TEXT COLLATE "C" NOT NULL,
                sequence BIGINT NOT NULL, status TEXT COLLATE "C" NOT NULL, error TEXT COLLATE "C" NOT NULL,
                size BIGINT NOT NULL,
                documents BIGINT NOT NULL, PRIMARY KEY (station_id, sha256, supplier, name));
            CREATE TABLE documents (
                station_id TEXT COLLATE "C" NOT NULL, supplier TEXT COLLATE "C" NOT NULL,
                supplier_invoice TEXT COLLATE "C" NOT NULL,
                content_sha256 TEXT COLLATE "C" NOT NULL, invoice_date TEXT COLLATE "C" NOT NULL,
                kind TEXT COLLATE "C" NOT NULL,
                received_order BIGINT NOT NULL, file_name TEXT COLLATE "C" NOT NULL, body TEXT COLLATE "C" NOT NULL,
                line_keys TEXT COLLATE "C" NOT NULL,
                PRIMARY KEY (station_id, supplier, content_sha256));
            CREATE INDEX documents_date ON documents (station_id, invoice_date);
            CREATE INDEX documents_key ON documents (station_id, supplier, supplier_invoice, invoice_date);
            CREATE TABLE orders (
                station_id TEXT COLLATE "C" NOT NULL, order_number TEXT COLLATE "C" NOT NULL,
                supplier TEXT COLLATE "C" NOT NULL,
                supplier_order_id TEXT COLLATE "C" NOT NULL, order_date TEXT COLLATE "C" NOT NULL,
                brand TEXT COLLATE "C" NOT NULL, article TEXT COLLATE "C" NOT NULL,
                name TEXT COLLATE "C" NOT NULL, quantity TEXT COLLATE "C" NOT NULL,
                unit_price TEXT COLLATE "C" NOT NULL, currency TEXT COLLATE "C" NOT NULL,
                brand_key TEXT COLLATE "C" NOT NULL, search_number TEXT COLLATE "C" NOT NULL, row BIGINT NOT NULL);
            CREATE INDEX orders_day ON orders (station_id, supplier, order_date);
            CREATE TABLE inc_documents (
                station_id TEXT COLLATE "C" NOT NULL, inc_number TEXT COLLATE "C" NOT NULL,
                supplier TEXT COLLATE "C" NOT NULL,
                supplier_invoice TEXT COLLATE "C" NOT NULL, kind TEXT COLLATE "C" NOT NULL,
                invoice_date TEXT COLLATE "C" NOT NULL,
                currency TEXT COLLATE "C" NOT NULL, net_total TEXT COLLATE "C" NOT NULL,
                vat_total TEXT COLLATE "C" NOT NULL, gross_total TEXT COLLATE "C" NOT NULL,
                rate TEXT COLLATE "C", gross_total_uah TEXT COLLATE "C", lines BIGINT NOT NULL,
                status TEXT COLLATE "C" NOT NULL, orders TEXT COLLATE "C" NOT NULL,
                source_sha256 TEXT COLLATE "C" NOT NULL, PRIMARY KEY (station_id, inc_number));
            CREATE INDEX inc_documents_date ON inc_documents (station_id, invoice_date);
            CREATE TABLE inc_lines (
                station_id TEXT COLLATE "C" NOT NULL, inc_number TEXT COLLATE "C" NOT NULL, line BIGINT NOT NULL,
                brand TEXT COLLATE "C" NOT NULL,
                article TEXT COLLATE "C" NOT NULL, supplier_code TEXT COLLATE "C" NOT NULL,
                name TEXT COLLATE "C" NOT NULL, quantity TEXT COLLATE "C",
                unit_price_gross TEXT COLLATE "C", vat_rate TEXT COLLATE "C" NOT NULL,
                net_amount TEXT COLLATE "C" NOT NULL, vat_amount TEXT COLLATE "C" NOT NULL,
                gross_amount TEXT COLLATE "C" NOT NULL, order_number TEXT COLLATE "C" NOT NULL,
                status TEXT COLLATE "C" NOT NULL, supplier TEXT COLLATE "C" NOT NULL,
                PRIMARY KEY (station_id, inc_number, line));
            CREATE TABLE reconciliation (
                station_id TEXT COLLATE "C" NOT NULL, position BIGINT NOT NULL, supplier TEXT COLLATE "C" NOT NULL,
                supplier_invoice TEXT COLLATE "C" NOT NULL, inc_number TEXT COLLATE "C" NOT NULL, line BIGINT,
                order_number TEXT COLLATE "C" NOT NULL,
                brand TEXT COLLATE "C" NOT NULL, article TEXT COLLATE "C" NOT NULL,
                status TEXT COLLATE "C" NOT NULL, ordered_qty TEXT COLLATE "C",
                invoiced_qty TEXT COLLATE "C", order_price TEXT COLLATE "C", invoice_price TEXT COLLATE "C",
                currency TEXT COLLATE "C" NOT NULL,
                amount_at_stake TEXT COLLATE "C" NOT NULL, note TEXT COLLATE "C" NOT NULL,
                finding_date TEXT COLLATE "C" NOT NULL, range_from TEXT COLLATE "C",
                range_to TEXT COLLATE "C", PRIMARY KEY (station_id, position));
            CREATE INDEX reconciliation_date ON reconciliation (station_id, finding_date) WHERE range_from IS NULL;
            CREATE INDEX reconciliation_range ON reconciliation (station_id, range_from, range_to)
                WHERE range_from IS NOT NULL;
            CREATE TABLE inc_numbers (
                station_id TEXT COLLATE "C" NOT NULL, supplier TEXT COLLATE "C" NOT NULL,
                supplier_invoice TEXT COLLATE "C" NOT NULL,
                inc_number TEXT COLLATE "C" NOT NULL, PRIMARY KEY (station_id, supplier, supplier_invoice),
                UNIQUE (station_id, inc_number));
            CREATE TABLE accepted_versions (
                station_id TEXT COLLATE "C" NOT NULL, supplier TEXT COLLATE "C" NOT NULL,
                supplier_invoice TEXT COLLATE "C" NOT NULL,
                content_sha256 TEXT COLLATE "C" NOT NULL, PRIMARY KEY (station_id, supplier, supplier_invoice));
            CREATE TABLE meta (
                station_id TEXT COLLATE "C" NOT NULL, key TEXT COLLATE "C" NOT NULL,
                value TEXT COLLATE "C" NOT NULL, PRIMARY KEY (station_id, key));
            CREATE TABLE runs (
                station_id TEXT COLLATE "C" NOT NULL, id BIGINT GENERATED ALWAYS AS IDENTITY,
                started_at TEXT COLLATE "C" NOT NULL,
                finished_at TEXT COLLATE "C" NOT NULL, command TEXT COLLATE "C" NOT NULL,
                range_from TEXT COLLATE "C" NOT NULL, range_to TEXT COLLATE "C" NOT NULL,
                suppliers TEXT COLLATE "C" NOT NULL, files_read BIGINT NOT NULL, files_quarantined BIGINT NOT NULL,
                exit_code BIGINT NOT NULL, PRIMARY KEY (station_id, id));
            CREATE INDEX runs_range ON runs (station_id, range_to);
            CREATE TABLE pulls (
                station_id TEXT COLLATE "C" NOT NULL, id BIGINT GENERATED ALWAYS AS IDENTITY,
                supplier TEXT COLLATE "C" NOT NULL,
                range_from TEXT COLLATE "C" NOT NULL, range_to TEXT COLLATE "C" NOT NULL,
                status TEXT COLLATE "C" NOT NULL, error TEXT COLLATE "C" NOT NULL,
                responses BIGINT NOT NULL, feed_sha256 TEXT COLLATE "C" NOT NULL,
                run_started_at TEXT COLLATE "C" NOT NULL,
                PRIMARY KEY (station_id, id));
            CREATE TABLE price_files (
                station_id TEXT COLLATE "C" NOT NULL, sha256 TEXT COLLATE "C" NOT NULL,
                supplier TEXT COLLATE "C" NOT NULL, name TEXT COLLATE "C" NOT NULL,
                feed BIGINT NOT NULL, as_of TEXT COLLATE "C" NOT NULL, items BIGINT NOT NULL,
                status TEXT COLLATE "C" NOT NULL,
                imported_at TEXT COLLATE "C" NOT NULL, PRIMARY KEY (station_id, sha256));
            CREATE TABLE offers (
                station_id TEXT COLLATE "C" NOT NULL, supplier TEXT COLLATE "C" NOT NULL, feed BIGINT NOT NULL,
                as_of TEXT COLLATE "C" NOT NULL,
                code TEXT COLLATE "C" NOT NULL, brand TEXT COLLATE "C" NOT NULL, article TEXT COLLATE "C" NOT NULL,
                name TEXT COLLATE "C" NOT NULL,
                brand_key TEXT COLLATE "C" NOT NULL, search_number TEXT COLLATE "C" NOT NULL,
                priced BIGINT NOT NULL, price TEXT COLLATE "C",
                currency TEXT COLLATE "C" NOT NULL, stock TEXT COLLATE "C" NOT NULL, item BIGINT NOT NULL);
            CREATE INDEX offers_part ON offers (station_id, search_number, brand_key);
            CREATE INDEX offers_supplier ON offers (station_id, supplier, as_of, feed);
            CREATE TABLE movement_days (
                station_id TEXT COLLATE "C" NOT NULL, supplier TEXT COLLATE "C" NOT NULL,
                day TEXT COLLATE "C" NOT NULL, count BIGINT NOT NULL,
                total TEXT COLLATE "C" NOT NULL, sha256 TEXT COLLATE "C" NOT NULL, body TEXT COLLATE "C" NOT NULL,
                PRIMARY KEY (station_id, supplier, day));
            CREATE TABLE order_digests (
                station_id TEXT COLLATE "C" NOT NULL, supplier TEXT COLLATE "C" NOT NULL,
                order_date TEXT COLLATE "C" NOT NULL, digest TEXT COLLATE "C" NOT NULL,
                PRIMARY KEY (station_id, supplier, order_date));
            CREATE TABLE replay_inputs (
                station_id TEXT COLLATE "C" NOT NULL, kind TEXT COLLATE "C" NOT NULL, key TEXT COLLATE "C" NOT NULL,
                value TEXT COLLATE "C" NOT NULL,
                PRIMARY KEY (station_id, kind, key));
            CREATE TABLE stale_ranges (
                station_id TEXT COLLATE "C" NOT NULL, range_from TEXT COLLATE "C" NOT NULL,
                range_to TEXT COLLATE "C" NOT NULL, supplier TEXT COLLATE "C" NOT NULL,
                since TEXT COLLATE "C" NOT NULL, PRIMARY KEY (station_id, range_from, range_to, supplier));
            CREATE TABLE archive (
                station_id TEXT COLLATE "C" NOT NULL, sha256 TEXT COLLATE "C" NOT NULL, size BIGINT NOT NULL,
                bytes BYTEA NOT NULL, PRIMARY KEY (station_id, sha256));
            CREATE TABLE chain_queue (
                station_id TEXT COLLATE "C" NOT NULL, night TEXT COLLATE "C" NOT NULL,
                status TEXT COLLATE "C" NOT NULL,
                exit_code BIGINT, worker TEXT COLLATE "C" NOT NULL, finished_at TEXT COLLATE "C" NOT NULL,
                message TEXT COLLATE "C" NOT NULL,
                PRIMARY KEY (station_id, night));
            CREATE TABLE station_locks (
                station_id TEXT NOT NULL PRIMARY KEY, holder TEXT NOT NULL, generation BIGINT NOT NULL);
            CREATE TABLE document_spread (
                station_id TEXT COLLATE "C" NOT NULL, supplier TEXT COLLATE "C" NOT NULL,
                supplier_invoice TEXT COLLATE "C" NOT NULL, first TEXT COLLATE "C" NOT NULL,
                last TEXT COLLATE "C" NOT NULL, PRIMARY KEY (station_id, supplier, supplier_invoice));
            """
        )
    ]

    /// Brings the database up to date, one migration a transaction, under a lock that lets one worker at a time do
    /// it. Throws `StoreError` for a database a newer release has migrated.
    static func migrate(_ db: PostgresConnection) throws {
        try db.execute("BEGIN")
        do {
            // Any number 64-bit wide serves, as long as no other lock of this database uses it. Taken before the
            // table is made: two workers' `CREATE TABLE IF NOT EXISTS` at once would collide.
            try db.query("SELECT pg_advisory_xact_lock(7311872520517730)")
            try db.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)")
            let applied = Set(
                try db.query("SELECT version FROM schema_migrations").compactMap { $0[0].flatMap { Int($0) } })
            let known = migrations.map(\.version)
            if let newest = applied.max(), newest > known.max() ?? 0 {
                throw StoreError(
                    schemaTooNew:
                        "the database's schema is version \(newest), newer than this release knows "
                        + "(\(known.max() ?? 0)): run it with the release that migrated it, or a later one")
            }
            for m in migrations where !applied.contains(m.version) {
                try db.execute(m.sql)
                try db.query(
                    "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", [String(m.version), m.name])
            }
            try db.execute("COMMIT")
        } catch {
            try? db.execute("ROLLBACK")
            throw error
        }
    }
}
