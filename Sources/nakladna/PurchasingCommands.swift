import ArgumentParser
import Foundation
import Nakladna

/// Loads the configuration and the enabled suppliers' mappings, or exits 2 saying why.
func purchasing(_ path: String) throws -> Purchasing {
    do {
        return try Purchasing(config: try Config.load(path: path, secrets: false))
    } catch let error as PurchasingError {
        printError(error.description)
        throw ExitCode(error.exitCode)
    } catch {
        printError("\(error)")
        throw ExitCode(2)
    }
}

/// Runs `body`, turning a `PurchasingError` into its message and exit code.
func answering<T>(_ body: () throws(PurchasingError) -> T) throws -> T {
    do {
        return try body()
    } catch {
        printError(error.description)
        throw ExitCode(error.exitCode)
    }
}

/// `nakladna offers --config F BRAND ARTICLE [--qty N] [--branch NAME] [--today D] [--format text|json]`.
struct OffersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "offers",
        abstract: "Compare every enabled supplier's price and stock for a part, cheapest first.",
        discussion: """
            Reads the price and stock files `nakladna run` imported: each supplier's newest \
            file is its current offer. The part matches by brand key and search number, so '0 986 452 041', \
            '0986452041' and Cyrillic look-alikes are the same part.
            Order: the offers that cover --qty at one branch, cheapest in UAH first (EUR at the rate of the \
            offer's date, or the latest earlier one); then the rest, the same way; then offers without a UAH \
            price (on request, or no rate). Ties go by supplier id. An offer whose date is more than 2 days \
            before --today is marked stale, not moved.
            Exit codes: 0 answered (an empty list when nobody has the part); 2 bad usage or configuration.
            """
    )

    @Option(help: "The configuration file.")
    var config: String = "nakladna.yaml"

    @Argument(help: "The brand, e.g. BOSCH.")
    var brand: String

    @Argument(help: "The article, e.g. '0 986 452 041'.")
    var article: String

    @Option(help: "The quantity wanted: an offer covers it when one branch has at least that many.")
    var qty: String = "1"

    @Option(help: "Keep only this branch's stock (its name exactly as the supplier writes it).")
    var branch: String?

    @Option(help: "Today, YYYY-MM-DD, for the stale flag. Default: today in the configured zone.")
    var today: String?

    @Option(
        help: """
            text (a table) or json: an array of {supplier, supplier_code, price, currency, price_uah, as_of, stale, \
            stock: [{branch, quantity, at_least}]}, decimals as strings.
            """)
    var format: String = "text"

    func validate() throws {
        guard let q = try? Fixed(parsing: qty), q > .zero else { throw ValidationError("--qty takes a number above 0") }
        if let today, CalendarDate(iso: today) == nil { throw ValidationError("--today takes YYYY-MM-DD") }
        guard ["text", "json"].contains(format) else { throw ValidationError("--format takes text or json") }
    }

    func run() throws {
        let p = try purchasing(config)
        let quantity = (try? Fixed(parsing: qty)) ?? .one
        let day = today.flatMap { CalendarDate(iso: $0) } ?? CalendarDate.today(in: p.config.timezone)
        let offers = try answering { () throws(PurchasingError) in
            try p.offers(brand: brand, article: article, quantity: quantity, branch: branch, today: day)
        }
        if p.isEmpty {
            printError("\(p.config.database) does not exist yet: `nakladna run` imports the price and stock files")
        }
        if format == "json" {
            print(Offer.json(offers))
        } else {
            print(Offer.text(offers, part: "\(brand) \(article)", quantity: quantity, base: p.config.baseCurrency))
        }
    }
}

/// `nakladna order export --config F --supplier ID ORDER.csv`.
struct OrderCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "order",
        abstract: "Orders in each supplier's own shape.",
        subcommands: [Export.self]
    )

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export",
            abstract: "Write an order in the supplier's own shape on standard output; nothing is sent.",
            discussion: """
                ORDER.csv has the orders.csv columns and holds one order for one supplier. Each article is written \
                in the supplier's code: from its imported price feed, its cross-reference CSV, or its rule (Inter \
                Cars). The branch, where the shape names one, is the one with the most stock in the newest file. \
                The shape is the mapping file's 'order' section. No key, token or password is ever written.
                Exit codes: 0 written; 1 an article has no code at the supplier (each is named, nothing is \
                written); 2 bad usage, configuration, or an ORDER.csv with more than one order.
                """
        )

        @Option(help: "The configuration file.")
        var config: String = "nakladna.yaml"

        @Option(help: "The supplier id, as in the configuration.")
        var supplier: String

        @Argument(help: "The order: a CSV file with the orders.csv columns.")
        var order: String

        func run() throws {
            let p = try purchasing(config)
            let body = try answering { () throws(PurchasingError) in try p.exportOrder(supplier: supplier, path: order)
            }
            FileHandle.standardOutput.write(Data(body.utf8))
        }
    }
}
