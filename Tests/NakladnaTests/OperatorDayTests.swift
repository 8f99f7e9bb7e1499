import Foundation
import GRDB
import Testing

@testable import Nakladna

/// The operator's and the accountant's day (issue "Never silent"): what a run says when it did less than asked, and
/// the commands an accountant runs. Each test asserts the command's exit code and its exact line.
@Suite(.serialized) struct OperatorDayTests {
    static let folder = "out/2026-11-23_2026-11-29"

    func lines(_ text: String) -> [String] { text.split(whereSeparator: \.isNewline).map(String.init) }

    func edit(_ s: Station, _ change: (String) -> String) throws {
        try change(try s.read("nakladna.yaml")).write(toFile: s.config, atomically: true, encoding: .utf8)
    }

    @Test func versionIsPrinted() throws {
        let run = try runBinary(["--version"])
        #expect(run.status == 0)
        #expect(run.stdout == "nakladna 0.5.0\n")
    }

    @Test func theReportNeedsNoSecretsAndDefaultsToYesterday() throws {
        let s = try Station()
        defer { s.remove() }
        #expect(try s.run(Station.week).status == 0)
        var env = ProcessInfo.processInfo.environment
        env["DEMO_OMEGA_KEY"] = nil
        env["DEMO_BM_KEY"] = nil
        let week = try runBinary(["report", "--config", s.config] + Station.week, environment: env)
        #expect(week.status == 0, "\(week.stderr)")
        #expect(week.stdout == "звіт: \(s.path(Self.folder))/report.html\n")
        // Only the station's page: no other language's is written unasked.
        #expect(s.files(Self.folder).filter { $0.hasPrefix("report") } == ["report.html"])
        let kyiv = try #require(TimeZone(identifier: "Europe/Kyiv"))
        let yesterday = DatePattern.civil(fromDays: DatePattern.days(from: CalendarDate.today(in: kyiv)) - 1)
        let plain = try runBinary(["report", "--config", s.config], environment: env)
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(plain.stdout == "звіт: \(s.path("out/\(yesterday)"))/report.html\n")
    }

    @Test func strayInboxEntriesAreNamedAndLeft() throws {
        let s = try Station()
        defer { s.remove() }
        for folder in ["inbox/Omega", "inbox/autotrade"] {
            try FileManager.default.createDirectory(atPath: s.path(folder), withIntermediateDirectories: true)
        }
        try "{}".write(toFile: s.path("inbox/Omega/omega-2026-11-26.json"), atomically: true, encoding: .utf8)
        try "{}".write(toFile: s.path("inbox/autotrade/at-1.json"), atomically: true, encoding: .utf8)
        try "{}".write(toFile: s.path("inbox/omega-2026-11-24.json"), atomically: true, encoding: .utf8)
        let run = try s.run(Station.week)
        #expect(run.status == 1)
        let said = lines(run.stderr)
        #expect(
            said.contains(
                "не прочитано: Omega/omega-2026-11-26.json: no enabled supplier 'Omega' (folders are named by "
                    + "supplier id: 'omega'): not read"), "\(run.stderr)")
        #expect(said.contains("не прочитано: autotrade/at-1.json: no enabled supplier 'autotrade': not read"))
        #expect(
            said.contains(
                "не прочитано: omega-2026-11-24.json: directly in the inbox, in no supplier's folder: not read"))
        // Left where they are, and in the report.
        #expect(s.files("inbox/Omega") == ["omega-2026-11-26.json"] && s.files("inbox/autotrade") == ["at-1.json"])
        #expect(FileManager.default.fileExists(atPath: s.path("inbox/omega-2026-11-24.json")))
        let report = try s.read("\(Self.folder)/report.html")
        #expect(report.contains("autotrade/at-1.json") && report.contains("no enabled supplier &#39;Omega&#39;"))
    }

    @Test func aDisabledSuppliersFilesAreNamedButLeaveTheExitCode() throws {
        let s = try Station()
        defer { s.remove() }
        try edit(s) {
            $0.replacingOccurrences(
                of: "intercars:   { enabled: true", with: "intercars:   { enabled: false")
        }
        // Even an entry it could not read at all (a FIFO) leaves the exit code alone there.
        #expect(mkfifo(s.path("inbox/intercars/pipe.xml"), 0o644) == 0)
        let run = try s.run(Station.week)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(
            lines(run.stderr).contains(
                "не прочитано: intercars/intercars-2026-11-27.xml: supplier 'intercars' is disabled: not read"))
        #expect(lines(run.stderr).contains("не прочитано: intercars/pipe.xml: a FIFO, not a regular file: not read"))
        #expect(s.files("inbox/intercars").count == 6)
    }

    @Test func aMissingInboxIsAConfigurationError() throws {
        let s = try Station()
        defer { s.remove() }
        try edit(s) { $0.replacingOccurrences(of: "inbox: inbox", with: "inbox: inbx") }
        let run = try s.run(Station.week)
        #expect(run.status == 2)
        #expect(
            run.stderr
                == "\(s.path("inbx")): the inbox folder does not exist: create it, or correct 'inbox' in \(s.config)\n")
        #expect(!FileManager.default.fileExists(atPath: s.path("inbx")))
        #expect(!FileManager.default.fileExists(atPath: s.path("out")))
    }

    @Test func ordersOfSuppliersNotEnabledAreNamedByIdAndCount() throws {
        let s = try Station()
        defer { s.remove() }
        let orders = try s.read("orders.csv")
        try
            (orders
            + "A-1,autotrade,,2026-11-20,BOSCH,1,x,1,10.00,UAH\nA-2,autotrade,,2026-11-21,BOSCH,2,y,1,10.00,UAH\n")
            .write(toFile: s.path("orders.csv"), atomically: true, encoding: .utf8)
        let run = try s.run(Station.week)
        #expect(run.status == 0)
        let line = "orders.csv: рядків постачальника «autotrade», якого немає серед увімкнених: 2, пропущено"
        #expect(lines(run.stderr).contains(line), "\(run.stderr)")
        #expect(try s.read("\(Self.folder)/report.html").contains(line))
    }

    @Test func twoRatesForOneCurrencyAndDayAreRefused() throws {
        let s = try Station()
        defer { s.remove() }
        let rates = try s.read("rates.csv")
        try (rates + "2026-11-25,EUR,49.5000\n").write(toFile: s.path("rates.csv"), atomically: true, encoding: .utf8)
        let run = try s.run(Station.week)
        #expect(run.status == 2)
        let last = lines(rates).count + 1
        #expect(
            run.stderr
                == "\(s.path("rates.csv")):\(last):3: EUR has two rates on 2026-11-25: 49.0120 on line 3 and 49.5000 on "
                + "line \(last); keep one\n")
    }

    @Test func configuredPathsExpandTheHomeFolderAndVariables() throws {
        let s = try Station()
        defer { s.remove() }
        try edit(s) {
            $0.replacingOccurrences(of: "database: out/nakladna.sqlite", with: "database: ~/db/nakladna.sqlite")
                .replacingOccurrences(of: "out: out", with: "out: ${STATION_OUT}/out")
        }
        var env = Station.environment
        env["HOME"] = s.path("home")
        env["STATION_OUT"] = s.path("elsewhere")
        let run = try s.run(Station.week, environment: env)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(FileManager.default.fileExists(atPath: s.path("home/db/nakladna.sqlite")))
        #expect(FileManager.default.fileExists(atPath: s.path("elsewhere/out/2026-11-23_2026-11-29/report.html")))
        #expect(!FileManager.default.fileExists(atPath: s.path("~")))
        // A value that holds ${…} itself is taken as it is, not expanded again (and again).
        env["STATION_OUT"] = s.path("${STATION_OUT}")
        let literal = try s.run(Station.week, environment: env)
        #expect(literal.status == 0, "\(literal.stderr)")
        #expect(FileManager.default.fileExists(atPath: s.path("${STATION_OUT}/out/2026-11-23_2026-11-29/report.html")))
        env["STATION_OUT"] = nil
        let undefined = try s.run(Station.week, environment: env)
        #expect(undefined.status == 2)
        #expect(undefined.stderr.contains("out: the environment variable STATION_OUT is not defined"))
    }

    @Test func aMissingConfigurationNamesItsAbsolutePathAndSuggestsConfig() throws {
        let elsewhere = FileManager.default.temporaryDirectory.appendingPathComponent(
            "nakladna-cwd-\(UUID().uuidString)"
        )
        .path
        try FileManager.default.createDirectory(atPath: elsewhere, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: elsewhere) }
        let run = try runBinary(["run"], in: elsewhere)
        #expect(run.status == 2)
        #expect(
            run.stderr
                == "cannot read the configuration file \(elsewhere)/nakladna.yaml: no such file (name another with "
                + "--config FILE)\n")
    }

    @Test func aHryvniaOnlyStationNeedsNoRates() throws {
        let s = try Station()
        defer { s.remove() }
        try FileManager.default.removeItem(atPath: s.path("rates.csv"))
        try edit(s) { $0.replacingOccurrences(of: "rates: rates.csv\n", with: "") }
        let run = try s.run(Station.week)
        #expect(run.status == 0, "\(run.stderr)")
        // Vesna's EUR invoices are issued without a rate, and say so.
        let findings = lines(try s.read("\(Self.folder)/reconciliation.csv"))
        #expect(findings.contains { $0.hasPrefix("vesna,") && $0.contains(",missing_rate,") })
        // Named in the file, it must exist: a mistyped path is not a station without rates.
        try edit(s) { $0 + "rates: rates.csv\n" }
        #expect(try s.run(Station.week).status == 2)
    }

    @Test func languageAndDialectComeFromTheConfiguration() throws {
        let s = try Station()
        defer { s.remove() }
        try edit(s) { $0 + "lang: en\ncsv: excel-uk\n" }
        let run = try s.run(Station.week)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("files read: 20, new documents: 14"), "\(run.stdout)")
        let csv = try Data(contentsOf: URL(fileURLWithPath: s.path("\(Self.folder)/inc_documents.csv")))
        #expect(csv.starts(with: [0xEF, 0xBB, 0xBF]) && String(decoding: csv, as: UTF8.self).contains("inc_number;"))
        #expect(try s.read("\(Self.folder)/report.html").contains("<html lang=\"en\""))
        // The command line still wins.
        #expect(try s.run(Station.week + ["--lang", "uk"]).stdout.hasPrefix("прочитано файлів"))
        try edit(s) { $0.replacingOccurrences(of: "lang: en", with: "lang: fr") }
        let bad = try s.run(Station.week)
        #expect(bad.status == 2 && bad.stderr.contains("lang takes uk or en, not 'fr'"))
    }

    /// The contract's "The report": the station's language in `report.html`, another in `report.X.html`; the CSV
    /// files' notes stay in the station's language.
    @Test func anotherLanguageIsAReportOfItsOwnBesideTheStations() throws {
        let s = try Station()
        defer { s.remove() }
        let run = try s.run(Station.week + ["--lang", "en"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(lines(run.stdout).contains("report: \(s.path(Self.folder))/report.en.html"), "\(run.stdout)")
        let uk = try s.read("\(Self.folder)/report.html")
        let en = try s.read("\(Self.folder)/report.en.html")
        #expect(uk.contains("<html lang=\"uk\"") && en.contains("<html lang=\"en\""))
        #expect(uk.contains("виставлено 5 шт., понад замовлене 2 шт. на 1\u{A0}560,00\u{A0}₴"))
        #expect(en.contains("invoiced 5 pcs; 2 pcs worth 1,560.00 UAH over the order"))
        let csv = try s.read("\(Self.folder)/reconciliation.csv")
        #expect(csv.contains("виставлено 5 шт., понад замовлене 2 шт.") && !csv.contains("over the order"))

        // `report --lang en` adds the English page and leaves report.html as it is, to the byte.
        let before = try s.read("\(Self.folder)/report.html")
        try FileManager.default.removeItem(atPath: s.path("\(Self.folder)/report.en.html"))
        let english = try runBinary(["report", "--config", s.config] + Station.week + ["--lang", "en"])
        #expect(english.status == 0, "\(english.stderr)")
        #expect(english.stdout == "report: \(s.path(Self.folder))/report.en.html\n")
        #expect(try s.read("\(Self.folder)/report.html") == before)
        #expect(try s.read("\(Self.folder)/report.en.html").contains("2 pcs worth 1,560.00 UAH over the order"))
        // And a report in the station's language leaves the English page.
        let english2 = try s.read("\(Self.folder)/report.en.html")
        #expect(try runBinary(["report", "--config", s.config] + Station.week).status == 0)
        #expect(try s.read("\(Self.folder)/report.en.html") == english2)
        #expect(s.files(Self.folder).filter { $0.hasPrefix("report") }.sorted() == ["report.en.html", "report.html"])
    }

    /// Notes are kept as values: the English page `report` renders from the database of a Ukrainian station equals
    /// the page of an English station whose notes were rendered straight from reconciliation, every note of every
    /// status alike; and the database holds no note's words in either language.
    @Test func notesAreStoredAsValuesAndRenderedInEitherLanguage() throws {
        let ukStation = try Station()
        defer { ukStation.remove() }
        let enStation = try Station()
        defer { enStation.remove() }
        try edit(enStation) { $0 + "lang: en\n" }
        #expect(try ukStation.run(Station.week).status == 0)
        #expect(try enStation.run(Station.week).status == 0)
        #expect(try runBinary(["report", "--config", ukStation.config] + Station.week + ["--lang", "en"]).status == 0)
        func page(_ text: String) -> String {
            text.replacing(/<span id="generated">[^<]*<\/span>/, with: "")
        }
        let stored = page(try ukStation.read("\(Self.folder)/report.en.html"))
        let direct = page(try enStation.read("\(Self.folder)/report.html"))
        #expect(stored == direct)
        for words in [
            "a piece", "over the order", "never ordered", "received again with other content", "its lines add up",
            "addressed to customer", "no EUR rate", "not delivered after", "by hand",
        ] {
            #expect(stored.contains(words), "\(words)")
        }
        // The CSV files' notes are the station's: Ukrainian here, English there, the rest of each row alike.
        let ukRows = lines(try ukStation.read("\(Self.folder)/reconciliation.csv"))
        let enRows = lines(try enStation.read("\(Self.folder)/reconciliation.csv"))
        #expect(ukRows.count == enRows.count && ukRows.count > 20)
        #expect(zip(ukRows, enRows).dropFirst().allSatisfy { $0 != $1 })
        let queue = try DatabaseQueue(path: ukStation.path("out/nakladna.sqlite"))
        let notes = try queue.read { try String.fetchAll($0, sql: "SELECT note FROM reconciliation") }
        #expect(notes.count == ukRows.count - 1)
        for note in notes {
            #expect(!note.contains(where: { ("а"..."я").contains($0) }) && !note.contains(" pcs"), "\(note)")
            #expect(Note(stored: note) != .text(note), "\(note)")
        }
    }

    @Test func cronMailSaysWhyAFileWasQuarantined() throws {
        let s = try Station()
        defer { s.remove() }
        try "not json".write(toFile: s.path("inbox/omega/omega-2026-11-26.json"), atomically: true, encoding: .utf8)
        var env = Station.environment
        env["TERM"] = nil
        let run = try s.run(Station.week, environment: env)
        #expect(run.status == 1)
        #expect(
            lines(run.stderr).contains(
                "у карантині: omega/omega-2026-11-26.json:$: unexpected 'n', expected a value (line 1, column 1)"),
            "\(run.stderr)")
    }

    // MARK: Nothing done must never look like success

    @Test func aMistypedDocumentsPathQuarantinesTheFileInsteadOfAnEmptyDay() throws {
        let s = try Station()
        defer { s.remove() }
        let mapping = try s.read("mappings/omega.yaml")
        try mapping.replacingOccurrences(of: "documents: $.Data[*]", with: "documents: $.payload.doc[*]")
            .write(toFile: s.path("mappings/omega.yaml"), atomically: true, encoding: .utf8)
        let run = try s.run(Station.week)
        #expect(run.status == 1)
        #expect(
            lines(run.stderr).contains("у карантині: omega/omega-2026-11-25.json: no documents at `$.payload.doc[*]`"),
            "\(run.stderr)")
        #expect(
            try s.read("quarantine/omega/omega-2026-11-25.json.error.txt")
                == "omega/omega-2026-11-25.json: no documents at `$.payload.doc[*]`\n")
        #expect(!run.stdout.contains(",omega,"))
    }

    @Test func aPresentEmptyContainerIsAnEmptyDay() throws {
        let s = try Station()
        defer { s.remove() }
        try "{\"Success\": true, \"Data\": [], \"Errors\": []}".write(
            toFile: s.path("inbox/omega/omega-2026-11-26.json"), atomically: true, encoding: .utf8)
        try "<?xml version=\"1.0\"?>\n<VFPDataSet/>\n".write(
            toFile: s.path("inbox/intercars/intercars-2026-11-26.xml"), atomically: true, encoding: .utf8)
        let run = try s.run(Station.week)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("прочитано файлів: 22"))
        #expect(s.files("inbox/omega").isEmpty && s.files("inbox/intercars").isEmpty)
    }

    @Test func anXMLFeedInANamespaceTheMappingDoesNotNameHasNoDocuments() throws {
        let s = try Station()
        defer { s.remove() }
        // The same Inter Cars file with a default namespace: /VFPDataSet/nag no longer names its elements.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: s.path("inbox/intercars/intercars-2026-11-27.xml")))
        let text = String(decoding: bytes, as: UTF8.self)
        let original = "<VFPDataSet xmlns:xsi="
        #expect(text.contains(original))
        // The file is windows-1251: its Cyrillic bytes are not UTF-8, so the swap is made on the bytes.
        var changed = bytes
        let from = Data(original.utf8)
        let range = try #require(changed.range(of: from))
        changed.replaceSubrange(range, with: Data("<VFPDataSet xmlns=\"urn:intercars\" xmlns:xsi=".utf8))
        let sample = s.path("namespaced.xml")
        try changed.write(to: URL(fileURLWithPath: sample))
        let check = try runBinary(["mapping", "check", s.path("mappings/intercars.yaml"), sample])
        #expect(check.status == 1)
        #expect(check.stderr == "\(sample): no documents at `/VFPDataSet/nag`\n", "\(check.stderr)")
        // The same check on the file as sent reads its documents.
        let plain = try runBinary(
            ["mapping", "check", s.path("mappings/intercars.yaml"), s.path("inbox/intercars/intercars-2026-11-27.xml")])
        #expect(plain.status == 0, "\(plain.stderr)")
    }

    // MARK: Corrections, one document at a time

    @Test func oneCorrectionIsAcceptedAtATime() throws {
        let s = try Station()
        defer { s.remove() }
        #expect(try s.run(Station.week).status == 0)
        // A second version of Omega's ВН-0012360 (3 filters, not 2) beside BusMarket's pending correction.
        let omega = try String(
            contentsOfFile: repoPath("fixtures/demo/inbox/omega/omega-2026-11-25.json"), encoding: .utf8)
        let corrected = omega.replacingOccurrences(of: "\"Count\": 2,", with: "\"Count\": 3,")
            .replacingOccurrences(of: "\"Summ\": 625.0,", with: "\"Summ\": 937.5,")
        #expect(corrected != omega)
        try corrected.write(toFile: s.path("inbox/omega/omega-2026-11-25-v2.json"), atomically: true, encoding: .utf8)
        #expect(try s.run(Station.week).status == 0)
        func duplicates() throws -> [String] {
            lines(try s.read("\(Self.folder)/reconciliation.csv")).filter { $0.contains(",duplicate_invoice,") }
                .map { String($0.prefix(while: { $0 != "," })) }
        }
        #expect(try duplicates() == ["busmarket", "omega"])
        // Only BusMarket's correction is accepted; Omega's stays a duplicate.
        let one = try s.run(Station.week + ["--accept", "busmarket:РН-2611-004512"])
        #expect(one.status == 0, "\(one.stderr)")
        #expect(try duplicates() == ["omega"])
        #expect(try s.read("\(Self.folder)/reconciliation.csv").contains("busmarket,РН-2611-004512,INC-"))
        // Then Omega's, and BusMarket's stays accepted.
        #expect(try s.run(Station.week + ["--accept", "omega:ВН-0012360"]).status == 0)
        #expect(try duplicates() == [])
        // O-1001 ordered 4, the 23rd's invoice took 2: of the corrected 3, two match and one is over the order.
        let findings = try s.read("\(Self.folder)/reconciliation.csv")
        #expect(findings.contains("ВН-0012360,") && findings.contains(",O-1001,BOSCH,0986452041,matched,4,2,"))
        #expect(findings.contains(",BOSCH,0986452041,over_delivered,,1,,312.5000,UAH,312.50,"))
        // A document with nothing to accept is named; a malformed one or an unknown supplier is bad usage.
        let nothing = try s.run(Station.week + ["--accept", "omega:ВН-0000000"])
        #expect(nothing.status == 0)
        #expect(lines(nothing.stderr).contains("--accept omega:ВН-0000000: немає виправленої версії цього документа"))
        let malformed = try s.run(Station.week + ["--accept", "ВН-0012360"])
        #expect(malformed.status == 2)
        #expect(malformed.stderr.contains("--accept ВН-0012360: expected SUPPLIER:INVOICE"))
        let unknown = try s.run(Station.week + ["--accept", "omegа:ВН-0012360"])
        #expect(unknown.status == 2 && unknown.stderr.contains("no enabled supplier 'omegа'"))
    }

    // MARK: Excel both ways

    /// A CSV file as Excel in a Ukrainian locale saves it: a BOM, `;` between cells, decimal commas in `decimals`.
    func excelUK(_ path: String, columns: [String], decimals: Set<String>) throws -> Data {
        let table = try CSVTable(text: try String(contentsOfFile: path, encoding: .utf8), file: path, columns: columns)
        func cell(_ text: String) -> String {
            text.contains(";") || text.contains("\"")
                ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
        }
        var out = columns.joined(separator: ";") + "\r\n"
        for row in table.rows {
            out +=
                zip(columns, row.cells).map { column, text in
                    cell(decimals.contains(column) ? text.replacingOccurrences(of: ".", with: ",") : text)
                }.joined(separator: ";") + "\r\n"
        }
        return Data([0xEF, 0xBB, 0xBF]) + Data(out.utf8)
    }

    @Test func ordersAndRatesSavedByExcelAreReadAsTheyAre() throws {
        let s = try Station()
        defer { s.remove() }
        let orders = try excelUK(
            s.path("orders.csv"), columns: StationInputs.orderColumns, decimals: ["quantity", "unit_price"])
        #expect(String(decoding: orders, as: UTF8.self).contains(";4;312,50;UAH"))
        try orders.write(to: URL(fileURLWithPath: s.path("orders.csv")))
        try excelUK(s.path("rates.csv"), columns: StationInputs.rateColumns, decimals: ["rate"])
            .write(to: URL(fileURLWithPath: s.path("rates.csv")))
        let run = try s.run(Station.week)
        #expect(run.status == 0, "\(run.stderr)")
        for file in ["inc_documents.csv", "inc_lines.csv", "reconciliation.csv"] {
            let golden = try String(contentsOfFile: repoPath("fixtures/demo/expected/\(file)"), encoding: .utf8)
            #expect(try s.read("\(Self.folder)/\(file)") == golden, "\(file)")
        }
    }

    @Test func aWindows1251OrdersFileGetsAHint() throws {
        let s = try Station()
        defer { s.remove() }
        let text = try s.read("orders.csv")
        let encoded = try #require(text.data(using: .windowsCP1251))
        try encoded.write(to: URL(fileURLWithPath: s.path("orders.csv")))
        let run = try s.run(Station.week)
        #expect(run.status == 2)
        #expect(
            run.stderr
                // Column 51 of line 2 is where "Фільтр масляний" begins (the seventh cell).
                == "\(s.path("orders.csv")):2:51: the text is not valid UTF-8 (saved as windows-1251?): in Excel, "
                + "save the file as \"CSV UTF-8\"\n", "\(run.stderr)")
    }

    // MARK: Paths

    @Test func theDemoRunsFromAnyFolderThroughPATH() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("nakladna-path-\(UUID().uuidString)")
            .path
        defer { try? FileManager.default.removeItem(atPath: root) }
        try FileManager.default.createDirectory(atPath: "\(root)/bin", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: "\(root)/work", withIntermediateDirectories: true)
        #expect(symlink(binaryPath, "\(root)/bin/nakladna") == 0)
        // As cron or a shell runs it: by its name on PATH, from a folder that has nothing of the project.
        let run = try runBinary(
            ["/usr/bin/env", "-i", "PATH=\(root)/bin:/usr/bin:/bin", "nakladna", "demo", "--into", "station"],
            executable: "/usr/bin/env", in: "\(root)/work")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("демо-станція: station\n"))
        #expect(FileManager.default.fileExists(atPath: "\(root)/work/station/out/2026-11-23_2026-11-29/report.html"))
    }

    // MARK: The station, documented

    /// The fenced block of `docs/station.md` whose info string is `info` (such as "csv orders.csv").
    func block(_ info: String, in text: String) throws -> String {
        let start = try #require(text.range(of: "```\(info)\n"), "docs/station.md has no block ```\(info)")
        let end = try #require(text[start.upperBound...].range(of: "\n```"))
        return String(text[start.upperBound..<end.lowerBound]) + "\n"
    }

    @Test func aNewcomersStationFromThisPage() throws {
        let page = try String(contentsOfFile: repoPath("docs/station.md"), encoding: .utf8)
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("nakladna-new-\(UUID().uuidString)")
            .path
        defer { try? FileManager.default.removeItem(atPath: root) }
        // The steps the page gives: the three files from its blocks, the project's mappings, the secret file
        // (chmod 600), and an inbox folder per supplier. Nothing of the demo.
        try FileManager.default.createDirectory(atPath: "\(root)/secrets", withIntermediateDirectories: true)
        try block("yaml nakladna.yaml", in: page).write(
            toFile: "\(root)/nakladna.yaml", atomically: true, encoding: .utf8)
        try block("csv orders.csv", in: page).write(toFile: "\(root)/orders.csv", atomically: true, encoding: .utf8)
        try block("csv rates.csv", in: page).write(toFile: "\(root)/rates.csv", atomically: true, encoding: .utf8)
        try FileManager.default.copyItem(atPath: repoPath("mappings"), toPath: "\(root)/mappings")
        try "omega-station-key\n".write(toFile: "\(root)/secrets/omega.key", atomically: true, encoding: .utf8)
        chmod("\(root)/secrets/omega.key", 0o600)
        for supplier in ["omega", "elit"] {
            try FileManager.default.createDirectory(
                atPath: "\(root)/inbox/\(supplier)", withIntermediateDirectories: true)
        }
        try FileManager.default.copyItem(
            atPath: repoPath("fixtures/feeds/omega/omega-2026-11-28.json"),
            toPath: "\(root)/inbox/omega/omega-2026-11-28.json")
        // As cron runs it: an empty environment, no terminal, another working folder.
        let run = try runBinary(
            [
                "/usr/bin/env", "-i", "PATH=/usr/bin:/bin", binaryPath, "run", "--config", "\(root)/nakladna.yaml",
                "--date", "2026-11-28",
            ],
            executable: "/usr/bin/env", in: "/")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.isEmpty, "\(run.stderr)")
        let documents = try String(contentsOfFile: "\(root)/out/2026-11-28/inc_documents.csv", encoding: .utf8)
        #expect(documents.contains(",omega,ВН-0012345,invoice,2026-11-28,UAH,"))
        let findings = try String(contentsOfFile: "\(root)/out/2026-11-28/reconciliation.csv", encoding: .utf8)
        #expect(findings.contains("omega,ВН-0012345,INC-20261128-"))
        #expect(findings.contains(",1,O-1001,BOSCH,0986452041,matched,4,2,312.5000,312.5000,UAH,0.00,"))
        #expect(FileManager.default.fileExists(atPath: "\(root)/out/2026-11-28/report.html"))
    }

    // MARK: Rates the accountant can trust

    @Test func aDocumentAtAnOldRateIsFlaggedWithTheRatesDate() throws {
        let s = try Station()
        defer { s.remove() }
        try "date,currency,rate\n2026-11-10,EUR,48.0000\n".write(
            toFile: s.path("rates.csv"), atomically: true, encoding: .utf8)
        let run = try s.run(Station.week)
        #expect(run.status == 0, "\(run.stderr)")
        // Vesna's invoices of the 23rd and the 24th rest on the rate of the 10th: 13 and 14 days older than 7 allow.
        let first =
            "vesna ВС-2611/0090 (INC-20261123-D8724D93) від 23.11.2026: курс EUR на 10.11.2026, старший на 13 дн."
        #expect(lines(run.stdout).contains("старий курс: " + first), "\(run.stdout)")
        #expect(lines(run.stdout).filter { $0.hasPrefix("старий курс: ") }.count == 2)
        // The rate is still used.
        #expect(try s.read("\(Self.folder)/inc_documents.csv").contains(",EUR,32.08,6.42,38.50,48,1848.00,"))
        #expect(try s.read("\(Self.folder)/report.html").contains(first))
        // The report rendered again says the same; a station that allows 30 days is not told.
        let again = try runBinary(["report", "--config", s.config] + Station.week, environment: Station.environment)
        #expect(again.status == 0)
        #expect(try s.read("\(Self.folder)/report.html").contains(first))
        try (try s.read("nakladna.yaml")).replacingOccurrences(
            of: "overdue_after_days: 7", with: "overdue_after_days: 7\n  rate_max_age_days: 30"
        ).write(toFile: s.config, atomically: true, encoding: .utf8)
        #expect(!(try s.run(Station.week).stdout.contains("старий курс")))
    }

    // MARK: Findings say what to do next

    @Test func anUnorderedLineOrderedUnderAnotherBrandPointsToBrandsYaml() throws {
        let s = try Station()
        defer { s.remove() }
        // Omega bills OC 90 as MAHLE (which sells Knecht filters); the station ordered OC 90 as KNECHT, O-1001.
        try """
        {"Success": true, "Data": [{"Id": "m1", "Number": "ВН-0012500", "Date": "26.11.2026 10:00:00",
        "Summ": 415.20, "Details": [{"Code": "OC 90", "Brand": "MAHLE", "ProductDescrition": "Фільтр масляний",
        "Count": 1, "PiceWithVAT": 415.20}]}], "Errors": []}
        """.write(toFile: s.path("inbox/omega/omega-2026-11-26.json"), atomically: true, encoding: .utf8)
        #expect(try s.run(Station.week).status == 0)
        let findings = lines(try s.read("\(Self.folder)/reconciliation.csv"))
        let row = try #require(findings.first { $0.hasPrefix("omega,ВН-0012500,") })
        #expect(row.contains(",MAHLE,OC 90,unordered,,1,,415.2000,UAH,415.20,"), "\(row)")
        #expect(
            row.hasSuffix(
                " ніколи не замовляли в цього постачальника; цей номер замовлено як KNECHT у O-1001: "
                    + "якщо це той самий виробник, додайте псевдонім бренду в brands.yaml і перезапустіть період\""),
            "\(row)")
        // A number ordered under no other brand gets no such hint (the NGK plugs of ВН-0012400).
        let plugs = try #require(findings.first { $0.hasPrefix("omega,ВН-0012400,") && $0.contains(",unordered,") })
        #expect(!plugs.contains("brands.yaml"))
        // The report says what "review" means.
        #expect(try s.read("\(Self.folder)/report.html").contains("«перевірити»: у документі є розбіжність"))
    }

    /// A night sets allocation up only for the search numbers its documents name (`OrderBook`): the order of the
    /// same number under another brand is among them, though no document of the night names that brand.
    @Test func aNightFindsTheOrderOfAnotherBrandThatNoDocumentOfItNames() throws {
        let s = try Station()
        defer { s.remove() }
        #expect(try s.run(Station.week).status == 0)
        try """
        {"Success": true, "Data": [{"Id": "m2", "Number": "ВН-0012600", "Date": "30.11.2026 10:00:00",
        "Summ": 415.20, "Details": [{"Code": "OC 90", "Brand": "MAHLE", "ProductDescrition": "Фільтр масляний",
        "Count": 1, "PiceWithVAT": 415.20}]}], "Errors": []}
        """.write(toFile: s.path("inbox/omega/omega-2026-11-30.json"), atomically: true, encoding: .utf8)
        let night = try s.run(["--date", "2026-11-30"])
        #expect(night.status == 0, "\(night.stderr)")
        let findings = lines(try s.read("out/2026-11-30/reconciliation.csv"))
        let row = try #require(findings.first { $0.hasPrefix("omega,ВН-0012600,") })
        #expect(row.contains(",MAHLE,OC 90,unordered,"), "\(row)")
        #expect(row.contains("цей номер замовлено як KNECHT у O-1001"), "\(row)")
    }

    @Test(arguments: [
        ("overdue_after_days: -1", "overdue_after_days"), ("rate_max_age_days: week", "rate_max_age_days"),
    ])
    func dayCountsMustBeWholeNumbers(_ line: String, _ key: String) throws {
        let s = try Station()
        defer { s.remove() }
        try edit(s) { $0.replacingOccurrences(of: "overdue_after_days: 7", with: line) }
        let run = try s.run(Station.week)
        #expect(run.status == 2)
        #expect(run.stderr.hasSuffix(": \(key) must be a whole number of days\n"), "\(run.stderr)")
        #expect(run.stderr.hasPrefix("\(s.config):"))
    }
}
