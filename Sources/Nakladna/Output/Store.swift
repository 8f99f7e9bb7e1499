import Foundation

/// A feed file as received: its bytes' hash, where it came from, and what became of it.
package struct FeedFileRecord: Sendable, Hashable {
    package var sha256: String
    package var supplier: String
    package var name: String
    /// The order of intake over all runs: earlier files count as received first.
    package var sequence: Int
    /// `read` or `quarantined`.
    package var status: String
    package var error: String
    package var size: Int
    package var documents: Int

    package init(
        sha256: String, supplier: String, name: String, sequence: Int, status: String, error: String, size: Int,
        documents: Int
    ) {
        self.sha256 = sha256
        self.supplier = supplier
        self.name = name
        self.sequence = sequence
        self.status = status
        self.error = error
        self.size = size
        self.documents = documents
    }

    /// A file is known by its name and its bytes: the same bytes under two names (an invoice and a price file, say)
    /// are two files, each with its own status.
    package var key: String { "\(sha256)\u{0}\(supplier)\u{0}\(name)" }
}

/// One HTTP pull: complete (its feed file went to the inbox) or not (nothing of it is read).
package struct PullRecord: Sendable, Hashable {
    package var supplier: String
    package var from: CalendarDate
    package var to: CalendarDate
    /// `complete` or `incomplete`.
    package var status: String
    package var error: String
    package var responses: Int
    package var feedSHA256: String

    package init(
        supplier: String, from: CalendarDate, to: CalendarDate, status: String, error: String, responses: Int,
        feedSHA256: String
    ) {
        self.supplier = supplier
        self.from = from
        self.to = to
        self.status = status
        self.error = error
        self.responses = responses
        self.feedSHA256 = feedSHA256
    }
}

/// What the store holds between runs.
package struct StoredState: Sendable {
    /// Whether any document version was stored: a first run asks nothing of an empty table.
    package var hasDocuments = false
    /// By `FeedFileRecord.key`.
    package var feedFiles: [String: FeedFileRecord] = [:]
    /// The id tying the database to its archive (`Archive.stationId`); nil before the first run over it.
    package var stationId: String?
    package var accepted: [DocumentKey: String] = [:]
    /// The latest date any run has covered: results up to it are kept current.
    package var coveredUntil: CalendarDate?

    package init() {}
}

/// The rows of a date range: INC documents, their lines, and the findings.
package struct RangeResults: Sendable, Equatable {
    package var incDocuments: [IncDocument] = []
    package var incLines: [IncLine] = []
    package var findings: [Finding] = []

    package init(incDocuments: [IncDocument] = [], incLines: [IncLine] = [], findings: [Finding] = []) {
        self.incDocuments = incDocuments
        self.incLines = incLines
        self.findings = findings
    }

    /// The supplier of each INC document, by INC number: a stored INC line names it.
    var supplierOfInc: [String: String] {
        Dictionary(incDocuments.map { ($0.incNumber, $0.supplier) }, uniquingKeysWith: { a, _ in a })
    }
}

/// The movements of allocation as the database keeps them: one row a supplier's day, its movements in one text
/// (`StoredFields`), with their count, the sum of their quantities and the text's SHA-256; and per supplier, a
/// digest of all its days' rows. A movement's order line is kept as its order date and its place among the
/// supplier's lines of that date, which stay put until that day is replayed. A year is then 1,800 rows rather than 600,000, and a row removed or changed by
/// hand is seen before allocation goes on from it.
package struct MovementDays {
    var supplier: String
    var lines: [UInt8] = []

    init(supplier: String) {
        self.supplier = supplier
    }

    /// One stored day, in day order.
    mutating func add(day: String, count: Int, total: String, sha256: String) {
        lines += "\(day)|\(count)|\(total)|\(sha256)\n".utf8
    }

    var digest: String { SHA256Hex.of(Data(lines)) }

    /// A supplier's day of movements as stored: their count, the sum of their quantities, and their text with its
    /// SHA-256.
    package typealias Row = (
        supplier: String, day: CalendarDate, count: Int, total: Fixed, sha256: String, body: String
    )

    /// The rows of `movements` (order lines by index into `orders`, placed by `places`), by supplier and day.
    static func rows(_ movements: [Movement], orders: [OrderLine], places: [Int]) -> [Row] {
        var byDay: [MovementDay: (count: Int, total: Fixed, fields: StoredFields)] = [:]
        for m in movements {
            let key = MovementDay(supplier: orders[m.order].supplier, day: m.day)
            var entry = byDay.removeValue(forKey: key) ?? (0, .zero, StoredFields())
            entry.count += 1
            entry.total += m.quantity
            entry.fields.add(m.receipt, orders[m.order].orderDate, places[m.order], m.quantity)
            byDay[key] = entry
        }
        return byDay.map { key, entry in
            let body = entry.fields.text
            return (key.supplier, key.day, entry.count, entry.total, SHA256Hex.of(Data(body.utf8)), body)
        }
    }

    /// A stored day's movements, each order line found by `line` (order date and place), handed to `each` as they are
    /// read, with their count and the sum of their quantities at the end; nil where its text is not four fields a
    /// movement, or names an order line `line` does not know. Those handed over before then are to be dropped.
    static func decode(
        _ body: String, day: CalendarDate, line: (CalendarDate, Int) -> Int?, each: (Movement) -> Void
    ) -> (count: Int, total: Fixed)? {
        // Read from the text's bytes one field after another, and handed on as read rather than gathered in a list
        // of the day's: three years are 1.8 million movements.
        var body = body
        return body.withUTF8 { bytes -> (count: Int, total: Fixed)? in
            var fields = Fields(rest: bytes[...])
            var (count, total) = (0, Fixed.zero)
            while !fields.rest.isEmpty {
                guard let receipt = fields.next().flatMap(number),
                    let date = fields.next().flatMap(CalendarDate.init(isoBytes:)),
                    let place = fields.next().flatMap(number), let order = line(date, place),
                    let quantity = fields.next().flatMap({ try? Fixed(utf8: $0, text: "") })
                else { return nil }
                each(Movement(day: day, receipt: receipt, order: order, quantity: quantity))
                count += 1
                total += quantity
            }
            return (count, total)
        }
    }

    /// A stored day's fields, each ended by `|`: numbers and dates, which hold no `|` or `\\`. A cursor of its own
    /// rather than a local function over a captured slice, which checked its access at every field.
    private struct Fields {
        var rest: Slice<UnsafeBufferPointer<UInt8>>

        mutating func next() -> Slice<UnsafeBufferPointer<UInt8>>? {
            guard let bar = rest.firstIndex(of: UInt8(ascii: "|")) else { return nil }
            defer { rest = rest[(bar + 1)...] }
            return rest[..<bar]
        }
    }

    /// A receipt's sequence or a place: decimal digits alone.
    private static func number(_ digits: Slice<UnsafeBufferPointer<UInt8>>) -> Int? {
        guard (1...18).contains(digits.count) else { return nil }
        var n = 0
        for b in digits {
            guard (0x30...0x39).contains(b) else { return nil }
            n = n * 10 + Int(b - 0x30)
        }
        return n
    }
}

/// A supplier's day.
struct MovementDay: Hashable {
    var supplier: String
    var day: CalendarDate
}

/// One run's entry in the `runs` log.
package struct RunRecord: Sendable {
    package var startedAt: String
    package var finishedAt: String
    package var command: String
    package var from: CalendarDate
    package var to: CalendarDate
    package var suppliers: [String]
    package var filesRead: Int
    package var filesQuarantined: Int
    package var exitCode: Int

    package init(
        startedAt: String, finishedAt: String, command: String, from: CalendarDate, to: CalendarDate,
        suppliers: [String], filesRead: Int, filesQuarantined: Int, exitCode: Int
    ) {
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.command = command
        self.from = from
        self.to = to
        self.suppliers = suppliers
        self.filesRead = filesRead
        self.filesQuarantined = filesQuarantined
        self.exitCode = exitCode
    }
}

/// What a run knows once its feeds are read: written first in the run's transaction, while reconciliation runs.
package struct StoreIntake: Sendable {
    package var feedFiles: [FeedFileRecord]
    /// Document versions first received in this run.
    package var newDocuments: [ReceivedDocument]
    package var replay: ReplayChange
    /// The suppliers whose results the run replaces, and its range (whose order findings it replaces).
    package var suppliers: Set<String>
    package var from: CalendarDate
    package var to: CalendarDate

    package init(
        feedFiles: [FeedFileRecord], newDocuments: [ReceivedDocument], replay: ReplayChange, suppliers: Set<String>,
        from: CalendarDate, to: CalendarDate
    ) {
        self.feedFiles = feedFiles
        self.newDocuments = newDocuments
        self.replay = replay
        self.suppliers = suppliers
        self.from = from
        self.to = to
    }
}

/// The run's order lines, handed to the database's thread to store those a run adds, and let go of there once
/// stored (`take`): the transaction lasts until the folder is written, and the order lines are the largest thing a
/// night holds (156 MB of the year's), not needed once reconciled.
package final class OrderLinesToStore: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [OrderLine]

    package init(_ lines: [OrderLine] = []) {
        self.lines = lines
    }

    /// The lines, once: this box holds none after.
    package func take() -> [OrderLine] {
        lock.withLock {
            defer { lines = [] }
            return lines
        }
    }
}

/// What the run replays, and how the stored orders change: only the orders that changed are written again.
package struct ReplayChange: Sendable {
    /// The first day whose results are replaced; nil: all of the suppliers' results.
    package var from: CalendarDate?
    /// The first day whose results may have changed; nil: any. The order findings stored for other ranges that end
    /// on or after it are no longer current: they are removed, and the ranges named stale until run again.
    package var staleFrom: CalendarDate?
    /// Suppliers whose stored orders go whole (none were kept with digests before).
    package var replaceOrders: Set<String> = []
    /// Days of a supplier's orders whose stored lines go.
    package var removedOrders: [(supplier: String, date: CalendarDate)] = []
    /// Lines of the days of orders that are new or changed, to store.
    package var addedLines: [Int] = []
    /// The order lines `addedLines` point into (the run's, shared rather than copied).
    package var orders = OrderLinesToStore()
    /// The digests of the days of orders kept from now on; nil removes one.
    package var digests: [(supplier: String, date: CalendarDate, digest: String?)] = []
    /// The inputs the results are now reconciled from: each selected supplier's fingerprint, and the rates where
    /// the run covered every enabled supplier (nil: the stored ones stay).
    package var fingerprints: [String: String] = [:]
    /// The SHA-256 of the `orders.csv` whose days of orders the stored ones of each selected supplier now are.
    package var ordersSHA256 = ""
    package var rates: [String: String]?

    package init() {}
}

/// The rest of what one run changes, known once it has reconciled: written last in the same transaction.
package struct StoreChange: Sendable {
    package var accepted: [DocumentKey: String]
    package var coveredUntil: CalendarDate
    package var run: RunRecord
    package var pulls: [PullRecord] = []
    /// Kept in the database where it has none yet (`Archive.stationId`).
    package var stationId: String?
    /// `orders.csv` lines of suppliers not enabled, by supplier id, as this run found them: `report` shows them too.
    package var ignoredOrders: [String: Int] = [:]
    /// The movements of the replayed days, a row a supplier's day (`MovementDays.rows`).
    package var movementDays: [MovementDays.Row] = []

    package init(accepted: [DocumentKey: String], coveredUntil: CalendarDate, run: RunRecord) {
        self.accepted = accepted
        self.coveredUntil = coveredUntil
        self.run = run
    }
}

/// A stored version of a supplier document as its row holds it: read by the store, decoded by `documents(of:from:)`.
package struct StoredDocumentRow: Sendable {
    package var supplier: String
    package var invoice: String
    package var body: Data
    package var keys: String
    package var hash: String
    package var receivedOrder: Int
    package var fileName: String
}

/// The one narrow interface the pipeline keeps its state through: SQLite for one station (`SQLiteStore`), PostgreSQL
/// for a chain of them (`PostgresStore`). Each requirement is a question asked of the tables or one run's writes; what
/// is made of the answers (documents decoded, movements added up) is the extension's, the same for both.
package protocol ResultStore: AnyObject, Sendable {
    /// What earlier runs left.
    func loadState() throws -> StoredState
    /// The stored versions of the suppliers' documents dated `from` on (all of them where `from` is nil), in the
    /// order they were received, as stored.
    func documentRows(of suppliers: Set<String>, from: CalendarDate?) throws -> [StoredDocumentRow]
    /// What the stored results of the suppliers were reconciled from (`ReplayInputs`), and the documents whose
    /// versions carry more than one date.
    func replayRecord(of suppliers: Set<String>) throws -> ReplayRecord
    /// The INC numbers reconciling `documents` needs (`Reconciler`, "incNumber"): those given to their supplier
    /// documents before, and every number of their invoice dates, which a new number (`INC-<date>-…`) must not
    /// repeat.
    func incNumbers(for documents: some Collection<ReceivedDocument>) throws -> [DocumentKey: String]
    /// Whether a version of this content was stored for the supplier before.
    func isKnown(supplier: String, contentHash: String) throws -> Bool
    /// The earliest invoice date among the stored versions of `key`.
    func firstDate(of key: DocumentKey) throws -> CalendarDate?
    /// The suppliers' stored days of movements dated before `day`, by supplier and day, once every supplier's days
    /// are found to be those written (their digest); throws `StoreError` where they are not.
    func movementDays(of suppliers: Set<String>, before day: CalendarDate) throws -> [MovementDays.Row]
    /// The stored rows of a range: INC documents and document findings dated in it, and the order findings
    /// recorded for exactly that range. `excluding` leaves out those suppliers.
    func results(from: CalendarDate, to: CalendarDate, excluding: Set<String>) throws -> RangeResults
    /// The suppliers whose order findings of the range are stale, and since which day.
    func staleRange(from: CalendarDate, to: CalendarDate) throws -> [String: CalendarDate]
    /// Every feed file received, read or quarantined, in the order received.
    func feedFiles() throws -> [FeedFileRecord]
    /// The `orders.csv` lines of suppliers not enabled, by supplier id, as the last run found them.
    func ignoredOrders() throws -> [String: Int]
    /// Writes one run's changes in one transaction: `intake` first; then every part `results` returns until it
    /// returns nil: all the processed results of the intake's suppliers, replacing theirs (document findings, then
    /// the range's order findings, in order), each INC document's number kept for good; then what `change`
    /// returns; `beforeCommit` runs inside it, last. The closures may wait for the reconciliation, which runs
    /// meanwhile on another thread; a throw from any of them rolls everything back.
    func commit(
        _ intake: StoreIntake, results: () throws -> RangeResults?, change: () throws -> StoreChange,
        beforeCommit: () throws -> Void
    ) throws

    /// Imports one price or stock file in its own transaction, keying parts by `brands`: `read` hands each item to
    /// the store and returns the file's errors, which undo the whole file. A file newer than the supplier's current
    /// offers replaces them; one of the same date replaces the rows of its own kind; an older one changes nothing.
    func importPrices(
        _ file: PriceFileRecord, brands: Brands,
        read: (_ item: (PriceItem) throws -> Void) -> [FeedError]
    ) throws -> PriceImport
    /// The current offers of a part (brand key and search number), every supplier's.
    func offers(of key: ArticleKey) throws -> [StoredOffer]
}

extension ResultStore {
    /// The stored versions of the suppliers' documents dated `from` on (all of them where `from` is nil), in the
    /// order they were received. The rows are read first, then decoded on every core: a replay waits for them, and
    /// nothing else runs then (a month's 10,300 versions, 0.3 s of CPU through `StoredDocument`).
    package func documents(of suppliers: Set<String>, from: CalendarDate?) throws -> [ReceivedDocument] {
        let stored = try documentRows(of: suppliers, from: from)
        let decoded = Parallel.shares(of: stored, minimum: 256) { share in
            try share.map { s in
                do {
                    return ReceivedDocument(
                        supplier: s.supplier, document: try StoredDocument.document(s.body), canonical: s.body,
                        contentHash: s.hash, receivedOrder: s.receivedOrder, fileName: s.fileName,
                        lineKeys: try StoredDocument.lineKeys(s.keys))
                } catch {
                    // Named by its table and row, so that it can be found and mended: a replay cannot go on
                    // without it.
                    throw StoreError(
                        "table documents, row supplier '\(s.supplier)', supplier_invoice '\(s.invoice)', "
                            + "content_sha256 \(s.hash): cannot read it back: \(error)")
                }
            }
        }
        // The first bad row, in the order received, is the one named.
        return try decoded.flatMap { try $0.get() }
    }

    /// The suppliers' movements dated before `day`, added up over `count` order lines. A movement names its line by
    /// its place among the lines of an order day, which `lines` gives (by supplier and order date). Throws
    /// `StoreError` where the stored days are not what was written (a day's row removed, or its movements changed,
    /// by hand), or name an order line `lines` does not have.
    package func movements(
        of suppliers: Set<String>, before day: CalendarDate, over count: Int,
        lines: @escaping @Sendable (String, CalendarDate) -> [Int]?
    ) throws -> AllocationStart.Builder {
        let days = try movementDays(of: suppliers, before: day)
        // A year's 600,000 movements are checked, read and added on every core, each share into a builder of its
        // own, where the first core alone would otherwise take them while the others wait. A share costs no more than
        // a thread's start, so that a week's days are shared too. The first share has room for every receipt, so
        // that the others' are added to it where they are.
        let movements = days.reduce(0) { $0 + $1.count }
        var shares = Parallel.shares(of: days, minimum: 8) { share in
            var part = AllocationStart.Builder(lines: count)
            part.reserve(share.startIndex == 0 ? movements : share.reduce(0) { $0 + $1.count })
            // A day's movements name the lines of a few order days, one after another: the last one's lines are
            // kept at hand rather than hashed for again.
            var last: (supplier: String, date: CalendarDate, lines: [Int]?)?
            for day in share {
                // The text is hashed where it is, not copied first.
                var body = day.body
                guard body.withUTF8({ SHA256Hex.of(UnsafeRawBufferPointer($0)) }) == day.sha256,
                    // The order lines are found by a closure written here, not a local function: one passed on as a
                    // value has what it captures (`last`) checked for exclusive access at every call.
                    let read = MovementDays.decode(
                        body, day: day.day,
                        line: { date, place in
                            if last?.supplier != day.supplier || last?.date != date {
                                last = (day.supplier, date, lines(day.supplier, date))
                            }
                            guard let found = last?.lines, found.indices.contains(place) else { return nil }
                            return found[place]
                        },
                        each: { part.add($0) }),
                    read.count == day.count, read.total == day.total
                else {
                    throw StoreError(
                        "\(day.supplier): the stored movements of \(day.day) are not those that were written, or "
                            + "name an order line orders.csv does not have")
                }
            }
            return part
        }
        // Each taken out of the list, which would otherwise share its receipts and have them copied at the merge.
        var state = try shares.removeFirst().get()
        while !shares.isEmpty { state.merge(try shares.removeFirst().get()) }
        return state
    }
}

/// A price or stock file to import.
package struct PriceFileRecord: Sendable {
    package var sha256: String
    package var supplier: String
    package var name: String
    /// The feed's position in the mapping's `prices` list.
    package var feed: Int
    package var asOf: CalendarDate
    package var importedAt: String

    package init(sha256: String, supplier: String, name: String, feed: Int, asOf: CalendarDate, importedAt: String) {
        self.sha256 = sha256
        self.supplier = supplier
        self.name = name
        self.feed = feed
        self.asOf = asOf
        self.importedAt = importedAt
    }
}

/// What importing a price file did.
package enum PriceImport: Sendable, Equatable {
    /// Its items are the supplier's current offers.
    case imported(items: Int)
    /// Older than the supplier's current offers: recorded, nothing replaced.
    case older
    /// Imported before (the same bytes).
    case known
    /// Unreadable: nothing of it was kept.
    case failed([FeedError])
}

/// One supplier's row for a part, as the newest price or stock file gave it: the item with where and when it
/// came from. Reads like the item (`offer.code`, `offer.stock`).
@dynamicMemberLookup
package struct StoredOffer: Sendable, Equatable {
    package var supplier: String
    package var asOf: CalendarDate
    package var item: PriceItem

    package init(supplier: String, asOf: CalendarDate, item: PriceItem) {
        self.supplier = supplier
        self.asOf = asOf
        self.item = item
    }

    package subscript<T>(dynamicMember path: KeyPath<PriceItem, T>) -> T { item[keyPath: path] }
}
