import Foundation

/// One branch's stock of a part: "at least" where the supplier says no more than that (`">10"`, `"+"`, Inter
/// Cars' 10), "none" as quantity 0 (`"-"`, `0`). Never a made-up number.
package struct StockLevel: Sendable, Equatable {
    package var branch: String
    package var branchId: String
    package var quantity: Fixed
    package var atLeast: Bool

    package init(branch: String, branchId: String, quantity: Fixed, atLeast: Bool) {
        self.branch = branch
        self.branchId = branchId
        self.quantity = quantity
        self.atLeast = atLeast
    }

    /// Reads a stock word: `"-"` and `0` none; `"+"` at least 1; `">N"` at least N; a number exact, or "at
    /// least" from `atLeastFrom` on. Nil for anything else.
    package static func parse(_ text: String, atLeastFrom: Fixed?) -> (quantity: Fixed, atLeast: Bool)? {
        let word = trimmed(text)
        switch word {
        case "-": return (.zero, false)
        case "+": return (.one, true)
        default: break
        }
        if word.hasPrefix(">") {
            guard let n = try? Fixed(parsing: String(word.dropFirst())), !n.isNegative else { return nil }
            return (n.normalized, true)
        }
        guard let n = try? Fixed(parsing: word), !n.isNegative else { return nil }
        if let threshold = atLeastFrom, !(n < threshold) { return (n.normalized, true) }
        return (n.normalized, false)
    }
}

/// A part as one price or stock file lists it.
package struct PriceItem: Sendable, Equatable {
    package var code: String
    package var brand: String
    package var article: String
    package var name: String
    /// The file states prices (a stock-only file does not).
    package var priced: Bool
    /// Gross per unit, rounded to 0.01; nil for "price on request".
    package var price: Fixed?
    package var currency: String
    package var stock: [StockLevel]

    package init(
        code: String, brand: String, article: String, name: String, priced: Bool, price: Fixed?, currency: String,
        stock: [StockLevel]
    ) {
        self.code = code
        self.brand = brand
        self.article = article
        self.name = name
        self.priced = priced
        self.price = price
        self.currency = currency
        self.stock = stock
    }
}

/// Reads a price or stock file through its feed description, handing on each item as it is read; a million-row
/// file streams in constant memory. Every problem is a `FeedError` with the file, the place and the field.
package struct PriceReader {
    package let feed: PriceFeedSpec
    /// A file with more problems than this stops being read: the first ones say enough.
    static let maxErrors = 50

    package init(feed: PriceFeedSpec) {
        self.feed = feed
    }

    /// Reads `path`; `displayName` is how errors name it. Returns the errors; when there are any, whatever `body`
    /// was handed must be dropped.
    package func read(path: String, displayName: String, _ body: (PriceItem) throws -> Void) -> [FeedError] {
        let state = PriceState(feed: feed, file: displayName)
        do {
            switch feed.format {
            case .json:
                guard let items = feed.itemPath else { return [] }
                _ = try JSONRecordReader(fileName: displayName, records: items).read(file: path) { value, at, _ in
                    try state.item(.json(value, path: at), body)
                }
            case .xml:
                let xpath = XPathContext(namespaces: feed.namespaces)
                let reader = try XMLRecordReader(path: path, displayName: displayName, patterns: feed.itemRecords)
                try reader.forEachRecord { _, node, at in try state.item(.xml(node, xpath: xpath, at: at), body) }
            case .csv:
                try readCSV(path: path, state: state, body)
            }
        } catch is PriceState.TooMany {
            state.errors.append(FeedError(file: displayName, place: "", reason: "more errors follow; stopped here"))
        } catch let error as FeedError {
            state.errors.append(error)
        } catch let error as CSVTable.Failure {
            state.errors.append(
                FeedError(file: displayName, place: "\(error.line):\(error.column)", reason: error.reason))
        } catch {
            state.errors.append(FeedError(file: displayName, place: "", reason: "\(error)"))
        }
        return state.errors
    }

    private func readCSV(path: String, state: PriceState, _ body: (PriceItem) throws -> Void) throws {
        let file: MappedFile
        do {
            file = try MappedFile(path: path)
        } catch {
            throw FeedError(file: state.file, place: "", reason: "cannot read the file")
        }
        let columns = Dictionary(feed.columns.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        try file.withBytes { bytes in
            var scanner = CSVScanner(bytes: bytes, separator: feed.separator, file: state.file)
            let separator = String(UnicodeScalar(feed.separator))
            guard let header = try scanner.next() else {
                throw FeedError(
                    file: state.file, place: "1:1",
                    reason: "empty: expected the header \(feed.columns.joined(separator: separator))")
            }
            guard header.cells == feed.columns else {
                throw FeedError(
                    file: state.file, place: "1:1",
                    reason: "the header must be \(feed.columns.joined(separator: separator))")
            }
            while let row = try scanner.next() {
                guard row.cells.count == columns.count else {
                    throw FeedError(
                        file: state.file, place: "\(row.line):1",
                        reason: "\(row.cells.count) cells where the header has \(columns.count)")
                }
                try state.item(.csv(row.cells, columns: columns, line: row.line), body)
            }
        }
    }
}

/// The reading state of one price file: its specs looked up once, and its errors.
private final class PriceState: FieldEvaluator {
    struct TooMany: Error {}
    let feed: PriceFeedSpec
    let code, brand, article, name, price, vatRate, currency: FieldSpec?

    init(feed: PriceFeedSpec, file: String) {
        self.feed = feed
        let f = feed.fields
        (code, brand, article, name) = (f["code"], f["brand"], f["article"], f["name"])
        (price, vatRate, currency) = (f["price"], f["vat_rate"], f["currency"])
        super.init(file: file)
    }

    func item(_ record: Record, _ body: (PriceItem) throws -> Void) throws {
        let errorCount = errors.count
        let code = required("code", self.code, record)
        let brand = required("brand", self.brand, record)
        let article = required("article", self.article, record)
        var gross: Fixed?
        var currency = ""
        if let priceSpec = price {
            currency = required("currency", self.currency, record) ?? ""
            if let raw = number("price", priceSpec, record), !feed.onRequest.contains(raw) {
                switch priceSpec.basis ?? .gross {
                case .gross:
                    gross = raw.r2
                case .net:
                    if let vat = number("vat_rate", vatRate, record) {
                        gross = (raw * (.one + vat * Fixed(units: 1, scale: 2))).r2
                    }
                }
                if let g = gross, g.isNegative { fail(record, "price", "a negative price", priceSpec) }
            }
        }
        var stock: [StockLevel] = []
        if let spec = feed.stock {
            let entries = spec.path.map { children($0, record) } ?? [record]
            for entry in entries {
                let branch = required("branch", spec.branch, entry)
                let branchId = optionalText("branch_id", spec.branchId, entry)
                guard let text = required("quantity", spec.quantity, entry) else { continue }
                guard let level = StockLevel.parse(text, atLeastFrom: spec.atLeastFrom) else {
                    fail(
                        entry, "quantity", "\"\(text)\" is not a stock quantity (a number, \"+\", \"-\" or \">N\")",
                        spec.quantity)
                    continue
                }
                if let branch {
                    stock.append(
                        StockLevel(branch: branch, branchId: branchId, quantity: level.quantity, atLeast: level.atLeast)
                    )
                }
            }
        }
        if errors.count > PriceReader.maxErrors { throw TooMany() }
        guard errors.count == errorCount, errors.isEmpty, let code, let brand, let article else { return }
        try body(
            PriceItem(
                code: code, brand: brand, article: article, name: optionalText("name", name, record),
                priced: price != nil, price: gross, currency: currency, stock: stock))
    }
}
