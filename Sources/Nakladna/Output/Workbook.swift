import Foundation
import ZIPFoundation

/// `nakladna.xlsx`: the range's three CSV files as one workbook, a sheet each, for the accountant's spreadsheet.
/// Headers in Ukrainian; money as numbers with two decimals, unit prices with four; dates as dates; codes, articles
/// and invoice numbers as text, so `0986452041` keeps its leading zero; the header row frozen, with filters on.
///
/// The sheets are SpreadsheetML written here (the format is four small XML files and one per sheet, and no package
/// on the machine's list writes it); ZIPFoundation packs them.
package enum Workbook {
    /// The sheets, in order: the CSV file each one repeats, and its columns.
    package static let sheets: [(name: String, columns: [String])] = [
        ("inc_documents", Columns.incDocuments), ("inc_lines", Columns.incLines),
        ("reconciliation", Columns.reconciliation),
    ]

    /// Each contract column's header in the workbook.
    package static let headers: [String: String] = [
        "inc_number": "Номер INC", "supplier": "Постачальник", "supplier_invoice": "Накладна постачальника",
        "kind": "Вид", "invoice_date": "Дата накладної", "currency": "Валюта", "net_total": "Сума без ПДВ",
        "vat_total": "ПДВ", "gross_total": "Сума з ПДВ", "rate": "Курс", "gross_total_uah": "Сума з ПДВ, грн",
        "lines": "Рядків", "status": "Статус", "orders": "Замовлення", "source_sha256": "SHA-256 документа",
        "line": "Рядок", "brand": "Бренд", "article": "Артикул", "supplier_code": "Код постачальника", "name": "Назва",
        "quantity": "Кількість", "unit_price_gross": "Ціна з ПДВ", "vat_rate": "Ставка ПДВ, %",
        "net_amount": "Сума без ПДВ", "vat_amount": "ПДВ", "gross_amount": "Сума з ПДВ",
        "order_number": "Замовлення", "ordered_qty": "Замовлено", "invoiced_qty": "Виставлено",
        "order_price": "Ціна замовлення", "invoice_price": "Ціна в накладній", "amount_at_stake": "Сума під питанням",
        "note": "Примітка",
    ]

    /// Column widths, in characters, by what a column holds.
    static let widths: [String: Int] = [
        "inc_number": 24, "supplier": 13, "supplier_invoice": 20, "kind": 9, "invoice_date": 12, "currency": 8,
        "rate": 9, "lines": 8, "status": 15, "orders": 14, "source_sha256": 66, "line": 7, "brand": 14, "article": 15,
        "supplier_code": 16, "name": 34, "quantity": 10, "vat_rate": 10, "order_number": 13, "ordered_qty": 11,
        "invoiced_qty": 11, "note": 70,
    ]

    /// The workbook's bytes, its notes in the station's language like the CSV files'.
    package static func render(_ r: RangeResults, notes: Language) throws -> Data {
        var bodies: [[UInt8]] = []
        var sheet = Sheet(columns: sheets[0].columns.count)
        for d in r.incDocuments { sheet.row { Columns.incDocument(d, into: &$0) } }
        bodies.append(sheet.xml(header: sheets[0].columns))
        sheet = Sheet(columns: sheets[1].columns.count)
        for l in r.incLines { sheet.row { Columns.incLine(l, into: &$0) } }
        bodies.append(sheet.xml(header: sheets[1].columns))
        sheet = Sheet(columns: sheets[2].columns.count)
        for f in r.findings { sheet.row { Columns.finding(f, notes: notes, into: &$0) } }
        bodies.append(sheet.xml(header: sheets[2].columns))

        let archive = try ZIPFoundation.Archive(data: Data(), accessMode: .create)
        func add(_ path: String, _ bytes: [UInt8]) throws {
            let data = Data(bytes)
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate
            ) { position, size in data.subdata(in: Int(position)..<Int(position) + size) }
        }
        try add("[Content_Types].xml", Array(contentTypes.utf8))
        try add("_rels/.rels", Array(rootRels.utf8))
        try add("xl/workbook.xml", Array(workbookXML.utf8))
        try add("xl/_rels/workbook.xml.rels", Array(workbookRels.utf8))
        try add("xl/styles.xml", Array(styles.utf8))
        for (i, body) in bodies.enumerated() { try add("xl/worksheets/sheet\(i + 1).xml", body) }
        guard let data = archive.data else { throw CocoaError(.fileWriteUnknown) }
        return data
    }

    // MARK: Cells

    /// Cell styles, by their index in `styles`.
    enum Style: Int {
        case general = 0, money = 1, price = 2, date = 3, header = 4
    }

    /// One sheet's rows as SpreadsheetML, cell by cell as `Columns` gives them.
    struct Sheet: CellSink {
        let columns: Int
        var out: [UInt8] = []
        var rowNumber = 1
        var column = 0

        init(columns: Int) {
            self.columns = columns
        }

        mutating func row(_ cells: (inout Sheet) -> Void) {
            rowNumber += 1
            column = 0
            out += "<row r=\"\(rowNumber)\">".utf8
            cells(&self)
            out += "</row>".utf8
        }

        var reference: String { Workbook.columnName(column) + String(rowNumber) }

        mutating func text(_ s: String) {
            out += "<c r=\"\(reference)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">".utf8
            Markup.appendEscaped(s, to: &out)
            out += "</t></is></c>".utf8
            column += 1
        }

        mutating func empty() { column += 1 }

        mutating func ascii(number: Bool, _ write: (inout [UInt8]) -> Void) {
            var bytes: [UInt8] = []
            write(&bytes)
            if number { cell(bytes, .general) } else { text(String(decoding: bytes, as: UTF8.self)) }
        }

        mutating func number(_ x: Fixed?, places: Int?) {
            guard let x else { return empty() }
            var bytes: [UInt8] = []
            x.write(places: places, to: &bytes)
            cell(bytes, places == 2 ? .money : places == 4 ? .price : .general)
        }

        /// A date as the spreadsheet's day number (days since 1899-12-30), shown as a date.
        mutating func date(_ d: CalendarDate) {
            cell(Array(String(DatePattern.days(from: d) + 25_569).utf8), .date)
        }

        mutating func cell(_ value: [UInt8], _ style: Style) {
            out += "<c r=\"\(reference)\"".utf8
            if style != .general { out += " s=\"\(style.rawValue)\"".utf8 }
            out += "><v>".utf8
            out += value
            out += "</v></c>".utf8
            column += 1
        }

        /// The whole worksheet: the header row frozen and filtered, then the rows.
        func xml(header: [String]) -> [UInt8] {
            let last = Workbook.columnName(columns - 1) + String(max(rowNumber, 1))
            var xml = Array(
                """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
                <sheetPr><pageSetUpPr fitToPage="1"/></sheetPr><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" \
                state="frozen"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/><cols>
                """.utf8)
            for (i, name) in header.enumerated() {
                let width = Workbook.widths[name] ?? 14
                xml += "<col min=\"\(i + 1)\" max=\"\(i + 1)\" width=\"\(width)\" customWidth=\"1\"/>".utf8
            }
            xml += "</cols><sheetData><row r=\"1\">".utf8
            for (i, name) in header.enumerated() {
                xml += "<c r=\"\(Workbook.columnName(i))1\" s=\"\(Style.header.rawValue)\" t=\"inlineStr\"><is><t>".utf8
                Markup.appendEscaped(Workbook.headers[name] ?? name, to: &xml)
                xml += "</t></is></c>".utf8
            }
            xml += "</row>".utf8
            xml += out
            xml += "</sheetData><autoFilter ref=\"A1:\(last)\"/>".utf8
            // Printed landscape, as wide as the page.
            xml +=
                "<pageMargins left=\"0.4\" right=\"0.4\" top=\"0.5\" bottom=\"0.5\" header=\"0.3\" footer=\"0.3\"/>"
                .utf8
            xml +=
                "<pageSetup paperSize=\"9\" orientation=\"landscape\" fitToWidth=\"1\" fitToHeight=\"0\"/></worksheet>"
                .utf8
            return xml
        }
    }

    /// `A`, `B`, … `Z`, `AA`, … for a 0-based column.
    static func columnName(_ index: Int) -> String {
        var n = index + 1
        var name = ""
        while n > 0 {
            let r = (n - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + r))) + name
            n = (n - 1) / 26
        }
        return name
    }

    // MARK: The package's fixed parts

    static let contentTypes = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/xl/workbook.xml" \
        ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
        <Override PartName="/xl/styles.xml" \
        ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
        <Override PartName="/xl/worksheets/sheet1.xml" \
        ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
        <Override PartName="/xl/worksheets/sheet2.xml" \
        ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
        <Override PartName="/xl/worksheets/sheet3.xml" \
        ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
        </Types>
        """

    static let rootRels = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" \
        Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" \
        Target="xl/workbook.xml"/></Relationships>
        """

    static var workbookXML: String {
        var sheetsXML = ""
        var names = ""
        for (i, s) in sheets.enumerated() {
            sheetsXML += "<sheet name=\"\(s.name)\" sheetId=\"\(i + 1)\" r:id=\"rId\(i + 1)\"/>"
            names +=
                "<definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"\(i)\" hidden=\"1\">\(s.name)!$A$1:$"
                + columnName(s.columns.count - 1) + "$1</definedName>"
        }
        return """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
            <sheets>\(sheetsXML)</sheets><definedNames>\(names)</definedNames></workbook>
            """
    }

    static var workbookRels: String {
        var rels = ""
        for i in sheets.indices {
            rels +=
                "<Relationship Id=\"rId\(i + 1)\" "
                + "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
                + "Target=\"worksheets/sheet\(i + 1).xml\"/>"
        }
        rels +=
            "<Relationship Id=\"rId\(sheets.count + 1)\" "
            + "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
        return """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\(rels)</Relationships>
            """
    }

    /// Styles 0 general, 1 money (0.00), 2 unit price (0.0000), 3 date (dd.mm.yyyy), 4 the bold header.
    static let styles = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
        <numFmts count="2"><numFmt numFmtId="164" formatCode="0.0000"/>\
        <numFmt numFmtId="165" formatCode="dd.mm.yyyy"/></numFmts>\
        <fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>\
        <font><b/><sz val="11"/><name val="Calibri"/></font></fonts>\
        <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>\
        </fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
        <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
        <cellXfs count="5"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
        <xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>\
        <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>
        """
}
