import ArgumentParser
import Foundation
import Nakladna

/// `nakladna chain`.
struct ChainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chain",
        abstract: "Run the nights of a chain of stations that share one PostgreSQL database.",
        subcommands: [ChainRunCommand.self]
    )
}

/// `nakladna chain run`.
struct ChainRunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the night of every station of chain.yaml, with any number of workers on any number of machines.",
        discussion: """
            chain.yaml names the PostgreSQL database (database:, a postgres:// URL whose password comes through \
            ${VAR} or ${file:PATH}) and each station's configuration (stations: { ID: { config: PATH } }). Each \
            station's results are kept in that database under its ID, whatever its own database: says.

            The first process of a night puts one row per station in the database's queue; this process and any \
            other `chain run` of the same night, on any machine that reaches the database and the stations' \
            folders, take stations from it until none is left. Each station runs as `nakladna run --date D` in a \
            process of its own; its exit code is recorded, and one station's failure does not stop the others. A \
            worker that dies lets its station go, and another worker takes it the same night.

            Prints every station of the night by result. Exit codes: 0 every station's run ended 0; 1 some ended 1 \
            (a file quarantined or left unread, a pull that failed) and none worse; 2 chain.yaml or a station's \
            configuration is wrong, nothing was run; 4 some station failed (its own exit 2, 3 or 4) or is not done.
            """
    )

    @Option(help: "The chain's configuration file.")
    var config: String = "chain.yaml"

    @OptionGroup var days: DayOptions

    @Option(help: "How many stations this process runs at once.")
    var workers: Int = 1

    func validate() throws {
        if !(1...64).contains(workers) { throw ValidationError("--workers takes 1 to 64") }
    }

    func run() throws {
        let chain: ChainConfig
        do {
            chain = try ChainConfig.load(path: config)
        } catch {
            printError(error.description)
            throw ExitCode(2)
        }
        let attended = isatty(STDERR_FILENO) == 1 || ProcessInfo.processInfo.environment["NAKLADNA_PROGRESS"] == "1"
        let entries: [ChainQueue.Entry]
        do {
            entries = try ChainRun.run(
                chain: chain, range: days.asked, workers: workers,
                executable: Self.executable
            ) { line in
                if attended { printError(line) }
            }
        } catch {
            printError(error.description)
            throw ExitCode(error.exitCode)
        }
        let groups: [(String, (ChainQueue.Entry) -> Bool)] = [
            ("failed", { ($0.exitCode ?? 0) >= 2 }),
            ("not done (another worker has it, or it was left)", { $0.exitCode == nil }),
            ("done, with files to look at (exit 1)", { $0.exitCode == 1 }),
            ("done", { $0.exitCode == 0 }),
        ]
        for (title, belongs) in groups {
            let members = entries.filter(belongs)
            guard !members.isEmpty else { continue }
            print("\(title): \(members.count)")
            for e in members {
                let code = e.exitCode.map { "exit \($0)" } ?? "queued"
                print("  \(e.station) \(e.night): \(code)\(e.message.isEmpty ? "" : ": \(e.message)")")
            }
        }
        let code = ChainRun.exitCode(entries)
        if code != 0 { throw ExitCode(code) }
    }

    /// This binary, which runs each station.
    static var executable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}
