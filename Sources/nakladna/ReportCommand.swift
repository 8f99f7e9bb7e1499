import ArgumentParser
import Nakladna

/// `nakladna report [--date D | --from D --to D]`: no date is yesterday, as for `run`.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Render the report and the CSV files of a range again from the database, without recomputing.",
        discussion:
            "Exit codes: 0 written; 1 written, but a later run made the range's order findings stale, so they are left "
            + "out (each supplier is named, with the command that makes them again); 2 bad usage or configuration; "
            + "3 a run holds the database; 4 it could not be written."
    )

    @OptionGroup var range: RangeOptions

    func run() throws {
        // The report sends nothing to anyone: the suppliers' secrets are not read, so an accountant needs none.
        let config = try range.loadConfig(secrets: false)
        let (from, to) = range.range(zone: config.timezone)
        var stale = false
        do {
            let language = range.language(config)
            let outcome = try Pipeline.report(
                config: config, from: from, to: to, language: language, csv: range.dialect(config))
            print(language == .uk ? "звіт: \(outcome.path)" : "report: \(outcome.path)")
            // Left out, not shown stale: the range is not whole until it is run again.
            for line in outcome.stale { printError(line) }
            stale = !outcome.stale.isEmpty
        } catch {
            printError(error.description)
            throw ExitCode(error.exitCode)
        }
        if stale { throw ExitCode(1) }
    }
}
