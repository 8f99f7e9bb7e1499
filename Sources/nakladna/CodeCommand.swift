import ArgumentParser
import Nakladna

/// `nakladna code --config F --supplier ID BRAND ARTICLE`.
struct CodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "code",
        abstract: "Print a catalog part (brand + article) in a supplier's own code.",
        discussion: """
            The code comes from the supplier's mapping file: its cross-reference CSV first, then its rule (Inter \
            Cars: the brand prefix followed by the search number). Brands and articles match by their keys, so \
            'MANN W712/95' and 'MANN-FILTER W 712/95' are the same part.
            Exit codes: 0 printed; 1 the supplier has no code for the part (the reason is on standard error); \
            2 bad usage or configuration.
            """
    )

    @Option(help: "The configuration file.")
    var config: String = "nakladna.yaml"

    @Option(help: "The supplier id, as in the configuration (omega, elit, busmarket, uniquetrade, vesna, intercars).")
    var supplier: String

    @Argument(help: "The brand as the catalog writes it, e.g. BOSCH.")
    var brand: String

    @Argument(help: "The article as the catalog writes it, e.g. '0 986 452 041'.")
    var article: String

    func run() throws {
        let loaded: Config
        do {
            loaded = try Config.load(path: config)
        } catch {
            printError(error.description)
            throw ExitCode(2)
        }
        guard let entry = loaded.supplier(supplier) else {
            let known = loaded.suppliers.map(\.id).joined(separator: ", ")
            printError("\(config): no supplier '\(supplier)' (configured: \(known))")
            throw ExitCode(2)
        }
        let mapping: Mapping
        do {
            mapping = try MappingLoader.load(path: entry.mapping)
        } catch {
            printError(error.description)
            throw ExitCode(2)
        }
        switch SupplierCodes.code(brand: brand, article: article, mapping: mapping) {
        case .code(let code, _):
            print(code)
        case .missing(let reason):
            printError("\(supplier) has no code for \(brand) \(article): \(reason)")
            throw ExitCode(1)
        }
    }
}
