import Crypto
import Foundation

/// What reconciliation needs to know of one configured supplier.
package struct SupplierRules: Sendable {
    package var id: String
    package var tolerance: Tolerance
    /// False for a supplier that sends no invoices (Elit): its orders are received by hand.
    package var hasInvoiceFeed: Bool
    /// The customer its documents must be addressed to (Vesna `customer_id`), where configured.
    package var customerId: String?

    package init(id: String, tolerance: Tolerance, hasInvoiceFeed: Bool, customerId: String?) {
        self.id = id
        self.tolerance = tolerance
        self.hasInvoiceFeed = hasInvoiceFeed
        self.customerId = customerId
    }
}

/// A supplier document's identity: supplier and its own number.
package struct DocumentKey: Sendable, Hashable {
    package var supplier: String
    package var invoice: String

    package init(supplier: String, invoice: String) {
        self.supplier = supplier
        self.invoice = invoice
    }

    /// `SUPPLIER:INVOICE`, as `--accept` takes it: split at the first colon (an invoice number may hold one).
    package init?(accepting text: String) {
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex, text.index(after: colon) != text.endIndex
        else { return nil }
        self.init(supplier: String(text[..<colon]), invoice: String(text[text.index(after: colon)...]))
    }
}

/// Everything one reconciliation reads. Values only: no files, no database.
package struct ReconcileInput: Sendable {
    package var suppliers: [SupplierRules]
    package var orders: [OrderLine]
    /// Every version of every document received, in any order.
    package var documents: [ReceivedDocument]
    package var rates: Rates
    package var baseCurrency: String
    /// The range whose order findings are reported.
    package var from: CalendarDate
    package var to: CalendarDate
    /// Documents dated on or before it are processed; later ones wait for the run that covers them.
    package var horizon: CalendarDate
    package var overdueAfterDays: Int
    package var acceptCorrections: Bool
    /// The documents whose latest version replaces the earlier one (`--accept SUPPLIER:INVOICE`), one by one.
    package var accept: Set<DocumentKey> = []
    /// The accepted content of documents corrected earlier (`--accept-corrections`), by content hash.
    package var accepted: [DocumentKey: String]
    /// INC numbers given earlier: they never change.
    package var incNumbers: [DocumentKey: String]
    /// The state allocation goes on from: nil for the start of history. `documents` then holds the versions dated
    /// from the day after that state on.
    package var start: AllocationStart?

    package init(
        suppliers: [SupplierRules], orders: [OrderLine], documents: [ReceivedDocument], rates: Rates,
        baseCurrency: String, from: CalendarDate, to: CalendarDate, horizon: CalendarDate, overdueAfterDays: Int,
        acceptCorrections: Bool = false, accept: Set<DocumentKey> = [], accepted: [DocumentKey: String] = [:],
        incNumbers: [DocumentKey: String] = [:], start: AllocationStart? = nil
    ) {
        self.suppliers = suppliers
        self.orders = orders
        self.documents = documents
        self.rates = rates
        self.baseCurrency = baseCurrency
        self.from = from
        self.to = to
        self.horizon = horizon
        self.overdueAfterDays = overdueAfterDays
        self.acceptCorrections = acceptCorrections
        self.accept = accept
        self.accepted = accepted
        self.incNumbers = incNumbers
        self.start = start
    }
}

/// What one reconciliation yields: every processed document's INC and findings, the range's order findings,
/// and the state to keep (accepted corrections, INC numbers).
package struct ReconcileOutput: Sendable {
    package var incDocuments: [IncDocument] = []
    package var incLines: [IncLine] = []
    /// Document findings of every processed document, in file order; then the range's order findings.
    package var findings: [Finding] = []
    package var accepted: [DocumentKey: String] = [:]
    package var incNumbers: [DocumentKey: String] = [:]
    /// The documents whose correction this reconciliation accepted (`acceptCorrections` or `accept`).
    package var acceptedNow: Set<DocumentKey> = []
    /// What allocation took and gave back, in processing order.
    package var movements: [Movement] = []
}

/// Code-point order, the contract's tie-break for text.
@inline(__always) package func codePointLess(_ a: String, _ b: String) -> Bool { utf8Order(a, b) < 0 }

/// Below, at or above zero as `a`'s UTF-8 bytes come before, equal or after `b`'s. UTF-8 keeps code point order:
/// comparing the bytes compares the code points, without decoding them; memcmp compares them a word at a time, and
/// sorting a year of rows compares millions of texts. Unlike `==` on `String`, two spellings of one character differ.
@inline(__always) package func utf8Order(_ a: String, _ b: String) -> Int {
    var (a, b) = (a, b)
    return a.withUTF8 { x in
        b.withUTF8 { y in
            let common = min(x.count, y.count)
            if common > 0, let p = x.baseAddress, let q = y.baseAddress {
                let order = memcmp(p, q, common)
                if order != 0 { return Int(order) }
            }
            return x.count - y.count
        }
    }
}

/// The contract's reconciliation rules (`contract.md`, "Reconciliation rules"): deterministic allocation of
/// invoice lines to order lines, returns given back latest receipt first, price checks within tolerance, and
/// the document and order findings. A pure function of its input.
package enum Reconciler {
    package static func run(_ input: consuming ReconcileInput) -> ReconcileOutput {
        var engine = Engine(input: input)
        return engine.run()
    }

    /// What every INC number given for a document dated `date` begins with (`INC-20261124-`): only numbers of the
    /// same date can clash with a new one.
    package static func incNumberPrefix(_ date: CalendarDate) -> String {
        var text = Array("INC-".utf8)
        date.write(separator: nil, to: &text)
        text.append(0x2D)
        return String(decoding: text, as: UTF8.self)
    }

    /// The same, handing the rows to `emit` as they are made, in parts of about `partSize` findings: the parts, in
    /// the order given, are the output's INC documents, lines and findings (a document's lines and findings in the
    /// same part as its INC). The database takes them while the rest is reconciled.
    package static func run(
        _ input: consuming ReconcileInput, partSize: Int, emit: @escaping (RangeResults) -> Void
    ) -> ReconcileOutput {
        var engine = Engine(input: input)
        engine.emit = emit
        engine.partSize = max(1, partSize)
        return engine.run()
    }
}

private struct Engine {
    let input: ReconcileInput
    let rules: [String: SupplierRules]
    /// The order lines, what is open on them, and what was taken and given back.
    var book: OrderBook
    var output = ReconcileOutput()
    /// The receipt sequence of the line being processed: one per document line, in processing order.
    var sequence = 0
    var usedNumbers: Set<String>
    /// Where the rows go as they are made (`Reconciler.run(_:partSize:emit:)`), and how many have gone.
    var emit: ((RangeResults) -> Void)?
    var partSize = 0
    var emitted = (incDocuments: 0, incLines: 0, findings: 0)

    init(input: consuming ReconcileInput) {
        // The start is taken out of the input and handed to the book: kept here too, its open quantities would be
        // copied at the first take, and its receipts held all run (48 MB on the night after a year, heaptrack).
        let start = input.start ?? AllocationStart(orders: input.orders)
        input.start = nil
        self.input = input
        rules = Dictionary(input.suppliers.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        // The search numbers the documents' lines name: only their order lines are set up for allocation.
        var numbers: [String: Set<String>] = [:]
        for received in input.documents {
            numbers[received.supplier, default: []].formUnion(
                received.document.lines.indices.lazy.map { received.articleKey(ofLine: $0).number })
        }
        sequence = start.nextSequence
        book = OrderBook(orders: input.orders, suppliers: Set(rules.keys), start: start, numbers: numbers)
        output.incNumbers = input.incNumbers
        output.accepted = input.accepted
        usedNumbers = Set(input.incNumbers.values)
        // The output grows by a year of rows: room for all of it at once, rather than copies at every doubling.
        let lines = input.documents.reduce(0) { $0 + $1.document.lines.count + $1.document.adjustments.count }
        output.incLines.reserveCapacity(lines)
        output.findings.reserveCapacity(lines + input.documents.count)
        output.incDocuments.reserveCapacity(input.documents.count)
        output.incNumbers.reserveCapacity(input.incNumbers.count + input.documents.count)
        usedNumbers.reserveCapacity(input.incNumbers.count + input.documents.count)
    }

    /// The INC number of a supplier document: given once and never changed. It is derived from the document's
    /// identity and date (`INC-20261124-7F3A9C21`), not from the order documents arrive in, so nightly runs and
    /// one run over the period number alike; a clash of the hash with another document gets a `-2` suffix.
    mutating func incNumber(_ key: DocumentKey, date: CalendarDate) -> String {
        if let existing = output.incNumbers[key] { return existing }
        var identity = Array(key.supplier.utf8)
        identity.append(0)
        identity += key.invoice.utf8
        var text = Array(Reconciler.incNumberPrefix(date).utf8)
        // The first four bytes of the SHA-256 of supplier and invoice, as eight uppercase hex digits.
        SHA256Hex.append(SHA256.hash(data: identity).prefix(4), uppercase: true, to: &text)
        let base = String(decoding: text, as: UTF8.self)
        var number = base
        var suffix = 2
        while usedNumbers.contains(number) {
            number = "\(base)-\(suffix)"
            suffix += 1
        }
        usedNumbers.insert(number)
        output.incNumbers[key] = number
        return number
    }

    mutating func run() -> ReconcileOutput {
        let current = chooseVersions()
        var snapshot: [Fixed]?
        for index in current {
            let received = input.documents[index]
            if snapshot == nil && input.to < received.document.invoiceDate { snapshot = book.open }
            process(received)
            if output.findings.count - emitted.findings >= partSize { flush() }
        }
        orderFindings(openAtRangeEnd: snapshot ?? book.open)
        output.movements = book.movements
        flush()
        return output
    }

    /// Hands the rows made since the last part to `emit`, each part a copy of its own: an `Array` made from a slice
    /// that spans its whole array shares that array's storage, and the next row appended then copied every row made
    /// so far (28 MB of findings on the night after a year, heaptrack).
    mutating func flush() {
        guard let emit else { return }
        func part<T>(_ rows: ArraySlice<T>) -> [T] {
            var part: [T] = []
            part.reserveCapacity(rows.count)
            part.append(contentsOf: rows)
            return part
        }
        emit(
            RangeResults(
                incDocuments: part(output.incDocuments[emitted.incDocuments...]),
                incLines: part(output.incLines[emitted.incLines...]),
                findings: part(output.findings[emitted.findings...])))
        emitted = (output.incDocuments.count, output.incLines.count, output.findings.count)
    }

    /// One version per supplier document: the first received, or the accepted correction. Later versions with
    /// other content are `duplicate_invoice`; a version replaced by an accepted correction is set aside. Returns
    /// indices into `input.documents`, in the order they are processed; documents are read in place, never copied
    /// to be sorted or grouped.
    mutating func chooseVersions() -> [Int] {
        let documents = input.documents
        let horizon = input.horizon
        let rules = self.rules
        do {
            let d = documents
            var ordered = d.indices.filter {
                rules[d[$0].supplier]?.hasInvoiceFeed == true && !(horizon < d[$0].document.invoiceDate)
            }
            ordered.sort { (d[$0].receivedOrder, d[$0].fileName) < (d[$1].receivedOrder, d[$1].fileName) }
            // The versions of one supplier document, by content first seen, grouped and kept in received order.
            // A supplier's content already seen, by its hash.
            struct Content: Hashable {
                var supplier: String
                var hash: String
            }
            var seenContent = Set<Content>()
            var groupOf: [DocumentKey: Int] = [:]
            var versions: [(group: Int, received: Int, index: Int)] = []
            for (position, i) in ordered.enumerated()
            where seenContent.insert(Content(supplier: d[i].supplier, hash: d[i].contentHash)).inserted {
                let key = DocumentKey(supplier: d[i].supplier, invoice: d[i].document.supplierInvoice)
                let group = groupOf[key] ?? groupOf.count
                if group == groupOf.count { groupOf[key] = group }
                versions.append((group, position, i))
            }
            versions.sort { ($0.group, $0.received) < ($1.group, $1.received) }
            var current: [Int] = []
            current.reserveCapacity(groupOf.count)
            var start = 0
            while start < versions.count {
                var end = start + 1
                while end < versions.count && versions[end].group == versions[start].group { end += 1 }
                let firstIndex = versions[start].index
                let key = DocumentKey(supplier: d[firstIndex].supplier, invoice: d[firstIndex].document.supplierInvoice)
                var chosen = start
                // `--accept-corrections` takes every corrected document of the range, dated by its latest version.
                let latest = d[versions[end - 1].index].document.invoiceDate
                let inRange = !(latest < input.from) && !(input.to < latest)
                if ((input.acceptCorrections && inRange) || input.accept.contains(key)) && end - start > 1 {
                    chosen = end - 1
                    output.accepted[key] = d[versions[chosen].index].contentHash
                    output.acceptedNow.insert(key)
                } else if let hash = output.accepted[key],
                    let i = (start..<end).first(where: { d[versions[$0].index].contentHash == hash })
                {
                    chosen = i
                }
                current.append(versions[chosen].index)
                // Each later version is told against the one in force: the first received, unless a correction was
                // accepted.
                let inForce = d[versions[chosen].index].document
                for duplicate in (chosen + 1)..<end {
                    let version = d[versions[duplicate].index]
                    let doc = version.document
                    output.findings.append(
                        Finding(
                            supplier: version.supplier, supplierInvoice: doc.supplierInvoice,
                            status: .duplicateInvoice, currency: doc.currency, amountAtStake: doc.totals.gross,
                            note: .duplicate(Note.Duplicate(doc, inForce: inForce, supplier: version.supplier)),
                            date: doc.invoiceDate))
                }
                start = end
            }
            // Rule 1: by invoice date, supplier, then supplier invoice number.
            current.sort { a, b in
                if d[a].document.invoiceDate != d[b].document.invoiceDate {
                    return d[a].document.invoiceDate < d[b].document.invoiceDate
                }
                if d[a].supplier != d[b].supplier { return codePointLess(d[a].supplier, d[b].supplier) }
                return codePointLess(d[a].document.supplierInvoice, d[b].document.supplierInvoice)
            }
            return current
        }
    }

    /// One document: its own findings (`foreign_customer`, `total_mismatch`, `missing_rate`), then its lines in their
    /// order (rule 1), each allocated (rules 2-4, 6) or given back (rule 5), and its INC document.
    mutating func process(_ received: ReceivedDocument) {
        let d = received.document
        let supplier = received.supplier
        guard let rule = rules[supplier] else { return }
        if let expected = rule.customerId, let actual = d.customerId, expected != actual {
            output.findings.append(
                Finding(
                    supplier: supplier, supplierInvoice: d.supplierInvoice, status: .foreignCustomer,
                    currency: d.currency, amountAtStake: .zero,
                    note: .foreign(actual: actual, expected: expected), date: d.invoiceDate))
            return
        }
        let key = DocumentKey(supplier: supplier, invoice: d.supplierInvoice)
        let inc = incNumber(key, date: d.invoiceDate)
        // The document's findings go straight into the output: its own first, then its lines'.
        let findingsBefore = output.findings.count
        let totals = d.totals
        if let stated = d.stated.gross {
            let difference = stated - totals.gross
            let allowed = Fixed(units: 1, scale: 2) * Fixed(d.lines.count)
            if allowed < difference.magnitude {
                output.findings.append(
                    Finding(
                        supplier: supplier, supplierInvoice: d.supplierInvoice, incNumber: inc,
                        status: .totalMismatch, currency: d.currency, amountAtStake: difference,
                        note: .total(stated: stated, computed: totals.gross, currency: d.currency),
                        date: d.invoiceDate))
            }
        }
        var rate: Fixed? = .one
        if d.currency != input.baseCurrency {
            rate = input.rates.rate(d.currency, on: d.invoiceDate)
            if rate == nil {
                output.findings.append(
                    Finding(
                        supplier: supplier, supplierInvoice: d.supplierInvoice, incNumber: inc, status: .missingRate,
                        currency: d.currency, amountAtStake: .zero,
                        note: .missingRate(currency: d.currency, date: d.invoiceDate),
                        date: d.invoiceDate))
            }
        }
        var orders = Set<String>()
        var ready = output.findings.count == findingsBefore
        // Looked up once a document: the supplier's slots, and the order lines its references name.
        let slots = book.slots(of: supplier)
        let referencedOrders = book.referenced(by: d.orderRefs, of: supplier)
        for (i, line) in d.lines.enumerated() {
            sequence += 1
            let articleKey = received.articleKey(ofLine: i)
            let slot = slots[articleKey]
            let receiving = (d.kind == .invoice) != line.quantity.isNegative
            // The line's findings go straight into the output; they are read back there, by index.
            let first = output.findings.count
            if receiving {
                allocate(line, articleKey, slot, referencedOrders, received, inc, rule)
            } else {
                giveBack(line, slot, received, inc)
            }
            if output.findings.count == first {
                let finding = unallocated(line, articleKey, slot, received, inc, quantity: .zero)
                output.findings.append(finding)
            }
            // The line's status: its only finding's, else the first in the table other than matched.
            var status = output.findings[first].status
            var numbers: [String] = []
            for j in first..<output.findings.count {
                let s = output.findings[j].status
                if j > first && s != .matched && (status == .matched || s < status) { status = s }
                let number = output.findings[j].orderNumber
                if !number.isEmpty && !numbers.contains(number) {
                    numbers.append(number)
                    orders.insert(number)
                }
            }
            if !(status == .matched || status == .returned) { ready = false }
            output.incLines.append(
                IncLine(
                    incNumber: inc, line: line.line, brand: line.brand, article: line.article,
                    supplierCode: line.supplierCode, name: line.name, quantity: line.quantity,
                    unitPriceGross: line.unitPriceGross, vatRate: line.vatRate, amounts: line.amounts,
                    orderNumbers: numbers, status: status.rawValue))
        }
        let lastLine = d.lines.map(\.line).max() ?? 0
        for (i, adjustment) in d.adjustments.enumerated() {
            output.incLines.append(
                IncLine(
                    incNumber: inc, line: lastLine + i + 1, brand: "", article: "", supplierCode: "",
                    name: adjustment.reason, quantity: nil, unitPriceGross: nil, vatRate: adjustment.vatRate,
                    amounts: adjustment.amounts, orderNumbers: [], status: "adjustment"))
        }
        output.incDocuments.append(
            IncDocument(
                incNumber: inc, supplier: supplier, supplierInvoice: d.supplierInvoice, kind: d.kind,
                invoiceDate: d.invoiceDate, currency: d.currency, totals: totals, rate: rate,
                grossTotalBase: rate.map { (totals.gross * $0).r2 }, lines: d.lines.count,
                status: ready ? "ready" : "review",
                orders: orders.sorted(by: codePointLess), sourceSHA256: received.contentHash))
    }

    /// The order's price in the document's currency (through the day's rates when they differ).
    func orderPrice(_ index: Int, in currency: String, on date: CalendarDate) -> Fixed {
        let unitPrice = input.orders[index].unitPrice
        guard input.orders[index].currency != currency,
            let from = input.rates.rate(input.orders[index].currency, on: date, base: input.baseCurrency),
            let to = input.rates.rate(currency, on: date, base: input.baseCurrency),
            let converted = (unitPrice * from).divided(by: to, places: 4)
        else { return unitPrice }
        return converted
    }

    /// Rules 2-4 and 6: the line takes what is open on the orders of its article, each part price-checked; what
    /// is left is over the order or never ordered.
    mutating func allocate(
        _ line: DocumentLine, _ key: ArticleKey, _ slot: Int?, _ referencedOrders: [Int], _ received: ReceivedDocument,
        _ inc: String, _ rule: SupplierRules
    ) {
        let d = received.document
        var remaining = line.quantity.magnitude
        guard let slot else {
            let finding = unallocated(line, key, nil, received, inc, quantity: remaining)
            return output.findings.append(finding)
        }
        let taken = book.take(remaining, slot: slot, referenced: referencedOrders, on: d.invoiceDate, receipt: sequence)
        for (index, take) in taken {
            remaining = remaining - take
            let order = input.orders[index]
            let price = orderPrice(index, in: d.currency, on: d.invoiceDate)
            let difference = line.unitPriceGross - price
            let allowed = max(
                rule.tolerance.absolute, (rule.tolerance.percent * price).divided(by: .hundred, places: 10) ?? .zero)
            let mismatch = allowed < difference.magnitude
            output.findings.append(
                Finding(
                    supplier: received.supplier, supplierInvoice: d.supplierInvoice, incNumber: inc, line: line.line,
                    orderNumber: order.orderNumber, brand: line.brand, article: line.article,
                    status: mismatch ? .priceMismatch : .matched, orderedQty: order.quantity, invoicedQty: take,
                    orderPrice: price, invoicePrice: line.unitPriceGross, currency: d.currency,
                    amountAtStake: mismatch ? (difference * take).r2 : .zero,
                    note: mismatch
                        ? .price(invoice: line.unitPriceGross, order: price, quantity: take, currency: d.currency)
                        : .matched(quantity: take, order: order.orderNumber),
                    date: d.invoiceDate))
        }
        if !remaining.isZero {
            let finding = unallocated(line, key, slot, received, inc, quantity: remaining)
            output.findings.append(finding)
        }
    }

    /// What no open order line took: over the order if the article was ever ordered, else never ordered.
    mutating func unallocated(
        _ line: DocumentLine, _ key: ArticleKey, _ slot: Int?, _ received: ReceivedDocument, _ inc: String,
        quantity: Fixed
    ) -> Finding {
        let d = received.document
        let everOrdered = book.everOrdered(slot: slot, by: d.invoiceDate)
        let status: Status = everOrdered ? .overDelivered : .unordered
        let amount = (quantity * line.unitPriceGross).r2
        return Finding(
            supplier: received.supplier, supplierInvoice: d.supplierInvoice, incNumber: inc, line: line.line,
            brand: line.brand, article: line.article, status: status, invoicedQty: quantity,
            invoicePrice: line.unitPriceGross, currency: d.currency, amountAtStake: amount,
            note: everOrdered
                ? .over(invoiced: line.quantity, quantity: quantity, amount: amount, currency: d.currency)
                : unordered(key, received, quantity: quantity, amount: amount),
            date: d.invoiceDate)
    }

    /// Rule 4's "never ordered", with the same search number under another brand, where the supplier has one.
    mutating func unordered(_ key: ArticleKey, _ received: ReceivedDocument, quantity: Fixed, amount: Fixed) -> Note {
        let other = book.otherBrand(of: key, supplier: received.supplier, by: received.document.invoiceDate)
        return .unordered(
            quantity: quantity, amount: amount, currency: received.document.currency, otherBrand: other?.brand,
            otherOrder: other?.orderNumber)
    }

    /// Rule 5: the return gives its quantity back to the order lines that received the article; what none
    /// received is returned unreceived.
    mutating func giveBack(_ line: DocumentLine, _ slot: Int?, _ received: ReceivedDocument, _ inc: String) {
        let d = received.document
        var remaining = line.quantity.magnitude
        for (index, quantity) in book.giveBack(remaining, slot: slot, on: d.invoiceDate) {
            remaining = remaining - quantity
            let o = input.orders[index]
            output.findings.append(
                Finding(
                    supplier: received.supplier, supplierInvoice: d.supplierInvoice, incNumber: inc, line: line.line,
                    orderNumber: o.orderNumber, brand: line.brand, article: line.article, status: .returned,
                    orderedQty: o.quantity, invoicedQty: quantity,
                    orderPrice: orderPrice(index, in: d.currency, on: d.invoiceDate),
                    invoicePrice: line.unitPriceGross, currency: d.currency,
                    amountAtStake: -(quantity * line.unitPriceGross).r2,
                    note: .returned(quantity: quantity, order: o.orderNumber), date: d.invoiceDate))
        }
        if !remaining.isZero {
            output.findings.append(
                Finding(
                    supplier: received.supplier, supplierInvoice: d.supplierInvoice, incNumber: inc, line: line.line,
                    brand: line.brand, article: line.article, status: .returned, invoicedQty: remaining,
                    invoicePrice: line.unitPriceGross, currency: d.currency,
                    amountAtStake: -(remaining * line.unitPriceGross).r2,
                    note: .returnedUnreceived(quantity: remaining), date: d.invoiceDate))
        }
    }

    /// The range's order findings, from what is open at its end: `not_delivered` past `overdue_after_days`, and
    /// `manual_receipt` for the orders of a supplier without an invoice feed.
    mutating func orderFindings(openAtRangeEnd open: [Fixed]) {
        let end = DatePattern.days(from: input.to)
        let orders = input.orders
        // Found first, so that they go into the findings at their size (a night after a year has 83,000 of them),
        // not through a list of findings of their own that doubles as it grows and is then copied. Fields are read
        // in place: only an order line that makes a finding is copied.
        var made: [(index: Int, status: Status)] = []
        // A line's supplier rules are looked up again only where its supplier is not the line before's, rather than
        // its supplier's name hashed for every line of a long history: all of them are dated within a night's range.
        var current: (supplier: String, rule: SupplierRules?)?
        for i in orders.indices where !(input.to < orders[i].orderDate) {
            if current?.supplier != orders[i].supplier { current = (orders[i].supplier, rules[orders[i].supplier]) }
            guard let rule = current?.rule else { continue }
            if rule.hasInvoiceFeed {
                guard !open[i].isZero, !open[i].isNegative,
                    end - DatePattern.days(from: orders[i].orderDate) > input.overdueAfterDays
                else { continue }
                made.append((i, .notDelivered))
            } else if !(orders[i].orderDate < input.from) {
                made.append((i, .manualReceipt))
            }
        }
        output.findings.reserveCapacity(output.findings.count + made.count)
        for (i, status) in made {
            switch status {
            case .notDelivered:
                let order = orders[i]
                let stillOpen = open[i]
                let amount = (stillOpen * order.unitPrice).r2
                output.findings.append(
                    Finding(
                        supplier: order.supplier, orderNumber: order.orderNumber, brand: order.brand,
                        article: order.article, status: .notDelivered, orderedQty: order.quantity,
                        invoicedQty: order.quantity - stillOpen, orderPrice: order.unitPrice, currency: order.currency,
                        amountAtStake: amount,
                        note: .notDelivered(
                            ordered: order.quantity, orderDate: order.orderDate, open: stillOpen, amount: amount,
                            currency: order.currency, days: end - DatePattern.days(from: order.orderDate)),
                        date: order.orderDate))
            case .manualReceipt:
                let order = orders[i]
                output.findings.append(
                    Finding(
                        supplier: order.supplier, orderNumber: order.orderNumber, brand: order.brand,
                        article: order.article, status: .manualReceipt, orderedQty: order.quantity,
                        orderPrice: order.unitPrice, currency: order.currency, amountAtStake: .zero,
                        note: .manual(quantity: order.quantity), date: order.orderDate))
            default:
                continue
            }
            if output.findings.count - emitted.findings >= partSize { flush() }
        }
    }
}
