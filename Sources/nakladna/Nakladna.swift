import ArgumentParser
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
        subcommands: [
            RunCommand.self, ReportCommand.self, MappingCommand.self, CodeCommand.self, OffersCommand.self,
            OrderCommand.self, DemoCommand.self,
        ]
    )
}
