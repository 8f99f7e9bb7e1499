import Foundation

/// A stored document version's body (`Document.canonicalJSON`) and line keys read back, through the project's own
/// JSON parser (`JSONRecordReader`) and a mapping of its values, not `JSONDecoder`: a replay reads every version
/// dated from its first day, and a re-run of a year reads 120,000. `JSONDecoder` took 58 µs a document, 0.58 s of
/// the late-file night (perf).
enum StoredDocument {
    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    /// The document of a stored body; throws `Malformed`, or the parser's error, where it is not one.
    static func document(_ body: Data) throws -> Document {
        let value = try body.withUnsafeBytes { try parse($0) }
        let stated = try value.member("stated")
        return Document(
            supplierInvoice: try value.member("supplierInvoice").text(),
            kind: try DocumentKind(rawValue: value.member("kind").text()) ?? { throw Malformed(description: "kind") }(),
            invoiceDate: try value.member("invoiceDate").date(),
            currency: try value.member("currency").text(),
            orderRefs: try value.member("orderRefs").items().map { try $0.text() },
            customerId: try value["customerId"].map { try $0.text() },
            stated: StatedTotals(
                net: try stated["net"].map { try $0.fixed() }, vat: try stated["vat"].map { try $0.fixed() },
                gross: try stated["gross"].map { try $0.fixed() }),
            lines: try value.member("lines").items().map { l in
                DocumentLine(
                    line: try l.member("line").integer(), brand: try l.member("brand").text(),
                    article: try l.member("article").text(), supplierCode: try l.member("supplierCode").text(),
                    name: try l.member("name").text(), quantity: try l.member("quantity").fixed(),
                    unitPriceGross: try l.member("unitPriceGross").fixed(), vatRate: try l.member("vatRate").fixed(),
                    amounts: try l.member("amounts").totals())
            },
            adjustments: try value.member("adjustments").items().map { a in
                Adjustment(
                    reason: try a.member("reason").text(), vatRate: try a.member("vatRate").fixed(),
                    amounts: try a.member("amounts").totals())
            })
    }

    /// A stored version's line keys (`documents.line_keys`: a JSON array of `{"brand", "number"}`).
    static func lineKeys(_ text: String) throws -> [ArticleKey] {
        var text = text
        return try text.withUTF8 { try parse(UnsafeRawBufferPointer($0)) }.items().map {
            ArticleKey(brand: try $0.member("brand").text(), number: try $0.member("number").text())
        }
    }

    private static func parse(_ bytes: UnsafeRawBufferPointer) throws -> JSONValue {
        var value: JSONValue?
        let reader = JSONRecordReader(fileName: "", records: JSONPath(steps: [], absolute: true))
        _ = try reader.read(bytes) { record, _, _ in value = record }
        guard let value else { throw Malformed(description: "no value") }
        return value
    }
}

extension JSONValue {
    fileprivate func member(_ key: String) throws -> JSONValue {
        guard let value = self[key] else { throw StoredDocument.Malformed(description: "no \(key)") }
        return value
    }

    fileprivate func text() throws -> String {
        guard case .string(let s) = self else { throw StoredDocument.Malformed(description: "not a string") }
        return s
    }

    fileprivate func items() throws -> [JSONValue] {
        guard case .array(let items) = self else { throw StoredDocument.Malformed(description: "not an array") }
        return items
    }

    fileprivate func integer() throws -> Int {
        guard case .number(let n) = self, let i = Int(n) else {
            throw StoredDocument.Malformed(description: "not an integer")
        }
        return i
    }

    fileprivate func fixed() throws -> Fixed { try Fixed(parsing: text()[...]) }

    fileprivate func date() throws -> CalendarDate {
        guard let date = CalendarDate(iso: try text()) else {
            throw StoredDocument.Malformed(description: "not a date")
        }
        return date
    }

    fileprivate func totals() throws -> Totals {
        Totals(net: try member("net").fixed(), vat: try member("vat").fixed(), gross: try member("gross").fixed())
    }
}
