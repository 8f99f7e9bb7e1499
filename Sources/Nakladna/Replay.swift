import Crypto
import Foundation

/// What a run compares with the inputs the stored results were reconciled from, to find the earliest day its
/// input changes (`docs/incremental.md`, "Where a replay starts"): the orders, by order; the rates; and per
/// supplier, a fingerprint of everything else allocation depends on.
struct ReplayInputs {
    /// A supplier's orders of one date. An order line is known by its place among them, in `orders.csv` row order:
    /// a day whose lines change is replayed from that day, with every movement that names its lines.
    struct OrderDay: Hashable {
        var supplier: String
        var date: CalendarDate
    }

    /// Each day's order lines, as indices into the orders, in row order.
    var orders: [OrderDay: [Int]] = [:]
    /// Each order line's place among its day's.
    var placeOf: [Int]
    /// Each day's digest: the SHA-256 of its lines' contract columns, in row order. Nil where the days were not
    /// hashed, being those the stored ones were read from (the same `orders.csv`).
    var digests: [OrderDay: String]?
    /// By `Rates.entries`.
    var rates: [String: String]
    /// By supplier id.
    var fingerprints: [String: String] = [:]

    /// Without `digests`, the days of orders are not hashed: the caller knows them to be the stored ones.
    init(
        orders lines: [OrderLine], rates: Rates, config: Config, suppliers: [SupplierConfig],
        mappings: [String: Mapping], digests: Bool = true
    ) {
        var places = Array(repeating: 0, count: lines.count)
        // Each line's day is found among its supplier's by the date's day number, and the supplier among the few
        // by comparing ids: hashing a year's 650,000 lines by supplier and date took a tenth of a second.
        var ids: [String] = []
        var daysOf: [[Int: [Int]]] = []
        func place(_ i: Int, in day: inout [Int]) -> Int {
            day.append(i)
            return day.count - 1
        }
        for i in lines.indices {
            let id = lines[i].supplier
            let s = ids.firstIndex(of: id) ?? ids.count
            if s == ids.count {
                ids.append(id)
                daysOf.append([:])
            }
            places[i] = place(i, in: &daysOf[s][DatePattern.days(from: lines[i].orderDate), default: []])
        }
        var days: [OrderDay: [Int]] = [:]
        for (s, supplier) in ids.enumerated() {
            for indices in daysOf[s].values {
                days[OrderDay(supplier: supplier, date: lines[indices[0]].orderDate)] = indices
            }
        }
        (orders, placeOf) = (days, places)
        if digests { self.digests = ReplayInputs.digests(of: orders, lines: lines) }
        self.rates = rates.entries
        for s in suppliers {
            var hash = SHA256()
            for text in [
                "\(ReplayInputs.rulesRevision)", config.baseCurrency, "\(config.overdueAfterDays)",
                "\((s.priceTolerance ?? config.priceTolerance).percent)",
                "\((s.priceTolerance ?? config.priceTolerance).absolute)", s.identifiers["customer_id"] ?? "",
                mappings[s.id]?.invoices == nil ? "no invoices" : "invoices",
            ] {
                hash.update(data: Array(text.utf8) + [0])
            }
            // The mapping and its brand aliases as this run loaded them, not read from disk again.
            if let mapping = mappings[s.id] {
                hash.update(data: Array(mapping.sourceSHA256.utf8) + [0])
                for (from, to) in mapping.brands.aliases.sorted(by: { $0.key < $1.key }) {
                    hash.update(data: Array(from.utf8) + [0] + Array(to.utf8) + [0])
                }
            }
            var hex: [UInt8] = []
            SHA256Hex.append(hash.finalize(), to: &hex)
            fingerprints[s.id] = String(decoding: hex, as: UTF8.self)
        }
    }

    /// Each day's digest: its lines as bytes, written straight into a buffer, hashed on every core (650,000 lines
    /// a year).
    static func digests(of days: [OrderDay: [Int]], lines: [OrderLine]) -> [OrderDay: String] {
        let days = Array(days)
        let hashed = Parallel.shares(of: days, minimum: 2) { share -> [(OrderDay, String)] in
            var bytes: [UInt8] = []
            return share.map { day in
                bytes.removeAll(keepingCapacity: true)
                for i in day.value {
                    for text in [lines[i].orderNumber, lines[i].supplierOrderId, lines[i].brand, lines[i].article] {
                        bytes += text.utf8
                        bytes.append(0x1F)
                    }
                    bytes += lines[i].name.utf8
                    bytes.append(0x1F)
                    lines[i].quantity.write(places: nil, to: &bytes)
                    bytes.append(0x1F)
                    lines[i].unitPrice.write(places: nil, to: &bytes)
                    bytes.append(0x1F)
                    bytes += lines[i].currency.utf8
                    bytes.append(0x1E)
                }
                return (day.key, SHA256Hex.of(Data(bytes)))
            }
        }
        // A share cannot fail: it only hashes.
        var digests: [OrderDay: String] = [:]
        for case .success(let hashes) in hashed { digests.merge(hashes, uniquingKeysWith: { a, _ in a }) }
        return digests
    }

    /// Raised whenever reconciliation gives other results for the same input: a release's results are then
    /// rebuilt from the start of history, not built on an earlier release's.
    static let rulesRevision = 1
}

/// What earlier runs reconciled from, as stored.
package struct ReplayRecord: Sendable {
    /// By supplier, each day's digest of its orders.
    package var digests: [String: [CalendarDate: String]] = [:]
    package var rates: [String: String]? = nil
    package var fingerprints: [String: String] = [:]
    /// By supplier: the last day its results were reconciled up to.
    package var covered: [String: CalendarDate] = [:]
    /// By supplier: the SHA-256 of the `orders.csv` its stored days of orders were read from.
    package var ordersSHA256: [String: String] = [:]
    /// Supplier documents whose versions carry more than one invoice date: their earliest and latest.
    package var spread: [DocumentKey: (first: CalendarDate, last: CalendarDate)] = [:]

    package init() {}

    /// One row of `replay_inputs` (`kind`, `key`, `value`), as both stores keep them.
    mutating func add(kind: String, key: String, value: String) {
        switch kind {
        case "fingerprint": fingerprints[key] = value
        case "covered": covered[key] = CalendarDate(iso: value)
        case "orders_file": ordersSHA256[key] = value
        case "rate", "rates":
            // `rates` marks that rates were kept, even none.
            var kept = rates ?? [:]
            if kind == "rate" { kept[key] = value }
            rates = kept
        default: break
        }
    }
}

/// The replay a run makes: from which day, why, and what it starts from.
struct ReplayPlan {
    /// The first day reconciled again; nil: the start of history.
    var from: CalendarDate?
    /// Why it starts there, for the progress lines.
    var why: String
    /// The stored state did not match what it was made from, and all of history is replayed instead.
    var rebuilt = false
    /// The selected suppliers' order lines, as reconciliation indexes them.
    var orders: [OrderLine]
    /// Each order line's place among its supplier's lines of its date, in row order: how a movement names it.
    var places: [Int]
    /// The stored document versions dated `from` on.
    var documents: [ReceivedDocument]
    var start: AllocationStart?
    var change: ReplayChange
}

extension Run {
    /// Step 4a: the earliest day the run's input touches (`firstTouchedDay`), and the state at the end of the day
    /// before it (`stateBefore`). It starts at the beginning of history where a supplier's mapping, brands or
    /// reconcile settings changed, where nothing was kept before, or where `NAKLADNA_FULL_RECOMPUTE` is set (the
    /// oracle the tests compare the replay with).
    func planReplay(
        state: StoredState, orders: [OrderLine], newDocuments: [ReceivedDocument], store: any ResultStore
    ) throws -> ReplayPlan {
        let ids = Set(selected.map(\.id))
        // `orders.csv` was read for the enabled suppliers alone: only a `--supplier` run leaves some of its lines out.
        let enabled = Set(config.suppliers.filter(\.enabled).map(\.id))
        let selectedOrders = enabled.isSubset(of: ids) ? orders : orders.filter { ids.contains($0.supplier) }
        let record = try store.replayRecord(of: ids)
        // The same file as the stored orders of every selected supplier were read from: their days are not compared.
        let ordersUnchanged = ids.allSatisfy { record.ordersSHA256[$0] == ordersSHA256 }
        let inputs = ReplayInputs(
            orders: selectedOrders, rates: rates, config: config, suppliers: selected, mappings: mappings,
            digests: !ordersUnchanged)
        var change = ReplayChange()
        change.orders = OrderLinesToStore(selectedOrders)
        change.fingerprints = inputs.fingerprints
        change.ordersSHA256 = ordersSHA256
        if enabled.isSubset(of: ids) { change.rates = inputs.rates }
        let changedDates = Run.orderChanges(
            inputs, orders: selectedOrders, record: record, suppliers: ids, into: &change)

        func full(_ why: String, rebuilt: Bool = false) throws -> ReplayPlan {
            ReplayPlan(
                from: nil, why: why, rebuilt: rebuilt, orders: selectedOrders, places: inputs.placeOf,
                documents: try store.documents(of: ids, from: nil), start: nil, change: change)
        }
        guard let covered = state.coveredUntil else { return try full("the first run") }
        if let supplier = selected.first(where: { record.fingerprints[$0.id] != inputs.fingerprints[$0.id] }) {
            return try full("\(supplier.id): its mapping, brands or reconcile settings changed, or a new release")
        }
        guard let storedRates = record.rates else { return try full("no rates were kept") }
        if !change.replaceOrders.isEmpty { return try full("no orders were kept") }
        if let s = selected.first(where: { record.covered[$0.id] == nil }) {
            return try full("\(s.id) was not reconciled before")
        }
        let (day, why) = try firstTouchedDay(
            covered: covered, record: record, inputs: inputs, storedRates: storedRates, changedOrders: changedDates,
            newDocuments: newDocuments, store: store)

        // The ranges written before whose order findings may change from that day are made stale, in either mode.
        change.staleFrom = day
        if ProcessInfo.processInfo.environment["NAKLADNA_FULL_RECOMPUTE"] != nil {
            return try full("NAKLADNA_FULL_RECOMPUTE is set")
        }
        let start: AllocationStart
        do {
            start = try stateBefore(day, orders: selectedOrders, inputs: inputs, store: store)
        } catch let error as StoreError {
            return try full(error.description, rebuilt: true)
        }
        change.from = day
        return ReplayPlan(
            from: day, why: why, orders: selectedOrders, places: inputs.placeOf,
            documents: try store.documents(of: ids, from: day), start: start, change: change)
    }

    /// The days of orders that changed since the stored results, by supplier, put in `change` (only they are written
    /// again), and their dates: none where the days were not hashed, being the stored ones.
    static func orderChanges(
        _ inputs: ReplayInputs, orders: [OrderLine], record: ReplayRecord, suppliers: Set<String>,
        into change: inout ReplayChange
    ) -> [CalendarDate] {
        guard let digests = inputs.digests else { return [] }
        var changedDates: [CalendarDate] = []
        for supplier in suppliers.sorted() {
            // A supplier reconciled before has its days' digests kept, none where it had no orders.
            guard record.fingerprints[supplier] != nil else {
                change.replaceOrders.insert(supplier)
                change.addedLines += orders.indices.filter { orders[$0].supplier == supplier }
                for (day, digest) in digests where day.supplier == supplier {
                    change.digests.append((supplier, day.date, digest))
                }
                continue
            }
            let stored = record.digests[supplier] ?? [:]
            for (day, digest) in digests where day.supplier == supplier && stored[day.date] != digest {
                changedDates.append(day.date)
                if stored[day.date] != nil { change.removedOrders.append((supplier, day.date)) }
                change.digests.append((supplier, day.date, digest))
                change.addedLines += inputs.orders[day] ?? []
            }
            for date in stored.keys where digests[ReplayInputs.OrderDay(supplier: supplier, date: date)] == nil {
                changedDates.append(date)
                change.removedOrders.append((supplier, date))
                change.digests.append((supplier, date, nil))
            }
        }
        return changedDates
    }

    /// The earliest of: the range's first day; for each selected supplier, the day after the last it was
    /// reconciled up to; the days of orders that changed; the dates of rates added, changed or removed; the invoice
    /// date of every new version and of `--accept`'s documents, and of every other version of those documents.
    func firstTouchedDay(
        covered: CalendarDate, record: ReplayRecord, inputs: ReplayInputs, storedRates: [String: String],
        changedOrders: [CalendarDate], newDocuments: [ReceivedDocument], store: any ResultStore
    ) throws -> (day: CalendarDate, why: String) {
        var (day, why) = (options.from, "the range")
        func touch(_ date: CalendarDate, _ reason: String) {
            if date < day { (day, why) = (date, reason) }
        }
        // A supplier a `--supplier` run left out was reconciled up to an earlier day than the others.
        for s in selected {
            guard let last = record.covered[s.id] else { continue }
            touch(
                DatePattern.civil(fromDays: DatePattern.days(from: min(last, covered)) + 1),
                "the days since \(s.id) was last reconciled")
        }
        for date in changedOrders { touch(date, "orders.csv changed") }
        for key in Set(storedRates.keys).union(inputs.rates.keys) where storedRates[key] != inputs.rates[key] {
            if let date = CalendarDate(iso: key.split(separator: "\t").last ?? "") { touch(date, "rates.csv changed") }
        }
        let ids = Set(selected.map(\.id))
        var keys = Set(options.accept)
        for d in newDocuments {
            touch(d.document.invoiceDate, "a document dated earlier arrived")
            keys.insert(DocumentKey(supplier: d.supplier, invoice: d.document.supplierInvoice))
        }
        for key in keys where ids.contains(key.supplier) {
            if let first = try store.firstDate(of: key) { touch(first, "a document dated earlier arrived") }
        }
        // Every version of a document is replayed with the others: a fixed point over those with several dates.
        var moved = true
        while moved {
            moved = false
            for (key, span) in record.spread where ids.contains(key.supplier) && !(span.last < day) && span.first < day
            {
                (day, why, moved) = (span.first, "a document dated earlier arrived", true)
            }
        }
        return (day, why)
    }

    /// The allocation state at the end of the day before `day`: the orders less the stored movements before it.
    /// Throws `StoreError` where the stored movements are not what was written, or name an order line
    /// `orders.csv` does not have: the caller then replays all of history instead.
    func stateBefore(
        _ day: CalendarDate, orders: [OrderLine], inputs: ReplayInputs, store: any ResultStore
    ) throws -> AllocationStart {
        let days = inputs.orders
        let state = try store.movements(of: Set(selected.map(\.id)), before: day, over: orders.count) {
            supplier, date in days[ReplayInputs.OrderDay(supplier: supplier, date: date)]
        }
        return state.finish(orders: orders)
    }
}
