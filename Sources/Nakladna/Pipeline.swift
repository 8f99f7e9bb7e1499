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
    /// `--accept SUPPLIER:INVOICE`: the documents whose latest version is accepted, one by one.
    package var accept: Set<DocumentKey> = []
    package var language: Language
    package var csv: CSVDialect
    /// Also write `nakladna.xlsx` (`--xlsx`, or `xlsx: true` in the configuration).
    package var xlsx = false
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
    /// `--accept` documents that had no corrected version to accept.
    package var notAccepted: [DocumentKey] = []
    /// The suppliers that could not be pulled (`<supplier> (HTTP)`), each with why.
    package var failedPulls: [(file: String, reason: String)] = []
    /// The range's documents converted at a rate older than `reconcile.rate_max_age_days`.
    package var oldRates: [OldRates.Flag] = []
    /// Why the stored allocation state was not used but rebuilt from the stored documents, where it was.
    package var rebuiltState: String?
    package var documents: Int
    package var incDocuments: Int
    package var statusCounts: [Status: Int]
    /// `orders.csv` lines of suppliers that are not enabled here, by supplier id.
    package var ignoredOrders: [String: Int]
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
        for key in options.accept where !enabled.contains(where: { $0.id == key.supplier }) {
            throw .configuration(
                "--accept \(key.supplier):\(key.invoice): no enabled supplier '\(key.supplier)' in \(config.file)")
        }
        let selected = options.suppliers.isEmpty ? enabled : enabled.filter { options.suppliers.contains($0.id) }
        var mappings: [String: Mapping] = [:]
        for s in enabled {
            do {
                mappings[s.id] = try MappingFiles.load(path: s.mapping)
            } catch {
                throw .configuration(error.description)
            }
        }
        let brands = mappings.mapValues(\.brands)
        let orders: [OrderLine]
        let ignored: [String: Int]
        let ordersSHA256: String
        let rates: Rates
        do {
            (orders, ignored, ordersSHA256) = try StationInputs.orders(path: config.orders, brands: brands)
            rates = try StationInputs.rates(of: config)
        } catch {
            throw .configuration(error.description)
        }
        // A mistyped inbox would read nothing every night, which looks exactly like a quiet night.
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: config.inbox, isDirectory: &isFolder), isFolder.boolValue else {
            throw .configuration(
                "\(config.inbox): the inbox folder does not exist: create it, or correct 'inbox' in \(config.file)")
        }
        do {
            // What they hold is the suppliers' and the station's business: no one else reads it. New ones are made
            // private; those of a station set up before are made so.
            // With PostgreSQL the archive is the database's table, and there is no archive folder.
            for folder in (config.postgres == nil ? [config.archive] : []) + [config.quarantine, config.out] {
                try FileSystem.makeDirectory(folder)
                FileSystem.makePrivate(folder)
            }
            if config.postgres == nil {
                try FileSystem.makeDirectory((config.database as NSString).deletingLastPathComponent)
            }
        } catch {
            throw .configuration("cannot create the working folders: \(error)")
        }

        // 2. One run at a time.
        let lease = try StationStore.lock(
            config, holder: "pid \(getpid()), started \(timestamp(started)), nakladna \(options.command)")
        defer { withExtendedLifetime(lease) {} }
        TestHook.checkpoint()

        // With PostgreSQL, the archive is the database's table; the bytes the readers read are put in a folder of
        // this run's own, gone with it.
        var archive = Archive(root: config.archive)
        if let url = config.postgres {
            let received = FileSystem.join(NSTemporaryDirectory(), "nakladna-received-\(UUID().uuidString)")
            do {
                try FileSystem.makeDirectory(received)
                FileSystem.makePrivate(received)
                archive = Archive(root: received, table: try ArchiveTable(url: url, station: config.station))
            } catch {
                throw StationStore.runError(error)
            }
        }
        defer { if archive.table != nil { try? FileManager.default.removeItem(atPath: archive.root) } }

        let clock = ContinuousClock()
        let start = clock.now
        let run = Run(
            config: config, options: options, selected: selected, mappings: mappings, ignored: ignored,
            ordersSHA256: ordersSHA256, rates: rates, archive: archive, lease: lease
        ) { line in
            let elapsed = (clock.now - start).components
            progress("[\(elapsed.seconds).\(elapsed.attoseconds / 100_000_000_000_000_000) s] \(line)")
        }
        do {
            return try run.execute(orders: consume orders)
        } catch let error as RunError {
            throw error
        } catch {
            // The PostgreSQL server refusing the login, or holding a schema too new, is the configuration's.
            if case .configuration(let message) = StationStore.runError(error) { throw .configuration(message) }
            throw .failed(failure(error, database: config.database))
        }
    }

    /// One line that names the file and the cause of a failed run (exit 4).
    static func failure(_ error: any Error, database: String) -> String {
        // A PostgreSQL error names the URL, masked, itself.
        let text = SQLiteStore.describe(error).map { "\(database): \($0)" } ?? "\(error)"
        return "the run failed and committed nothing: "
            + text.split(whereSeparator: \.isNewline).joined(separator: "; ")
    }

    /// `nakladna report`: the range's folder rendered again from the database alone, without recomputing.
    /// Returns the page's path and the stale order findings it left out.
    package static func report(
        config: Config, from: CalendarDate, to: CalendarDate, language: Language, csv: CSVDialect, now: Date = Date()
    ) throws(RunError) -> ReportOutcome {
        let lease = try StationStore.lock(
            config, holder: "pid \(getpid()), started \(timestamp(now)), nakladna report")
        defer { withExtendedLifetime(lease) {} }
        let opened: (any ResultStore)?
        do {
            opened = try StationStore.openIfRun(config)
        } catch {
            throw StationStore.runError(error)
        }
        guard let store = opened else {
            throw .configuration(
                config.postgres == nil
                    ? "\(config.database): no database yet; run `nakladna run` first"
                    : "\(config.database): no run of station \(config.station) yet; run `nakladna run` first")
        }
        // Rates are the station's file, not a secret: the report flags old ones as the run did.
        let rates: Rates
        do {
            rates = try StationInputs.rates(of: config)
        } catch {
            throw .configuration(error.description)
        }
        do {
            let results = Ordering.sorted(try store.results(from: from, to: to, excluding: []))
            var report = Report(
                results: results, from: from, to: to, generatedAt: now, timezone: config.timezone,
                language: config.language,
                quarantined: Report.quarantinedList(try store.feedFiles()),
                suppliers: config.suppliers.filter(\.enabled).map(\.id), ignoredOrders: try store.ignoredOrders(),
                oldRates: OldRates.find(results.incDocuments, rates: rates, maxAgeDays: config.rateMaxAgeDays))
            report.staleOrders = try store.staleRange(from: from, to: to)
            let name = from == to ? from.description : "\(from)_\(to)"
            let folder = OutputFolder(out: config.out, name: name)
            // The page asked for is rendered; every other page the folder has is left as it is.
            let pages: [OutputFiles.Page] = Language.allCases.map {
                $0 == language ? .render(report.inLanguage($0)) : .keep(report.inLanguage($0))
            }
            try folder.swapIn(
                try OutputFiles.stage(
                    results, pages: pages, station: config.language, in: folder, dialect: csv, xlsx: config.xlsx,
                    at: now))
            return ReportOutcome(
                path: FileSystem.join(folder.visiblePath, OutputFiles.reportName(language, station: config.language)),
                stale: Report.staleLines(report.staleOrders, from: from, to: to, language: language))
        } catch {
            throw StationStore.runError(error)
        }
    }

    /// What `report` wrote, and what it must say: the stale order findings it left out.
    package struct ReportOutcome {
        package var path: String
        package var stale: [String]
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: date)
    }
}
