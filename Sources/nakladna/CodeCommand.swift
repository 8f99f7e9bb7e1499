import ArgumentParser
import Nakladna

/// `nakladna code --config F --supplier ID BRAND ARTICLE`.
struct CodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "code",
        abstract: "Print a catalog part (brand + article) in a supplier's own code.",
        discussion: """
            The code comes from the supplier's newest imported price feed first, then its mapping file's \
            cross-reference CSV, then its rule (Inter Cars: the brand prefix followed by the search number). Brands and articles match by their keys, so \
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
        let p = try purchasing(config)
        switch try answering({ () throws(PurchasingError) in
            try p.code(supplier: supplier, brand: brand, article: article)
        }) {
        case .code(let code, _):
            print(code)
        case .missing(let reason):
            printError("\(supplier) has no code for \(brand) \(article): \(reason)")
            throw ExitCode(1)
        }
    }
}
