import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What a run is asked to do.
package struct RunOptions: Sendable {
    package var from: CalendarDate
    package var to: CalendarDate
    /// Empty: every enabled supplier.
    package var suppliers: [String]
    package var acceptCorrections: Bool
    package var language: Language
    package var csv: CSVDialect
    /// The command line, for the runs log.
    package var command: String
    package var now: Date
    /// Leave the run's large values to the end of the process rather than free them at its end: the command line
    /// exits right after, and the system takes the memory back at once, where freeing a year's millions of strings
    /// one by one took over a second. A library caller keeps the default and frees as usual.
    package var keepUntilExit = false

    package init(
        from: CalendarDate, to: CalendarDate, suppliers: [String] = [], acceptCorrections: Bool = false,
        language: Language = .uk, csv: CSVDialect = .rfc, command: String = "run", now: Date = Date()
    ) {
        self.from = from
        self.to = to
        self.suppliers = suppliers
        self.acceptCorrections = acceptCorrections
        self.language = language
        self.csv = csv
        self.command = command
        self.now = now
    }
}

/// How a run went.
package struct RunSummary: Sendable {
    /// 0 every feed was read; 1 some file was quarantined or left unread, or some supplier could not be pulled.
    package var exitCode: Int32
    package var outFolder: String
    package var report: String
    package var filesRead: Int
    package var quarantined: [(file: String, reason: String)]
    /// Inbox entries left where they are, with why: not regular files, names that are not UTF-8, files over
    /// `max_file_mb`, files that changed while the run had them.
    package var unread: [UnreadEntry] = []
    package var documents: Int
    package var incDocuments: Int
    package var statusCounts: [Status: Int]
    package var ignoredOrderLines: Int
    /// Price and stock files imported.
    package var priceFiles: Int = 0
}

/// Why a run did not happen or failed: configuration (exit 2), another run (exit 3), or a failure that committed
/// nothing (exit 4: disk full, a corrupt database, an internal error). Nothing was changed.
package enum RunError: Error, CustomStringConvertible {
    case configuration(String)
    case locked(String)
    case failed(String)

    package var exitCode: Int32 {
        switch self {
        case .configuration: return 2
        case .locked: return 3
        case .failed: return 4
        }
    }

    package var description: String {
        switch self {
        case .configuration(let m), .locked(let m), .failed(let m): return m
        }
    }
}

/// The run, end to end: feed bytes → archive → records → canonical documents → allocations → INC, CSV, SQLite
/// and the report. Every stage below is a value transformation; the I/O sits here and in `Feeds/` and `Output/`.
package enum Pipeline {
    /// Runs the pipeline for `options` over `config`. `progress` hears one line per stage.
    package static func run(
        config: Config, options: RunOptions, progress: @escaping (String) -> Void = { _ in }
    ) throws(RunError) -> RunSummary {
        let started = options.now
        // 1. Everything that can refuse the run, before anything changes.
        let enabled = config.suppliers.filter(\.enabled)
        for id in options.suppliers where !enabled.contains(where: { $0.id == id }) {
            throw .configuration("--supplier \(id): no enabled supplier with that id in \(config.file)")
        }
        let selected = options.suppliers.isEmpty ? enabled : enabled.filter { options.suppliers.contains($0.id) }
        var mappings: [String: Mapping] = [:]
        for s in enabled {
            do {
                mappings[s.id] = try MappingLoader.load(path: s.mapping)
            } catch {
                throw .configuration(error.description)
            }
        }
        let brands = mappings.mapValues(\.brands)
        let orders: [OrderLine]
        let ignored: Int
        let rates: Rates
        do {
            (orders, ignored) = try StationInputs.orders(path: config.orders, brands: brands)
            rates = try StationInputs.rates(path: config.rates, base: config.baseCurrency)
        } catch {
            throw .configuration(error.description)
        }
        do {
            for folder in [config.archive, config.quarantine, config.out, config.inbox] {
                try FileSystem.makeDirectory(folder)
            }
            // What they hold is the suppliers' and the station's business: no one else reads it.
            for folder in [config.archive, config.quarantine, config.out] { FileSystem.makePrivate(folder) }
            try FileSystem.makeDirectory((config.database as NSString).deletingLastPathComponent)
        } catch {
            throw .configuration("cannot create the working folders: \(error)")
        }

        // 2. One run at a time.
        let lock: RunLock
        do {
            lock = try RunLock(
                database: config.database,
                holder: "pid \(getpid()), started \(timestamp(started)), nakladna \(options.command)")
        } catch {
            switch error {
            case .held: throw .locked(error.description)
            case .cannotOpen: throw .configuration(error.description)
            }
        }
        defer { withExtendedLifetime(lock) {} }
        TestHook.checkpoint()

        do {
            return try runLocked(
                config: config, options: options, selected: selected, mappings: mappings, orders: orders,
                ignored: ignored, rates: rates, progress: progress)
        } catch let error as RunError {
            throw error
        } catch {
            throw .failed(failure(error, database: config.database))
        }
    }

    /// One line that names the file and the cause of a failed run (exit 4).
    static func failure(_ error: any Error, database: String) -> String {
        let text = SQLiteStore.describe(error).map { "\(database): \($0)" } ?? "\(error)"
        return "the run failed and committed nothing: "
            + text.split(whereSeparator: \.isNewline).joined(separator: "; ")
    }

    static func runLocked(
        config: Config, options: RunOptions, selected: [SupplierConfig], mappings: [String: Mapping],
        orders: [OrderLine], ignored: Int, rates: Rates, progress report: @escaping (String) -> Void
    ) throws -> RunSummary {
        let clock = ContinuousClock()
        let start = clock.now
        func progress(_ line: String) {
            let elapsed = (clock.now - start).components
            let tenths = elapsed.attoseconds / 100_000_000_000_000_000
            report("[\(elapsed.seconds).\(tenths) s] \(line)")
        }
        let archive = Archive(root: config.archive)
        let stationId = archive.stationId()
        if stationId != nil && !FileManager.default.fileExists(atPath: config.database) {
            throw RunError.configuration(StationCheck.message(config))
        }
        let store = try SQLiteStore(path: config.database)
        var state = try store.loadState()
        try StationCheck.verify(archive: stationId, state: state, config: config)

        // 3. Intake: archive every byte, then read it through the supplier's mapping.
        var nextSequence = (state.feedFiles.values.map(\.sequence).max() ?? 0) + 1
        // The same bytes keep the sequence they were first received with, under whatever name.
        var sequences: [String: Int] = [:]
        for f in state.feedFiles.values { sequences[f.sha256] = min(sequences[f.sha256] ?? f.sequence, f.sequence) }
        var feedRecords: [FeedFileRecord] = []
        var newDocuments: [ReceivedDocument] = []
        var taken: [TakenFile] = []
        var unread: [UnreadEntry] = []
        var knownContent = Set(state.documents.map { $0.supplier + "\u{0}" + $0.contentHash })
        // 3a. Pull over HTTP where a supplier has an API: a complete pull becomes a feed file in its inbox; an
        // incomplete one is archived for audit, recorded, and read as nothing.
        var pulls: [PullRecord] = []
        var failedPulls: [(file: String, reason: String)] = []
        for supplier in selected where supplier.httpBaseURL != nil {
            guard let spec = mappings[supplier.id]?.pull else {
                throw RunError.configuration(
                    "\(supplier.id): http is configured but \(supplier.mapping) has no 'pull' section")
            }
            let puller = try Puller(supplier: supplier, spec: spec, backoff: TestHook.httpBackoff) { progress($0) }
            progress("pulling \(supplier.id) for \(options.from)…\(options.to)")
            do {
                let result = try puller.pull(from: options.from, to: options.to)
                for body in result.responses { try archive.store(body, sha256: SHA256Hex.of(body)) }
                let sha = SHA256Hex.of(result.feed)
                let folder = FileSystem.join(config.inbox, supplier.id)
                try FileSystem.makeDirectory(folder)
                let name = "pull-\(options.from)_\(options.to)-\(sha.prefix(8)).\(spec.format)"
                try FileSystem.writeAtomically(result.feed, to: FileSystem.join(folder, name))
                pulls.append(
                    PullRecord(
                        supplier: supplier.id, from: options.from, to: options.to, status: "complete", error: "",
                        responses: result.responses.count, feedSHA256: sha))
            } catch let error as PullError {
                for body in puller.received { try archive.store(body, sha256: SHA256Hex.of(body)) }
                pulls.append(
                    PullRecord(
                        supplier: supplier.id, from: options.from, to: options.to, status: "incomplete",
                        error: error.message, responses: puller.received.count, feedSHA256: ""))
                failedPulls.append((file: "\(supplier.id) (HTTP)", reason: error.description))
                progress("could not pull \(error.description)")
            }
        }

        var jobs: [IntakeJob] = []
        var priceJobs: [PriceJob] = []
        var readers: [String: MappingReader] = [:]
        for supplier in selected {
            guard let mapping = mappings[supplier.id] else { continue }
            let reader = MappingReader(mapping: mapping, zone: config.timezone)
            readers[supplier.id] = reader
            let folder = FileSystem.join(config.inbox, supplier.id)
            let listing = Inbox.list(folder, display: supplier.id)
            unread += listing.unread
            for name in listing.files {
                let job = IntakeJob(supplier: supplier.id, name: name, path: FileSystem.join(folder, name))
                // Price and stock files are told apart by the names their mapping declares.
                if let (feed, asOf) = mapping.priceFeed(named: name) {
                    priceJobs.append(PriceJob(job: job, feed: feed, asOf: asOf, brands: mapping.brands))
                } else if reader != nil {
                    jobs.append(job)
                } else {
                    priceJobs.append(PriceJob(job: job, feed: nil, asOf: nil, brands: mapping.brands))
                }
            }
        }
        progress("reading \(jobs.count) files")
        for outcome in try Intake.run(jobs, archive: archive, readers: readers, limit: config.maxFileBytes) {
            TestHook.checkpoint()
            guard case .success(let file) = outcome.received else {
                if case .failure(let refusal) = outcome.received {
                    unread.append(UnreadEntry(file: outcome.job.display, reason: refusal.reason))
                }
                TestHook.checkpoint()
                continue
            }
            let (supplier, name, sha) = (outcome.job.supplier, outcome.job.name, file.sha256)
            let sequence = sequences[sha] ?? nextSequence
            if sequence == nextSequence {
                sequences[sha] = sequence
                nextSequence += 1
            }
            TestHook.checkpoint()
            if !outcome.errors.isEmpty {
                let reason = FeedError.reason(outcome.errors)
                taken.append(TakenFile(job: outcome.job, file: file, reason: reason))
                feedRecords.append(
                    FeedFileRecord(
                        sha256: sha, supplier: supplier, name: name, sequence: sequence, status: "quarantined",
                        error: reason, size: file.size, documents: 0))
                continue
            }
            taken.append(TakenFile(job: outcome.job, file: file, reason: nil))
            feedRecords.append(
                FeedFileRecord(
                    sha256: sha, supplier: supplier, name: name, sequence: sequence, status: "read", error: "",
                    size: file.size, documents: outcome.documents.count))
            for var received in outcome.documents {
                guard knownContent.insert(supplier + "\u{0}" + received.contentHash).inserted else { continue }
                received.receivedOrder += sequence * 1_000_000
                newDocuments.append(received)
            }
        }

        // 3b. Price and stock files, each imported in a transaction of its own.
        let prices = try PriceIntake.run(
            priceJobs, store: store, archive: archive, mappings: mappings, known: sequences,
            nextSequence: &nextSequence, limit: config.maxFileBytes, now: options.now)
        feedRecords += prices.records
        taken += prices.taken
        unread += prices.unread
        let filesRead = taken.count { $0.reason == nil }
        let quarantinedCount = taken.count - filesRead

        // The archive on disk before anything else is decided: the inbox files are let go only after the commit.
        FileSystem.syncFileSystem()
        progress("read \(filesRead) files, \(newDocuments.count) new documents")
        // 4. Reconcile every selected supplier over all of history up to the horizon.
        let horizon = max(options.to, state.coveredUntil ?? options.to)
        let selectedIds = Set(selected.map(\.id))
        // The other suppliers' stored rows of the range, read before the run's transaction begins.
        let others =
            options.suppliers.isEmpty
            ? nil : try store.results(from: options.from, to: options.to, excluding: selectedIds)
        // The run's one transaction begins on the other core: the feed files, the new documents and the orders go
        // in first, then the results part by part as reconciliation here makes them, then the rest once known;
        // the staged folder seals it.
        let parts = Channel<RangeResults>()
        let results = Handoff<StoreChange>()
        let staged = Handoff<String>()
        let intake = StoreIntake(
            feedFiles: feedRecords, newDocuments: newDocuments, orders: orders, suppliers: selectedIds,
            from: options.from, to: options.to)
        let committing = Background { [store] in
            try store.commit(
                intake, results: { try parts.receive() }, change: { try results.take() },
                beforeCommit: { _ = try staged.take() })
        }
        let sealed: String
        let folder: OutputFolder
        let range: RangeResults
        let station = state.stationId ?? stationId ?? UUID().uuidString
        let exitCode: Int32 = quarantinedCount == 0 && failedPulls.isEmpty && unread.isEmpty ? 0 : 1
        do {
            let rules = selected.map { s in
                SupplierRules(
                    id: s.id, tolerance: s.priceTolerance ?? config.priceTolerance,
                    hasInvoiceFeed: mappings[s.id]?.invoices != nil, customerId: s.identifiers["customer_id"])
            }
            // Shared, not copied, when nothing was stored before (a first run over all of history).
            if state.documents.isEmpty { state.documents = newDocuments } else { state.documents += newDocuments }
            // Only the selected suppliers' orders and documents; copied only where there are others (`--supplier`).
            let selectedOrders =
                orders.allSatisfy { selectedIds.contains($0.supplier) }
                ? orders : orders.filter { selectedIds.contains($0.supplier) }
            let selectedDocuments =
                state.documents.allSatisfy { selectedIds.contains($0.supplier) }
                ? state.documents : state.documents.filter { selectedIds.contains($0.supplier) }
            let input = ReconcileInput(
                suppliers: rules, orders: selectedOrders, documents: selectedDocuments, rates: rates,
                baseCurrency: config.baseCurrency, from: options.from, to: options.to, horizon: horizon,
                overdueAfterDays: config.overdueAfterDays, acceptCorrections: options.acceptCorrections,
                accepted: state.accepted, incNumbers: state.incNumbers, language: options.language)
            progress("reconciling \(input.documents.count) documents against \(input.orders.count) order lines")
            let output = Reconciler.run(input, partSize: 20_000) { parts.send($0) }
            parts.finish(.success(()))
            if options.keepUntilExit { Retained.keep([input, output]) }
            TestHook.checkpoint("reconciled")

            progress("reconciled")
            // 5. The range's rows: this run's, and the other suppliers' as stored, in the contract's order.
            var rows = RangeResults(
                incDocuments: output.incDocuments, incLines: output.incLines, findings: output.findings)
            if let others {
                rows.incDocuments += others.incDocuments
                rows.incLines += others.incLines
                rows.findings += others.findings
            }
            range = Ordering.sorted(rows, dated: { !($0 < options.from) && !(options.to < $0) })

            let finished = Date()
            var change = StoreChange(
                accepted: output.accepted, coveredUntil: horizon,
                run: RunRecord(
                    startedAt: timestamp(options.now), finishedAt: timestamp(finished), command: options.command,
                    from: options.from, to: options.to, suppliers: selected.map(\.id), filesRead: filesRead,
                    filesQuarantined: quarantinedCount, exitCode: Int(exitCode)))
            change.pulls = pulls
            change.stationId = station
            results.give(.success(change))

            // 6. Write the run's folder whole while the rows go into the database: it stays a staged folder
            // beside out/<range> until the commit, and only the swap after it makes it visible.
            progress("writing \(range.incDocuments.count) INC documents and \(range.findings.count) findings")
            let name = options.from == options.to ? options.from.description : "\(options.from)_\(options.to)"
            folder = OutputFolder(out: config.out, name: name)
            var files = state.feedFiles
            for record in feedRecords { files[record.key] = record }
            let report = Report(
                results: range, from: options.from, to: options.to, generatedAt: finished, timezone: config.timezone,
                language: options.language, quarantined: Report.quarantinedList(Array(files.values)) + failedPulls,
                suppliers: config.suppliers.filter(\.enabled).map(\.id), unread: unread)
            sealed = try OutputFiles.stage(range, report: report, in: folder, dialect: options.csv, at: finished)
            TestHook.checkpoint()
        } catch {
            // Nothing of the run may stay: the transaction is rolled back before the error goes on.
            parts.finish(.failure(error))
            results.give(.failure(error))
            staged.give(.failure(error))
            _ = try? committing.value()
            throw error
        }
        progress("files written, waiting for the database")
        staged.give(.success(sealed))
        // The summary's counts while the database finishes: by rank, not hashed, for a year's findings.
        var byRank = Array(repeating: 0, count: Status.allCases.count)
        range.findings.withUnsafeBufferPointer { findings in
            for i in findings.indices { byRank[findings[i].status.rank] += 1 }
        }
        var counts: [Status: Int] = [:]
        for status in Status.allCases where byRank[status.rank] > 0 { counts[status] = byRank[status.rank] }
        try committing.value()
        TestHook.checkpoint()
        progress("committed")
        try folder.swapIn(sealed)
        TestHook.checkpoint()

        if stationId == nil { try archive.mark(station) }
        let left = try release(taken, config: config)

        if options.keepUntilExit { Retained.keep([state, range, orders, newDocuments, mappings, knownContent]) }
        let thisRun = taken.compactMap { t in t.reason.map { (file: t.job.display, reason: $0) } } + failedPulls
        var summary = RunSummary(
            exitCode: left.isEmpty ? exitCode : 1, outFolder: folder.visiblePath,
            report: FileSystem.join(folder.visiblePath, "report.html"), filesRead: filesRead,
            quarantined: thisRun, documents: newDocuments.count, incDocuments: range.incDocuments.count,
            statusCounts: counts, ignoredOrderLines: ignored, priceFiles: prices.imported)
        summary.unread = unread + left
        return summary
    }

    /// Step 7: only once the run is committed do files leave the inbox. A read file is in the archive and goes; an
    /// unreadable one goes to quarantine with its reason. Either only while its name still holds the bytes that
    /// were read: a file changed since stays for the next run, and is returned to be named.
    static func release(_ taken: [TakenFile], config: Config) throws(FileError) -> [UnreadEntry] {
        let changed = "it changed during the run: left in the inbox for the next run"
        var left: [UnreadEntry] = []
        for t in taken where t.reason == nil {
            if !Inbox.release(t.job.path, identity: t.file.identity) {
                left.append(UnreadEntry(file: t.job.display, reason: changed))
            }
            TestHook.checkpoint()
        }
        let quarantine = Quarantine(root: config.quarantine)
        for t in taken {
            guard let reason = t.reason else { continue }
            let moved = try quarantine.move(
                supplier: t.job.supplier, name: t.job.name, from: t.job.path, identity: t.file.identity,
                archived: t.file.archived, reason: reason)
            if !moved { left.append(UnreadEntry(file: t.job.display, reason: changed)) }
            TestHook.checkpoint()
        }
        return left
    }

    /// `nakladna report`: the range's folder rendered again from the database alone, without recomputing.
    /// Returns the report's path.
    package static func report(
        config: Config, from: CalendarDate, to: CalendarDate, language: Language, csv: CSVDialect, now: Date = Date()
    ) throws(RunError) -> String {
        let lock: RunLock
        do {
            lock = try RunLock(
                database: config.database, holder: "pid \(getpid()), started \(timestamp(now)), nakladna report")
        } catch {
            switch error {
            case .held: throw .locked(error.description)
            case .cannotOpen: throw .configuration(error.description)
            }
        }
        defer { withExtendedLifetime(lock) {} }
        guard FileManager.default.fileExists(atPath: config.database) else {
            throw .configuration("\(config.database): no database yet; run `nakladna run` first")
        }
        do {
            let store = try SQLiteStore(path: config.database)
            let results = Ordering.sorted(try store.results(from: from, to: to, excluding: []))
            let report = Report(
                results: results, from: from, to: to, generatedAt: now, timezone: config.timezone, language: language,
                quarantined: Report.quarantinedList(try store.feedFiles()),
                suppliers: config.suppliers.filter(\.enabled).map(\.id))
            let name = from == to ? from.description : "\(from)_\(to)"
            let folder = OutputFolder(out: config.out, name: name)
            try folder.swapIn(try OutputFiles.stage(results, report: report, in: folder, dialect: csv, at: now))
            return FileSystem.join(folder.visiblePath, "report.html")
        } catch {
            throw .failed("\(error)")
        }
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: date)
    }
}

/// The contract's row order, for byte-identical files.
package enum Ordering {
    /// The rows in the contract's order. With `dated`, only the INC documents whose invoice date it accepts (and
    /// their lines) and the document findings it accepts are kept, with every order finding: rows are filtered
    /// and sorted as indices and copied once, a year of findings being large.
    package static func sorted(_ r: RangeResults, dated keep: (CalendarDate) -> Bool = { _ in true }) -> RangeResults {
        func precedes(_ a: IncDocument, _ b: IncDocument) -> Bool {
            if a.invoiceDate != b.invoiceDate { return a.invoiceDate < b.invoiceDate }
            if a.supplier != b.supplier { return codePointLess(a.supplier, b.supplier) }
            return codePointLess(a.supplierInvoice, b.supplierInvoice)
        }
        // Rows already whole and in order (a run over all of history, most often) are kept as they are, not copied.
        var docs = r.incDocuments
        if !docs.allSatisfy({ keep($0.invoiceDate) }) { docs = docs.filter { keep($0.invoiceDate) } }
        if !docs.indices.dropFirst().allSatisfy({ !precedes(docs[$0], docs[$0 - 1]) }) { docs.sort(by: precedes) }
        let rank = Dictionary(docs.enumerated().map { ($1.incNumber, $0) }, uniquingKeysWith: { a, _ in a })
        var lineKeys: [(rank: Int, line: Int, index: Int)] = []
        lineKeys.reserveCapacity(r.incLines.count)
        r.incLines.withUnsafeBufferPointer { lines in
            for i in lines.indices {
                if let position = rank[lines[i].incNumber] { lineKeys.append((position, lines[i].line, i)) }
            }
        }
        lineKeys.sort { ($0.rank, $0.line, $0.index) < ($1.rank, $1.line, $1.index) }
        let lines =
            lineKeys.count == r.incLines.count && lineKeys.indices.allSatisfy({ lineKeys[$0].index == $0 })
            ? r.incLines : lineKeys.map { r.incLines[$0.index] }
        let all = r.findings
        let order = all.withUnsafeBufferPointer { rows in
            var kept = rows.indices.filter { rows[$0].status.isOrderFinding || keep(rows[$0].date) }
            kept.sort { i, j in Ordering.findingPrecedes(rows, i, j) }
            return kept
        }
        let findings =
            order.count == all.count && order.indices.allSatisfy({ order[$0] == $0 }) ? all : order.map { all[$0] }
        return RangeResults(incDocuments: docs, incLines: lines, findings: findings)
    }

    /// The contract's order of findings; fields are read in place, a finding is never copied to be compared.
    static func findingPrecedes(_ rows: UnsafeBufferPointer<Finding>, _ i: Int, _ j: Int) -> Bool {
        guard let base = rows.baseAddress else { return i < j }
        let (x, y) = (base + i, base + j)
        if x.pointee.status.isOrderFinding != y.pointee.status.isOrderFinding {
            return !x.pointee.status.isOrderFinding
        }
        if !x.pointee.status.isOrderFinding {
            if x.pointee.date != y.pointee.date { return x.pointee.date < y.pointee.date }
            if x.pointee.supplier != y.pointee.supplier { return codePointLess(x.pointee.supplier, y.pointee.supplier) }
            if x.pointee.supplierInvoice != y.pointee.supplierInvoice {
                return codePointLess(x.pointee.supplierInvoice, y.pointee.supplierInvoice)
            }
            if (x.pointee.line ?? 0) != (y.pointee.line ?? 0) { return (x.pointee.line ?? 0) < (y.pointee.line ?? 0) }
            if x.pointee.orderNumber != y.pointee.orderNumber {
                return codePointLess(x.pointee.orderNumber, y.pointee.orderNumber)
            }
        } else {
            if x.pointee.supplier != y.pointee.supplier { return codePointLess(x.pointee.supplier, y.pointee.supplier) }
            if x.pointee.orderNumber != y.pointee.orderNumber {
                return codePointLess(x.pointee.orderNumber, y.pointee.orderNumber)
            }
            if x.pointee.article != y.pointee.article { return codePointLess(x.pointee.article, y.pointee.article) }
        }
        return i < j
    }
}

/// The files of a range's folder: the three CSV files and the report.
package enum OutputFiles {
    /// Writes the whole folder beside `out/<range>` and seals it; `swapIn` makes it visible. The same for
    /// `run` and `report`.
    package static func stage(
        _ results: RangeResults, report: Report, in folder: OutputFolder, dialect: CSVDialect, at time: Date
    ) throws -> String {
        let staging = try folder.stage(token: "\(getpid())-\(Int(time.timeIntervalSince1970))")
        // The report is rendered on another thread while the CSV files are written here. It yields to the
        // database's thread, which still has rows to write and is the last to finish when the three share two
        // cores evenly (the year: the commit waited 0.7-1.3 s for it; yielding, 0.1 s).
        let page = Background(yielding: true) { report.html() }
        try write(results, to: staging, dialect: dialect)
        TestHook.checkpoint()
        try FileSystem.writeAtomically(try page.value(), to: FileSystem.join(staging, "report.html"))
        return try folder.seal(staging)
    }

    package static func write(_ r: RangeResults, to folder: String, dialect: CSVDialect) throws {
        // One file at a time, so that only one file's bytes are held at once.
        let writer = CSVWriter(dialect: dialect)
        try FileSystem.writeAtomically(
            writer.render(header: Columns.incDocuments, rows: r.incDocuments, cells: Columns.incDocument),
            to: FileSystem.join(folder, "inc_documents.csv"))
        try FileSystem.writeAtomically(
            writer.render(header: Columns.incLines, rows: r.incLines, cells: Columns.incLine),
            to: FileSystem.join(folder, "inc_lines.csv"))
        try FileSystem.writeAtomically(
            writer.render(header: Columns.reconciliation, rows: r.findings, cells: Columns.finding),
            to: FileSystem.join(folder, "reconciliation.csv"))
    }
}

/// The article key of a document line: from its brand and article, or, where it has none, from the mapping's
/// cross-reference by its supplier code.
package enum LineKeys {
    package static func key(of line: DocumentLine, mapping: Mapping) -> ArticleKey {
        if !line.article.isEmpty { return mapping.brands.articleKey(brand: line.brand, article: line.article) }
        if let row = mapping.crossReferenceByCode[line.supplierCode] {
            return mapping.brands.articleKey(brand: row.brand, article: row.article)
        }
        return ArticleKey(brand: mapping.brands.key(line.brand), number: "")
    }
}

/// A test-only way to die, or wait, at a chosen moment: with `NAKLADNA_TEST_KILL_AT=N` the process sends itself
/// SIGKILL at its N-th checkpoint; with `NAKLADNA_TEST_PAUSE_AT=N` (or the checkpoint's name, such as
/// `reconciled`) it sleeps `NAKLADNA_TEST_PAUSE_SECONDS` (2) there. Unset, a checkpoint costs one comparison.
package enum TestHook {
    nonisolated(unsafe) static var count = 0
    static let environment = ProcessInfo.processInfo.environment
    static let killAt: Int? = environment["NAKLADNA_TEST_KILL_AT"].flatMap { Int($0) }
    static let pauseAt: String? = environment["NAKLADNA_TEST_PAUSE_AT"]
    static let pauseSeconds: UInt32 = environment["NAKLADNA_TEST_PAUSE_SECONDS"].flatMap { UInt32($0) } ?? 2
    /// The first retry's wait for HTTP, shortened by tests (`NAKLADNA_TEST_HTTP_BACKOFF`, seconds).
    static let httpBackoff: TimeInterval = environment["NAKLADNA_TEST_HTTP_BACKOFF"].flatMap { Double($0) } ?? 0.5

    package static func checkpoint(_ name: String = "") {
        guard killAt != nil || pauseAt != nil else { return }
        count += 1
        if count == killAt { kill(getpid(), SIGKILL) }
        if let pauseAt, pauseAt == String(count) || pauseAt == name { sleep(pauseSeconds) }
    }
}

/// Values kept alive until the process exits (`RunOptions.keepUntilExit`).
enum Retained {
    nonisolated(unsafe) private static var values: [Any] = []

    static func keep(_ value: Any) { values.append(value) }
}

/// Values sent from one thread to another, in order: `receive` waits for the next, and returns nil once the
/// sender has finished, or throws the error it finished with.
final class Channel<T: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [T?] = []
    private var head = 0
    private var end: Result<Void, any Error>?

    func send(_ value: T) {
        condition.withLock {
            queue.append(value)
            condition.signal()
        }
    }

    /// Ends the channel; later calls change nothing.
    func finish(_ result: Result<Void, any Error>) {
        condition.withLock {
            if end == nil { end = result }
            condition.broadcast()
        }
    }

    func receive() throws -> T? {
        try condition.withLock {
            while head == queue.count && end == nil { condition.wait() }
            if case .failure(let error) = end { throw error }
            guard head < queue.count else { return nil }
            defer {
                queue[head] = nil
                head += 1
            }
            return queue[head]
        }
    }
}

/// A value handed from one thread to another, once: `take` waits until `give` was called. Later gives are
/// ignored, so a failure path may give an error whatever was given before.
final class Handoff<T: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var result: Result<T, any Error>?

    func give(_ value: Result<T, any Error>) {
        let first = lock.withLock {
            guard result == nil else { return false }
            result = value
            return true
        }
        if first { done.signal() }
    }

    /// Waits for the value; rethrows the error given instead.
    func take() throws -> T {
        done.wait()
        done.signal()
        guard let result = lock.withLock({ result }) else { throw CocoaError(.featureUnsupported) }
        return try result.get()
    }
}

/// Work started on another thread now, its result (or error) taken later.
final class Background<T: Sendable>: Sendable {
    private let result = Handoff<T>()

    /// With `yielding`, the thread runs at a lower priority (nice 10; on Linux a thread's own), taking a core
    /// when the others leave one: for work that is not the longest of those it runs beside.
    init(yielding: Bool = false, _ work: @escaping @Sendable () throws -> T) {
        Thread.detachNewThread { [result] in
            #if os(Linux)
                if yielding { setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10) }
            #endif
            result.give(Result { try work() })
        }
    }

    /// Waits for the work to finish; rethrows its error.
    func value() throws -> T { try result.take() }
}
