import ArgumentParser
import Nakladna

/// `nakladna code --config F --supplier ID BRAND ARTICLE`.
struct CodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "code", abstract: "Print a catalog part in a supplier's own code.")

    func run() throws {
        throw ExitCode(2)
    }
}
