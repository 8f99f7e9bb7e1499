import Foundation

/// A stored document version's body (`Document.canonicalJSON`) and line keys read back, through the project's own
/// JSON parser (`JSONRecordReader`) and a mapping of its values, not `JSONDecoder`: a replay reads every version
/// dated from its first day, and a re-run of a year reads 120,000. `JSONDecoder` took 58 µs a document, 0.58 s of
/// the late-file night (perf).
enum StoredDocument {
    /// What is wrong, at its place in the value (`lines[1].quantity: not a string`).
    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    /// The document of a stored body; throws `Malformed`, or the parser's error, where it is not one.
    static func document(_ body: Data) throws -> Document {
        let d = Fields(try body.withUnsafeBytes { try parse($0) })
        let stated = try d.object("stated")
        return Document(
            supplierInvoice: try d.text("supplierInvoice"),
            kind: try DocumentKind(rawValue: d.text("kind")) ?? { throw d.malformed("kind", "not a kind") }(),
            invoiceDate: try d.date("invoiceDate"), currency: try d.text("currency"),
            orderRefs: try d.texts("orderRefs"), customerId: try d.optional("customerId") { try d.text($0) },
            stated: StatedTotals(
                net: try stated.optional("net") { try stated.fixed($0) },
                vat: try stated.optional("vat") { try stated.fixed($0) },
                gross: try stated.optional("gross") { try stated.fixed($0) }),
            lines: try d.objects("lines").map { l in
                DocumentLine(
                    line: try l.integer("line"), brand: try l.text("brand"), article: try l.text("article"),
                    supplierCode: try l.text("supplierCode"), name: try l.text("name"),
                    quantity: try l.fixed("quantity"), unitPriceGross: try l.fixed("unitPriceGross"),
                    vatRate: try l.fixed("vatRate"), amounts: try l.totals("amounts"))
            },
            adjustments: try d.objects("adjustments").map { a in
                Adjustment(
                    reason: try a.text("reason"), vatRate: try a.fixed("vatRate"), amounts: try a.totals("amounts"))
            })
    }

    /// A stored version's line keys (`documents.line_keys`: a JSON array of `{"brand", "number"}`).
    static func lineKeys(_ text: String) throws -> [ArticleKey] {
        var text = text
        let keys = Fields(try text.withUTF8 { try parse(UnsafeRawBufferPointer($0)) }, path: "line_keys")
        return try keys.elements().map { ArticleKey(brand: try $0.text("brand"), number: try $0.text("number")) }
    }

    private static func parse(_ bytes: UnsafeRawBufferPointer) throws -> JSONValue {
        var value: JSONValue?
        let reader = JSONRecordReader(fileName: "", records: JSONPath(steps: [], absolute: true))
        _ = try reader.read(bytes) { record, _, _ in value = record }
        guard let value else { throw Malformed(description: "no value") }
        return value
    }

    /// A JSON value and its place, read member by member: every error names the member it is about.
    private struct Fields {
        let value: JSONValue
        let path: String

        init(_ value: JSONValue, path: String = "") {
            self.value = value
            self.path = path
        }

        func malformed(_ key: String, _ what: String) -> Malformed {
            Malformed(description: "\(place(key)): \(what)")
        }

        private func place(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

        private func member(_ key: String) throws -> JSONValue {
            guard let member = value[key] else { throw malformed(key, "missing") }
            return member
        }

        func optional<T>(_ key: String, _ read: (String) throws -> T) throws -> T? {
            value[key] == nil ? nil : try read(key)
        }

        func text(_ key: String) throws -> String {
            guard case .string(let s) = try member(key) else { throw malformed(key, "not a string") }
            return s
        }

        func integer(_ key: String) throws -> Int {
            guard case .number(let n) = try member(key), let i = Int(n) else { throw malformed(key, "not an integer") }
            return i
        }

        func fixed(_ key: String) throws -> Fixed {
            do {
                return try Fixed(parsing: text(key))
            } catch let error as NumberError {
                throw malformed(key, error.description)
            }
        }

        func date(_ key: String) throws -> CalendarDate {
            guard let date = CalendarDate(iso: try text(key)) else { throw malformed(key, "not a date") }
            return date
        }

        func object(_ key: String) throws -> Fields {
            let member = try member(key)
            guard case .object = member else { throw malformed(key, "not an object") }
            return Fields(member, path: place(key))
        }

        func totals(_ key: String) throws -> Totals {
            let t = try object(key)
            return Totals(net: try t.fixed("net"), vat: try t.fixed("vat"), gross: try t.fixed("gross"))
        }

        func texts(_ key: String) throws -> [String] {
            guard case .array(let items) = try member(key) else { throw malformed(key, "not an array") }
            return try items.indices.map { i in
                guard case .string(let s) = items[i] else { throw malformed("\(key)[\(i)]", "not a string") }
                return s
            }
        }

        func objects(_ key: String) throws -> [Fields] {
            let member = try member(key)
            guard case .array = member else { throw malformed(key, "not an array") }
            return try Fields(member, path: place(key)).elements()
        }

        /// The objects of this array, each at its index.
        func elements() throws -> [Fields] {
            guard case .array(let items) = value else { throw Malformed(description: "\(path): not an array") }
            return try items.indices.map { i in
                guard case .object = items[i] else { throw Malformed(description: "\(path)[\(i)]: not an object") }
                return Fields(items[i], path: "\(path)[\(i)]")
            }
        }
    }
}
