import Foundation
import Testing

@testable import Nakladna

/// The demo station's report as a person sees it: rendered by headless Chromium (`make test` installs the Debian
/// package), its DOM read back with `--dump-dom`, and checked against the CSV files of the same run.
@Suite(.serialized) struct ReportTests {
    static let folder = "out/2026-11-23_2026-11-29"

    static func chromium(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/chromium")
        process.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// The rows of the rendered page: each `<tr …>` with its attributes and its text without tags.
    static func rows(_ dom: String) -> [(attributes: String, text: String)] {
        dom.components(separatedBy: "<tr").dropFirst().map { chunk in
            let row = chunk.components(separatedBy: "</tr>")[0]
            let attributes = String(row.prefix { $0 != ">" })
            // Only ASCII white space is folded: the no-break spaces inside amounts are part of what is checked.
            let text = row.drop { $0 != ">" }.dropFirst().replacing(/<[^>]*>/, with: " ")
                .replacing("&nbsp;", with: "\u{00A0}").replacing("&amp;", with: "&").replacing(/[ \t\r\n]+/, with: " ")
            return (attributes, String(text))
        }
    }

    /// `1 560,00 ₴` from `1560.00` and `UAH`, written out here rather than by the code under test.
    static func ukrainian(_ amount: String, _ currency: String) -> String {
        let negative = amount.hasPrefix("-")
        let parts = amount.dropFirst(negative ? 1 : 0).split(separator: ".")
        var whole = String(parts[0])
        var groups: [String] = []
        while whole.count > 3 {
            groups.insert(String(whole.suffix(3)), at: 0)
            whole = String(whole.dropLast(3))
        }
        groups.insert(whole, at: 0)
        let symbol = ["UAH": "₴", "EUR": "€"][currency] ?? currency
        return (negative ? "−" : "") + groups.joined(separator: "\u{00A0}") + "," + parts[1] + "\u{00A0}" + symbol
    }

    /// A CSV file of the run as rows of named cells (the project's own reader: it is tested on its own).
    static func table(_ path: String, _ columns: [String]) throws -> [[String: String]] {
        let t = try CSVTable(text: try String(contentsOfFile: path, encoding: .utf8), file: path, columns: columns)
        return t.rows.map { Dictionary(uniqueKeysWithValues: zip(columns, $0.cells)) }
    }

    @Test func theRenderedReportAgreesWithTheCSVFiles() throws {
        let station = try Station()
        defer { station.remove() }
        #expect(try station.run(Station.week).status == 0)
        let dom = try Self.chromium(["--dump-dom", "file://" + station.path("\(Self.folder)/report.html")])
        try #require(dom.contains("Звірка накладних постачальників"), "Chromium rendered nothing")
        let rows = Self.rows(dom)
        let findings = try Self.table(station.path("\(Self.folder)/reconciliation.csv"), Columns.reconciliation)
        let documents = try Self.table(station.path("\(Self.folder)/inc_documents.csv"), Columns.incDocuments)
        let lines = try Self.table(station.path("\(Self.folder)/inc_lines.csv"), Columns.incLines)

        // Every discrepancy appears, with its supplier invoice number and its amount.
        let discrepancies = findings.filter {
            Report.discrepancies.contains(Status(rawValue: $0["status"] ?? "") ?? .matched)
        }
        #expect(discrepancies.count == 8)
        let findingRows = rows.filter { $0.attributes.contains("class=\"finding\"") }
        for f in discrepancies {
            let invoice = f["supplier_invoice"] ?? ""
            let amount = Self.ukrainian(f["amount_at_stake"] ?? "", f["currency"] ?? "")
            #expect(
                findingRows.contains { $0.text.contains(invoice) && $0.text.contains(amount) },
                "\(invoice) \(f["status"] ?? "") \(amount) is not on the page")
        }
        // Orders not delivered and to receive by hand are there too.
        for f in findings where f["status"] == "not_delivered" || f["status"] == "manual_receipt" {
            #expect(
                findingRows.contains {
                    $0.text.contains(f["order_number"] ?? "?") && $0.attributes.contains(f["status"] ?? "?")
                })
        }

        // The summary's totals equal the sums of the CSV files, per currency.
        for currency in Set(documents.map { $0["currency"] ?? "" }) {
            let total = try #require(rows.first { $0.attributes.contains("data-currency=\"\(currency)\"") })
            let incs = documents.filter { $0["currency"] == currency }
            let numbers = Set(incs.map { $0["inc_number"] ?? "" })
            let lineCount = lines.filter { numbers.contains($0["inc_number"] ?? "") && $0["status"] != "adjustment" }
                .count
            let cells = total.text.split(separator: " ", omittingEmptySubsequences: true)
            #expect(cells.count >= 4)
            #expect(cells[2] == "\(incs.count)", "\(currency) documents")
            #expect(cells[3] == "\(lineCount)", "\(currency) lines")
            for status in [
                "price_mismatch", "over_delivered", "unordered", "returned", "duplicate_invoice", "not_delivered",
            ] {
                let values = findings.filter { $0["status"] == status && $0["currency"] == currency }
                guard !values.isEmpty else { continue }
                var cents = 0
                for v in values {
                    let parts = (v["amount_at_stake"] ?? "0.00").split(separator: ".")
                    let whole = Int(parts[0].replacing("-", with: "")) ?? 0
                    let sign = parts[0].hasPrefix("-") ? -1 : 1
                    cents += sign * (whole * 100 + (Int(parts[1]) ?? 0))
                }
                let text = String(format: "%@%d.%02d", cents < 0 ? "-" : "", abs(cents) / 100, abs(cents) % 100)
                #expect(total.text.contains(Self.ukrainian(text, currency)), "\(currency) \(status) total \(text)")
            }
        }
        // The range and the time it was made.
        #expect(dom.contains("23.11.2026 – 29.11.2026"))
        #expect(dom.contains("Сформовано:"))
    }

    @Test func englishAndSelfContained() throws {
        let station = try Station()
        defer { station.remove() }
        #expect(try station.run(Station.week + ["--lang", "en"]).status == 0)
        let path = station.path("\(Self.folder)/report.en.html")
        let dom = try Self.chromium(["--dump-dom", "file://" + path])
        #expect(dom.contains("Supplier invoice reconciliation"))
        #expect(dom.contains("1,560.00 UAH"))
        #expect(dom.contains("invoiced 5 pcs; 2 pcs worth 1,560.00 UAH over the order"))
        // No URL points outside the file: no scheme, no external resource, no script; links are in-page anchors.
        let html = try station.read("\(Self.folder)/report.en.html")
        for forbidden in ["http:", "https:", "//", "src=", "url(", "@import", "<script", "<link"] {
            #expect(!html.contains(forbidden), "\(forbidden) in report.html")
        }
        let hrefs = html.matches(of: /href="([^"]*)"/).map { String($0.output.1) }
        #expect(!hrefs.isEmpty)
        for href in hrefs {
            #expect(href.hasPrefix("#"))
            #expect(html.contains("id=\"\(href.dropFirst())\""), "\(href) has no target")
        }
    }

    @Test func printsOnAFewA4Pages() throws {
        let station = try Station()
        defer { station.remove() }
        #expect(try station.run(Station.week).status == 0)
        let pdf = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString).pdf").path
        defer { try? FileManager.default.removeItem(atPath: pdf) }
        _ = try Self.chromium([
            "--no-pdf-header-footer", "--print-to-pdf=\(pdf)", "file://" + station.path("\(Self.folder)/report.html"),
        ])
        let data = try #require(FileManager.default.contents(atPath: pdf))
        let text = String(decoding: data, as: UTF8.self)
        let pages = text.matches(of: /\/Type\s*\/Page[^s]/).count
        #expect((2...6).contains(pages), "\(pages) pages")
        // A4 is 595 × 842 points.
        #expect(text.contains("/MediaBox [0 0 595") || text.contains("/MediaBox [0 0 594"))
    }

    // MARK: The report's look

    @Test func eachStatusHasItsOwnColourInTheChartAndTheStripes() {
        #expect(Set(Report.statusColor.values).count == Status.allCases.count)
        #expect(Report.statusColor[.overDelivered] != Report.statusColor[.notDelivered])
        for s in Status.allCases {
            let colour = Report.statusColor[s] ?? ""
            #expect(
                Report.stripes.contains(
                    "tr.finding[data-status=\(s.rawValue)] td:first-child{border-left:4px solid \(colour)}"))
        }
    }

    @Test func theChartShowsMoneyAtStakeWithItsSign() throws {
        let day = try #require(CalendarDate(iso: "2026-11-25"))
        func finding(_ status: Status, _ amount: String) -> Finding {
            Finding(
                supplier: "omega", supplierInvoice: "A", status: status, currency: "UAH", amountAtStake: d(amount),
                note: .text(""), date: day)
        }
        // An invoice priced 50.00 below the order, and 100.00 over the order elsewhere: 50.00 at stake, not 150.00.
        let results = RangeResults(
            incDocuments: [], incLines: [],
            findings: [finding(.priceMismatch, "-50.00"), finding(.overDelivered, "100.00")])
        let report = Report(
            results: results, from: day, to: day, generatedAt: Date(), timezone: kyiv, language: .en, quarantined: [],
            suppliers: ["omega"])
        let html = String(decoding: report.html(), as: UTF8.self)
        let chart = try #require(html.firstRange(of: /<section id="chart">.*?<\/section>/.dotMatchesNewlines()))
        let svg = String(html[chart])
        #expect(svg.contains(">50.00 UAH</text>"), "\(svg)")
        #expect(!svg.contains("150.00"))
        // The negative bar ends at the zero line, where the positive one begins.
        let zero = try #require(svg.firstMatch(of: /<line x1="(\d+)"/)).output.1
        let price = try #require(svg.firstMatch(of: /<rect x="(\d+)" y="\d+" width="(\d+)"[^>]*fill="#d9822b"/))
        let over = try #require(svg.firstMatch(of: /<rect x="(\d+)" y="\d+" width="\d+"[^>]*fill="#c23030"/))
        let (start, width, line) = (
            try #require(Int(price.output.1)), try #require(Int(price.output.2)), try #require(Int(zero))
        )
        #expect(start + width == line)
        #expect(over.output.1 == zero)
    }

    /// A long orders section is written in shares on every core: its rows come out whole, once each, in the
    /// findings' order, with the manual receipts after them, and in parts.
    @Test func aLongOrdersSectionKeepsItsRowsInOrder() throws {
        let day = try #require(CalendarDate(iso: "2026-11-25"))
        func finding(_ n: Int, _ status: Status) -> Finding {
            Finding(
                supplier: "omega", orderNumber: String(format: "O-%05d", n), brand: "BOSCH", article: "A \(n)",
                status: status, orderedQty: Fixed(2), invoicedQty: .zero, orderPrice: Fixed(10), currency: "UAH",
                amountAtStake: Fixed(20), note: .text("open \(n)"), date: day)
        }
        let count = 12_345
        let results = RangeResults(
            findings: (0..<count).map { finding($0, .notDelivered) } + [finding(count, .manualReceipt)])
        let report = Report(
            results: results, from: day, to: day, generatedAt: Date(), timezone: kyiv, language: .en, quarantined: [],
            suppliers: ["omega"])
        let html = String(decoding: report.html(), as: UTF8.self)
        let rows = html.matches(
            of:
                /<tr class="finding" data-status="(\w+)" id="[^"]*"><td>omega<\/td><td>(O-\d+)<\/td>.*?open (\d+)<\/td>.*?<\/tr>\n/
        )
        #expect(rows.map { String($0.output.2) } == (0...count).map { String(format: "O-%05d", $0) })
        #expect(rows.map { String($0.output.3) } == (0...count).map(String.init))
        #expect(rows.last?.output.1 == "manual_receipt")
        // The rows come in parts of `Report.rowsPerPart`, each a table a browser lays out when it is scrolled to: the
        // not-delivered table's 12,345 in 25, the manual receipt in one. The list of the orders comes in parts of
        // three times as many.
        let tables = html.split(separator: "<div class=\"part\"><table class=\"orders\">").dropFirst()
        let perTable = tables.map { $0.matches(of: /<tr class="finding"/).count }
        #expect(perTable == Array(repeating: 500, count: 24) + [345, 1])
        #expect(tables.allSatisfy { $0.contains("</tbody></table></div>") })
        let lists = html.split(separator: "<div class=\"part list\"><ul class=\"orders\">").dropFirst()
        #expect(lists.map { $0.matches(of: /<li id=/).count } == Array(repeating: 1_500, count: 8) + [346])
    }

    @Test func theOrderListHoldsOnlyOrdersWithADiscrepancy() throws {
        let station = try Station()
        defer { station.remove() }
        #expect(try station.run(Station.week).status == 0)
        let html = try station.read("\(Self.folder)/report.html")
        let list = try #require(html.firstRange(of: /<ul class="orders">.*?<\/ul>/.dotMatchesNewlines()))
        let items = html[list].matches(of: /<li id="[^"]*">([^:<]+): ([^<]+)<\/li>/)
        // B-2001 is matched only, but the part of BusMarket's line over the order links to it.
        #expect(items.map { String($0.output.1) } == ["B-2001", "B-2002", "E-6001", "O-1001", "U-3001"])
        // Each names every status its order's findings have (O-1001 three of them, U-3001 two).
        let findings = try Self.table(station.path("\(Self.folder)/reconciliation.csv"), Columns.reconciliation)
        for item in items {
            let statuses = Set(findings.filter { $0["order_number"] == String(item.output.1) }.map { $0["status"] })
            #expect(item.output.2.split(separator: ", ").count == statuses.count, "\(item.output.0)")
        }
    }

    @Test func markupEscapesTheFiveAndDropsWhatXMLCannotHold() {
        var out: [UInt8] = []
        Markup.appendEscaped("a\u{01}<b & \"c\" 'd'>\te\u{1F}\nf", to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;\te\nf")
        // Each alone in plain text, which otherwise goes in whole.
        for (text, escaped) in [
            ("a&b", "a&amp;b"), ("a<b", "a&lt;b"), ("a>b", "a&gt;b"), ("a\"b", "a&quot;b"), ("a'b", "a&#39;b"),
            ("a\u{01}b", "ab"), ("a\tb", "a\tb"), ("Запчастина", "Запчастина"),
        ] {
            out = []
            Markup.appendEscaped(text, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == escaped)
        }
        #expect(Report.escape("plain") == "plain")
        #expect(Report.escape("x\u{07}y") == "xy")
    }
}
