import ArgumentParser
import Nakladna

/// `nakladna demo`.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo", abstract: "Run the bundled demo station end to end.")

    func run() throws {
        throw ExitCode(2)
    }
}
