import Foundation

/// `report.html`: the accountant's morning page. One self-contained file (styles and the chart inline, no
/// external fonts, scripts or images) that opens offline and prints on A4.
package struct Report: Sendable {
    package var results: RangeResults
    package var from: CalendarDate
    package var to: CalendarDate
    package var generatedAt: Date
    package var timezone: TimeZone
    package var language: Language
    package var quarantined: [(file: String, reason: String)]
    package var suppliers: [String]
    /// Inbox entries this run left unread, with why.
    package var unread: [UnreadEntry]
    /// `orders.csv` lines of suppliers that are not enabled, by supplier id.
    package var ignoredOrders: [String: Int]
    /// Documents converted at a rate older than the station allows.
    package var oldRates: [OldRates.Flag]
    /// Suppliers whose order findings of this range were left out, made stale by a later replay from the day given.
    package var staleOrders: [String: CalendarDate] = [:]

    package init(
        results: RangeResults, from: CalendarDate, to: CalendarDate, generatedAt: Date, timezone: TimeZone,
        language: Language, quarantined: [(file: String, reason: String)], suppliers: [String],
        unread: [UnreadEntry] = [], ignoredOrders: [String: Int] = [:], oldRates: [OldRates.Flag] = []
    ) {
        self.oldRates = oldRates
        self.unread = unread
        self.ignoredOrders = ignoredOrders
        self.results = results
        self.from = from
        self.to = to
        self.generatedAt = generatedAt
        self.timezone = timezone
        self.language = language
        self.quarantined = quarantined
        self.suppliers = suppliers
    }

    /// The same report in another language.
    package func inLanguage(_ language: Language) -> Report {
        var copy = self
        copy.language = language
        return copy
    }

    /// The files in quarantine now, by supplier and name.
    package static func quarantinedList(_ files: [FeedFileRecord]) -> [(file: String, reason: String)] {
        files.filter { $0.status == "quarantined" }.sorted {
            $0.supplier != $1.supplier ? codePointLess($0.supplier, $1.supplier) : codePointLess($0.name, $1.name)
        }.map { (file: "\($0.supplier)/\($0.name)", reason: $0.error) }
    }

    /// Statuses that need the accountant: everything but a match, a return, and the order findings listed apart.
    static let discrepancies: Set<Status> = [
        .priceMismatch, .overDelivered, .unordered, .duplicateInvoice, .totalMismatch, .foreignCustomer, .missingRate,
    ]

    /// One supplier's line of the summary, in one currency.
    package struct SupplierSummary: Sendable, Equatable {
        package var supplier: String
        package var currency: String
        package var documents: Int
        package var lines: Int
        package var matchedLines: Int
        package var atStake: [Status: Fixed]
    }

    /// The summary table's rows: per supplier and currency, from the range's rows alone.
    package var summary: [SupplierSummary] {
        // One row per supplier and currency, found by its key once a document (or once a run of findings).
        var rows: [SupplierSummary] = []
        var slotOfKey: [String: Int] = [:]
        func slot(_ supplier: String, _ currency: String) -> Int {
            let key = supplier + "\u{0}" + currency
            if let slot = slotOfKey[key] { return slot }
            rows.append(
                SupplierSummary(
                    supplier: supplier, currency: currency, documents: 0, lines: 0, matchedLines: 0, atStake: [:]))
            slotOfKey[key] = rows.count - 1
            return rows.count - 1
        }
        var slotOfInc: [String: Int] = [:]
        slotOfInc.reserveCapacity(results.incDocuments.count)
        for d in results.incDocuments {
            let s = slot(d.supplier, d.currency)
            rows[s].documents += 1
            if slotOfInc[d.incNumber] == nil { slotOfInc[d.incNumber] = s }
        }
        // A year has hundreds of thousands of lines and findings: lines are counted per run of one INC's lines
        // (they come together, so an INC is looked up about once; a split run is only counted in two goes), and a
        // finding's row is looked up again only when its supplier or currency changes.
        var number = ""
        var (all, matched) = (0, 0)
        func count() {
            guard all > 0, let s = slotOfInc[number] else { return }
            rows[s].lines += all
            rows[s].matchedLines += matched
        }
        // By index, reading the fields it needs: `for x in array` would copy every row, all its strings retained.
        let lines = results.incLines
        for i in lines.indices where lines[i].status != "adjustment" {
            if lines[i].incNumber != number {
                count()
                (number, all, matched) = (lines[i].incNumber, 0, 0)
            }
            all += 1
            if lines[i].status == Status.matched.rawValue { matched += 1 }
        }
        count()
        var (supplier, currency, s) = ("", "", -1)
        let findings = results.findings
        for i in findings.indices where findings[i].status != .matched {
            if s < 0 || findings[i].supplier != supplier || findings[i].currency != currency {
                (supplier, currency) = (findings[i].supplier, findings[i].currency)
                s = slot(supplier, currency)
            }
            rows[s].atStake[findings[i].status, default: .zero] += findings[i].amountAtStake
        }
        return rows.sorted {
            $0.supplier != $1.supplier
                ? codePointLess($0.supplier, $1.supplier) : codePointLess($0.currency, $1.currency)
        }
    }

    /// The discrepancies, largest money at stake first.
    package var discrepancyRows: [Finding] {
        let f = results.findings
        var rows = f.indices.filter { Report.discrepancies.contains(f[$0].status) }
        rows.sort { a, b in
            let (x, y) = (f[a].amountAtStake.magnitude, f[b].amountAtStake.magnitude)
            return x != y ? y < x : a < b
        }
        return rows.map { f[$0] }
    }

    func t(_ key: String) -> String { Report.text[key]?[language == .uk ? 0 : 1] ?? key }

    static let text: [String: [String]] = [
        "title": ["Звірка накладних постачальників", "Supplier invoice reconciliation"],
        "range": ["Період", "Range"],
        "generated": ["Сформовано", "Generated"],
        "summary": ["Підсумок за постачальниками", "Summary by supplier"],
        "supplier": ["Постачальник", "Supplier"],
        "currency": ["Валюта", "Currency"],
        "documents": ["Документів", "Documents"],
        "lines": ["Рядків", "Lines"],
        "matched": ["Збіглося", "Matched"],
        "at_stake": ["Під питанням", "At stake"],
        "total": ["Разом", "Total"],
        "chart": ["Гроші під питанням за постачальником і статусом", "Money at stake by supplier and status"],
        "discrepancies": ["Розбіжності", "Discrepancies"],
        "no_discrepancies": ["Розбіжностей немає.", "No discrepancies."],
        "invoice": ["Накладна", "Invoice"],
        "date": ["Дата", "Date"],
        "inc": ["INC", "INC"],
        "order": ["Замовлення", "Order"],
        "what": ["Що не так", "What is wrong"],
        "amount": ["Сума", "Amount"],
        "status": ["Статус", "Status"],
        "not_delivered": ["Не надійшло", "Not delivered"],
        "manual": ["Оприбуткувати вручну", "To receive by hand"],
        "none": ["Немає.", "None."],
        "article": ["Артикул", "Article"],
        "ordered": ["Замовлено", "Ordered"],
        "received": ["Отримано", "Received"],
        "quarantine": ["Файли в карантині", "Quarantined files"],
        "unread": ["Не прочитано: залишено у вхідній теці", "Not read: left in the inbox"],
        "review_means": [
            "«готово»: кожен рядок збігся із замовленням або повернений, документ можна проводити. «перевірити»: у "
                + "документі є розбіжність (ціна, кількість, курс, підсумок), її видно в «Розбіжностях» вище; "
                + "проведіть документ, коли розберетеся з нею.",
            "“ready”: every line matched its order or was returned, and the document can be posted. “review”: the "
                + "document has a discrepancy (a price, a quantity, a rate, a total), listed under Discrepancies "
                + "above; post it once that is settled.",
        ],
        "old_rates": ["Документи за старим курсом", "Documents at an old exchange rate"],
        "stale_orders": [
            "Незавершені замовлення за цей період застаріли", "This range's order findings are out of date",
        ],
        "ignored_orders": [
            "Замовлення постачальників, яких немає серед увімкнених", "Orders of suppliers not enabled",
        ],
        "file": ["Файл", "File"],
        "reason": ["Причина", "Reason"],
        "incs": ["Прибуткові документи (INC)", "Receipt documents (INC)"],
        "orders": ["Замовлення в розбіжностях", "Orders in the findings"],
        "gross": ["Сума з ПДВ", "Gross"],
        "price_mismatch": ["розбіжність ціни", "price mismatch"],
        "over_delivered": ["понад замовлення", "over-delivered"],
        "unordered": ["не замовляли", "unordered"],
        "returned": ["повернення", "returned"],
        "duplicate_invoice": ["повторна накладна", "duplicate invoice"],
        "total_mismatch": ["розбіжність підсумку", "total mismatch"],
        "foreign_customer": ["чужий клієнт", "foreign customer"],
        "missing_rate": ["немає курсу", "missing rate"],
        "not_delivered_status": ["не надійшло", "not delivered"],
        "manual_receipt": ["оприбуткувати вручну", "receive by hand"],
        "matched_status": ["збіглося", "matched"],
        "ready": ["готово", "ready"],
        "review": ["перевірити", "review"],
    ]

    func statusName(_ s: Status) -> String {
        switch s {
        case .notDelivered: return t("not_delivered_status")
        case .matched: return t("matched_status")
        default: return t(s.rawValue)
        }
    }

    /// Text for HTML and XML alike (the order export writes Elit's XML with it).
    static func escape(_ s: String) -> String {
        // Most text has nothing to escape: it is returned as it is, with no copy.
        guard
            s.utf8.contains(where: { $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 || $0 < 0x20 })
        else {
            return s
        }
        var page = Page()
        page.text(s)
        return String(decoding: page.bytes, as: UTF8.self)
    }

    func money(_ x: Fixed, _ c: String) -> String { Report.escape(Format.money(x, c, language)) }
    func date(_ d: CalendarDate) -> String { Format.date(d, language) }

    var generatedText: String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timezone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: generatedAt)
        let d = CalendarDate(year: c.year ?? 1970, month: c.month ?? 1, day: c.day ?? 1)
        let hm = String(format: "%02d:%02d", c.hour ?? 0, c.minute ?? 0)
        return "\(date(d)) \(hm) (\(timezone.identifier))"
    }

    /// The whole page, as UTF-8.
    package func html() -> [UInt8] {
        var page = Page()
        write(into: &page)
        return page.bytes
    }

    /// The page, given to `file` as it is made: a megabyte at a time, and the orders' rows a batch at a time. A
    /// year's page is tens of megabytes (105 MB on the night after three years): held whole, every page of it was
    /// memory touched anew. Its long sections are written straight into buffers (`Page`), not through a string per
    /// row.
    package func write(to file: FileOutput) {
        var page = Page(output: file)
        write(into: &page)
        file.flush(&page.bytes)
    }

    func write(into page: inout Page) {
        page.raw(
            """
            <!DOCTYPE html>
            <html lang="\(language.rawValue)">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(t("title")) \(date(from)) – \(date(to))</title>
            <style>\(Report.css)\(Report.stripes)</style>
            </head>
            <body>
            <header><h1>\(t("title"))</h1>
            <p class="meta"><span id="range">\(t("range")): \(date(from)) – \(date(to))</span> · \
            <span id="generated">\(t("generated")): \(generatedText)</span></p></header>

            """)
        let rows = summary
        page.raw(summarySection(rows))
        page.raw(chartSection(rows))
        let discrepancies = discrepancyRows
        let ordersOfLine = ordersOfLines(discrepancies)
        discrepancySection(discrepancies, ordersOfLine: ordersOfLine, into: &page)
        orderSection(linked: Set(ordersOfLine.values.joined()), into: &page)
        page.raw(quarantineSection())
        page.raw(noticeSections())
        incSection(into: &page)
        page.raw("</body>\n</html>\n")
    }

    /// The page's bytes as they are written: `raw` for markup, `text` for text escaped as HTML. With an `output`,
    /// they go to it whenever a megabyte has gathered, and parts go to it at once, so that the room for a megabyte
    /// and a little more is all it ever takes.
    struct Page {
        var bytes: [UInt8] = []
        private var scratch: [UInt8] = []
        let output: FileOutput?

        init(output: FileOutput? = nil) {
            self.output = output
            if output != nil { bytes.reserveCapacity(FileOutput.chunk + 65_536) }
        }

        /// `part` goes after what was written so far.
        mutating func add(part: [UInt8]) {
            guard let output else { return bytes += part }
            output.flush(&bytes)
            output.write(part)
        }

        /// Read in place rather than as a sequence of bytes: a year's page appends millions of pieces of markup.
        mutating func raw(_ s: String) {
            var s = s
            s.withUTF8 { bytes.append(contentsOf: $0) }
            output?.flush(&bytes, least: FileOutput.chunk)
        }

        mutating func text(_ s: String) { Markup.appendEscaped(s, to: &bytes) }

        /// Before the item at `place` of a long table or list that comes in parts of `size` items: where a part
        /// begins there, `close` ends the one before and `open` begins it. A browser lays out a part (`div.part` in
        /// the style) only when it is scrolled to.
        mutating func part(before place: Int, of size: Int, close: String, open: String) {
            guard place > 0 && place % size == 0 else { return }
            raw(close)
            raw(open)
        }

        /// An amount with its currency, escaped: the currency is the supplier's or the station's text.
        mutating func money(_ amount: Fixed, _ currency: String, _ language: Language) {
            scratch.removeAll(keepingCapacity: true)
            Format.money(amount, currency, language, to: &scratch)
            Markup.appendEscaped(utf8: scratch, to: &bytes)
        }

        /// A finding's note, escaped: its sentence is written into `scratch`, kept from one row to the next.
        mutating func note(_ n: Note, _ language: Language) {
            scratch.removeAll(keepingCapacity: true)
            n.write(language, to: &scratch)
            Markup.appendEscaped(utf8: scratch, to: &bytes)
        }

        /// An anchor id made only of safe characters, stable for the same text: ASCII letters and digits stay,
        /// anything else becomes `_` and its code point.
        mutating func anchor(_ prefix: String, _ s: String) {
            bytes += prefix.utf8
            bytes.append(0x2D)
            for c in s.unicodeScalars {
                let v = c.value
                if (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) {
                    bytes.append(UInt8(v))
                } else {
                    bytes.append(0x5F)
                    // The code point's decimal digits, written here rather than made into a text of their own.
                    var divisor: UInt32 = 1
                    while divisor <= v / 10 { divisor *= 10 }
                    while divisor > 0 {
                        bytes.append(UInt8(truncatingIfNeeded: v / divisor % 10) + 0x30)
                        divisor /= 10
                    }
                }
            }
        }
    }

    /// Each status's name, by rank, looked up once rather than for every row.
    var statusNames: [String] { Status.allCases.map(statusName) }

    func summarySection(_ rows: [SupplierSummary]) -> String {
        var h = "<section id=\"summary\"><h2>\(t("summary"))</h2>\n<table class=\"summary\"><thead><tr>"
        h += "<th>\(t("supplier"))</th><th>\(t("currency"))</th><th class=\"n\">\(t("documents"))</th>"
        h += "<th class=\"n\">\(t("lines"))</th><th class=\"n\">\(t("matched"))</th>"
        let shown: [Status] = [
            .priceMismatch, .overDelivered, .unordered, .returned, .duplicateInvoice, .totalMismatch,
            .notDelivered,
        ]
        for s in shown { h += "<th class=\"n\">\(statusName(s))</th>" }
        h += "</tr></thead><tbody>\n"
        for r in rows {
            let share = r.lines == 0 ? "—" : "\(r.matchedLines * 100 / r.lines) %"
            h += "<tr><td>\(Report.escape(r.supplier))</td><td>\(Report.escape(r.currency))</td>"
            h += "<td class=\"n\" data-documents>\(r.documents)</td><td class=\"n\" data-lines>\(r.lines)</td>"
            h += "<td class=\"n\">\(share)</td>"
            for s in shown {
                let v = r.atStake[s]
                h += "<td class=\"n\" data-status=\"\(s.rawValue)\">\(v.map { money($0, r.currency) } ?? "")</td>"
            }
            h += "</tr>\n"
        }
        // One total row per currency: kopecks and euro cents are never added together.
        for currency in Set(rows.map(\.currency)).sorted(by: codePointLess) {
            let group = rows.filter { $0.currency == currency }
            let lines = group.reduce(0) { $0 + $1.lines }
            let matched = group.reduce(0) { $0 + $1.matchedLines }
            h += "<tr class=\"total\" data-currency=\"\(Report.escape(currency))\"><th>\(t("total"))</th>"
            h +=
                "<th>\(Report.escape(currency))</th><th class=\"n\" data-documents>\(group.reduce(0) { $0 + $1.documents })</th>"
            h +=
                "<th class=\"n\" data-lines>\(lines)</th><th class=\"n\">\(lines == 0 ? "—" : "\(matched * 100 / lines) %")</th>"
            for s in shown {
                let values = group.compactMap { $0.atStake[s] }
                let sum = values.reduce(Fixed.zero, +)
                h += "<th class=\"n\" data-status=\"\(s.rawValue)\">\(values.isEmpty ? "" : money(sum, currency))</th>"
            }
            h += "</tr>\n"
        }
        h += "</tbody></table></section>\n"
        return h
    }

    func chartSection(_ rows: [SupplierSummary]) -> String {
        let statuses: [Status] = [
            .priceMismatch, .overDelivered, .unordered, .duplicateInvoice, .totalMismatch,
            .notDelivered,
        ]
        let colors = Report.statusColor
        // Money at stake keeps its sign: what the station would pay too much stacks right of the zero line, what it
        // would get back (a price below the order's, a total stated below the lines') stacks left. Bars are scaled
        // per currency: kopecks and euro cents are not added together.
        func sums(_ r: SupplierSummary) -> (positive: Fixed, negative: Fixed) {
            statuses.reduce((Fixed.zero, Fixed.zero)) { acc, s in
                guard let v = r.atStake[s] else { return acc }
                return v.isNegative ? (acc.0, acc.1 + v.magnitude) : (acc.0 + v, acc.1)
            }
        }
        var maxByCurrency: [String: (positive: Fixed, negative: Fixed)] = [:]
        for r in rows {
            let (p, n) = sums(r)
            let m = maxByCurrency[r.currency] ?? (.zero, .zero)
            maxByCurrency[r.currency] = (max(m.positive, p), max(m.negative, n))
        }
        let barHeight = 20
        let width = 1200
        let labelWidth = 190
        let totalWidth = 130
        let height = rows.count * (barHeight + 10) + 50
        var svg = "<svg viewBox=\"0 0 \(width) \(height)\" role=\"img\" "
        svg += "aria-label=\"\(t("chart"))\" class=\"chart\">"
        let plot = Double(width - labelWidth - totalWidth)
        for (i, r) in rows.enumerated() {
            let y = 10 + i * (barHeight + 10)
            svg +=
                "<text x=\"0\" y=\"\(y + 16)\" class=\"label\">\(Report.escape(r.supplier)) (\(Report.escape(r.currency)))</text>"
            let m = maxByCurrency[r.currency] ?? (.zero, .zero)
            let span = Double((m.positive + m.negative).description) ?? 0
            guard span > 0 else {
                // Nothing at stake in this currency at all: the sum alone, as for any row.
                svg +=
                    "<text x=\"\(labelWidth + 6)\" y=\"\(y + 15)\" class=\"value\">\(money(.zero, r.currency))</text>"
                continue
            }
            // The zero line of this currency: as far right as its largest negative side needs.
            let zero = Double(labelWidth) + plot * (Double(m.negative.description) ?? 0) / span
            var (right, left) = (zero, zero)
            for s in statuses {
                guard let v = r.atStake[s], !v.isZero else { continue }
                let w = (Double(v.magnitude.description) ?? 0) / span * plot
                if v.isNegative { left -= w }
                let x = v.isNegative ? left : right
                svg += "<rect x=\"\(Int(x))\" y=\"\(y)\" width=\"\(max(1, Int(w)))\" height=\"\(barHeight)\" "
                svg += "fill=\"\(colors[s] ?? "#999")\"><title>\(statusName(s)): \(money(v, r.currency))</title></rect>"
                if !v.isNegative { right += w }
            }
            svg +=
                "<line x1=\"\(Int(zero))\" x2=\"\(Int(zero))\" y1=\"\(y - 3)\" y2=\"\(y + barHeight + 3)\" class=\"zero\"/>"
            let total = statuses.reduce(Fixed.zero) { $0 + (r.atStake[$1] ?? .zero) }
            svg += "<text x=\"\(Int(right) + 6)\" y=\"\(y + 15)\" class=\"value\">\(money(total, r.currency))</text>"
        }
        var lx = labelWidth
        let ly = height - 16
        for s in statuses {
            svg += "<rect x=\"\(lx)\" y=\"\(ly - 10)\" width=\"12\" height=\"12\" fill=\"\(colors[s] ?? "#999")\"/>"
            svg += "<text x=\"\(lx + 16)\" y=\"\(ly)\" class=\"legend\">\(statusName(s))</text>"
            lx += 16 + statusName(s).count * 7 + 22
        }
        svg += "</svg>"
        return "<section id=\"chart\"><h2>\(t("chart"))</h2>\n\(svg)\n</section>\n"
    }

    /// A discrepancy without an order of its own (the part of a line over the order) links to the orders its line
    /// was allocated to: by INC number and line, for the rows that need it.
    func ordersOfLines(_ rows: [Finding]) -> [String: [String]] {
        var ordersOfLine: [String: [String]] = [:]
        for f in rows where f.orderNumber.isEmpty {
            if let line = f.line { ordersOfLine["\(f.incNumber)\u{0}\(line)"] = [] }
        }
        guard !ordersOfLine.isEmpty else { return ordersOfLine }
        let findings = results.findings
        for i in findings.indices where !findings[i].orderNumber.isEmpty {
            guard let line = findings[i].line else { continue }
            let key = "\(findings[i].incNumber)\u{0}\(line)"
            if ordersOfLine[key] != nil { ordersOfLine[key]?.append(findings[i].orderNumber) }
        }
        return ordersOfLine
    }

    func discrepancySection(_ rows: [Finding], ordersOfLine: [String: [String]], into page: inout Page) {
        page.raw("<section id=\"discrepancies\" class=\"break\"><h2>\(t("discrepancies"))</h2>\n")
        guard !rows.isEmpty else { return page.raw("<p>\(t("no_discrepancies"))</p></section>\n") }
        page.raw("<table><thead><tr><th>\(t("supplier"))</th><th>\(t("invoice"))</th><th>\(t("date"))</th>")
        page.raw("<th>\(t("status"))</th><th>\(t("what"))</th><th class=\"n\">\(t("amount"))</th>")
        page.raw("<th>\(t("inc"))</th><th>\(t("order"))</th></tr></thead><tbody>\n")
        // A finding without an INC (a duplicate, another customer's document) links to the INC of the same
        // supplier invoice where there is one; one without an order, to the orders its line was allocated to.
        let incOf = Dictionary(
            results.incDocuments.map { ($0.supplier + "\u{0}" + $0.supplierInvoice, $0.incNumber) },
            uniquingKeysWith: { a, _ in a })
        let names = statusNames
        let lineWord = language == .uk ? " · рядок " : " · line "
        for f in rows {
            let incNumber = f.incNumber.isEmpty ? incOf[f.supplier + "\u{0}" + f.supplierInvoice] ?? "" : f.incNumber
            var orders = f.orderNumber.isEmpty ? [] : [f.orderNumber]
            if orders.isEmpty, let line = f.line { orders = ordersOfLine["\(f.incNumber)\u{0}\(line)"] ?? [] }
            page.raw("<tr class=\"finding\" data-status=\"")
            page.raw(f.status.rawValue)
            page.raw("\"><td>")
            page.text(f.supplier)
            page.raw("</td><td class=\"invoice\">")
            page.text(f.supplierInvoice)
            if let line = f.line {
                page.raw(lineWord)
                page.raw(String(line))
            }
            page.raw("</td><td class=\"d\">")
            page.raw(date(f.date))
            page.raw("</td><td>")
            page.raw(names[f.status.rank])
            page.raw("</td><td>")
            page.note(f.note, language)
            page.raw("</td><td class=\"n amount\">")
            page.text(Format.money(f.amountAtStake, f.currency, language))
            page.raw("</td><td>")
            if !incNumber.isEmpty {
                page.raw("<a href=\"#")
                page.anchor("inc", incNumber)
                page.raw("\">")
                page.text(incNumber)
                page.raw("</a>")
            }
            page.raw("</td><td>")
            for (i, o) in orders.enumerated() {
                page.raw(i == 0 ? "<a href=\"#" : " <a href=\"#")
                page.anchor("order", o)
                page.raw("\">")
                page.text(o)
                page.raw("</a>")
            }
            page.raw("</td></tr>\n")
        }
        page.raw("</tbody></table></section>\n")
    }

    /// The orders not delivered, those to receive by hand, and every order with a discrepancy (or one a
    /// discrepancy links to, `linked`), each with an anchor.
    func orderSection(linked: Set<String>, into page: inout Page) {
        // The list of orders is made on another thread while the rows are written: after a year, made once the
        // rows were, it kept the run waiting about a tenth of a second with one core idle (perf, by time).
        let list = Background { [self] in orderList(linked: linked) }
        page.raw("<section id=\"orders\" class=\"break\">")
        for (status, title) in [(Status.notDelivered, "not_delivered"), (.manualReceipt, "manual")] {
            page.raw("<h2 id=\"\(title)\">\(t(title))</h2>\n")
            let rows = results.findings.indices.filter { results.findings[$0].status == status }
            guard !rows.isEmpty else {
                page.raw("<p>\(t("none"))</p>\n")
                continue
            }
            // A long table comes in parts of `rowsPerPart` rows, each a table of its own that a browser lays out only
            // when it is scrolled to (`div.part` in the style): Chromium took minutes to open a year's page whose
            // 83,000 rows were one table (README, "Nights", session 16). The columns keep one width in every part.
            let open =
                "<div class=\"part\"><table class=\"orders\"><colgroup><col class=\"w9\"><col class=\"w9\">"
                + "<col class=\"w8\"><col class=\"w16\"><col class=\"w7\"><col class=\"w7\"><col><col class=\"w12\">"
                + "</colgroup><thead><tr><th>\(t("supplier"))</th><th>\(t("order"))</th><th>\(t("date"))</th>"
                + "<th>\(t("article"))</th><th class=\"n\">\(t("ordered"))</th><th class=\"n\">\(t("received"))</th>"
                + "<th>\(t("what"))</th><th class=\"n\">\(t("amount"))</th></tr></thead><tbody>\n"
            let close = "</tbody></table></div>\n"
            page.raw(open)
            // The night after a year lists 83,000 orders not delivered, and the run waits for the page: the rows are
            // written in shares on every core, each into a page of its own, and joined in order, a batch at a time,
            // so that only a batch is held (three years list 253,000).
            let batch = 32_768
            for start in stride(from: 0, to: rows.count, by: batch) {
                let parts = Parallel.shares(of: rows[start..<min(start + batch, rows.count)], minimum: 10_000) {
                    share in
                    var part = Page()
                    part.bytes.reserveCapacity(share.count * 420)
                    // A share's indices are its rows' places in the whole table.
                    for place in share.indices {
                        part.part(before: place, of: Report.rowsPerPart, close: close, open: open)
                        orderRow(results.findings[share[place]], into: &part)
                    }
                    return part.bytes
                }
                // A share cannot fail: it only writes bytes.
                for case .success(let bytes) in parts { page.add(part: bytes) }
            }
            page.raw(close)
        }
        // It cannot fail: it only writes bytes.
        page.add(part: (try? list.value()) ?? [])
    }

    /// The list of orders at the end of the orders section.
    func orderList(linked: Set<String>) -> [UInt8] {
        var page = Page()
        // Every order a finding names gets an anchor here, so that each discrepancy links to it. Each order is
        // kept once, with its statuses as bits by rank (a year names hundreds of thousands of orders), in the
        // findings' order: the order findings come sorted by supplier and number, so that sorting the names merges
        // a few long runs, where a dictionary's keys would be sorted from scratch.
        let findings = results.findings
        var slotOf: [String: Int] = [:]
        var orders: [(name: String, bits: Int)] = []
        // At most an order a finding: the table is not grown step by step (a night after a year names 83,000).
        slotOf.reserveCapacity(findings.count)
        orders.reserveCapacity(findings.count)
        func slot(_ k: inout Int, _ name: String) -> Int {
            if k < 0 {
                k = orders.count
                orders.append((name, 0))
            }
            return k
        }
        for i in findings.indices where !findings[i].orderNumber.isEmpty {
            let name = findings[i].orderNumber
            orders[slot(&slotOf[name, default: -1], name)].bits |= 1 << findings[i].status.rank
        }
        // Only the orders with a discrepancy: one whose every line was received as ordered needs no one.
        let fine = 1 << Status.matched.rank | 1 << Status.returned.rank
        let named = orders.filter { $0.bits & ~fine != 0 || linked.contains($0.name) }
            .sorted { codePointLess($0.name, $1.name) }
        let names = statusNames
        // In parts too, each in columns of its own: one list of a year's 83,000 orders in columns took Chromium as
        // long to lay out as the table of their rows.
        let (open, close) = ("<div class=\"part list\"><ul class=\"orders\">", "</ul></div>\n")
        page.raw("<h2>\(t("orders"))</h2>\n" + open)
        for (place, (o, bits)) in named.enumerated() {
            page.part(before: place, of: 3 * Report.rowsPerPart, close: close, open: open)
            page.raw("<li id=\"")
            page.anchor("order", o)
            page.raw("\">")
            page.text(o)
            page.raw(": ")
            var first = true
            for s in Status.allCases where bits & (1 << s.rank) != 0 {
                if !first { page.raw(", ") }
                first = false
                page.raw(names[s.rank])
            }
            page.raw("</li>")
        }
        page.raw(close + "</section>\n")
        return page.bytes
    }

    /// A row of the orders section (`not_delivered`, `manual_receipt`).
    func orderRow(_ f: Finding, into part: inout Page) {
        part.raw("<tr class=\"finding\" data-status=\"")
        part.raw(f.status.rawValue)
        part.raw("\" id=\"")
        part.anchor("order", f.orderNumber)
        part.raw("-")
        part.anchor("a", f.article)
        part.raw("\"><td>")
        part.text(f.supplier)
        part.raw("</td><td>")
        part.text(f.orderNumber)
        part.raw("</td><td>")
        Format.date(f.date, language, to: &part.bytes)
        part.raw("</td><td>")
        part.text(f.brand)
        part.raw(" ")
        part.text(f.article)
        part.raw("</td><td class=\"n\">")
        if let q = f.orderedQty { Format.quantity(q, language, to: &part.bytes) }
        part.raw("</td><td class=\"n\">")
        if let q = f.invoicedQty { Format.quantity(q, language, to: &part.bytes) }
        part.raw("</td><td>")
        part.note(f.note, language)
        part.raw("</td><td class=\"n amount\">")
        part.money(f.amountAtStake, f.currency, language)
        part.raw("</td></tr>\n")
    }

    func quarantineSection() -> String {
        var h = "<section id=\"quarantine\"><h2>\(t("quarantine"))</h2>\n"
        guard !quarantined.isEmpty else { return h + "<p>\(t("none"))</p></section>\n" }
        h += fileTable(quarantined)
        return h + "</section>\n"
    }

    /// What else the run has to say: inbox entries left unread, documents at an old rate, orders of suppliers not
    /// enabled. Each section is shown only where it has something: an empty one would say nothing.
    func noticeSections() -> String {
        var h = ""
        if !unread.isEmpty {
            h +=
                "<section id=\"unread\"><h2>\(t("unread"))</h2>\n"
                + fileTable(unread.map { (file: $0.file, reason: $0.reason) }) + "</section>\n"
        }
        if !oldRates.isEmpty {
            h += "<section id=\"old-rates\"><h2>\(t("old_rates"))</h2>\n<ul>"
            for flag in oldRates { h += "<li>\(Report.escape(OldRates.line(flag, language)))</li>" }
            h += "</ul></section>\n"
        }
        if !staleOrders.isEmpty {
            h += "<section id=\"stale-orders\"><h2>\(t("stale_orders"))</h2>\n<ul>"
            for line in Report.staleLines(staleOrders, from: from, to: to, language: language) {
                h += "<li>\(Report.escape(line))</li>"
            }
            h += "</ul></section>\n"
        }
        if !ignoredOrders.isEmpty {
            h += "<section id=\"ignored-orders\"><h2>\(t("ignored_orders"))</h2>\n<ul>"
            for line in SummaryText.ignoredOrders(ignoredOrders, language: language) {
                h += "<li>\(Report.escape(line))</li>"
            }
            h += "</ul></section>\n"
        }
        return h
    }

    /// One line a supplier: its order findings of the range (not delivered, to receive by hand) are left out, since
    /// a later run changed its days from `since`; and the command that makes them again.
    package static func staleLines(
        _ stale: [String: CalendarDate], from: CalendarDate, to: CalendarDate, language: Language
    ) -> [String] {
        let range = from == to ? "--date \(from)" : "--from \(from) --to \(to)"
        return stale.keys.sorted(by: codePointLess).map { supplier in
            let since = stale[supplier].map { Format.date($0, language) } ?? ""
            return language == .uk
                ? "\(supplier): знахідки замовлень (не надійшло, оприбуткувати вручну) не показано: пізніший запуск змінив "
                    + "дні з \(since); щоб побудувати їх знову: nakladna run \(range) --supplier \(supplier)"
                : "\(supplier): the order findings (not delivered, to receive by hand) are left out: a later run changed "
                    + "the days from \(since); to make them again: nakladna run \(range) --supplier \(supplier)"
        }
    }

    func fileTable(_ rows: [(file: String, reason: String)]) -> String {
        var h = "<table><thead><tr><th>\(t("file"))</th><th>\(t("reason"))</th></tr></thead><tbody>\n"
        for q in rows {
            h += "<tr><td>\(Report.escape(q.file))</td><td class=\"reason\">\(Report.escape(q.reason))</td></tr>\n"
        }
        return h + "</tbody></table>"
    }

    func incSection(into page: inout Page) {
        page.raw("<section id=\"incs\" class=\"break\"><h2>\(t("incs"))</h2>\n")
        guard !results.incDocuments.isEmpty else { return page.raw("<p>\(t("none"))</p></section>\n") }
        page.raw("<p class=\"meta\" id=\"review-means\">\(t("review_means"))</p>\n")
        page.raw("<table><thead><tr><th>\(t("inc"))</th><th>\(t("supplier"))</th><th>\(t("invoice"))</th>")
        page.raw("<th>\(t("date"))</th><th class=\"n\">\(t("lines"))</th><th class=\"n\">\(t("gross"))</th>")
        page.raw("<th>\(t("status"))</th><th>\(t("order"))</th></tr></thead><tbody>\n")
        let (ready, review) = (t("ready"), t("review"))
        for d in results.incDocuments {
            page.raw("<tr id=\"")
            page.anchor("inc", d.incNumber)
            page.raw("\"><td>")
            page.text(d.incNumber)
            page.raw("</td><td>")
            page.text(d.supplier)
            page.raw("</td><td>")
            page.text(d.supplierInvoice)
            page.raw("</td><td>")
            page.raw(date(d.invoiceDate))
            page.raw("</td><td class=\"n\">")
            page.raw(String(d.lines))
            page.raw("</td><td class=\"n\">")
            page.text(Format.money(d.totals.gross, d.currency, language))
            page.raw("</td><td>")
            page.raw(d.status == "ready" ? ready : d.status == "review" ? review : t(d.status))
            page.raw("</td><td>")
            page.text(d.orders.joined(separator: "; "))
            page.raw("</td></tr>\n")
        }
        page.raw("</tbody></table></section>\n")
    }

    /// One colour per status, the same in the chart and in the stripes of the tables, so that a colour means one
    /// thing on the whole page.
    static let statusColor: [Status: String] = [
        .matched: "#238551", .priceMismatch: "#d9822b", .overDelivered: "#c23030", .unordered: "#8f398f",
        .returned: "#2d72d2", .duplicateInvoice: "#5f6b7c", .totalMismatch: "#00a396", .foreignCustomer: "#7961db",
        .missingRate: "#d1980b", .notDelivered: "#935610", .manualReceipt: "#8abbff",
    ]

    /// The stripe of each status's rows, from `statusColor`.
    static let stripes = Status.allCases.map { s in
        "tr.finding[data-status=\(s.rawValue)] td:first-child{border-left:4px solid \(statusColor[s] ?? "#999")}"
    }.joined(separator: "\n")

    /// Rows in each part of a long table of orders; each part of their list holds three times as many orders.
    static let rowsPerPart = 500

    static let css = """
        body{font-family:"DejaVu Sans",Arial,Helvetica,sans-serif;font-size:13px;color:#1c2127;margin:24px;max-width:1200px}
        h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:24px 0 8px;border-bottom:2px solid #d3d8de;padding-bottom:4px}
        .meta{color:#5f6b7c;margin:0 0 12px}
        table{border-collapse:collapse;width:100%;margin-bottom:8px}
        th,td{border-bottom:1px solid #e5e8eb;padding:4px 6px;text-align:left;vertical-align:top}
        th{background:#f6f7f9;font-weight:600}
        td.n,td.d{text-align:right;white-space:nowrap}td.d{text-align:left}th.n{text-align:right}
        table.summary th{font-size:12px;hyphens:auto}
        tr.total th{background:#eef1f4;border-top:2px solid #c5cbd3}
        td.reason{white-space:pre-wrap;font-family:"DejaVu Sans Mono",monospace;font-size:12px}
        .chart{width:100%;height:auto}.chart .label{font-size:14px}.chart .legend{font-size:13px}
        .chart .value{font-size:13px;fill:#404854}.chart .zero{stroke:#1c2127;stroke-width:1}
        a{color:#215db0}
        ul.orders{columns:3;font-size:12px;margin:0}
        div.part{content-visibility:auto;contain-intrinsic-size:auto 18000px}div.part.list{contain-intrinsic-size:auto 9000px}
        table.orders{table-layout:fixed;margin:0}div.part+div.part thead{display:none}
        col.w7{width:7%}col.w8{width:8%}col.w9{width:9%}col.w12{width:12%}col.w16{width:16%}
        @page{size:A4;margin:14mm}
        @media print{body{margin:0;font-size:10px;max-width:none}section.break{break-before:page}
        thead{display:table-header-group}tr{break-inside:avoid}a{color:inherit;text-decoration:none}ul.orders{columns:2}
        div.part{content-visibility:visible}div.part+div.part thead{display:table-header-group}}
        """
}
