import ArgumentParser
import Nakladna

/// `nakladna report [--date D | --from D --to D]`: no date is yesterday, as for `run`.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Render the report and the CSV files of a range again from the database, without recomputing.",
        discussion:
            "Exit codes: 0 written; 2 bad usage or configuration; 3 a run holds the database; 4 it could not be written."
    )

    @OptionGroup var range: RangeOptions

    func run() throws {
        // The report sends nothing to anyone: the suppliers' secrets are not read, so an accountant needs none.
        let config = try range.loadConfig(secrets: false)
        let (from, to) = range.range(zone: config.timezone)
        do {
            let language = range.language(config)
            let path = try Pipeline.report(
                config: config, from: from, to: to, language: language, csv: range.dialect(config))
            print(language == .uk ? "звіт: \(path)" : "report: \(path)")
        } catch {
            printError(error.description)
            throw ExitCode(error.exitCode)
        }
    }
}
