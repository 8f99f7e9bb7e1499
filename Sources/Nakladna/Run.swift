import Foundation

/// One run, under the lock, as its steps: open the store, pull, take in the inbox, plan the replay
/// (`Replay.swift`), reconcile and stage the folder while the database takes the rows, commit, show the folder, and
/// release the inbox. Each step is a method below, in that order.
struct Run {
    let config: Config
    let options: RunOptions
    /// The suppliers this run reconciles (all enabled ones, or those of `--supplier`).
    let selected: [SupplierConfig]
    let mappings: [String: Mapping]
    /// `orders.csv` lines of suppliers not in the configuration.
    let ignored: [String: Int]
    /// The SHA-256 of `orders.csv`'s bytes.
    let ordersSHA256: String
    let rates: Rates
    let archive: Archive
    /// The station's lock, whose generation a PostgreSQL commit checks it still holds.
    let lease: StationStore.Lease
    let progress: (String) -> Void

    /// The steps, in order. The order lines are the run's to let go of once reconciled (`reconcileAndStage`).
    func execute(orders: consuming [OrderLine]) throws -> RunSummary {
        let (store, state, stationId) = try openStore()
        let pulled = try pull()
        let intake = try takeIn(known: state, store: store)
        // The archive on disk before anything else is decided: the inbox files are let go only after the commit.
        FileSystem.syncFileSystem()
        progress("read \(intake.filesRead) files, \(intake.newDocuments.count) new documents")

        let station = state.stationId ?? stationId ?? UUID().uuidString
        let unreadCounts = intake.unread.contains(where: \.changesExitCode)
        let exitCode: Int32 = intake.quarantinedCount == 0 && pulled.failed.isEmpty && !unreadCounts ? 0 : 1
        let staged = try reconcileAndStage(
            intake, orders: consume orders, pulled: pulled, state: state, store: store, station: station,
            exitCode: exitCode)
        progress("committed")
        try staged.folder.swapIn(staged.sealed)
        TestHook.checkpoint()

        if stationId == nil { try archive.mark(station) }
        let left = try release(intake.taken)

        if options.keepUntilExit { Retained.keep([state, staged.range, intake.newDocuments, mappings]) }
        let thisRun = intake.taken.compactMap { t in t.reason.map { (file: t.job.display, reason: $0) } }
        var summary = RunSummary(
            exitCode: left.isEmpty ? exitCode : 1, outFolder: staged.folder.visiblePath,
            report: FileSystem.join(
                staged.folder.visiblePath, OutputFiles.reportName(options.language, station: config.language)),
            filesRead: intake.filesRead,
            quarantined: thisRun, documents: intake.newDocuments.count, incDocuments: staged.range.incDocuments.count,
            statusCounts: staged.counts, ignoredOrders: ignored, priceFiles: intake.pricesImported)
        summary.unread = intake.unread + left
        summary.notAccepted = staged.notAccepted
        summary.failedPulls = pulled.failed
        summary.oldRates = staged.oldRates
        summary.rebuiltState = staged.rebuilt
        return summary
    }

    /// Step 1: the database, what earlier runs left in it, and the archive's station id. A database that is not
    /// the history its archive belongs to is refused (`StationCheck`).
    func openStore() throws -> (any ResultStore, StoredState, String?) {
        let stationId = archive.stationId()
        if stationId != nil && config.postgres == nil && !FileManager.default.fileExists(atPath: config.database) {
            throw RunError.configuration(StationCheck.message(config))
        }
        let store = try StationStore.open(config, lease: lease)
        let state = try store.loadState()
        try StationCheck.verify(archive: stationId, state: state, config: config)
        return (store, state, stationId)
    }

    /// What the pulls did: one record each, and the suppliers that could not be pulled, with why.
    struct Pulled {
        var records: [PullRecord] = []
        var failed: [(file: String, reason: String)] = []
    }

    /// Step 2: pull over HTTP where a supplier has an API. A complete pull becomes a feed file in its inbox; an
    /// incomplete one is archived for audit, recorded, and read as nothing.
    func pull() throws -> Pulled {
        var pulled = Pulled()
        let (from, to) = (options.from, options.to)
        for supplier in selected where supplier.httpBaseURL != nil {
            guard let spec = mappings[supplier.id]?.pull else {
                throw RunError.configuration(
                    "\(supplier.id): http is configured but \(supplier.mapping) has no 'pull' section")
            }
            let puller = try Puller(supplier: supplier, spec: spec, backoff: TestHook.httpBackoff) { progress($0) }
            progress("pulling \(supplier.id) for \(from)…\(to)")
            do {
                let result = try puller.pull(from: from, to: to)
                for body in result.responses { try archive.store(body, sha256: SHA256Hex.of(body)) }
                let sha = SHA256Hex.of(result.feed)
                let folder = FileSystem.join(config.inbox, supplier.id)
                try FileSystem.makeDirectory(folder)
                let name = "pull-\(from)_\(to)-\(sha.prefix(8)).\(spec.format)"
                try FileSystem.writeAtomically(result.feed, to: FileSystem.join(folder, name))
                pulled.records.append(
                    PullRecord(
                        supplier: supplier.id, from: from, to: to, status: "complete", error: "",
                        responses: result.responses.count, feedSHA256: sha))
            } catch let error as PullError {
                for body in puller.received { try archive.store(body, sha256: SHA256Hex.of(body)) }
                pulled.records.append(
                    PullRecord(
                        supplier: supplier.id, from: from, to: to, status: "incomplete", error: error.message,
                        responses: puller.received.count, feedSHA256: ""))
                pulled.failed.append((file: "\(supplier.id) (HTTP)", reason: error.description))
                progress("could not pull \(error.description)")
            }
        }
        return pulled
    }

    /// What the inbox gave.
    struct Intake {
        var feedRecords: [FeedFileRecord] = []
        /// Document versions first received in this run, with their order of receipt.
        var newDocuments: [ReceivedDocument] = []
        /// Files read, and files to quarantine with their reasons.
        var taken: [TakenFile] = []
        /// Entries not read at all; they stay in the inbox.
        var unread: [UnreadEntry] = []
        var pricesImported = 0

        var filesRead: Int { taken.count { $0.reason == nil } }
        var quarantinedCount: Int { taken.count - filesRead }
    }

    /// Step 3: every inbox file of the selected suppliers archived by its bytes, then read through its mapping
    /// (invoices on every core); price and stock files, each imported in a transaction of its own.
    func takeIn(known state: StoredState, store: any ResultStore) throws -> Intake {
        var intake = Intake()
        intake.unread = Inbox.strays(
            config.inbox, enabled: Set(config.suppliers.filter(\.enabled).map(\.id)),
            disabled: Set(config.suppliers.filter { !$0.enabled }.map(\.id)))
        var jobs: [IntakeJob] = []
        var priceJobs: [PriceJob] = []
        var readers: [String: MappingReader] = [:]
        for supplier in selected {
            guard let mapping = mappings[supplier.id] else { continue }
            let reader = MappingReader(mapping: mapping, zone: config.timezone)
            readers[supplier.id] = reader
            let folder = FileSystem.join(config.inbox, supplier.id)
            let listing = Inbox.list(folder, display: supplier.id)
            intake.unread += listing.unread
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

        var nextSequence = (state.feedFiles.values.map(\.sequence).max() ?? 0) + 1
        // The same bytes keep the sequence they were first received with, under whatever name.
        var sequences: [String: Int] = [:]
        for f in state.feedFiles.values { sequences[f.sha256] = min(sequences[f.sha256] ?? f.sequence, f.sequence) }
        // Content read in this run; what earlier runs stored is asked of the database, a version at a time.
        var knownContent = Set<String>()
        progress("reading \(jobs.count) files")
        for outcome in try Nakladna.Intake.run(jobs, archive: archive, readers: readers, limit: config.maxFileBytes) {
            TestHook.checkpoint()
            guard case .success(let file) = outcome.received else {
                if case .failure(let refusal) = outcome.received {
                    intake.unread.append(UnreadEntry(file: outcome.job.display, reason: refusal.reason))
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
            let reason = outcome.errors.isEmpty ? nil : FeedError.reason(outcome.errors)
            intake.taken.append(TakenFile(job: outcome.job, file: file, reason: reason))
            intake.feedRecords.append(
                FeedFileRecord(
                    sha256: sha, supplier: supplier, name: name, sequence: sequence,
                    status: reason == nil ? "read" : "quarantined", error: reason ?? "", size: file.size,
                    documents: reason == nil ? outcome.documents.count : 0))
            guard reason == nil else { continue }
            for var received in outcome.documents {
                guard knownContent.insert(supplier + "\u{0}" + received.contentHash).inserted,
                    try !(state.hasDocuments && store.isKnown(supplier: supplier, contentHash: received.contentHash))
                else { continue }
                received.receivedOrder += sequence * 1_000_000
                intake.newDocuments.append(received)
            }
        }
        if options.keepUntilExit { Retained.keep(knownContent) }

        let prices = try PriceIntake.run(
            priceJobs, store: store, archive: archive, mappings: mappings, known: sequences,
            nextSequence: &nextSequence, limit: config.maxFileBytes, now: options.now)
        intake.feedRecords += prices.records
        intake.taken += prices.taken
        intake.unread += prices.unread
        intake.pricesImported = prices.imported
        return intake
    }

    /// What step 4 left: the range's rows in the contract's order, its sealed folder (not yet shown), and the
    /// summary's counts.
    struct Staged {
        var range: RangeResults
        var folder: OutputFolder
        var sealed: String
        var counts: [Status: Int]
        /// `--accept` documents that had no corrected version to accept.
        var notAccepted: [DocumentKey] = []
        var oldRates: [OldRates.Flag] = []
        /// Why the stored allocation state was rebuilt, where it was.
        var rebuilt: String?
    }

    /// Step 4: reconcile the selected suppliers from the first day the run's input touches (`planReplay`) up to the
    /// horizon, from the state stored at the end of the day before, while the run's one
    /// transaction takes the rows on the other core; write the range's folder whole beside `out/<range>`; then
    /// commit. Nothing of the run stays if any of it fails: the transaction is rolled back before the error goes on.
    /// The order lines and the allocation state are let go of before the folder is written: they are most of what
    /// a night holds, and the folder needs only the rows.
    func reconcileAndStage(
        _ intake: Intake, orders: consuming [OrderLine], pulled: Pulled, state: StoredState, store: any ResultStore,
        station: String, exitCode: Int32
    ) throws -> Staged {
        let horizon = max(options.to, state.coveredUntil ?? options.to)
        let selectedIds = Set(selected.map(\.id))
        // The other suppliers' stored rows of the range, read before the run's transaction begins.
        let others =
            options.suppliers.isEmpty
            ? nil : try store.results(from: options.from, to: options.to, excluding: selectedIds)
        var plan = try planReplay(
            state: state, orders: consume orders, newDocuments: intake.newDocuments, store: store)
        progress(plan.from.map { "replaying from \($0): \(plan.why)" } ?? "replaying all of history: \(plan.why)")
        // Asked before the transaction begins: it holds the database until the commit.
        let incNumbers = try store.incNumbers(for: [plan.documents, intake.newDocuments].joined())
        let transaction = RunTransaction(
            store: store,
            intake: StoreIntake(
                feedFiles: intake.feedRecords, newDocuments: intake.newDocuments, replay: plan.change,
                suppliers: selectedIds, from: options.from, to: options.to))
        let staged: Staged
        do {
            var output: ReconcileOutput
            do {
                let input = reconcileInput(
                    &plan, state: state, newDocuments: intake.newDocuments, horizon: horizon, incNumbers: incNumbers)
                progress("reconciling \(input.documents.count) documents against \(input.orders.count) order lines")
                if options.keepUntilExit { Retained.keep(input.documents) }
                output = Reconciler.run(consume input, partSize: 20_000) { transaction.send($0) }
            }
            transaction.finishRows()
            let movementDays = MovementDays.rows(output.movements, orders: plan.orders, places: plan.places)
            (plan.orders, plan.places, output.movements) = ([], [], [])
            TestHook.checkpoint("reconciled")
            progress("reconciled")

            // The range's rows: this run's, and the other suppliers' as stored, in the contract's order. They are
            // taken out of the output, to be put in order where they are rather than copied.
            var rows = RangeResults(
                incDocuments: output.incDocuments, incLines: output.incLines, findings: output.findings)
            (output.incDocuments, output.incLines, output.findings) = ([], [], [])
            if options.keepUntilExit { Retained.keep(output) }
            if let others {
                rows.incDocuments += others.incDocuments
                rows.incLines += others.incLines
                rows.findings += others.findings
            }
            let range = Ordering.sorted(consume rows, dated: { !($0 < options.from) && !(options.to < $0) })

            let finished = Date()
            var change = StoreChange(
                accepted: output.accepted, coveredUntil: horizon,
                run: RunRecord(
                    startedAt: Pipeline.timestamp(options.now), finishedAt: Pipeline.timestamp(finished),
                    command: options.command, from: options.from, to: options.to, suppliers: selected.map(\.id),
                    filesRead: intake.filesRead, filesQuarantined: intake.quarantinedCount,
                    exitCode: Int(exitCode)))
            change.pulls = pulled.records
            change.movementDays = movementDays
            change.stationId = station
            change.ignoredOrders = ignored
            transaction.give(change)

            progress("writing \(range.incDocuments.count) INC documents and \(range.findings.count) findings")
            let name = options.from == options.to ? options.from.description : "\(options.from)_\(options.to)"
            let folder = OutputFolder(out: config.out, name: name)
            var files = state.feedFiles
            for record in intake.feedRecords { files[record.key] = record }
            let oldRates = OldRates.find(range.incDocuments, rates: rates, maxAgeDays: config.rateMaxAgeDays)
            let report = Report(
                results: range, from: options.from, to: options.to, generatedAt: finished, timezone: config.timezone,
                language: config.language,
                quarantined: Report.quarantinedList(Array(files.values)) + pulled.failed,
                suppliers: config.suppliers.filter(\.enabled).map(\.id), unread: intake.unread,
                ignoredOrders: ignored, oldRates: oldRates)
            var pages = [OutputFiles.Page.render(report)]
            if options.language != config.language { pages.append(.render(report.inLanguage(options.language))) }
            let sealed = try OutputFiles.stage(
                range, pages: pages, station: config.language, in: folder, dialect: options.csv,
                xlsx: options.xlsx || config.xlsx, at: finished)
            TestHook.checkpoint()
            let missed = options.accept.filter { !output.acceptedNow.contains($0) }.sorted {
                ($0.supplier, $0.invoice) < ($1.supplier, $1.invoice)
            }
            staged = Staged(
                range: range, folder: folder, sealed: sealed, counts: [:], notAccepted: missed, oldRates: oldRates,
                rebuilt: plan.rebuilt ? plan.why : nil)
        } catch {
            transaction.abandon(error)
            throw error
        }
        progress("files written, waiting for the database")
        transaction.seal()
        var done = staged
        // The summary's counts while the database finishes.
        done.counts = Run.counts(staged.range.findings)
        try transaction.wait()
        TestHook.checkpoint()
        return done
    }

    /// What reconciliation reads: the selected suppliers' orders, the state the replay starts from, and the stored
    /// and new document versions from its first day on. The start is moved out of the plan: the reconciliation
    /// holds its only copy, and lets go of it once its book is set up.
    func reconcileInput(
        _ plan: inout ReplayPlan, state: StoredState, newDocuments: [ReceivedDocument], horizon: CalendarDate,
        incNumbers: [DocumentKey: String]
    ) -> ReconcileInput {
        let rules = selected.map { s in
            SupplierRules(
                id: s.id, tolerance: s.priceTolerance ?? config.priceTolerance,
                hasInvoiceFeed: mappings[s.id]?.invoices != nil, customerId: s.identifiers["customer_id"])
        }
        // Both are the selected suppliers' alone (the inbox is read for them, the store asked for them); shared,
        // not copied, when nothing was stored before (a first run over all of history).
        let documents = plan.documents.isEmpty ? newDocuments : plan.documents + newDocuments
        return ReconcileInput(
            suppliers: rules, orders: plan.orders, documents: documents, rates: rates,
            baseCurrency: config.baseCurrency, from: options.from, to: options.to, horizon: horizon,
            overdueAfterDays: config.overdueAfterDays, acceptCorrections: options.acceptCorrections,
            accept: options.accept, accepted: state.accepted, incNumbers: incNumbers, start: plan.start.take())
    }

    /// Step 5: only once the run is committed do files leave the inbox. A read file is in the archive and goes; an
    /// unreadable one goes to quarantine with its reason. Either only while its name still holds the bytes that
    /// were read: a file changed since stays for the next run, and is returned to be named.
    func release(_ taken: [TakenFile]) throws(FileError) -> [UnreadEntry] {
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

    /// Findings by status, counted by rank rather than hashed: a year has millions.
    static func counts(_ findings: [Finding]) -> [Status: Int] {
        var byRank = Array(repeating: 0, count: Status.allCases.count)
        for i in findings.indices { byRank[findings[i].status.rank] += 1 }
        var counts: [Status: Int] = [:]
        for status in Status.allCases where byRank[status.rank] > 0 { counts[status] = byRank[status.rank] }
        return counts
    }
}

/// The run's one database transaction, open on a thread of its own from the moment it is made: the feed files, the
/// new documents and the orders go in first; then the rows, part by part as reconciliation sends them; then the
/// rest of the change once known; the staged folder's seal lets it commit. `abandon` rolls it all back.
final class RunTransaction: Sendable {
    private let parts = Channel<RangeResults>()
    private let change = Handoff<StoreChange>()
    private let sealed = Handoff<Void>()
    private let committing: Background<Void>

    init(store: any ResultStore, intake: StoreIntake) {
        let (parts, change, sealed) = (parts, change, sealed)
        committing = Background {
            try store.commit(
                intake, results: { try parts.receive() }, change: { try change.take() },
                beforeCommit: { try sealed.take() })
        }
    }

    /// A part of the rows, in reconciliation's order.
    func send(_ rows: RangeResults) { parts.send(rows) }
    /// No more rows.
    func finishRows() { parts.finish(.success(())) }
    /// The rest of what the run changes.
    func give(_ value: StoreChange) { change.give(.success(value)) }
    /// The folder is sealed: the transaction may commit.
    func seal() { sealed.give(.success(())) }
    /// Waits for the commit; rethrows what failed it.
    func wait() throws { try committing.value() }

    /// Rolls everything back, and waits until it is.
    func abandon(_ error: any Error) {
        parts.finish(.failure(error))
        change.give(.failure(error))
        sealed.give(.failure(error))
        _ = try? committing.value()
    }
}
