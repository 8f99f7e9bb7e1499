import Foundation

/// One line of `orders.csv`: what the station ordered from a supplier.
package struct OrderLine: Sendable, Hashable {
    package var orderNumber: String
    package var supplier: String
    package var supplierOrderId: String
    package var orderDate: CalendarDate
    package var brand: String
    package var article: String
    package var name: String
    package var quantity: Fixed
    /// Gross, in `currency`.
    package var unitPrice: Fixed
    package var currency: String
    /// Brand key and search number, by the supplier's `brands.yaml`.
    package var key: ArticleKey
    /// The 1-based data row in `orders.csv`, to keep order lines apart.
    package var row: Int

    package init(
        orderNumber: String, supplier: String, supplierOrderId: String, orderDate: CalendarDate, brand: String,
        article: String, name: String, quantity: Fixed, unitPrice: Fixed, currency: String, key: ArticleKey,
        row: Int
    ) {
        self.orderNumber = orderNumber
        self.supplier = supplier
        self.supplierOrderId = supplierOrderId
        self.orderDate = orderDate
        self.brand = brand
        self.article = article
        self.name = name
        self.quantity = quantity
        self.unitPrice = unitPrice
        self.currency = currency
        self.key = key
        self.row = row
    }
}

/// A supplier document as received: its canonical content, where it came from, and in which order.
package struct ReceivedDocument: Sendable, Hashable {
    package var supplier: String
    package var document: Document
    /// The canonical text of the mapped content (`Document.canonicalJSON`), kept so that the hash and the
    /// database's copy come from one serialisation.
    package var canonical: Data
    /// The hash of `canonical` (`source_sha256`).
    package var contentHash: String
    /// The order of receipt: the feed file's intake sequence, then its name, then the position in the file.
    package var receivedOrder: Int
    package var fileName: String
    /// The article key of each line, by position; derived from the line or the mapping's cross-reference.
    package var lineKeys: [ArticleKey]

    package init(
        supplier: String, document: Document, canonical: Data, contentHash: String, receivedOrder: Int,
        fileName: String, lineKeys: [ArticleKey]
    ) {
        self.supplier = supplier
        self.document = document
        self.canonical = canonical
        self.contentHash = contentHash
        self.receivedOrder = receivedOrder
        self.fileName = fileName
        self.lineKeys = lineKeys
    }

    /// Serialises and hashes `document` itself.
    package init(supplier: String, document: Document, receivedOrder: Int, fileName: String, lineKeys: [ArticleKey]) {
        let canonical = document.canonicalJSON()
        self.init(
            supplier: supplier, document: document, canonical: canonical, contentHash: SHA256Hex.of(canonical),
            receivedOrder: receivedOrder, fileName: fileName, lineKeys: lineKeys)
    }

    /// The article key of the document's line at `index`: the empty key where none was kept for it.
    package func articleKey(ofLine index: Int) -> ArticleKey {
        index < lineKeys.count ? lineKeys[index] : ArticleKey(brand: "", number: "")
    }
}

/// A finding's status, in the contract's table order (which also ranks a line's statuses).
package enum Status: String, Sendable, CaseIterable, Comparable {
    case matched
    case priceMismatch = "price_mismatch"
    case overDelivered = "over_delivered"
    case unordered
    case returned
    case duplicateInvoice = "duplicate_invoice"
    case totalMismatch = "total_mismatch"
    case foreignCustomer = "foreign_customer"
    case missingRate = "missing_rate"
    case notDelivered = "not_delivered"
    case manualReceipt = "manual_receipt"

    /// The position in the contract's table.
    package var rank: Int {
        // Spelled out: `allCases` is built anew at every use, and statuses are compared for every line.
        switch self {
        case .matched: return 0
        case .priceMismatch: return 1
        case .overDelivered: return 2
        case .unordered: return 3
        case .returned: return 4
        case .duplicateInvoice: return 5
        case .totalMismatch: return 6
        case .foreignCustomer: return 7
        case .missingRate: return 8
        case .notDelivered: return 9
        case .manualReceipt: return 10
        }
    }

    package static func < (a: Status, b: Status) -> Bool { a.rank < b.rank }

    /// Findings about an order rather than a document.
    package var isOrderFinding: Bool { self == .notDelivered || self == .manualReceipt }
}

/// One row of `reconciliation.csv`.
package struct Finding: Sendable, Hashable {
    package var supplier: String
    package var supplierInvoice: String
    package var incNumber: String
    /// Nil for a document-level or order finding.
    package var line: Int?
    package var orderNumber: String
    package var brand: String
    package var article: String
    package var status: Status
    package var orderedQty: Fixed?
    package var invoicedQty: Fixed?
    package var orderPrice: Fixed?
    package var invoicePrice: Fixed?
    package var currency: String
    package var amountAtStake: Fixed
    package var note: Note
    /// The document's invoice date; for an order finding, the order date.
    package var date: CalendarDate

    package init(
        supplier: String, supplierInvoice: String = "", incNumber: String = "", line: Int? = nil,
        orderNumber: String = "", brand: String = "", article: String = "", status: Status,
        orderedQty: Fixed? = nil, invoicedQty: Fixed? = nil, orderPrice: Fixed? = nil, invoicePrice: Fixed? = nil,
        currency: String, amountAtStake: Fixed, note: Note, date: CalendarDate
    ) {
        self.supplier = supplier
        self.supplierInvoice = supplierInvoice
        self.incNumber = incNumber
        self.line = line
        self.orderNumber = orderNumber
        self.brand = brand
        self.article = article
        self.status = status
        self.orderedQty = orderedQty
        self.invoicedQty = invoicedQty
        self.orderPrice = orderPrice
        self.invoicePrice = invoicePrice
        self.currency = currency
        self.amountAtStake = amountAtStake
        self.note = note
        self.date = date
    }
}

/// One row of `inc_documents.csv`: a receipt document issued for a supplier document.
package struct IncDocument: Sendable, Hashable {
    package var incNumber: String
    package var supplier: String
    package var supplierInvoice: String
    package var kind: DocumentKind
    package var invoiceDate: CalendarDate
    package var currency: String
    package var totals: Totals
    /// 1 for the base currency; nil where the rate is missing.
    package var rate: Fixed?
    package var grossTotalBase: Fixed?
    package var lines: Int
    /// `ready` or `review`.
    package var status: String
    package var orders: [String]
    package var sourceSHA256: String

    package init(
        incNumber: String, supplier: String, supplierInvoice: String, kind: DocumentKind, invoiceDate: CalendarDate,
        currency: String, totals: Totals, rate: Fixed?, grossTotalBase: Fixed?, lines: Int, status: String,
        orders: [String], sourceSHA256: String
    ) {
        self.incNumber = incNumber
        self.supplier = supplier
        self.supplierInvoice = supplierInvoice
        self.kind = kind
        self.invoiceDate = invoiceDate
        self.currency = currency
        self.totals = totals
        self.rate = rate
        self.grossTotalBase = grossTotalBase
        self.lines = lines
        self.status = status
        self.orders = orders
        self.sourceSHA256 = sourceSHA256
    }
}

/// One row of `inc_lines.csv`: a document line, or an adjustment (empty article, status `adjustment`).
package struct IncLine: Sendable, Hashable {
    package var incNumber: String
    package var line: Int
    package var brand: String
    package var article: String
    package var supplierCode: String
    package var name: String
    package var quantity: Fixed?
    package var unitPriceGross: Fixed?
    package var vatRate: Fixed
    package var amounts: Totals
    package var orderNumbers: [String]
    package var status: String

    package init(
        incNumber: String, line: Int, brand: String, article: String, supplierCode: String, name: String,
        quantity: Fixed?, unitPriceGross: Fixed?, vatRate: Fixed, amounts: Totals, orderNumbers: [String],
        status: String
    ) {
        self.incNumber = incNumber
        self.line = line
        self.brand = brand
        self.article = article
        self.supplierCode = supplierCode
        self.name = name
        self.quantity = quantity
        self.unitPriceGross = unitPriceGross
        self.vatRate = vatRate
        self.amounts = amounts
        self.orderNumbers = orderNumbers
        self.status = status
    }
}
