import ArgumentParser
import Foundation
import Nakladna

/// `nakladna mapping …`: work on mapping files.
struct MappingCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mapping",
        abstract: "Check a mapping file against sample feed files.",
        subcommands: [MappingCheckCommand.self]
    )
}

/// Output formats of `mapping check`.
enum CheckFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}

/// `nakladna mapping check MAPPING FILE… [--format text|json]`.
struct MappingCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Read sample files through a mapping and print the canonical documents, or every error.",
        discussion: """
            Exit codes: 0 every file was read; 1 some file could not be read (each error is printed on standard \
            error with the file, the place and the field: the first 100 of a file, and how many more); 2 the mapping \
            file itself is refused.
            With --format json, standard output is one JSON array of the canonical documents, every decimal as a \
            string; or, where any file could not be read, the errors instead: [{"file", "place", "field", \
            "message"}].
            Brand aliases come from brands.yaml beside the mapping file (text output names the one used), or from \
            --brands.
            A file whose name matches one of the mapping's price and stock files ('prices:') is read as one: text \
            prints its items (code, part, gross price, stock); json checks it without adding to the array.
            """
    )

    @Argument(help: "The mapping file, e.g. mappings/omega.yaml.")
    var mapping: String

    @Argument(help: "One or more feed files to read through it.")
    var files: [String]

    @Option(help: "text (a summary per document) or json (the canonical documents).")
    var format: CheckFormat = .text

    @Option(help: "The time zone invoice dates are taken in.")
    var timezone: String = "Europe/Kyiv"

    @Option(help: "The brand aliases to use (default: brands.yaml beside the mapping file).")
    var brands: String?

    func validate() throws {
        if files.isEmpty { throw ValidationError("name at least one feed file to check") }
    }

    func run() throws {
        let loaded: Mapping
        do {
            loaded = try MappingFiles.load(path: mapping, brands: brands)
        } catch {
            if format == .json {
                let place = error.line > 0 ? "\(error.line):\(error.column)" : ""
                print(FeedError.json([FeedError(file: error.file, place: place, reason: error.reason)]))
            } else {
                printError(error.description)
            }
            throw ExitCode(2)
        }
        if format == .text {
            print("brands: " + (brands ?? MappingFiles.brandsPath(forMapping: mapping) ?? "none"))
        }
        guard let zone = TimeZone(identifier: timezone) else {
            printError("unknown time zone '\(timezone)'")
            throw ExitCode(2)
        }
        let reader = MappingReader(mapping: loaded, zone: zone)
        var documents: [Document] = []
        var errors: [FeedError] = []
        var failed = false
        for file in files {
            if let (feed, asOf) = loaded.priceFeed(named: (file as NSString).lastPathComponent) {
                guard let asOf else {
                    report([
                        FeedError(
                            file: file, place: "",
                            reason: "the date in the name is not a calendar date (expected \(feed.pattern))")
                    ])
                    failed = true
                    continue
                }
                let priceErrors = checkPrices(file, feed: feed, asOf: asOf)
                report(priceErrors)
                failed = failed || !priceErrors.isEmpty
                continue
            }
            guard let reader else {
                report([
                    FeedError(
                        file: file, place: "",
                        reason: "not a price or stock file, and \(mapping) describes no invoices")
                ])
                failed = true
                continue
            }
            let result = reader.read(path: file, displayName: file)
            report(result.errors)
            failed = failed || !result.errors.isEmpty
            documents += result.documents
            if format == .text && result.errors.isEmpty {
                print("\(file): \(result.documents.count) document(s)")
                for d in result.documents { print("  " + CheckSummary.line(d)) }
            }
        }
        if format == .json {
            print(errors.isEmpty ? DocumentJSON.render(documents, brands: loaded.brands) : FeedError.json(errors))
        }
        if failed { throw ExitCode(1) }

        /// A file's errors, the first 100 and how many more: on standard error as text, or kept for the JSON array.
        func report(_ fileErrors: [FeedError]) {
            let kept = FeedError.kept(fileErrors)
            if format == .json { errors += kept } else { for error in kept { printError(error.description) } }
        }
    }
}

extension MappingCheckCommand {
    /// Reads a price or stock file through its feed description; prints its items in text mode; returns its errors.
    func checkPrices(_ file: String, feed: PriceFeedSpec, asOf: CalendarDate) -> [FeedError] {
        var lines: [String] = []
        let errors = PriceReader(feed: feed).read(path: file, displayName: file) { item in
            let price =
                item.priced ? item.price.map { "\($0.formatted(places: 2)) \(item.currency)" } ?? "on request" : ""
            let stock = item.stock.map { "\($0.branch) \($0.atLeast ? "≥" : "")\($0.quantity)" }
            lines.append(
                "  \(item.code): \(item.brand) \(item.article)"
                    + (price.isEmpty ? "" : ", \(price)") + (stock.isEmpty ? "" : ", " + stock.joined(separator: ", ")))
        }
        if format == .text && errors.isEmpty {
            print("\(file): \(lines.count) item(s) as of \(asOf)")
            for line in lines { print(line) }
        }
        return errors
    }
}

/// Writes one line to standard error.
func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
