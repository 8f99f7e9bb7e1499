import Foundation

extension PostgresStore {
    /// One run's changes in one transaction, as `SQLiteStore.commit` makes them: the same rows, in the same order
    /// (positions included), each statement kept to this station. The many rows (documents, orders, INC documents,
    /// their lines, the findings, the movements) go through COPY; rows that may be there already go through a
    /// temporary table and `ON CONFLICT DO NOTHING`.
    package func commit(
        _ intake: StoreIntake, results: () throws -> RangeResults?, change: () throws -> StoreChange,
        beforeCommit: () throws -> Void
    ) throws {
        try transaction { db in
            try writeIntake(intake, db)
            let suppliers = PostgresConnection.array(intake.suppliers)
            let (from, to) = (intake.from.description, intake.to.description)
            // The replayed days' rows go: from its first day on, or all of them.
            let day = intake.replay.from?.description ?? ""
            for sql in [
                """
                DELETE FROM inc_lines l USING inc_documents d
                WHERE l.station_id = $1 AND d.station_id = $1 AND l.inc_number = d.inc_number AND d.invoice_date >= $2
                AND d.supplier = ANY($3::text[])
                """,
                "DELETE FROM inc_documents WHERE station_id = $1 AND invoice_date >= $2 AND supplier = ANY($3::text[])",
                """
                DELETE FROM reconciliation WHERE station_id = $1 AND range_from IS NULL AND finding_date >= $2
                AND supplier = ANY($3::text[])
                """,
                "DELETE FROM movement_days WHERE station_id = $1 AND day >= $2 AND supplier = ANY($3::text[])",
            ] {
                try db.query(sql, [station, day, suppliers])
            }
            try db.query(
                """
                DELETE FROM reconciliation WHERE station_id = $1 AND range_from = $2 AND range_to = $3
                AND supplier = ANY($4::text[])
                """, [station, from, to, suppliers])
            try markStale(intake, db)
            var position =
                Int(
                    try db.query(
                        "SELECT COALESCE(MAX(position), 0) FROM reconciliation WHERE station_id = $1", [station]
                    )
                    .first?[0] ?? "0") ?? 0
            try db.execute(
                "CREATE TEMP TABLE numbers_in (supplier TEXT, supplier_invoice TEXT, inc_number TEXT) ON COMMIT DROP")
            while let part = try results() {
                let supplierOf = part.supplierOfInc
                try db.copy(into: "inc_documents") { rows in
                    for d in part.incDocuments {
                        rows.text(station)
                        Columns.incDocument(d, into: &rows)
                        rows.endRow()
                    }
                }
                // Every number given is an INC document's: it is kept here, never to change.
                try db.copy(into: "numbers_in") { rows in
                    for d in part.incDocuments { rows.row([d.supplier, d.supplierInvoice, d.incNumber]) }
                }
                try db.copy(into: "inc_lines") { rows in
                    for l in part.incLines {
                        rows.text(station)
                        Columns.storedIncLine(l, suppliers: supplierOf, into: &rows)
                        rows.endRow()
                    }
                }
                try db.copy(into: "reconciliation") { rows in
                    for f in part.findings {
                        position += 1
                        rows.text(station)
                        Columns.storedFinding(f, position: position, from: intake.from, to: intake.to, into: &rows)
                        rows.endRow()
                    }
                }
            }
            try db.query(
                """
                INSERT INTO inc_numbers SELECT $1, supplier, supplier_invoice, inc_number FROM numbers_in
                ON CONFLICT DO NOTHING
                """, [station])
            try writeChange(try change(), intake: intake, db)
            try beforeCommit()
            try checkLease(db)
        }
    }

    /// Fencing: the station is still this run's, as its lock's generation says; the row stays locked until the
    /// commit, so no other worker takes the station in between.
    private func checkLease(_ db: PostgresConnection) throws {
        guard let lease else { return }
        let row = try db.query(
            "SELECT generation, holder FROM station_locks WHERE station_id = $1 FOR UPDATE", [station])
        guard let current = row.first?[0].flatMap({ Int($0) }), current == lease else {
            let holder = (row.first?[1] ?? nil) ?? "another worker"
            throw StoreError(
                "station \(station): this run lost its lock, and \(holder) took the station: nothing was committed")
        }
    }

    /// The run's feed files, its new document versions and the orders that changed.
    private func writeIntake(_ intake: StoreIntake, _ db: PostgresConnection) throws {
        for f in intake.feedFiles {
            try db.query(
                """
                INSERT INTO feed_files VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                ON CONFLICT (station_id, sha256, supplier, name) DO UPDATE SET status = excluded.status,
                error = excluded.error, documents = excluded.documents
                """,
                [
                    station, f.sha256, f.supplier, f.name, String(f.sequence), f.status, f.error, String(f.size),
                    String(f.documents),
                ])
        }
        try db.execute("CREATE TEMP TABLE documents_in (LIKE documents) ON COMMIT DROP")
        try db.copy(into: "documents_in") { rows in
            for d in intake.newDocuments {
                rows.text(station)
                Columns.storedDocument(d, into: &rows)
                rows.endRow()
            }
        }
        try db.execute("INSERT INTO documents SELECT * FROM documents_in ON CONFLICT DO NOTHING")
        // A document whose versions now carry more than one invoice date is replayed with all of them.
        try db.query(
            """
            INSERT INTO document_spread
                SELECT station_id, supplier, supplier_invoice, MIN(invoice_date), MAX(invoice_date) FROM documents
                WHERE station_id = $1 AND (supplier, supplier_invoice) IN (SELECT supplier, supplier_invoice FROM documents_in)
                GROUP BY station_id, supplier, supplier_invoice HAVING MIN(invoice_date) <> MAX(invoice_date)
            ON CONFLICT (station_id, supplier, supplier_invoice) DO UPDATE SET first = excluded.first, last = excluded.last
            """, [station])
        try writeOrders(intake.replay, db)
    }

    /// Only the orders that changed are written: their old lines go, their new lines and digests come.
    private func writeOrders(_ replay: ReplayChange, _ db: PostgresConnection) throws {
        for supplier in replay.replaceOrders.sorted() {
            try db.query("DELETE FROM orders WHERE station_id = $1 AND supplier = $2", [station, supplier])
            try db.query("DELETE FROM order_digests WHERE station_id = $1 AND supplier = $2", [station, supplier])
        }
        for o in replay.removedOrders {
            try db.query(
                "DELETE FROM orders WHERE station_id = $1 AND supplier = $2 AND order_date = $3",
                [station, o.supplier, o.date.description])
        }
        let lines = replay.orders.take()
        try db.copy(into: "orders") { rows in
            for i in replay.addedLines {
                rows.text(station)
                Columns.storedOrder(lines[i], into: &rows)
                rows.endRow()
            }
        }
        var kept = CopySink()
        var removed: [(String, String)] = []
        for d in replay.digests {
            if let digest = d.digest {
                kept.row([d.supplier, d.date.description, digest])
            } else {
                removed.append((d.supplier, d.date.description))
            }
        }
        if !kept.bytes.isEmpty {
            try db.execute(
                "CREATE TEMP TABLE digests_in (supplier TEXT, order_date TEXT, digest TEXT) ON COMMIT DROP")
            try db.copy(into: "digests_in", kept)
            try db.query(
                """
                INSERT INTO order_digests SELECT $1, supplier, order_date, digest FROM digests_in
                ON CONFLICT (station_id, supplier, order_date) DO UPDATE SET digest = excluded.digest
                """, [station])
        }
        for (supplier, date) in removed {
            try db.query(
                "DELETE FROM order_digests WHERE station_id = $1 AND supplier = $2 AND order_date = $3",
                [station, supplier, date])
        }
    }

    /// The ranges written before that end on or after the first day whose results may have changed: their order
    /// findings go, and each is named stale for the suppliers replayed until a run writes it again
    /// (`SQLiteStore.markStale`).
    private func markStale(_ intake: StoreIntake, _ db: PostgresConnection) throws {
        let since = intake.replay.staleFrom?.description ?? "0001-01-01"
        let (from, to) = (intake.from.description, intake.to.description)
        for row in try db.query(
            "SELECT DISTINCT range_from, range_to, suppliers FROM runs WHERE station_id = $1 AND range_to >= $2",
            [station, since])
        {
            let (rangeFrom, rangeTo, list) = (row[0] ?? "", row[1] ?? "", row[2] ?? "")
            guard rangeFrom != from || rangeTo != to else { continue }
            for supplier in list.split(separator: ",").map(String.init) where intake.suppliers.contains(supplier) {
                try db.query(
                    "INSERT INTO stale_ranges VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
                    [station, rangeFrom, rangeTo, supplier, since])
                try db.query(
                    """
                    DELETE FROM reconciliation WHERE station_id = $1 AND range_from = $2 AND range_to = $3
                    AND supplier = $4
                    """, [station, rangeFrom, rangeTo, supplier])
            }
        }
        try db.query(
            """
            DELETE FROM stale_ranges WHERE station_id = $1 AND range_from = $2 AND range_to = $3
            AND supplier = ANY($4::text[])
            """, [station, from, to, PostgresConnection.array(intake.suppliers)])
    }

    /// What the run changed once reconciled: accepted versions, the replayed days' movements and the inputs they
    /// were reconciled from, the station's own values, its pulls and its run.
    private func writeChange(_ change: StoreChange, intake: StoreIntake, _ db: PostgresConnection) throws {
        for (key, hash) in change.accepted {
            try db.query(
                """
                INSERT INTO accepted_versions VALUES ($1, $2, $3, $4)
                ON CONFLICT (station_id, supplier, supplier_invoice) DO UPDATE SET content_sha256 = excluded.content_sha256
                """, [station, key.supplier, key.invoice, hash])
        }
        try db.copy(into: "movement_days") { rows in
            for row in change.movementDays {
                rows.row([
                    station, row.supplier, row.day.description, String(row.count), row.total.description, row.sha256,
                    row.body,
                ])
            }
        }
        func input(_ kind: String, _ key: String, _ value: String) throws {
            try db.query(
                """
                INSERT INTO replay_inputs VALUES ($1, $2, $3, $4)
                ON CONFLICT (station_id, kind, key) DO UPDATE SET value = excluded.value
                """, [station, kind, key, value])
        }
        for supplier in intake.suppliers {
            try input("movements", supplier, try movementDays(of: supplier, bodiesBefore: nil, db).digest)
        }
        for (supplier, fingerprint) in intake.replay.fingerprints {
            try input("fingerprint", supplier, fingerprint)
            try input("covered", supplier, change.coveredUntil.description)
            try input("orders_file", supplier, intake.replay.ordersSHA256)
        }
        if let rates = intake.replay.rates {
            try db.query("DELETE FROM replay_inputs WHERE station_id = $1 AND kind IN ('rate', 'rates')", [station])
            try input("rates", "", "")
            for (key, rate) in rates { try input("rate", key, rate) }
        }
        func meta(_ key: String, _ value: String, replace: Bool = true) throws {
            try db.query(
                "INSERT INTO meta VALUES ($1, $2, $3) ON CONFLICT (station_id, key) DO "
                    + (replace ? "UPDATE SET value = excluded.value" : "NOTHING"), [station, key, value])
        }
        try meta("covered_until", change.coveredUntil.description)
        let ignored = change.ignoredOrders.keys.sorted(by: codePointLess).map {
            "\($0)\t\(change.ignoredOrders[$0] ?? 0)"
        }
        try meta("ignored_orders", ignored.joined(separator: "\n"))
        if let id = change.stationId { try meta("station_id", id, replace: false) }
        for p in change.pulls {
            try db.query(
                """
                INSERT INTO pulls (station_id, supplier, range_from, range_to, status, error, responses, feed_sha256,
                run_started_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                """,
                [
                    station, p.supplier, p.from.description, p.to.description, p.status, p.error, String(p.responses),
                    p.feedSHA256, change.run.startedAt,
                ])
        }
        let r = change.run
        try db.query(
            """
            INSERT INTO runs (station_id, started_at, finished_at, command, range_from, range_to, suppliers, files_read,
            files_quarantined, exit_code) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            """,
            [
                station, r.startedAt, r.finishedAt, r.command, r.from.description, r.to.description,
                r.suppliers.joined(separator: ","), String(r.filesRead), String(r.filesQuarantined), String(r.exitCode),
            ])
    }
}
