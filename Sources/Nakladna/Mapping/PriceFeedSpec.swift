import Foundation
import Yams

/// One kind of price or stock file a supplier sends, as its mapping file describes it:
/// the file-name pattern (with the date that becomes `as_of`), where the items are, and what each field is.
package struct PriceFeedSpec: @unchecked Sendable {
    /// The feed's position in the mapping's `prices` list: a newer file replaces the rows of its own kind.
    package var index: Int
    /// The pattern as written, e.g. `Stock_{date}.csv`.
    package var pattern: String
    private var nameRegex: NSRegularExpression
    package var format: Mapping.Format
    package var namespaces: [String: String]
    /// CSV only: the separator and the header the file must start with.
    package var separator: UInt8
    package var columns: [String]
    /// JSON: the items' path; XML: the items' element paths.
    package var itemPath: JSONPath?
    package var itemRecords: [RecordPattern]
    /// code, brand, article, name, price, vat_rate, currency.
    package var fields: [String: FieldSpec]
    /// Where each item's stock is; nil when the file has none.
    package var stock: StockSpec?
    /// Prices that mean "on request" (Inter Cars' 9999.99), kept as no price.
    package var onRequest: [Fixed]

    static let fieldNames: Set<String> = ["code", "brand", "article", "name", "price", "vat_rate", "currency"]

    /// The date a file's name carries when it matches the pattern; nil when it does not match.
    /// Whether a file's name has the pattern's shape, and the date it carries (nil when that is no calendar date,
    /// such as 2026-02-30).
    package func match(fileName: String) -> (matches: Bool, asOf: CalendarDate?) {
        let range = NSRange(fileName.startIndex..., in: fileName)
        guard let m = nameRegex.firstMatch(in: fileName, range: range), let r = Range(m.range(at: 1), in: fileName)
        else { return (false, nil) }
        return (true, CalendarDate(iso: fileName[r]))
    }

    init(
        index: Int, pattern: String, nameRegex: NSRegularExpression, format: Mapping.Format,
        namespaces: [String: String]
    ) {
        self.index = index
        self.pattern = pattern
        self.nameRegex = nameRegex
        self.format = format
        self.namespaces = namespaces
        separator = 0x2C
        columns = []
        itemRecords = []
        fields = [:]
        onRequest = []
    }
}

/// Where an item's stock is and what each branch says.
package struct StockSpec: @unchecked Sendable {
    /// The branch entries inside the item; nil when the item itself is one branch's row (Inter Cars' stock file).
    package var path: FieldPath?
    package var branch: FieldSpec
    /// The branch's id, where an order names the branch by it (UTR `storage.id`, BM `uuid`, Vesna
    /// `warehouse_id`).
    package var branchId: FieldSpec?
    package var quantity: FieldSpec
    /// A plain number at or above this means "at least" (Inter Cars reports 10 for ten or more).
    package var atLeastFrom: Fixed?
}

extension Context {
    /// `prices:`, a list of price and stock file descriptions.
    func priceFeeds(_ node: Node) throws(MappingError) -> [PriceFeedSpec] {
        guard case .sequence(let items) = node, !items.isEmpty else {
            throw error(node, "prices is a list of price and stock files")
        }
        var feeds: [PriceFeedSpec] = []
        for (index, item) in items.enumerated() { feeds.append(try priceFeed(item, index: index)) }
        return feeds
    }

    private func priceFeed(_ node: Node, index: Int) throws(MappingError) -> PriceFeedSpec {
        let m = try mapping(
            node, allowed: ["file", "format", "separator", "columns", "items", "fields", "stock", "on_request"])
        guard let fileNode = m["file"] else { throw error(node, "a price file needs 'file', its name with {date}") }
        let pattern = try string(fileNode)
        let parts = pattern.components(separatedBy: "{date}")
        guard parts.count == 2 else {
            throw error(fileNode, "the file name must hold {date} once, e.g. 'Stock_{date}.csv'")
        }
        let regexText =
            "^" + NSRegularExpression.escapedPattern(for: parts[0]) + "([0-9]{4}-[0-9]{2}-[0-9]{2})"
            + NSRegularExpression.escapedPattern(for: parts[1]) + "$"
        guard let regex = try? NSRegularExpression(pattern: regexText) else {
            throw error(fileNode, "cannot use '\(pattern)' as a file name pattern")
        }
        var fileFormat = format
        if let f = m["format"] {
            guard let chosen = Mapping.Format(rawValue: try string(f)) else {
                throw error(f, "format must be json, xml or csv")
            }
            fileFormat = chosen
        }
        let ctx = Context(file: file, format: fileFormat, namespaces: namespaces)
        var feed = PriceFeedSpec(
            index: index, pattern: pattern, nameRegex: regex, format: fileFormat, namespaces: namespaces)
        switch fileFormat {
        case .csv:
            if let i = m["items"] { throw error(i, "a CSV file's items are its rows") }
            if let s = m["separator"] {
                let text = try string(s)
                guard text.utf8.count == 1, let byte = text.utf8.first, byte != 0x22, byte != 0x0A, byte != 0x0D else {
                    throw error(s, "the separator is one ASCII character other than a quote or a line break")
                }
                feed.separator = byte
            }
            guard let c = m["columns"] else { throw error(node, "a CSV file needs 'columns', its header") }
            feed.columns = try strings(c)
        case .json:
            guard let i = m["items"] else { throw error(node, "a price file needs 'items', the path of its items") }
            feed.itemPath = try absoluteJSONPath(i)
        case .xml:
            guard let i = m["items"] else { throw error(node, "a price file needs 'items', the path of its items") }
            feed.itemRecords = try recordPatterns(i)
        }
        if fileFormat != .csv {
            for key in ["separator", "columns"] {
                if let n = m[key] { throw error(n, "'\(key)' is for CSV files") }
            }
        }
        guard let fieldsNode = m["fields"] else { throw error(node, "a price file needs 'fields'") }
        feed.fields = try ctx.fields(fieldsNode, allowed: PriceFeedSpec.fieldNames)
        for required in ["code", "brand", "article"] where feed.fields[required] == nil {
            throw error(fieldsNode, "price file fields need '\(required)'")
        }
        if let price = feed.fields["price"] {
            guard feed.fields["currency"] != nil else { throw error(fieldsNode, "a price needs 'currency'") }
            if price.basis == .net, feed.fields["vat_rate"] == nil {
                throw error(fieldsNode, "a net price needs 'vat_rate' to become gross")
            }
        }
        if fileFormat == .csv {
            for spec in feed.fields.values { try ctx.checkColumns(spec, feed.columns, fieldsNode) }
        }
        if let s = m["stock"] { feed.stock = try ctx.stockSpec(s, columns: feed.columns) }
        guard feed.fields["price"] != nil || feed.stock != nil else {
            throw error(node, "a price file gives a 'price' field, a 'stock' section, or both")
        }
        if let r = m["on_request"] {
            guard feed.fields["price"] != nil else { throw error(r, "'on_request' needs a price field") }
            for text in try strings(r) {
                guard let value = try? Fixed(parsing: text) else { throw error(r, "'\(text)' is not a number") }
                feed.onRequest.append(value)
            }
        }
        return feed
    }

    private func stockSpec(_ node: Node, columns: [String]) throws(MappingError) -> StockSpec {
        let m = try mapping(node, allowed: ["path", "branch", "branch_id", "quantity", "at_least_from"])
        guard let b = m["branch"], let q = m["quantity"] else {
            throw error(node, "stock needs 'branch' and 'quantity'")
        }
        var path: FieldPath?
        if let n = m["path"] {
            guard format != .csv else { throw error(n, "a CSV row is one branch's stock: no 'path'") }
            path = try self.path(n, absolute: false)
        }
        var branchId: FieldSpec?
        if let n = m["branch_id"] { branchId = try field(n, name: "branch_id") }
        let branch = try field(b, name: "branch")
        let quantity = try field(q, name: "quantity")
        var spec = StockSpec(path: path, branch: branch, branchId: branchId, quantity: quantity)
        if let a = m["at_least_from"] {
            guard let value = try? Fixed(parsing: try string(a)) else { throw error(a, "expected a number") }
            spec.atLeastFrom = value
        }
        if format == .csv {
            for s in [spec.branch, spec.quantity] + (spec.branchId.map { [$0] } ?? []) {
                try checkColumns(s, columns, node)
            }
        }
        return spec
    }

    /// A CSV field must name a column of the declared header.
    private func checkColumns(_ spec: FieldSpec, _ columns: [String], _ node: Node) throws(MappingError) {
        switch spec.source {
        case .path(.column(let name)) where !columns.contains(name):
            throw error(node, "'\(name)' is not one of the columns \(columns.joined(separator: ", "))")
        case .first(let alternatives):
            for a in alternatives { try checkColumns(a, columns, node) }
        default:
            break
        }
    }
}
