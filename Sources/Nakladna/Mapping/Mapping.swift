import Foundation

/// A path compiled for the mapping's format.
package enum FieldPath: @unchecked Sendable {
    case json(JSONPath)
    case xml(XMLPath)
    /// A CSV file's column, by its header name.
    case column(String)

    package var source: String {
        switch self {
        case .json(let p): return p.description
        case .xml(let p): return p.source
        case .column(let name): return name
        }
    }
}

/// How a feed states a price or an amount.
package enum PriceBasis: String, Sendable {
    case net
    case gross
}

/// A test on a record: the text at `path` equals one of `values`.
package struct Condition: @unchecked Sendable {
    package var path: FieldPath
    package var values: Set<String>
}

/// One field of a mapping: where its text comes from, and how the text is turned into the value.
/// A class: it is shared, never changed after compiling, and read for every record.
package final class FieldSpec: @unchecked Sendable {
    package enum Source {
        case path(FieldPath)
        case constant(String)
        /// The first alternative that yields a non-empty value.
        case first([FieldSpec])
        /// The parts' texts written one after another (`series`, `-`, `no`); nothing when a part yields nothing.
        case concat([FieldSpec])
    }

    package var source: Source
    /// Cut each text at every match, for several values packed in one text (`#PO0001,#PO0002`); each piece is
    /// trimmed, then goes through `regex` and `map`. Only `order_refs` holds several values.
    package var split: NSRegularExpression?
    /// Keep capture group 1 (or the whole match) of the first match; no match yields nothing.
    package var regex: NSRegularExpression?
    /// Replace the text through this table; a text not in it is an error naming the field.
    package var map: [String: String]?
    /// Used when the source yields nothing or only empty text.
    package var defaultValue: String?
    /// For dates: the patterns tried in order.
    package var datePatterns: [DatePattern] = []
    /// For dates: the zone of a timestamp written without an offset.
    package var timezone: TimeZone?
    /// For prices and amounts: net or gross.
    package var basis: PriceBasis?
    /// For prices and amounts: where the feed says, record by record, whether the price is net or gross; it must
    /// yield `net` or `gross` (after its `map`). Takes the place of `basis`.
    package var basisField: FieldSpec?
    /// For numbers: the form the feed writes them in, where it is not the general one.
    package var number: NumberForm?
    /// For unit prices: a discount in percent, taken off the price exactly: `price × (1 − discount/100)`.
    package var discount: FieldSpec?
    /// For prices: the value is for this many units (UBL `BaseQuantity`).
    package var per: FieldPath?
    /// For amounts: negate the value when the record meets the condition (UBL allowances).
    package var negateWhen: Condition?
    /// Where the field was written, for errors.
    package var place: String

    init(source: Source, place: String) {
        self.source = source
        self.place = place
    }

    /// Every JSON path the field reads, its parts' and conditions' included.
    var jsonPaths: [JSONPath] {
        var out: [JSONPath] = []
        switch source {
        case .path(.json(let p)): out.append(p)
        case .path, .constant: break
        case .first(let parts), .concat(let parts): out += parts.flatMap(\.jsonPaths)
        }
        for case .json(let p)? in [per, negateWhen?.path] { out.append(p) }
        out += [basisField, discount].compactMap { $0 }.flatMap(\.jsonPaths)
        return out
    }
}

/// A mapping file, compiled: how one supplier format becomes canonical documents, and how a catalog part
/// becomes that supplier's code.
package struct Mapping: @unchecked Sendable {
    package enum Format: String, Sendable {
        case json
        case xml
        /// Price and stock files only (Inter Cars' daily pair); invoices are JSON or XML.
        case csv
    }

    package var file: String
    /// The SHA-256 of the text it was compiled from: a run's results depend on it (`ReplayInputs`).
    package var sourceSHA256 = ""
    package var format: Format
    package var namespaces: [String: String]
    /// How invoices are read; nil for a supplier that sends none (Elit).
    package var invoices: InvoiceMapping?
    /// Reverse mapping: brand key → prefix of the supplier's code (Inter Cars `tow_kod`).
    package var codePrefixes: [String: String]
    /// Cross-reference rows, `supplier_code,brand,article`.
    package let crossReference: [CrossReference]
    /// The same rows by supplier code (the first row wins), for the lines that carry only the supplier's code.
    package let crossReferenceByCode: [String: CrossReference]
    package var brands: Brands
    /// How documents are fetched over HTTP, where the supplier has an API.
    package var pull: PullSpec?
    /// The supplier's price and stock files, each recognised by its file-name pattern.
    package var prices: [PriceFeedSpec] = []
    /// The shape of an order placed with the supplier.
    package var order: OrderTemplate?

    /// The price feed whose file-name pattern `name` matches, with the date in the name (nil when the name holds
    /// no calendar date: the file is still that feed's, and refused for it).
    package func priceFeed(named name: String) -> (feed: PriceFeedSpec, asOf: CalendarDate?)? {
        for feed in prices {
            let m = feed.match(fileName: name)
            if m.matches { return (feed, m.asOf) }
        }
        return nil
    }

    package init(
        file: String, format: Format, namespaces: [String: String], invoices: InvoiceMapping?,
        codePrefixes: [String: String], crossReference: [CrossReference], brands: Brands, pull: PullSpec?
    ) {
        self.file = file
        self.format = format
        self.namespaces = namespaces
        self.invoices = invoices
        self.codePrefixes = codePrefixes
        self.crossReference = crossReference
        crossReferenceByCode = Dictionary(crossReference.map { ($0.supplierCode, $0) }, uniquingKeysWith: { a, _ in a })
        self.brands = brands
        self.pull = pull
    }
}

/// The invoice part of a mapping: where documents, lines and adjustments are, and what each field is.
package struct InvoiceMapping: @unchecked Sendable {
    /// How lines are found: inside the document record, or as sibling records joined by a key.
    package enum LineSource {
        case nested(FieldPath)
        case joined(records: [RecordPattern], lineKey: FieldPath, documentKey: FieldPath)
    }

    /// XML: element paths of document records; JSON: the one record path.
    package var documentRecords: [RecordPattern]
    package var documentPath: JSONPath?
    /// The `documents` path as the mapping file writes it, for "no documents at PATH".
    package var documentsText = ""
    /// The file is an error answer when this holds; `errorMessage` says why.
    package var errorWhen: Condition?
    package var errorMessage: FieldPath?

    package var document: [String: FieldSpec]
    package var lineSource: LineSource
    package var lineOrder: FieldSpec?
    package var line: [String: FieldSpec]
    /// Lines that are charges (delivery, packing), read with the line fields and kept as adjustments with this reason.
    package var chargeWhen: Condition?
    package var chargeReason: FieldSpec?
    /// Lines that are neither parts nor charges, left out.
    package var skipWhen: Condition?
    /// JSON: the file's top-level members that fields read from outside their record (`$.meta.currency`).
    package var fileMembers: [String] = []
    package var adjustmentPath: FieldPath?
    package var adjustment: [String: FieldSpec]
    /// The supplier writes a return as negative quantities: such a document is a return, its quantities negated.
    package var negativeReturns: Bool

    /// Fields the document section may name, and those it must.
    static let documentFields: Set<String> = [
        "supplier_invoice", "invoice_date", "currency", "kind", "order_refs", "customer_id", "stated_net",
        "stated_vat", "stated_gross",
    ]
    static let requiredDocumentFields: [String] = ["supplier_invoice", "invoice_date", "currency"]
    static let lineFields: Set<String> = [
        "line", "brand", "article", "supplier_code", "name", "quantity", "unit_price", "line_amount", "vat_rate",
    ]
    static let adjustmentFields: Set<String> = ["reason", "amount", "vat_rate"]
}

/// One row of a cross-reference CSV: a supplier's own code for a catalog part.
package struct CrossReference: Sendable, Hashable {
    package var supplierCode: String
    package var brand: String
    package var article: String
}
