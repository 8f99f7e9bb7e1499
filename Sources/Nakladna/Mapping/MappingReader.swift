import CLibXML2
import Foundation

/// A record being mapped: a JSON value or an expanded XML element, with its place for errors.
enum Record {
    case json(JSONValue, path: String)
    case xml(xmlNodePtr, xpath: XPathContext, at: XMLPlace)
    /// A CSV row: its cells, the header's columns by name, and its line.
    case csv([String], columns: [String: Int], line: Int)

    /// Where the record is: its JSON path, or its line and XPath (computed only for an error).
    var place: String {
        switch self {
        case .json(_, let path): return path
        case .xml(let node, _, let at): return at.path(of: node)
        case .csv(_, _, let line): return "line \(line)"
        }
    }

    /// The place of a field read through `spec` from this record.
    func place(of spec: FieldSpec?) -> String {
        guard let spec, case .path(let p) = spec.source else { return place }
        switch p {
        case .json(let j): return j.place(below: place)
        case .xml(let x): return place + "/" + x.source
        case .column(let name):
            guard case .csv(_, let columns, let line) = self else { return place }
            return "\(line):\((columns[name] ?? 0) + 1) (\(name))"
        }
    }
}

/// One line as read, before the document's sign rules and amounts are applied.
struct RawLine {
    var line: Int?
    var order: Fixed?
    var brand: String
    var article: String
    var supplierCode: String
    var name: String
    var quantity: Fixed
    var unitPrice: (Fixed, PriceBasis)?
    var lineAmount: (Fixed, PriceBasis)?
    var vatRate: Fixed
    /// A charge's reason, for a line the mapping routes to the adjustments (`lines.charges`); nil for a part.
    var chargeReason: String?
}

/// A document record's fields as read.
struct RawDocument {
    var supplierInvoice: String
    var kind: DocumentKind?
    var invoiceDate: CalendarDate
    var currency: String
    var orderRefs: [String]
    var customerId: String?
    var stated: StatedTotals
    var adjustments: [Adjustment]
}

/// The document fields of a mapping, looked up once rather than by name for every record.
struct DocumentSpecs {
    let supplierInvoice, invoiceDate, currency, kind, orderRefs, customerId: FieldSpec?
    let statedNet, statedVat, statedGross: FieldSpec?

    init(_ f: [String: FieldSpec]) {
        (supplierInvoice, invoiceDate, currency) = (f["supplier_invoice"], f["invoice_date"], f["currency"])
        (kind, orderRefs, customerId) = (f["kind"], f["order_refs"], f["customer_id"])
        (statedNet, statedVat, statedGross) = (f["stated_net"], f["stated_vat"], f["stated_gross"])
    }
}

/// The line fields of a mapping, looked up once.
struct LineSpecs {
    let line, brand, article, supplierCode, name, quantity, unitPrice, lineAmount, vatRate: FieldSpec?

    init(_ f: [String: FieldSpec]) {
        (line, brand, article, supplierCode, name) = (
            f["line"], f["brand"], f["article"], f["supplier_code"], f["name"]
        )
        (quantity, unitPrice, lineAmount, vatRate) = (f["quantity"], f["unit_price"], f["line_amount"], f["vat_rate"])
    }
}

/// Reads feed files through a mapping into canonical documents: the mapping language's evaluation.
///
/// Every problem becomes a `FeedError` naming the file, the place and the field; nothing is dropped silently.
/// A malformed file stops at its first syntax error; otherwise all field errors of the file are collected.
package struct MappingReader {
    package let mapping: Mapping
    let invoices: InvoiceMapping
    /// The zone invoice dates are taken in (the configuration's `timezone`).
    package let zone: TimeZone

    /// Nil when the mapping describes no invoices (Elit).
    package init?(mapping: Mapping, zone: TimeZone) {
        guard let invoices = mapping.invoices else { return nil }
        self.mapping = mapping
        self.invoices = invoices
        self.zone = zone
    }

    /// What one file yields: its documents in file order, or the errors that make it unreadable.
    package struct Result {
        package var documents: [Document]
        package var errors: [FeedError]
    }

    /// Reads a feed file's bytes; `displayName` is how errors name the file. `onDocument` sees each document as soon
    /// as it is complete (a streaming consumer keeps memory flat); the result holds them too unless `keep` is false.
    /// `onRestart` means: forget the documents seen so far, the file is being read again from its start (a joined
    /// file whose records turned out scattered). A consumer must also drop them when the result has errors.
    package func read(
        bytes: UnsafeRawBufferPointer, displayName: String, keep: Bool = true, onRestart: @escaping () -> Void = {},
        onDocument: @escaping (Document) -> Void = { _ in }
    ) -> Result {
        read(.memory(bytes), displayName, keep, onRestart, onDocument)
    }

    /// Reads a feed file as a stream: an XML file in pieces, so memory stays that of one record; a JSON file, which
    /// is read in place, is gathered whole first.
    package func read(
        stream: ByteStream, displayName: String, keep: Bool = true, onRestart: @escaping () -> Void = {},
        onDocument: @escaping (Document) -> Void = { _ in }
    ) -> Result {
        guard mapping.format == .json else { return read(.stream(stream), displayName, keep, onRestart, onDocument) }
        var whole: [UInt8] = []
        var piece = [UInt8](repeating: 0, count: 1 << 16)
        do {
            try stream.rewind()
            while case let n = try piece.withUnsafeMutableBytes({ try stream.read(into: $0) }), n > 0 {
                whole += piece[..<n]
            }
        } catch {
            return Result(
                documents: [], errors: [FeedError(file: displayName, place: "", reason: "cannot read the file")])
        }
        return whole.withUnsafeBytes { read(.memory($0), displayName, keep, onRestart, onDocument) }
    }

    private func read(
        _ input: XMLInput, _ displayName: String, _ keep: Bool, _ onRestart: @escaping () -> Void,
        _ onDocument: @escaping (Document) -> Void
    ) -> Result {
        let state = State(reader: self, file: displayName, keep: keep, onRestart: onRestart, onDocument: onDocument)
        do {
            switch (mapping.format, input) {
            case (.json, .memory(let bytes)): try state.readJSON(bytes)
            case (.xml, _): try state.readXML(input)
            default: throw FeedError(file: displayName, place: "", reason: "invoices are read from JSON or XML")
            }
        } catch let error as FeedError {
            state.errors.append(error)
        } catch {
            state.errors.append(FeedError(file: displayName, place: "", reason: "\(error)"))
        }
        if !state.errors.isEmpty { state.documents = [] }
        return Result(documents: state.documents, errors: state.errors)
    }
}

private final class State: FieldEvaluator {
    let reader: MappingReader
    let mapping: InvoiceMapping
    let documentSpecs: DocumentSpecs
    let lineSpecs: LineSpecs
    let keep: Bool
    let onRestart: () -> Void
    let onDocument: (Document) -> Void
    var documents: [Document] = []
    var count = 0

    init(
        reader: MappingReader, file: String, keep: Bool, onRestart: @escaping () -> Void,
        onDocument: @escaping (Document) -> Void
    ) {
        self.reader = reader
        self.mapping = reader.invoices
        self.documentSpecs = DocumentSpecs(reader.invoices.document)
        self.lineSpecs = LineSpecs(reader.invoices.line)
        self.keep = keep
        self.onRestart = onRestart
        self.onDocument = onDocument
        super.init(file: file)
    }

    func emit(_ d: Document) {
        count += 1
        guard errors.isEmpty else { return }
        onDocument(d)
        if keep { documents.append(d) }
    }

    // MARK: JSON

    func readJSON(_ bytes: UnsafeRawBufferPointer) throws {
        guard let documentPath = mapping.documentPath else { return }
        // The error-answer test reads top-level members only; they are captured whole as the file streams by.
        var captures: [JSONPath] = []
        for case .json(let p)? in [mapping.errorWhen?.path, mapping.errorMessage] {
            if let first = p.steps.first { captures.append(JSONPath(steps: [first], absolute: true)) }
        }
        // The members fields read from outside their record (`$.meta`), kept whole as the file streams by.
        let members = mapping.fileMembers.map { JSONPath(steps: [.key($0)], absolute: true) }
        captures += members
        // Records wait for the verdict, and for the members their fields read, only while those are not known:
        // both usually come before the documents.
        var pending: [(JSONValue, String)] = []
        var verdict: Bool? = mapping.errorWhen == nil ? false : nil
        var membersRead = members.isEmpty
        let jsonReader = JSONRecordReader(fileName: file, records: documentPath, captures: captures)
        let outcome = try jsonReader.read(bytes) { value, at, capturedSoFar in
            if verdict == nil, let condition = self.mapping.errorWhen, case .json(let p) = condition.path,
                case .key(let name)? = p.steps.first,
                let member = capturedSoFar[JSONPath(steps: [.key(name)], absolute: true)]
            {
                let root = JSONValue.object([(key: name, value: member)])
                verdict = condition.values.contains(p.values(in: root).first?.scalarText ?? "")
            }
            if !membersRead, members.allSatisfy({ capturedSoFar[$0] != nil }) {
                membersRead = true
                self.fileRoot = Self.root(capturedSoFar)
            }
            switch verdict {
            case false? where membersRead: self.document(.json(value, path: at))
            case true?: break  // an error answer: its records are not data
            default: pending.append((value, at))
            }
        }
        fileRoot = Self.root(outcome.captured)
        if let condition = mapping.errorWhen, case .json(let p) = condition.path {
            let root = fileRoot
            let value = p.values(in: root).first?.scalarText ?? ""
            if condition.values.contains(value) {
                var message = "the file is an error answer, not data"
                if case .json(let mp)? = mapping.errorMessage {
                    let texts = mp.values(in: root).compactMap(\.scalarText)
                    if !texts.isEmpty { message += ": " + texts.joined(separator: "; ") }
                }
                throw FeedError(file: file, place: p.description, reason: message)
            }
        }
        if !outcome.containerFound { throw noDocuments() }
        for (value, at) in pending { document(.json(value, path: at)) }
    }

    /// The file's top-level members, as captured, as an object to evaluate `$…` paths on.
    static func root(_ captured: [JSONPath: JSONValue]) -> JSONValue {
        .object(
            captured.compactMap { entry in
                guard case .key(let name)? = entry.key.steps.first else { return nil }
                return (key: name, value: entry.value)
            })
    }

    /// The file holds no documents' container at all (contract.md, "A file with no documents' container is not an
    /// empty day"): a mistyped path, or a namespace the mapping did not declare, would otherwise read as a quiet day.
    func noDocuments() -> FeedError {
        FeedError(file: file, place: "", reason: "no documents at `\(mapping.documentsText)`")
    }

    /// Throws `noDocuments` where none of the document patterns' containers was met.
    func checkContainers(_ reader: XMLRecordReader, _ documentPatterns: Int) throws {
        if !reader.containersFound.prefix(documentPatterns).contains(true) { throw noDocuments() }
    }

    // MARK: XML

    func readXML(_ input: XMLInput) throws {
        let xpath = XPathContext(namespaces: reader.mapping.namespaces)
        guard case .joined(let records, let lineKey, let documentKey) = mapping.lineSource else {
            let xmlReader = try XMLRecordReader(input, displayName: file, patterns: mapping.documentRecords)
            try xmlReader.forEachRecord { _, node, at in self.document(.xml(node, xpath: xpath, at: at)) }
            try checkContainers(xmlReader, mapping.documentRecords.count)
            return
        }
        let patterns = mapping.documentRecords + records
        let documentPatterns = mapping.documentRecords.count
        // Lines may come before their header, anywhere in the file. Most files keep each document's records
        // together, so one pass hands a document on as soon as another document's record follows it; memory then
        // follows the documents open at once, not the size of the file. A line for a document already handed on
        // shows the file is not kept together: the file is read again in two passes, the first counting lines.
        do {
            try readJoinedInOnePass(input, patterns, documentPatterns, lineKey, documentKey, xpath)
        } catch is Scattered {
            errors = []
            documents = []
            onRestart()
            try readJoinedInTwoPasses(input, patterns, documentPatterns, lineKey, documentKey, xpath)
        }
    }

    /// Thrown when a line turns up for a document already handed on.
    struct Scattered: Error {}

    func readJoinedInOnePass(
        _ input: XMLInput, _ patterns: [RecordPattern], _ documentPatterns: Int, _ lineKey: FieldPath,
        _ documentKey: FieldPath, _ xpath: XPathContext
    ) throws {
        var heads: [String: (order: Int, raw: RawDocument)] = [:]
        var failedHeaders = Set<String>()
        var lines: [String: [RawLine]] = [:]
        // Hashes of the keys handed on: a collision can only cause a needless second reading, never a wrong join.
        var done = Set<Int>()
        var firstLineOf: [String: String] = [:]
        var current: String?
        let xmlReader = try XMLRecordReader(input, displayName: file, patterns: patterns)
        try xmlReader.forEachRecord { index, node, at in
            let record = Record.xml(node, xpath: xpath, at: at)
            let isHeader = index < documentPatterns
            let key = self.text(isHeader ? documentKey : lineKey, record)
            if done.contains(key.hashValue) { throw Scattered() }
            if let previous = current, previous != key, let head = heads.removeValue(forKey: previous) {
                if let d = self.assemble(head.raw, lines.removeValue(forKey: previous) ?? []) { self.emit(d) }
                done.insert(previous.hashValue)
                firstLineOf.removeValue(forKey: previous)
            }
            current = key
            if isHeader {
                if heads[key] != nil || failedHeaders.contains(key) {
                    self.errors.append(
                        FeedError(file: self.file, place: record.place, reason: "a second header with key '\(key)'"))
                    return
                }
                if let raw = self.rawDocument(record) {
                    heads[key] = (xmlGetLineNo(node), raw)
                } else {
                    failedHeaders.insert(key)
                }
            } else {
                if firstLineOf[key] == nil && heads[key] == nil { firstLineOf[key] = record.place }
                if let line = self.routedLine(record) { lines[key, default: []].append(line) }
            }
        }
        try checkContainers(xmlReader, documentPatterns)
        for (key, head) in heads.sorted(by: { $0.value.order < $1.value.order }) {
            if let d = assemble(head.raw, lines.removeValue(forKey: key) ?? []) { emit(d) }
            firstLineOf.removeValue(forKey: key)
        }
        for (key, place) in firstLineOf where lines[key] != nil && !failedHeaders.contains(key) {
            errors.append(
                FeedError(
                    file: file, place: place, reason: "a line refers to document '\(key)', which the file does not hold"
                ))
        }
        errors.sort { $0.description < $1.description }
    }

    func readJoinedInTwoPasses(
        _ input: XMLInput, _ patterns: [RecordPattern], _ documentPatterns: Int, _ lineKey: FieldPath,
        _ documentKey: FieldPath, _ xpath: XPathContext
    ) throws {
        var expected: [String: Int] = [:]
        var headerLines: [String: Int] = [:]
        var firstLineOf: [String: (line: Int, place: String)] = [:]
        let counter = try XMLRecordReader(input, displayName: file, patterns: patterns)
        try counter.forEachRecord { index, node, at in
            let record = Record.xml(node, xpath: xpath, at: at)
            if index < documentPatterns {
                let key = self.text(documentKey, record)
                if headerLines[key] != nil {
                    self.errors.append(
                        FeedError(file: self.file, place: record.place, reason: "a second header with key '\(key)'"))
                }
                headerLines[key] = xmlGetLineNo(node)
            } else {
                let key = self.text(lineKey, record)
                if self.skips(record) { return }
                expected[key, default: 0] += 1
                if firstLineOf[key] == nil { firstLineOf[key] = (xmlGetLineNo(node), record.place) }
            }
        }
        try checkContainers(counter, documentPatterns)
        for (key, first) in firstLineOf.sorted(by: { $0.value.line < $1.value.line }) where headerLines[key] == nil {
            errors.append(
                FeedError(
                    file: file, place: first.place,
                    reason: "a line refers to document '\(key)', which the file does not hold"))
        }
        guard errors.isEmpty else { return }

        var heads: [String: RawDocument] = [:]
        var lines: [String: [RawLine]] = [:]
        let xmlReader = try XMLRecordReader(input, displayName: file, patterns: patterns)
        try xmlReader.forEachRecord { index, node, at in
            let record = Record.xml(node, xpath: xpath, at: at)
            let key: String
            if index < documentPatterns {
                key = self.text(documentKey, record)
                guard let raw = self.rawDocument(record) else { return }
                heads[key] = raw
            } else {
                key = self.text(lineKey, record)
                guard let line = self.routedLine(record) else { return }
                lines[key, default: []].append(line)
            }
            if let raw = heads[key], lines[key, default: []].count == expected[key, default: 0] {
                if let d = self.assemble(raw, lines.removeValue(forKey: key) ?? []) { self.emit(d) }
                heads.removeValue(forKey: key)
            }
        }
    }

    // MARK: Documents

    func document(_ record: Record) {
        // The lines are read even when the header has an error, so that a file's errors come all at once,
        // document-level and line-level together.
        let raw = rawDocument(record)
        var lines: [RawLine] = []
        if case .nested(let path) = mapping.lineSource {
            for child in children(path, record) {
                if let l = routedLine(child) { lines.append(l) }
            }
        }
        if let raw, let d = assemble(raw, lines) { emit(d) }
    }

    /// Applies the sign rules and the amount rules, and numbers the lines.
    func assemble(_ raw: RawDocument, _ input: [RawLine]) -> Document? {
        var lines = input
        if mapping.lineOrder != nil {
            lines = lines.enumerated().sorted { a, b in
                let (x, y) = (a.element.order ?? .zero, b.element.order ?? .zero)
                return x != y ? x < y : a.offset < b.offset
            }.map(\.element)
        }
        var kind = raw.kind ?? .invoice
        var negate = false
        if mapping.negativeReturns {
            if raw.kind == .return {
                negate = true
            } else if raw.kind == nil, !lines.isEmpty, lines.allSatisfy({ $0.quantity.isNegative }) {
                kind = .return
                negate = true
            }
        }
        var out: [DocumentLine] = []
        out.reserveCapacity(lines.count)
        var adjustments = raw.adjustments
        // Parts are numbered 1, 2, 3… among themselves; a charge takes no number.
        var position = 0
        for l in lines {
            let q = negate ? -l.quantity : l.quantity
            let amount = l.lineAmount.map { (negate ? -$0.0 : $0.0, $0.1) }
            guard
                let (amounts, unitGross) = Amounts.line(
                    quantity: q, unitPrice: l.unitPrice, lineAmount: amount, vatRate: l.vatRate)
            else { continue }
            if let reason = l.chargeReason {
                adjustments.append(Adjustment(reason: reason, vatRate: l.vatRate, amounts: amounts))
                continue
            }
            position += 1
            let i = position - 1
            out.append(
                DocumentLine(
                    line: l.line ?? (i + 1), brand: l.brand, article: l.article, supplierCode: l.supplierCode,
                    name: l.name, quantity: q, unitPriceGross: unitGross, vatRate: l.vatRate, amounts: amounts))
        }
        // A supplier that writes returns negative writes their totals negative too.
        let stated =
            negate
            ? StatedTotals(net: raw.stated.net.map(-), vat: raw.stated.vat.map(-), gross: raw.stated.gross.map(-))
            : raw.stated
        return Document(
            supplierInvoice: raw.supplierInvoice, kind: kind, invoiceDate: raw.invoiceDate, currency: raw.currency,
            orderRefs: raw.orderRefs, customerId: raw.customerId, stated: stated, lines: out,
            adjustments: adjustments)
    }

    func rawDocument(_ record: Record) -> RawDocument? {
        let f = documentSpecs
        let errorCount = errors.count
        let number = required("supplier_invoice", f.supplierInvoice, record)
        let currency = required("currency", f.currency, record)
        var date: CalendarDate?
        if let spec = f.invoiceDate, let text = scalar("invoice_date", spec, record) {
            let sourceZone = spec.timezone ?? reader.zone
            if let stamp = spec.datePatterns.lazy.compactMap({ $0.parse(text) }).first {
                date = stamp.date(in: reader.zone, sourceZone: sourceZone)
                // A date no station's history can hold (contract.md, "Feeds, exactly"): it would be stored as a
                // year the database cannot read back.
                if let d = date, !(1900...2199).contains(d.year) {
                    fail(record, "invoice_date", "\"\(text)\" is \(d), outside 1900-01-01 … 2199-12-31", spec)
                    date = nil
                }
            } else {
                let patterns = spec.datePatterns.map { "'\($0.source)'" }.joined(separator: " or ")
                let hint = spec.datePatterns.contains(where: \.namesMonths) ? DatePattern.monthNamesHint : ""
                fail(record, "invoice_date", "\"\(text)\" is not a valid date as \(patterns)\(hint)", spec)
            }
        } else {
            fail(record, "invoice_date", "missing")
        }
        var kind: DocumentKind?
        if let spec = f.kind, let text = scalar("kind", spec, record) {
            kind = DocumentKind(rawValue: text)
            if kind == nil { fail(record, "kind", "\"\(text)\" is neither invoice nor return") }
        }
        let refs = f.orderRefs.map { texts($0, record).filter { !$0.isEmpty } } ?? []
        let customer = f.customerId.flatMap { scalar("customer_id", $0, record) }
        let stated = StatedTotals(
            net: optionalNumber("stated_net", f.statedNet, record),
            vat: optionalNumber("stated_vat", f.statedVat, record),
            gross: optionalNumber("stated_gross", f.statedGross, record))
        var adjustments: [Adjustment] = []
        if let path = mapping.adjustmentPath {
            for child in children(path, record) {
                if let a = adjustment(child) { adjustments.append(a) }
            }
        }
        guard errors.count == errorCount, let number, let currency, let date else { return nil }
        return RawDocument(
            supplierInvoice: number, kind: kind, invoiceDate: date, currency: currency, orderRefs: refs,
            customerId: customer, stated: stated, adjustments: adjustments)
    }

    /// Whether the mapping leaves this line record out (`lines.skip_when`).
    func skips(_ record: Record) -> Bool {
        mapping.skipWhen.map { meets($0, record) } ?? false
    }

    /// A line record as a part, or as a charge where `lines.charges` says so; nil for one left out or in error.
    func routedLine(_ record: Record) -> RawLine? {
        if skips(record) { return nil }
        guard var line = rawLine(record) else { return nil }
        if let charge = mapping.chargeWhen, meets(charge, record) {
            line.chargeReason = optionalText("reason", mapping.chargeReason, record)
        }
        return line
    }

    func rawLine(_ record: Record) -> RawLine? {
        let f = lineSpecs
        let errorCount = errors.count
        let quantity = number("quantity", f.quantity, record)
        let vat = number("vat_rate", f.vatRate, record)
        var unitPrice: (Fixed, PriceBasis)?
        if let spec = f.unitPrice, let p = optionalNumber("unit_price", spec, record),
            let basis = basis("unit_price", spec, record)
        {
            var price = p
            if let per = spec.per, let perText = texts(per, record).first(where: { !$0.isEmpty }) {
                if let base = parse("unit_price", perText, record), !base.isZero {
                    price = price.divided(by: base, places: 10)?.normalized ?? price
                }
            }
            if let discountSpec = spec.discount, let discount = optionalNumber("discount", discountSpec, record) {
                if discount.isNegative || Fixed.hundred < discount {
                    fail(record, "discount", "\(discount) is not a percent from 0 to 100", discountSpec)
                } else {
                    price = Amounts.less(percent: discount, of: price)
                }
            }
            unitPrice = (price, basis)
        }
        var lineAmount: (Fixed, PriceBasis)?
        if let spec = f.lineAmount, let a = optionalNumber("line_amount", spec, record),
            let basis = basis("line_amount", spec, record)
        {
            lineAmount = (a, basis)
        }
        if unitPrice == nil && lineAmount == nil && errors.count == errorCount {
            fail(record, f.unitPrice != nil ? "unit_price" : "line_amount", "missing")
        }
        var lineNumber: Int?
        if let spec = f.line, let text = scalar("line", spec, record) {
            lineNumber = Int(text)
            if lineNumber == nil { fail(record, "line", "\"\(text)\" is not a line number") }
        }
        var order: Fixed?
        if let spec = mapping.lineOrder, let text = scalar("order_by", spec, record) {
            order = parse("order_by", text, record)
        }
        guard errors.count == errorCount, let quantity, let vat else { return nil }
        return RawLine(
            line: lineNumber, order: order, brand: optionalText("brand", f.brand, record),
            article: optionalText("article", f.article, record),
            supplierCode: optionalText("supplier_code", f.supplierCode, record),
            name: optionalText("name", f.name, record), quantity: quantity, unitPrice: unitPrice,
            lineAmount: lineAmount,
            vatRate: vat)
    }

    func adjustment(_ record: Record) -> Adjustment? {
        let f = mapping.adjustment
        let errorCount = errors.count
        guard let amountSpec = f["amount"], var amount = number("amount", amountSpec, record),
            let vat = number("vat_rate", f["vat_rate"], record), let basis = basis("amount", amountSpec, record)
        else { return nil }
        if let condition = amountSpec.negateWhen, meets(condition, record) {
            amount = -amount
        }
        guard errors.count == errorCount else { return nil }
        return Adjustment(
            reason: optionalText("reason", f["reason"], record), vatRate: vat,
            amounts: Amounts.from(amount: amount, basis: basis, vatRate: vat))
    }
}

/// The text without leading and trailing white space; the common case, nothing to trim, allocates nothing.
func trimmed(_ text: String) -> String {
    let scalars = text.unicodeScalars
    guard let first = scalars.first, let last = scalars.last else { return text }
    if !isWhite(first) && !isWhite(last) { return text }
    var start = scalars.startIndex
    var end = scalars.endIndex
    while start < end, isWhite(scalars[start]) { start = scalars.index(after: start) }
    while end > start, isWhite(scalars[scalars.index(before: end)]) { end = scalars.index(before: end) }
    return String(scalars[start..<end])
}

/// Unicode white space (`White_Space`), tested without the property tables.
@inline(__always) func isWhite(_ s: Unicode.Scalar) -> Bool {
    switch s.value {
    case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
    default: return false
    }
}
