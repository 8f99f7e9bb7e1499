import Foundation
import Yams

/// Reads a mapping file (the language of `docs/mapping.md`) and compiles it, refusing an unknown key, a bad
/// path, an invalid date pattern or regular expression with the file and its line:column.
package enum MappingLoader {
    /// Parses YAML into nodes, turning Yams' errors into ours.
    static func compose(_ text: String, file: String) throws(MappingError) -> Node {
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw MappingError(file: file, line: 1, column: 1, reason: "the file is empty")
            }
            try refuseAliases(node, file: file)
            return node
        } catch let error as MappingError {
            throw error
        } catch let error as YamlError {
            switch error {
            case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
                .composer(let context, let problem, let mark, _):
                let what = [context?.description, problem].compactMap { $0 }.joined(separator: " ")
                    .split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                    .joined(separator: ": ")
                throw MappingError(file: file, line: mark.line, column: mark.column, reason: "YAML: \(what)")
            default:
                throw MappingError(file: file, line: 1, column: 1, reason: "YAML: \(error)")
            }
        } catch {
            throw MappingError(file: file, line: 1, column: 1, reason: "YAML: \(error)")
        }
    }

    /// The most values a YAML file of ours may hold once its aliases are expanded: the largest mapping file has a
    /// few hundred.
    static let maxNodes = 100_000

    /// Refuses a file whose aliases (`*name`) expand past `maxNodes` values. Yams shares an aliased node rather than
    /// copying it, so a file of ten nested aliases is small to compose, but walking it (an order body is walked to
    /// be sent) visits billions of values. Yams keeps no anchors once the file is composed (its nodes hold them
    /// weakly), so the aliases cannot be told apart afterwards: the expansion is bounded instead, by counting the
    /// values one walk visits, and stopping at the bound.
    static func refuseAliases(_ root: Node, file: String) throws(MappingError) {
        var count = 0
        var stack = [root]
        while let node = stack.popLast() {
            count += 1
            guard count <= maxNodes else {
                throw MappingError(
                    file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1,
                    reason: "more than \(maxNodes) values once its aliases (*name) are expanded: write the values out")
            }
            switch node {
            case .scalar, .alias: break
            case .mapping(let m):
                for (key, value) in m { stack += [key, value] }
            case .sequence(let q): stack += q
            }
        }
    }

    /// The text of `brands.yaml`: `aliases: { MANN: MANN-FILTER, … }`; `file` names it in errors.
    package static func brands(text: String, file: String) throws(MappingError) -> Brands {
        let ctx = Context(file: file, format: .json, namespaces: [:])
        let root = try ctx.mapping(try compose(text, file: file), allowed: ["aliases"])
        var aliases: [String: String] = [:]
        if let node = root["aliases"] {
            for (key, value) in try ctx.pairs(node) {
                aliases[key] = try ctx.string(value)
            }
        }
        return Brands(aliases: aliases)
    }

    /// Compiles the text of a mapping file. `file` names it in errors; `crossReference` gives the text of a
    /// cross-reference file the mapping names (the name as it is written there), with the name to give it in errors,
    /// or nil for a file that cannot be read.
    package static func compile(
        text: String, file: String, brands: Brands,
        crossReference readCrossReference: (String) -> (name: String, text: String?) = { ($0, nil) }
    ) throws(MappingError) -> Mapping {
        let root = try compose(text, file: file)
        let top = try Context(file: file, format: .json, namespaces: [:]).mapping(
            root,
            allowed: [
                "format", "description", "namespaces", "documents", "error_when", "document", "returns", "lines",
                "adjustments", "codes", "pull", "prices", "order",
            ])
        let bootstrap = Context(file: file, format: .json, namespaces: [:])
        guard let formatNode = top["format"] else { throw bootstrap.error(root, "missing key 'format' (json or xml)") }
        guard let format = Mapping.Format(rawValue: try bootstrap.string(formatNode)) else {
            throw bootstrap.error(formatNode, "format must be json or xml")
        }
        var namespaces: [String: String] = [:]
        if let node = top["namespaces"] {
            guard format == .xml else { throw bootstrap.error(node, "namespaces are for XML mappings") }
            for (prefix, uri) in try bootstrap.pairs(node) { namespaces[prefix] = try bootstrap.string(uri) }
        }
        let ctx = Context(file: file, format: format, namespaces: namespaces)
        let invoiceKeys = ["documents", "error_when", "document", "returns", "lines", "adjustments"]
        let invoices =
            invoiceKeys.contains(where: { top[$0] != nil }) ? try compileInvoices(top, root: root, ctx: ctx) : nil

        var prefixes: [String: String] = [:]
        var crossReference: [CrossReference] = []
        if let node = top["codes"] {
            let cm = try ctx.mapping(node, allowed: ["prefix_by_brand", "cross_reference"])
            if let p = cm["prefix_by_brand"] {
                for (brand, prefix) in try ctx.pairs(p) { prefixes[brands.key(brand)] = try ctx.string(prefix) }
            }
            if let x = cm["cross_reference"] {
                let (name, csv) = readCrossReference(try ctx.string(x))
                guard let csv else { throw ctx.error(x, "cannot read the cross-reference file '\(name)'") }
                crossReference = try crossReferenceRows(csv, file: name)
            }
        }
        let pull = try top["pull"].map { n throws(MappingError) in try ctx.pull(n) }
        var mapping = Mapping(
            file: file, format: format, namespaces: namespaces, invoices: invoices, codePrefixes: prefixes,
            crossReference: crossReference, brands: brands, pull: pull)
        if let node = top["prices"] { mapping.prices = try ctx.priceFeeds(node) }
        if let node = top["order"] { mapping.order = try ctx.orderTemplate(node) }
        mapping.sourceSHA256 = SHA256Hex.of(Data(text.utf8))
        return mapping
    }

    static func compileInvoices(_ top: [String: Node], root: Node, ctx: Context) throws(MappingError)
        -> InvoiceMapping
    {
        let format = ctx.format
        guard let documentsNode = top["documents"] else { throw ctx.error(root, "missing key 'documents'") }
        var documentRecords: [RecordPattern] = []
        var documentPath: JSONPath?
        switch format {
        case .xml: documentRecords = try ctx.recordPatterns(documentsNode)
        case .json: documentPath = try ctx.absoluteJSONPath(documentsNode)
        case .csv: throw ctx.error(documentsNode, "invoices are read from JSON or XML")
        }

        var errorWhen: Condition?
        var errorMessage: FieldPath?
        if let node = top["error_when"] {
            let m = try ctx.mapping(node, allowed: ["path", "equals", "message"])
            errorWhen = try ctx.condition(node, m, absolute: true)
            if let msg = m["message"] { errorMessage = try ctx.path(msg, absolute: true) }
        }

        guard let documentNode = top["document"] else { throw ctx.error(root, "missing key 'document'") }
        // Fields may read from the file around their record (`$.meta.currency`, `/z:Export/@currency`).
        var fieldCtx = ctx
        fieldCtx.fileLevel = true
        let document = try fieldCtx.fields(documentNode, allowed: InvoiceMapping.documentFields)
        for required in InvoiceMapping.requiredDocumentFields where document[required] == nil {
            throw ctx.error(documentNode, "the document section needs '\(required)'")
        }
        guard let dateSpec = document["invoice_date"], !dateSpec.datePatterns.isEmpty else {
            throw ctx.error(documentNode, "invoice_date needs a 'date' pattern")
        }

        var negativeReturns = false
        if let node = top["returns"] {
            let m = try ctx.mapping(node, allowed: ["negative_quantities"])
            if let n = m["negative_quantities"] { negativeReturns = try ctx.bool(n) }
        }

        guard let linesNode = top["lines"] else { throw ctx.error(root, "missing key 'lines'") }
        let lm = try ctx.mapping(
            linesNode, allowed: ["path", "records", "join", "order_by", "fields", "charges", "skip_when"])
        let lineSource: InvoiceMapping.LineSource
        if let p = lm["path"] {
            guard lm["records"] == nil, lm["join"] == nil else {
                throw ctx.error(linesNode, "lines take either 'path' or 'records' with 'join'")
            }
            lineSource = .nested(try ctx.path(p, absolute: false))
        } else if let r = lm["records"] {
            guard format == .xml else { throw ctx.error(r, "joined line records are for XML mappings") }
            guard let j = lm["join"] else { throw ctx.error(linesNode, "'records' needs 'join: { line, document }'") }
            let jm = try ctx.mapping(j, allowed: ["line", "document"])
            guard let lk = jm["line"], let dk = jm["document"] else {
                throw ctx.error(j, "join needs 'line' (the key on a line) and 'document' (the key on a document)")
            }
            lineSource = .joined(
                records: try ctx.recordPatterns(r), lineKey: try ctx.path(lk, absolute: false),
                documentKey: try ctx.path(dk, absolute: false))
        } else {
            throw ctx.error(linesNode, "lines need 'path' (inside the document) or 'records' with 'join'")
        }
        guard let fieldsNode = lm["fields"] else { throw ctx.error(linesNode, "lines need 'fields'") }
        let line = try fieldCtx.fields(fieldsNode, allowed: InvoiceMapping.lineFields)
        for required in ["quantity", "vat_rate"] where line[required] == nil {
            throw ctx.error(fieldsNode, "line fields need '\(required)'")
        }
        guard line["unit_price"] != nil || line["line_amount"] != nil else {
            throw ctx.error(fieldsNode, "line fields need 'unit_price' or 'line_amount'")
        }
        let lineOrder = try lm["order_by"].map { n throws(MappingError) in try ctx.field(n, name: "order_by") }
        var chargeWhen: Condition?
        var chargeReason: FieldSpec?
        if let node = lm["charges"] {
            let cm = try ctx.mapping(node, allowed: ["when", "reason"])
            guard let when = cm["when"] else { throw ctx.error(node, "charges need 'when: { path, equals }'") }
            chargeWhen = try ctx.condition(when, try ctx.mapping(when, allowed: ["path", "equals"]), absolute: false)
            chargeReason = try cm["reason"].map { n throws(MappingError) in try fieldCtx.field(n, name: "reason") }
        }
        let skipWhen = try lm["skip_when"].map { n throws(MappingError) in
            try ctx.condition(n, try ctx.mapping(n, allowed: ["path", "equals"]), absolute: false)
        }

        var adjustmentPath: FieldPath?
        var adjustment: [String: FieldSpec] = [:]
        if let node = top["adjustments"] {
            let am = try ctx.mapping(node, allowed: ["path", "fields"])
            guard let p = am["path"], let f = am["fields"] else {
                throw ctx.error(node, "adjustments need 'path' and 'fields'")
            }
            adjustmentPath = try ctx.path(p, absolute: false)
            adjustment = try fieldCtx.fields(f, allowed: InvoiceMapping.adjustmentFields)
            for required in ["amount", "vat_rate"] where adjustment[required] == nil {
                throw ctx.error(f, "adjustment fields need '\(required)'")
            }
        }
        var invoices = InvoiceMapping(
            documentRecords: documentRecords, documentPath: documentPath, errorWhen: errorWhen,
            errorMessage: errorMessage, document: document, lineSource: lineSource, lineOrder: lineOrder, line: line,
            adjustmentPath: adjustmentPath, adjustment: adjustment, negativeReturns: negativeReturns)
        invoices.documentsText = try ctx.string(documentsNode)
        (invoices.chargeWhen, invoices.chargeReason, invoices.skipWhen) = (chargeWhen, chargeReason, skipWhen)
        let specs =
            Array(document.values) + Array(line.values) + Array(adjustment.values) + [chargeReason].compactMap { $0 }
        var members: Set<String> = []
        for spec in specs {
            for path in spec.jsonPaths where path.absolute {
                if case .key(let name)? = path.steps.first { members.insert(name) }
            }
        }
        invoices.fileMembers = members.sorted()
        return invoices
    }

    /// The rows of a cross-reference CSV, `supplier_code,brand,article`; `path` names it in errors.
    static func crossReferenceRows(_ text: String, file path: String) throws(MappingError) -> [CrossReference] {
        var rows: [CrossReference] = []
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.isEmpty { continue }
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if i == 0 {
                guard cells == ["supplier_code", "brand", "article"] else {
                    throw MappingError(
                        file: path, line: 1, column: 1, reason: "the header must be supplier_code,brand,article")
                }
                continue
            }
            guard cells.count == 3, !cells[0].isEmpty else {
                throw MappingError(file: path, line: i + 1, column: 1, reason: "expected supplier_code,brand,article")
            }
            rows.append(CrossReference(supplierCode: cells[0], brand: cells[1], article: cells[2]))
        }
        return rows
    }
}

/// The compiling state: which file, which format, which prefixes.
struct Context {
    let file: String
    let format: Mapping.Format
    let namespaces: [String: String]
    /// Whether a field's path may start at the file's root (`$.meta.currency`): an invoice's fields, read where the
    /// whole file is at hand. Structural paths (where lines are, join keys) and price feeds' fields may not.
    var fileLevel = false

    init(file: String, format: Mapping.Format, namespaces: [String: String]) {
        (self.file, self.format, self.namespaces) = (file, format, namespaces)
    }

    func error(_ node: Node, _ reason: String) -> MappingError {
        MappingError(file: file, line: node.mark?.line ?? 0, column: node.mark?.column ?? 0, reason: reason)
    }

    func place(_ node: Node) -> String { "\(file):\(node.mark?.line ?? 0):\(node.mark?.column ?? 0)" }

    /// A mapping node's entries by key, refusing keys outside `allowed`.
    func mapping(_ node: Node, allowed: Set<String>) throws(MappingError) -> [String: Node] {
        guard case .mapping(let m) = node else { throw error(node, "expected a mapping of keys") }
        var out: [String: Node] = [:]
        for (k, v) in m {
            guard let key = k.string else { throw error(k, "a key must be text") }
            guard allowed.contains(key) else {
                throw error(k, "unknown key '\(key)' (expected one of: \(allowed.sorted().joined(separator: ", ")))")
            }
            out[key] = v
        }
        return out
    }

    func pairs(_ node: Node) throws(MappingError) -> [(String, Node)] {
        guard case .mapping(let m) = node else { throw error(node, "expected a mapping") }
        var out: [(String, Node)] = []
        for (k, v) in m {
            guard let key = k.string else { throw error(k, "a key must be text") }
            out.append((key, v))
        }
        return out
    }

    func string(_ node: Node) throws(MappingError) -> String {
        guard case .scalar(let s) = node else { throw error(node, "expected a single value") }
        return s.string
    }

    func bool(_ node: Node) throws(MappingError) -> Bool {
        switch try string(node) {
        case "true", "yes": return true
        case "false", "no": return false
        default: throw error(node, "expected true or false")
        }
    }

    func strings(_ node: Node) throws(MappingError) -> [String] {
        if case .sequence(let s) = node {
            var out: [String] = []
            for item in s { out.append(try string(item)) }
            return out
        }
        return [try string(node)]
    }

    func recordPatterns(_ node: Node) throws(MappingError) -> [RecordPattern] {
        var out: [RecordPattern] = []
        for alternative in try string(node).split(separator: "|") {
            let text = alternative.trimmingCharacters(in: .whitespaces)
            guard text.hasPrefix("/"), !text.hasPrefix("//") else {
                throw error(node, "record paths are absolute element paths like /Root/record ('\(text)')")
            }
            var steps: [QName] = []
            for step in text.dropFirst().split(separator: "/", omittingEmptySubsequences: false) {
                let parts = step.split(separator: ":", omittingEmptySubsequences: false)
                guard !step.isEmpty, parts.count <= 2, parts.allSatisfy({ !$0.isEmpty }),
                    step.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." || $0 == ":" })
                else { throw error(node, "'\(step)' is not an element name") }
                var ns = ""
                if parts.count == 2 {
                    guard let uri = namespaces[String(parts[0])] else {
                        throw error(node, "prefix '\(parts[0])' is not declared under namespaces")
                    }
                    ns = uri
                }
                steps.append(QName(namespace: ns, local: String(parts[parts.count - 1])))
            }
            out.append(RecordPattern(steps: steps))
        }
        return out
    }

    func absoluteJSONPath(_ node: Node) throws(MappingError) -> JSONPath {
        let text = try string(node)
        do throws(MappingPathError) {
            let p = try JSONPath(parsing: text)
            guard p.absolute else { throw MappingPathError(reason: "a record path starts at the root: '$…'") }
            return p
        } catch {
            throw self.error(node, "bad path '\(text)': \(error.reason)")
        }
    }

    func path(_ node: Node, absolute: Bool) throws(MappingError) -> FieldPath {
        let text = try string(node)
        do throws(MappingPathError) {
            switch format {
            case .json:
                let p = try JSONPath(parsing: text)
                if absolute && !p.absolute { throw MappingPathError(reason: "this path starts at the root: '$…'") }
                // Read below each record, `$…` means the file's root: an invoice's field reaches it from a top-level
                // key; anything else (where lines are, a join key, a price feed's field) is refused here rather than
                // found empty in every file.
                if !absolute && p.absolute && fileLevel {
                    guard case .key? = p.steps.first else {
                        throw MappingPathError(
                            reason: "a path from the file's root starts with a key: '$.meta.currency'")
                    }
                }
                if !absolute && p.absolute && !fileLevel {
                    throw MappingPathError(
                        reason: "this path is read below each record, so it cannot start at the file's root ('$'): "
                            + "write it from the record")
                }
                return .json(p)
            case .xml:
                return .xml(try XMLPath(text, namespaces: namespaces))
            case .csv:
                guard !absolute else { throw MappingPathError(reason: "a CSV file has columns, not paths") }
                return .column(text)
            }
        } catch {
            throw self.error(node, "bad path '\(text)': \(error.reason)")
        }
    }

    /// `number: { decimal: ",", thousands: ".", suffix: "грн" }`.
    func numberForm(_ node: Node) throws(MappingError) -> NumberForm {
        let m = try mapping(node, allowed: ["decimal", "thousands", "prefix", "suffix"])
        var form = NumberForm()
        if let d = m["decimal"] {
            let text = try string(d)
            guard text == "." || text == "," else { throw error(d, "the decimal mark is '.' or ','") }
            form.decimal = Character(text)
        }
        if let t = m["thousands"] {
            let text = try string(t)
            guard [".", ",", " ", "'"].contains(text) else {
                throw error(t, "the thousands mark is '.', ',', \"'\" or ' ' (any space)")
            }
            guard Character(text) != form.decimal else { throw error(t, "the thousands mark is also the decimal mark") }
            form.thousands = Character(text)
        }
        if let p = m["prefix"] { form.prefix = try string(p) }
        if let s = m["suffix"] { form.suffix = try string(s) }
        for (key, text) in [("prefix", form.prefix), ("suffix", form.suffix)]
        where text.contains(where: { $0.isNumber || $0 == form.decimal }) {
            throw error(m[key] ?? node, "a \(key) holds no digits or decimal mark")
        }
        return form
    }

    func condition(_ node: Node, _ m: [String: Node], absolute: Bool) throws(MappingError) -> Condition {
        guard let p = m["path"], let e = m["equals"] else { throw error(node, "a condition needs 'path' and 'equals'") }
        return Condition(path: try path(p, absolute: absolute), values: Set(try strings(e)))
    }

    func fields(_ node: Node, allowed: Set<String>) throws(MappingError) -> [String: FieldSpec] {
        var out: [String: FieldSpec] = [:]
        for (name, value) in try pairs(node) {
            guard allowed.contains(name) else {
                throw error(
                    node.mapping?.keys.first(where: { $0.string == name }) ?? node,
                    "unknown field '\(name)' (expected one of: \(allowed.sorted().joined(separator: ", ")))")
            }
            out[name] = try field(value, name: name)
        }
        return out
    }

    static let pricedFields: Set<String> = ["unit_price", "line_amount", "amount", "price"]

    static let fieldKeys: Set<String> = [
        "path", "first", "const", "concat", "default", "regex", "map", "date", "timezone", "basis", "per",
        "negate_when", "split", "number", "discount",
    ]

    /// The fields whose text is a number, and so may declare its `number` form.
    static let numericFields: Set<String> = [
        "unit_price", "line_amount", "amount", "price", "quantity", "vat_rate", "stated_net", "stated_vat",
        "stated_gross", "discount", "order_by",
    ]

    /// The fields that keep every value they yield, and so may `split` a text into several.
    static let multiValued: Set<String> = ["order_refs"]

    func field(_ node: Node, name: String) throws(MappingError) -> FieldSpec {
        if case .scalar = node {
            if Context.pricedFields.contains(name) { throw error(node, "\(name) needs 'basis: net' or 'basis: gross'") }
            return FieldSpec(source: .path(try path(node, absolute: false)), place: place(node))
        }
        let m = try mapping(node, allowed: Context.fieldKeys)
        let sources = ["path", "first", "const", "concat"].filter { m[$0] != nil }
        guard sources.count == 1 else {
            throw error(node, "a field takes exactly one of 'path', 'first', 'const' or 'concat'")
        }
        let spec: FieldSpec
        if let c = m["concat"] {
            guard case .sequence(let items) = c, items.count >= 2 else {
                throw error(c, "'concat' takes a list of two or more fields: [series, { const: \"-\" }, no]")
            }
            var parts: [FieldSpec] = []
            for item in items { parts.append(try field(item, name: "\(name) (a part)")) }
            spec = FieldSpec(source: .concat(parts), place: place(c))
        } else if let p = m["path"] {
            spec = FieldSpec(source: .path(try path(p, absolute: false)), place: place(p))
        } else if let c = m["const"] {
            spec = FieldSpec(source: .constant(try string(c)), place: place(c))
        } else if let f = m["first"], case .sequence(let items) = f, !items.isEmpty {
            var alternatives: [FieldSpec] = []
            for item in items { alternatives.append(try field(item, name: name)) }
            spec = FieldSpec(source: .first(alternatives), place: place(f))
        } else {
            throw error(node, "'first' takes a list of fields")
        }
        if let r = m["split"] {
            guard Context.multiValued.contains(name) else {
                throw error(r, "'split' is for fields that keep several values (order_refs), not \(name)")
            }
            let pattern = try string(r)
            guard let regex = try? NSRegularExpression(pattern: pattern),
                regex.firstMatch(in: "", range: NSRange(location: 0, length: 0)) == nil
            else {
                throw self.error(r, "invalid split pattern '\(pattern)' (it must not match an empty text)")
            }
            spec.split = regex
        }
        if let r = m["regex"] {
            let pattern = try string(r)
            do {
                spec.regex = try NSRegularExpression(pattern: pattern)
            } catch {
                throw self.error(r, "invalid regular expression '\(pattern)'")
            }
        }
        if let t = m["map"] {
            var table: [String: String] = [:]
            for (k, v) in try pairs(t) { table[k] = try string(v) }
            spec.map = table
        }
        if let d = m["default"] { spec.defaultValue = try string(d) }
        if let d = m["date"] {
            guard name == "invoice_date" else { throw error(d, "'date' is for invoice_date") }
            for pattern in try strings(d) {
                do {
                    spec.datePatterns.append(try DatePattern(pattern))
                } catch {
                    throw self.error(d, "invalid date pattern '\(pattern)': \(error.reason)")
                }
            }
        }
        if let z = m["timezone"] {
            let id = try string(z)
            guard let tz = TimeZone(identifier: id) else { throw error(z, "unknown time zone '\(id)'") }
            spec.timezone = tz
        }
        if let b = m["basis"] {
            guard Context.pricedFields.contains(name) else {
                throw error(b, "'basis' is for unit_price, line_amount, amount and price")
            }
            if case .scalar = b {
                guard let basis = PriceBasis(rawValue: try string(b)) else {
                    throw error(b, "basis must be net or gross, or a field that yields one of them")
                }
                spec.basis = basis
            } else {
                // The feed says it, record by record: `{ path: price_type, map: { "з ПДВ": gross, … } }`.
                spec.basisField = try field(b, name: "basis")
                if let map = spec.basisField?.map,
                    let bad = map.values.first(where: { PriceBasis(rawValue: $0) == nil })
                {
                    throw error(b, "the basis map gives '\(bad)', where net or gross belongs")
                }
                spec.basis = .net
            }
        }
        if let n = m["number"] {
            guard Context.numericFields.contains(name) else {
                throw error(n, "'number' is for numeric fields, not \(name)")
            }
            spec.number = try numberForm(n)
        }
        if let d = m["discount"] {
            guard name == "unit_price" else { throw error(d, "'discount' is for unit_price") }
            spec.discount = try field(d, name: "discount")
        }
        if let p = m["per"] { spec.per = try path(p, absolute: false) }
        if let n = m["negate_when"] {
            spec.negateWhen = try condition(n, try mapping(n, allowed: ["path", "equals"]), absolute: false)
        }
        if Context.pricedFields.contains(name), spec.basis == nil {
            throw error(node, "\(name) needs 'basis: net' or 'basis: gross'")
        }
        return spec
    }
}
