import ArgumentParser
import CProcess
import Foundation
import Nakladna

/// The days a command covers: `--date D`, or `--from D --to D` (`run`, `report`, `chain run`).
struct DayOptions: ParsableArguments {
    @Option(help: "One day, YYYY-MM-DD (the same as --from D --to D). Default: yesterday in the station's zone.")
    var date: String?

    @Option(help: "The first day of the range, YYYY-MM-DD.")
    var from: String?

    @Option(help: "The last day of the range, YYYY-MM-DD.")
    var to: String?

    func validate() throws {
        if date != nil && (from != nil || to != nil) { throw ValidationError("give either --date or --from and --to") }
        if (from == nil) != (to == nil) { throw ValidationError("--from and --to go together") }
        for (name, value) in [("--date", date), ("--from", from), ("--to", to)] {
            if let value, CalendarDate(iso: value) == nil {
                throw ValidationError("\(name) \(value): expected a date as YYYY-MM-DD")
            }
        }
        if let from, let to, let f = CalendarDate(iso: from), let t = CalendarDate(iso: to), t < f {
            throw ValidationError("--to \(to) is before --from \(from)")
        }
    }

    /// The days asked for; nil where none were (yesterday, in each station's zone).
    var asked: (from: CalendarDate, to: CalendarDate)? {
        if let date, let d = CalendarDate(iso: date) { return (d, d) }
        if let from, let to, let f = CalendarDate(iso: from), let t = CalendarDate(iso: to) { return (f, t) }
        return nil
    }
}

/// Options shared by `run` and `report`: the configuration and the date range.
struct RangeOptions: ParsableArguments {
    @Option(help: "The configuration file.")
    var config: String = "nakladna.yaml"

    @OptionGroup var days: DayOptions

    @Option(
        help: """
            The language of the messages and of one more report: uk or en. Default: `lang` in the configuration, \
            else uk. report.html and the CSV files' notes are always in the station's language (`lang`); another \
            language's report is written beside it as report.X.html.
            """)
    var lang: String?

    @Option(
        help: """
            The CSV dialect: rfc (comma, decimal point) or excel-uk (semicolon, decimal comma, BOM). Default: `csv` in \
            the configuration, else rfc.
            """)
    var csv: String?

    func validate() throws {
        if let lang, Language(rawValue: lang) == nil { throw ValidationError("--lang takes uk or en") }
        if let csv, CSVDialect(rawValue: csv) == nil { throw ValidationError("--csv takes rfc or excel-uk") }
    }

    /// The range, defaulting to yesterday in `zone`.
    func range(zone: TimeZone) -> (CalendarDate, CalendarDate) {
        if let asked = days.asked { return asked }
        let d = DatePattern.civil(fromDays: DatePattern.days(from: CalendarDate.today(in: zone)) - 1)
        return (d, d)
    }

    /// The language asked for, else the station's.
    func language(_ config: Config) -> Language { lang.flatMap(Language.init(rawValue:)) ?? config.language }
    /// The dialect asked for, else the station's.
    func dialect(_ config: Config) -> CSVDialect { csv.flatMap(CSVDialect.init(rawValue:)) ?? config.csv }

    /// The configuration; `secrets: false` for the commands that send nothing to a supplier.
    func loadConfig(secrets: Bool = true) throws -> Config {
        do {
            return try Config.load(path: config, secrets: secrets)
        } catch {
            printError(error.description)
            throw ExitCode(2)
        }
    }
}

/// `nakladna run`.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Read the inbox, reconcile against the orders, and write INC documents, CSV files and the report.",
        discussion: """
            Every file in inbox/<supplier>/ is archived by its content hash, read through the supplier's mapping, \
            and leaves the inbox only once the run is committed; an unreadable file goes to quarantine/ with \
            <name>.error.txt beside it. Results go to the database and to out/<from>_<to>/ (out/<date>/ for one \
            day), replaced whole.

            An inbox entry that is not a regular file (a link, a FIFO, a folder), a name that is not UTF-8, a file \
            over max_file_mb, or a file that changed during the run is not read: it stays where it is, and is \
            named on standard error and in the report.

            Exit codes: 0 every feed was read (discrepancies are in the report, not failures); 1 some file was \
            quarantined or left unread, or some supplier could not be pulled; 2 bad usage or configuration, \
            nothing changed; 3 another run holds the database; 4 the run failed and committed nothing (disk full, \
            a corrupt database, an internal error), with one line naming the file and the cause.
            """
    )

    @OptionGroup var range: RangeOptions

    @Flag(help: "Also write out/<range>/nakladna.xlsx, a workbook with a sheet per CSV file (or xlsx: true).")
    var xlsx = false

    @Option(help: "Recompute only this supplier (repeatable).")
    var supplier: [String] = []

    @Flag(help: "Let a changed document under a known number replace the earlier version: every such document.")
    var acceptCorrections = false

    @Option(
        name: .customLong("accept"),
        help: ArgumentHelp(
            "Let the latest version of this one document replace the earlier one (repeatable).",
            valueName: "SUPPLIER:INVOICE"))
    var accept: [String] = []

    /// A chain's worker starts each station's run with the station's id, and the chain's database (as written) in
    /// NAKLADNA_CHAIN_DATABASE: in the environment, not on the command line, which `ps` shows and the run keeps.
    @Option(help: .hidden) var chainStation: String?

    func validate() throws {
        for text in accept where DocumentKey(accepting: text) == nil {
            throw ValidationError("--accept \(text): expected SUPPLIER:INVOICE, such as busmarket:РН-2611-004512")
        }
    }

    func run() throws {
        var config = try range.loadConfig()
        if let chainStation {
            guard let chainDatabase = ProcessInfo.processInfo.environment["NAKLADNA_CHAIN_DATABASE"] else {
                printError("--chain-station: NAKLADNA_CHAIN_DATABASE is not set (a chain's worker sets it)")
                throw ExitCode(2)
            }
            // The run dies with the worker that started it, and does not start where that worker is gone already.
            let worker = getppid()
            _ = nakladna_die_with_parent()
            if getppid() != worker { throw ExitCode(4) }
            do {
                try config.useChainDatabase(text: chainDatabase, station: chainStation)
            } catch {
                printError(error.description)
                throw ExitCode(2)
            }
        }
        let (from, to) = range.range(zone: config.timezone)
        let language = range.language(config)
        var options = RunOptions(
            from: from, to: to, suppliers: supplier, acceptCorrections: acceptCorrections,
            language: language,
            csv: range.dialect(config), command: (["run"] + CommandLine.arguments.dropFirst(2)).joined(separator: " "))
        options.keepUntilExit = true
        options.xlsx = xlsx
        options.accept = Set(accept.compactMap(DocumentKey.init(accepting:)))
        // Progress goes to an attended terminal only: under cron the summary alone is printed.
        let attended = isatty(STDERR_FILENO) == 1 || ProcessInfo.processInfo.environment["NAKLADNA_PROGRESS"] == "1"
        do {
            let summary = try Pipeline.run(config: config, options: options) { line in
                if attended { printError(line) }
            }
            print(SummaryText.render(summary, language: language))
            // Cron mails standard error: each file that needs a person, with why.
            let uk = language == .uk
            for pull in summary.failedPulls {
                printError((uk ? "не вдалося отримати: " : "could not pull: ") + pull.reason)
            }
            for q in summary.quarantined {
                printError(
                    (uk ? "у карантині: " : "quarantined: ") + q.reason.split(separator: "\n").joined(separator: "; "))
            }
            for entry in summary.unread { printError((uk ? "не прочитано: " : "not read: ") + entry.description) }
            for key in summary.notAccepted {
                printError(
                    "--accept \(key.supplier):\(key.invoice): "
                        + (uk ? "немає виправленої версії цього документа" : "no corrected version of that document"))
            }
            for line in SummaryText.ignoredOrders(summary.ignoredOrders, language: language) {
                printError(line)
            }
            if let why = summary.rebuiltState {
                printError(
                    (uk
                        ? "стан розподілу в базі не збігся (\(why)): перераховано з усіх збережених документів"
                        : "the stored allocation state did not match (\(why)): recomputed from all stored documents"))
            }
            if summary.exitCode != 0 { throw ExitCode(summary.exitCode) }
        } catch let error as RunError {
            printError(error.description)
            throw ExitCode(error.exitCode)
        }
    }
}
