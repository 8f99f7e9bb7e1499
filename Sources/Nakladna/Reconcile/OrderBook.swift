/// The order lines a reconciliation allocates against, and what has been taken from them (`contract.md`,
/// "Reconciliation rules" 2-5): each line's open quantity, the receipts a return gives back to, and the movements
/// that changed them, which the store keeps so that a later run can start from any day (`docs/incremental.md`).
struct OrderBook {
    let orders: [OrderLine]
    /// Each order line's open quantity, by its index in `orders`.
    private(set) var open: [Fixed]
    /// Every take and give-back, in the order made.
    private(set) var movements: [Movement] = []

    /// One slot per supplier and article key that was ever ordered: a line looks its slot up once, and the
    /// tables below are arrays by slot, not dictionaries hashed again at every step.
    private var slotOf: [String: [ArticleKey: Int]] = [:]
    /// Each order line's slot (-1: a supplier not reconciled).
    private var slotOfOrder: [Int]
    /// Each slot's order lines, oldest first (rule 3: order date, order number, then row).
    private var ordersOfSlot: [[Int]] = []
    /// Where each order line sits in its slot's list, oldest first: two lines of one slot are compared by it.
    private var positionInKey: [Int]
    /// Per slot, the position before which every order line is fully received: a line allocates from here rather
    /// than from the start, so a year of orders for one article is not walked for every invoice line. A return
    /// that reopens an order line moves it back.
    private var firstOpen: [Int]
    /// Order lines by supplier and the supplier's own order id, for the orders an invoice refers to.
    private var ordersBySupplierId: [String: [String: [Int]]] = [:]
    /// Per slot, the receipts made and not wholly given back, in the order they were made.
    private var receipts: [[Receipt]]
    /// Per supplier, its slots by search number, built when first needed (`otherBrand`), as most runs never ask.
    private var slotsByNumber: [String: [String: [Int]]] = [:]

    private struct Receipt {
        var sequence: Int
        var order: Int
        var quantity: Fixed
    }

    /// The book of `orders` for the reconciled `suppliers`, in the state `start`. Only the order lines whose search
    /// number `numbers` holds for their supplier (the numbers the documents name) are set up to be taken from and
    /// given back to, under any brand: the others keep their open quantity, as no invoice line can reach them. A
    /// night's documents name a few thousand numbers, where a year's orders hold a hundred thousand articles.
    init(
        orders: [OrderLine], suppliers: Set<String>, start: consuming AllocationStart, numbers: [String: Set<String>]
    ) {
        self.orders = orders
        open = start.open
        positionInKey = Array(repeating: 0, count: orders.count)
        slotOfOrder = Array(repeating: -1, count: orders.count)
        // The reconciled suppliers are a few: a line's is found among them by comparing its id with the last
        // line's, and their tables are arrays by that index, not hashed by supplier for each of a year's lines.
        let ids = suppliers.sorted()
        let numbersOf = ids.map { numbers[$0] ?? [] }
        var slotsOf = ids.map { _ in [ArticleKey: Int]() }
        var bySupplierId = ids.map { _ in [String: [Int]]() }
        var last = (id: "", index: -1)
        for i in orders.indices {
            if orders[i].supplier != last.id {
                last = (orders[i].supplier, ids.firstIndex(of: orders[i].supplier) ?? -1)
            }
            let (s, key) = (last.index, orders[i].key)
            guard s >= 0, numbersOf[s].contains(key.number) else { continue }
            if let slot = slotsOf[s][key] {
                ordersOfSlot[slot].append(i)
                slotOfOrder[i] = slot
            } else {
                slotsOf[s][key] = ordersOfSlot.count
                slotOfOrder[i] = ordersOfSlot.count
                ordersOfSlot.append([i])
            }
            if !orders[i].supplierOrderId.isEmpty { bySupplierId[s][orders[i].supplierOrderId, default: []].append(i) }
        }
        for (s, id) in ids.enumerated() {
            if !slotsOf[s].isEmpty { slotOf[id] = slotsOf[s] }
            if !bySupplierId[s].isEmpty { ordersBySupplierId[id] = bySupplierId[s] }
        }
        // Each slot's lines in allocation order: a few lines an article, not the year's sorted as one list.
        for slot in ordersOfSlot.indices {
            ordersOfSlot[slot].sort { OrderBook.older(orders, $0, $1) }
            for (position, index) in ordersOfSlot[slot].enumerated() { positionInKey[index] = position }
        }
        firstOpen = Array(repeating: 0, count: ordersOfSlot.count)
        receipts = Array(repeating: [], count: ordersOfSlot.count)
        // Receipts in the order they were made; within one, giving back orders them by age (rule 5).
        for r in start.receipts(of: { slotOfOrder[$0] >= 0 }) {
            receipts[slotOfOrder[r.order]].append(Receipt(sequence: r.sequence, order: r.order, quantity: r.quantity))
        }
    }

    /// The allocation order of order lines (rule 3): order date, then order number, then row. Each slot's few lines
    /// are sorted by it, so the fields are read through the array: reading them through a pointer, which saved
    /// about 0.4 s of CPU when the year's lines were sorted as one list, saves nothing now (`bench/ab.py`, 0.95x the
    /// time without it, medians of 3).
    private static func older(_ orders: [OrderLine], _ i: Int, _ j: Int) -> Bool {
        if orders[i].orderDate != orders[j].orderDate { return orders[i].orderDate < orders[j].orderDate }
        if orders[i].orderNumber != orders[j].orderNumber {
            return codePointLess(orders[i].orderNumber, orders[j].orderNumber)
        }
        return orders[i].row < orders[j].row
    }

    /// Whether the order line has quantity open to take.
    private func isOpen(_ i: Int) -> Bool { !open[i].isZero && !open[i].isNegative }

    /// A supplier's slots by article key: looked up once a document.
    func slots(of supplier: String) -> [ArticleKey: Int] {
        slotOf[supplier] ?? [:]
    }

    /// The order lines of `supplier` that a document's order references name (its supplier order ids).
    func referenced(by refs: [String], of supplier: String) -> [Int] {
        var lines: [Int] = []
        for ref in Set(refs) where !ref.isEmpty { lines += ordersBySupplierId[supplier]?[ref] ?? [] }
        return lines
    }

    /// Takes up to `quantity` for an invoice line of the slot's article dated `date` (rules 2-4): the candidates
    /// are the slot's order lines ordered on or before that date with quantity open; the lines the invoice refers
    /// to come first, then the others, each oldest first; each gives what it has until the line is taken. Gives
    /// the order lines taken from and how much, in that order; what is left of `quantity` was not taken.
    mutating func take(
        _ quantity: Fixed, slot: Int, referenced: [Int], on date: CalendarDate, receipt: Int
    ) -> [(order: Int, quantity: Fixed)] {
        func isCandidate(_ i: Int) -> Bool { !(date < orders[i].orderDate) && isOpen(i) }
        let all = ordersOfSlot[slot]
        var mentioned = referenced.filter { slotOfOrder[$0] == slot }
        mentioned.sort { positionInKey[$0] < positionInKey[$1] }
        var candidates = mentioned.filter { isCandidate($0) }
        var position = firstOpen[slot]
        while position < all.count, !isOpen(all[position]) { position += 1 }
        firstOpen[slot] = position
        var needed = quantity
        for i in all[position...] {
            if date < orders[i].orderDate { break }
            guard isCandidate(i), !mentioned.contains(i) else { continue }
            candidates.append(i)
            // Enough candidates to take the whole line: the rest would not be reached.
            needed = needed - min(open[i], needed)
            if needed.isZero { break }
        }
        var taken: [(order: Int, quantity: Fixed)] = []
        var remaining = quantity
        for index in candidates where !remaining.isZero {
            let take = min(open[index], remaining)
            open[index] = open[index] - take
            remaining = remaining - take
            receipts[slot].append(Receipt(sequence: receipt, order: index, quantity: take))
            movements.append(Movement(day: date, receipt: receipt, order: index, quantity: take))
            taken.append((index, take))
        }
        return taken
    }

    /// Gives up to `quantity` of a return dated `date` back to the order lines that received the slot's article
    /// (rule 5): the latest receipt first, and within one receipt the later order line first. Gives the order
    /// lines reopened and by how much, each once, in the order first reopened; what is left of `quantity` was
    /// never received. An article never ordered (no slot) was never received either.
    mutating func giveBack(_ quantity: Fixed, slot: Int?, on date: CalendarDate) -> [(order: Int, quantity: Fixed)] {
        guard let slot else { return [] }
        var remaining = quantity
        // Receipts are kept in the order they were made, so only the tail a return reaches is walked and sorted, not
        // a year of them. The list is taken out of the table while it changes, so it is not copied.
        var list = receipts[slot]
        receipts[slot] = []
        var reopened: [(order: Int, quantity: Fixed)] = []
        var end = list.count
        while end > 0 && !remaining.isZero {
            var start = end - 1
            while start > 0 && list[start - 1].sequence == list[end - 1].sequence { start -= 1 }
            let newestFirst = (start..<end).sorted { a, b in
                let (x, y) = (list[a].order, list[b].order)
                return x != y && positionInKey[y] < positionInKey[x]
            }
            for i in newestFirst where !remaining.isZero && !list[i].quantity.isZero {
                let take = min(list[i].quantity, remaining)
                list[i].quantity = list[i].quantity - take
                remaining = remaining - take
                open[list[i].order] = open[list[i].order] + take
                movements.append(Movement(day: date, receipt: list[i].sequence, order: list[i].order, quantity: -take))
                firstOpen[slot] = min(firstOpen[slot], positionInKey[list[i].order])
                if let at = reopened.firstIndex(where: { $0.order == list[i].order }) {
                    reopened[at].quantity = reopened[at].quantity + take
                } else {
                    reopened.append((list[i].order, take))
                }
            }
            end = start
        }
        let tail = list[end...].filter { !$0.quantity.isZero }
        list.removeSubrange(end...)
        list += tail
        receipts[slot] = list
        return reopened
    }

    /// Whether the slot's article was ever ordered by `date` (rule 4): its oldest order line is not after it.
    func everOrdered(slot: Int?, by date: CalendarDate) -> Bool {
        guard let slot, let oldest = ordersOfSlot[slot].first else { return false }
        return !(date < orders[oldest].orderDate)
    }

    /// An order line of `supplier` with the search number of `key` under another brand key, ordered on or before
    /// `date`: the first one in allocation order. A supplier's index is made from its slots' keys on the first call
    /// that asks for it, as most runs make none; without reading an order line, since a slot's key is its lines'.
    mutating func otherBrand(of key: ArticleKey, supplier: String, by date: CalendarDate) -> OrderLine? {
        guard !key.number.isEmpty else { return nil }
        if slotsByNumber[supplier] == nil {
            var index: [String: [Int]] = [:]
            for (article, slot) in slotOf[supplier] ?? [:] { index[article.number, default: []].append(slot) }
            slotsByNumber[supplier] = index
        }
        let candidates = (slotsByNumber[supplier]?[key.number] ?? []).flatMap { ordersOfSlot[$0] }.filter {
            orders[$0].key.brand != key.brand && !(date < orders[$0].orderDate)
        }
        return candidates.min { OrderBook.older(orders, $0, $1) }.map { orders[$0] }
    }
}
