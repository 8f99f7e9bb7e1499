/// Where a row's cells go, one after another: the CSV writer and the database's row inserter alike. `Columns`
/// says once what each column holds; numbers and dates are written straight into the sink's bytes, never a string
/// per cell, since a year's files hold millions of them.
package protocol CellSink {
    /// A text cell.
    mutating func text(_ s: String)
    /// A cell that does not apply: empty in CSV, NULL in the database.
    mutating func empty()
    /// A cell of ASCII bytes that `write` appends; `number` marks a number (`.` as the decimal mark), which a CSV
    /// dialect may write with a decimal comma and which is never guarded as a formula.
    mutating func ascii(number: Bool, _ write: (inout [UInt8]) -> Void)
    /// A number with exactly `places` decimals, or its shortest exact text where `places` is nil; empty for nil. A
    /// sink that types its cells (the workbook) tells money from prices by `places`.
    mutating func number(_ x: Fixed?, places: Int?)
    /// A date; `YYYY-MM-DD` as text unless the sink has dates of its own.
    mutating func date(_ d: CalendarDate)
    /// A text cell whose UTF-8 bytes `write` appends.
    mutating func utf8(_ write: (inout [UInt8]) -> Void)
}

extension CellSink {
    /// Exactly `places` decimals, or the shortest exact text where `places` is nil; empty for nil.
    package mutating func number(_ x: Fixed?, places: Int?) {
        guard let x else { return empty() }
        ascii(number: true) { x.write(places: places, to: &$0) }
    }

    package mutating func utf8(_ write: (inout [UInt8]) -> Void) {
        var bytes: [UInt8] = []
        write(&bytes)
        text(String(decoding: bytes, as: UTF8.self))
    }

    /// Cells of texts, nil for one that does not apply.
    mutating func texts(_ cells: [String?]) {
        for cell in cells {
            if let cell { text(cell) } else { empty() }
        }
    }

    mutating func money(_ x: Fixed?) { number(x, places: 2) }
    mutating func price(_ x: Fixed?) { number(x, places: 4) }
    mutating func exact(_ x: Fixed?) { number(x, places: nil) }

    mutating func int(_ x: Int?) {
        guard let x else { return empty() }
        ascii(number: true) { $0.append(contentsOf: String(x).utf8) }
    }

    /// `YYYY-MM-DD`.
    package mutating func date(_ d: CalendarDate) {
        ascii(number: false) { d.write(separator: 0x2D, to: &$0) }
    }
}

/// The contract's columns of the three CSV files, which the database's tables repeat.
package enum Columns {
    package static let incDocuments = [
        "inc_number", "supplier", "supplier_invoice", "kind", "invoice_date", "currency", "net_total", "vat_total",
        "gross_total", "rate", "gross_total_uah", "lines", "status", "orders", "source_sha256",
    ]
    package static let incLines = [
        "inc_number", "line", "brand", "article", "supplier_code", "name", "quantity", "unit_price_gross", "vat_rate",
        "net_amount", "vat_amount", "gross_amount", "order_number", "status",
    ]
    package static let reconciliation = [
        "supplier", "supplier_invoice", "inc_number", "line", "order_number", "brand", "article", "status",
        "ordered_qty", "invoiced_qty", "order_price", "invoice_price", "currency", "amount_at_stake", "note",
    ]

    package static func incDocument<Sink: CellSink>(_ d: IncDocument, into s: inout Sink) {
        s.text(d.incNumber)
        s.text(d.supplier)
        s.text(d.supplierInvoice)
        s.text(d.kind.rawValue)
        s.date(d.invoiceDate)
        s.text(d.currency)
        s.money(d.totals.net)
        s.money(d.totals.vat)
        s.money(d.totals.gross)
        s.exact(d.rate)
        s.money(d.grossTotalBase)
        s.int(d.lines)
        s.text(d.status)
        s.text(d.orders.joined(separator: ";"))
        s.text(d.sourceSHA256)
    }

    package static func incLine<Sink: CellSink>(_ l: IncLine, into s: inout Sink) {
        s.text(l.incNumber)
        s.int(l.line)
        s.text(l.brand)
        s.text(l.article)
        s.text(l.supplierCode)
        s.text(l.name)
        s.exact(l.quantity)
        s.price(l.unitPriceGross)
        s.exact(l.vatRate)
        s.money(l.amounts.net)
        s.money(l.amounts.vat)
        s.money(l.amounts.gross)
        s.text(l.orderNumbers.count == 1 ? l.orderNumbers[0] : l.orderNumbers.joined(separator: ";"))
        s.text(l.status)
    }

    /// `notes`: the language a file's notes are written in; nil for the database, which keeps the note's values.
    package static func finding<Sink: CellSink>(_ f: Finding, notes: Language?, into s: inout Sink) {
        s.text(f.supplier)
        s.text(f.supplierInvoice)
        s.text(f.incNumber)
        s.int(f.line)
        s.text(f.orderNumber)
        s.text(f.brand)
        s.text(f.article)
        s.text(f.status.rawValue)
        s.exact(f.orderedQty)
        s.exact(f.invoicedQty)
        s.price(f.orderPrice)
        s.price(f.invoicePrice)
        s.text(f.currency)
        s.money(f.amountAtStake)
        if let notes { s.utf8 { f.note.write(notes, to: &$0) } } else { s.utf8 { f.note.writeStored(to: &$0) } }
    }

    /// A stored version of a supplier document, as the stores' `documents` table holds it: its key, date and kind,
    /// where it came from, its canonical JSON, and its lines' article keys as JSON.
    static func storedDocument<Sink: CellSink>(_ d: ReceivedDocument, into s: inout Sink) {
        s.text(d.supplier)
        s.text(d.document.supplierInvoice)
        s.text(d.contentHash)
        s.date(d.document.invoiceDate)
        s.text(d.document.kind.rawValue)
        s.int(d.receivedOrder)
        s.text(d.fileName)
        s.utf8 { $0 += d.canonical }
        // The line keys as JSON, written straight into the row.
        s.utf8 { keys in
            keys.append(0x5B)
            for (i, k) in d.lineKeys.enumerated() {
                keys += (i == 0 ? "{\"brand\":" : ",{\"brand\":").utf8
                CanonicalJSON.append(k.brand, to: &keys)
                keys += ",\"number\":".utf8
                CanonicalJSON.append(k.number, to: &keys)
                keys.append(0x7D)
            }
            keys.append(0x5D)
        }
    }

    /// An order line as the stores' `orders` table holds it, with its article key and its row in `orders.csv`.
    static func storedOrder<Sink: CellSink>(_ o: OrderLine, into s: inout Sink) {
        s.text(o.orderNumber)
        s.text(o.supplier)
        s.text(o.supplierOrderId)
        s.date(o.orderDate)
        s.text(o.brand)
        s.text(o.article)
        s.text(o.name)
        s.exact(o.quantity)
        s.price(o.unitPrice)
        s.text(o.currency)
        s.text(o.key.brand)
        s.text(o.key.number)
        s.int(o.row)
    }

    /// An INC line as the stores' `inc_lines` table holds it: its CSV cells, then its document's supplier (`suppliers`,
    /// by INC number: `RangeResults.supplierOfInc`).
    static func storedIncLine<Sink: CellSink>(_ l: IncLine, suppliers: [String: String], into s: inout Sink) {
        incLine(l, into: &s)
        if let supplier = suppliers[l.incNumber] { s.text(supplier) } else { s.empty() }
    }

    /// A finding as the stores' `reconciliation` table holds it: its place in the stored order, its cells with the
    /// note's values, its date, and for an order finding the range it was found at the end of.
    static func storedFinding<Sink: CellSink>(
        _ f: Finding, position: Int, from: CalendarDate, to: CalendarDate, into s: inout Sink
    ) {
        s.int(position)
        finding(f, notes: nil, into: &s)
        s.date(f.date)
        if f.status.isOrderFinding {
            s.date(from)
            s.date(to)
        } else {
            s.empty()
            s.empty()
        }
    }
}
