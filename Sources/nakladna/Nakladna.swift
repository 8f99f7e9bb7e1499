import ArgumentParser
import Foundation
import Nakladna

@main
struct Nakladna: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nakladna",
        abstract: "Supplier invoices in, INC receipt documents out.",
        discussion: """
            Reads the invoices parts suppliers send (JSON and XML) through declarative mapping files in \
            mappings/, and turns them into canonical documents. See docs/mapping.md for the mapping language.
            """,
        version: "nakladna \(NakladnaVersion.current)",
        subcommands: [
            RunCommand.self, ReportCommand.self, MappingCommand.self, CodeCommand.self, OffersCommand.self,
            OrderCommand.self, ChainCommand.self, DemoCommand.self,
        ]
    )

    /// Parses and runs a command; bad usage exits 2, as the contract says (ArgumentParser's own code for it is 64).
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                printError(fullMessage(for: error))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
