import Crypto
import Foundation

/// What a run compares with the inputs the stored results were reconciled from, to find the earliest day its
/// input changes (`docs/incremental.md`, "Where a replay starts"): the orders, by order; the rates; and per
/// supplier, a fingerprint of everything else allocation depends on.
struct ReplayInputs {
    /// An order: a supplier's order number on a date. Its lines are known by their place among its lines.
    struct OrderKey: Hashable {
        var supplier: String
        var date: CalendarDate
        var number: String
    }

    /// Each order's lines, as indices into the orders, in `orders.csv` row order.
    var orders: [OrderKey: [Int]] = [:]
    /// Each order's digest: the SHA-256 of its lines' contract columns, in row order.
    var digests: [OrderKey: String] = [:]
    /// By `Rates.entries`.
    var rates: [String: String]
    /// By supplier id.
    var fingerprints: [String: String] = [:]

    init(
        orders lines: [OrderLine], rates: Rates, config: Config, suppliers: [SupplierConfig],
        mappings: [String: Mapping]
    ) {
        for i in lines.indices {
            orders[
                OrderKey(supplier: lines[i].supplier, date: lines[i].orderDate, number: lines[i].orderNumber),
                default: []
            ].append(i)
        }
        // Each order's lines as bytes, written straight into one buffer: 650,000 lines a year.
        var bytes: [UInt8] = []
        for (key, indices) in orders {
            bytes.removeAll(keepingCapacity: true)
            for i in indices {
                for text in [lines[i].orderNumber, lines[i].supplier, lines[i].supplierOrderId] {
                    bytes += text.utf8
                    bytes.append(0x1F)
                }
                lines[i].orderDate.write(separator: 0x2D, to: &bytes)
                bytes.append(0x1F)
                for text in [lines[i].brand, lines[i].article, lines[i].name] {
                    bytes += text.utf8
                    bytes.append(0x1F)
                }
                lines[i].quantity.write(places: nil, to: &bytes)
                bytes.append(0x1F)
                lines[i].unitPrice.write(places: nil, to: &bytes)
                bytes.append(0x1F)
                bytes += lines[i].currency.utf8
                bytes.append(0x1E)
            }
            digests[key] = SHA256Hex.of(Data(bytes))
        }
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
            for path in [s.mapping, MappingLoader.brandsPath(forMapping: s.mapping)].compactMap({ $0 }) {
                hash.update(data: (try? Data(contentsOf: URL(fileURLWithPath: path))) ?? Data())
                hash.update(data: [0])
            }
            var hex: [UInt8] = []
            SHA256Hex.append(hash.finalize(), to: &hex)
            fingerprints[s.id] = String(decoding: hex, as: UTF8.self)
        }
    }

    /// Raised whenever reconciliation gives other results for the same input: a release's results are then
    /// rebuilt from the start of history, not built on an earlier release's.
    static let rulesRevision = 1
}

/// What earlier runs reconciled from, as stored.
package struct ReplayRecord: Sendable {
    package var digests: [String: [String: String]] = [:]
    package var rates: [String: String]? = nil
    package var fingerprints: [String: String] = [:]
    /// By supplier: the last day its results were reconciled up to.
    package var covered: [String: CalendarDate] = [:]
    /// Supplier documents whose versions carry more than one invoice date: their earliest and latest.
    package var spread: [DocumentKey: (first: CalendarDate, last: CalendarDate)] = [:]

    package init() {}
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
    /// The stored document versions dated `from` on.
    var documents: [ReceivedDocument]
    var start: AllocationStart?
    var change: ReplayChange
    /// Each order line's order and place among its lines, by index into `orders`.
    var placeOf: [(key: ReplayInputs.OrderKey, place: Int)]
}

extension Run {
    /// Step 4a: the earliest day the run's input touches, and the state at the end of the day before it. The
    /// replay starts at the earliest of: the range's first day; the day after the last covered one; the invoice
    /// date of every new version (and of the other versions of its document); the date of every order that was
    /// added, changed or removed; the date of every rate added, changed or removed. It starts at the beginning of
    /// history where a supplier's mapping, brands or reconcile settings changed, where nothing was kept before, or
    /// where `NAKLADNA_FULL_RECOMPUTE` is set (the oracle the tests compare the replay with).
    func planReplay(state: StoredState, newDocuments: [ReceivedDocument], store: SQLiteStore) throws -> ReplayPlan {
        let ids = Set(selected.map(\.id))
        let selectedOrders =
            orders.allSatisfy { ids.contains($0.supplier) } ? orders : orders.filter { ids.contains($0.supplier) }
        let inputs = ReplayInputs(
            orders: selectedOrders, rates: rates, config: config, suppliers: selected, mappings: mappings)
        let record = try store.replayRecord(of: ids)
        var change = ReplayChange()
        change.fingerprints = inputs.fingerprints
        let enabled = Set(config.suppliers.filter(\.enabled).map(\.id))
        if enabled.isSubset(of: ids) { change.rates = inputs.rates }

        // The orders that changed, by supplier: only they are written again.
        var changedDates: [CalendarDate] = []
        for supplier in ids.sorted() {
            // A supplier reconciled before has its orders' digests kept, none where it had no orders.
            guard record.fingerprints[supplier] != nil else {
                change.replaceOrders.insert(supplier)
                continue
            }
            let stored = record.digests[supplier] ?? [:]
            var seen = Set<String>()
            for (key, digest) in inputs.digests where key.supplier == supplier {
                let name = "\(key.date)\t\(key.number)"
                seen.insert(name)
                if stored[name] != digest {
                    changedDates.append(key.date)
                    if stored[name] != nil { change.removedOrders.append((supplier, key.date, key.number)) }
                    change.digests.append((supplier, key.date, key.number, digest))
                    change.addedLines += (inputs.orders[key] ?? []).map { selectedOrders[$0] }
                }
            }
            for name in stored.keys where !seen.contains(name) {
                let parts = name.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
                guard parts.count == 2, let date = CalendarDate(iso: parts[0]) else { continue }
                changedDates.append(date)
                change.removedOrders.append((supplier, date, String(parts[1])))
                change.digests.append((supplier, date, String(parts[1]), nil))
            }
        }
        for supplier in change.replaceOrders {
            change.addedLines += selectedOrders.filter { $0.supplier == supplier }
            for (key, digest) in inputs.digests where key.supplier == supplier {
                change.digests.append((supplier, key.date, key.number, digest))
            }
        }

        var placeOf = Array(
            repeating: (
                key: ReplayInputs.OrderKey(supplier: "", date: .init(year: 1, month: 1, day: 1), number: ""), place: 0
            ), count: selectedOrders.count)
        for (key, indices) in inputs.orders {
            for (place, i) in indices.enumerated() { placeOf[i] = (key, place) }
        }

        func full(_ why: String, rebuilt: Bool = false) throws -> ReplayPlan {
            ReplayPlan(
                from: nil, why: why, rebuilt: rebuilt, orders: selectedOrders,
                documents: try store.documents(of: ids, from: nil), start: nil, change: change, placeOf: placeOf)
        }
        if ProcessInfo.processInfo.environment["NAKLADNA_FULL_RECOMPUTE"] != nil {
            return try full("NAKLADNA_FULL_RECOMPUTE is set")
        }
        guard let covered = state.coveredUntil else { return try full("the first run") }
        if let supplier = selected.first(where: { record.fingerprints[$0.id] != inputs.fingerprints[$0.id] }) {
            return try full("\(supplier.id): its mapping, brands or reconcile settings changed, or a new release")
        }
        guard let storedRates = record.rates else { return try full("no rates were kept") }
        if !change.replaceOrders.isEmpty { return try full("no orders were kept") }

        // A supplier a `--supplier` run left out was reconciled up to an earlier day than the others.
        var day = options.from
        var why = "the range"
        for s in selected {
            guard let last = record.covered[s.id] else { return try full("\(s.id) was not reconciled before") }
            let next = DatePattern.civil(fromDays: DatePattern.days(from: min(last, covered)) + 1)
            if next < day { (day, why) = (next, "the days since \(s.id) was last reconciled") }
        }
        func touch(_ date: CalendarDate, _ reason: String) {
            if date < day { (day, why) = (date, reason) }
        }
        for date in changedDates { touch(date, "orders.csv changed") }
        for key in Set(storedRates.keys).union(inputs.rates.keys) where storedRates[key] != inputs.rates[key] {
            if let date = CalendarDate(iso: key.split(separator: "\t").last ?? "") { touch(date, "rates.csv changed") }
        }
        var keys = Set(options.accept)
        for d in newDocuments {
            touch(d.document.invoiceDate, "a document dated earlier arrived")
            keys.insert(DocumentKey(supplier: d.supplier, invoice: d.document.supplierInvoice))
        }
        for key in keys where ids.contains(key.supplier) {
            if let first = try store.firstDate(of: key) { touch(first, "a document dated earlier arrived") }
        }
        // Every version of a document is replayed with the others.
        var moved = true
        while moved {
            moved = false
            for (key, span) in record.spread where ids.contains(key.supplier) && !(span.last < day) && span.first < day
            {
                (day, why, moved) = (span.first, "a document dated earlier arrived", true)
            }
        }

        // The state at the end of the day before: the orders less the movements before it.
        var indexOf: [ReplayInputs.OrderKey: [Int]] = inputs.orders
        var movements: [Movement] = []
        let stored: [StoredMovement]
        do {
            stored = try store.movements(of: ids, before: day)
        } catch let error as StoreError {
            return try full(error.description, rebuilt: true)
        }
        for m in stored {
            let key = ReplayInputs.OrderKey(supplier: m.supplier, date: m.orderDate, number: m.orderNumber)
            guard let lines = indexOf[key], m.place < lines.count else {
                return try full(
                    "a stored movement of allocation names an order line orders.csv does not have", rebuilt: true)
            }
            movements.append(Movement(day: m.day, receipt: m.receipt, order: lines[m.place], quantity: m.quantity))
        }
        indexOf = [:]
        change.from = day
        return ReplayPlan(
            from: day, why: why, orders: selectedOrders, documents: try store.documents(of: ids, from: day),
            start: AllocationStart(orders: selectedOrders, movements: movements), change: change, placeOf: placeOf)
    }
}
