import ArgumentParser
import Nakladna

/// `nakladna report --from D --to D`.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Render the report and the CSV files of a range again from the database, without recomputing.",
        discussion:
            "Exit codes: 0 written; 2 bad usage or configuration; 3 a run holds the database; 4 it could not be written."
    )

    @OptionGroup var range: RangeOptions

    func validate() throws {
        if range.from == nil && range.date == nil { throw ValidationError("give --from and --to (or --date)") }
    }

    func run() throws {
        let config = try range.loadConfig()
        let (from, to) = range.range(zone: config.timezone)
        do {
            let path = try Pipeline.report(
                config: config, from: from, to: to, language: range.language, csv: range.dialect)
            print(range.language == .uk ? "звіт: \(path)" : "report: \(path)")
        } catch {
            printError(error.description)
            throw ExitCode(error.exitCode)
        }
    }
}
