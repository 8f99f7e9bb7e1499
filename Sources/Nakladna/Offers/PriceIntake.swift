import Foundation

/// A price or stock file in the inbox; no feed when its name matches none of its supplier's patterns.
struct PriceJob {
    var job: IntakeJob
    var feed: PriceFeedSpec?
    var asOf: CalendarDate?
    var brands: Brands
}

/// Step 3b of a run: the inbox's price and stock files, each archived, then imported in a transaction of its own
/// (a re-run after a crash finds it imported by its bytes and goes on), the newest first so that older ones cost
/// nothing. An unreadable file is quarantined like any other.
struct PriceIntake {
    var records: [FeedFileRecord] = []
    /// Files read (no reason) or to quarantine (with one).
    var taken: [TakenFile] = []
    /// Files not read at all; they stay in the inbox.
    var unread: [UnreadEntry] = []
    /// Files whose items became current offers.
    var imported = 0

    static func run(
        _ jobs: [PriceJob], store: any ResultStore, archive: Archive, mappings: [String: Mapping],
        known: [String: Int], nextSequence: inout Int, limit: Int, now: Date
    ) throws -> PriceIntake {
        var out = PriceIntake()
        let newestFirst = jobs.sorted {
            ($0.asOf?.description ?? "", $1.job.name) > ($1.asOf?.description ?? "", $0.job.name)
        }
        for p in newestFirst {
            let received: ReceivedFile
            switch try archive.receive(p.job.path, limit: limit) {
            case .success(let file): received = file
            case .failure(let refusal):
                out.unread.append(UnreadEntry(file: p.job.display, reason: refusal.reason))
                TestHook.checkpoint()
                continue
            }
            let (sha, size, archived) = (received.sha256, received.size, received.archived)
            TestHook.checkpoint()
            let sequence = known[sha] ?? nextSequence
            if sequence == nextSequence { nextSequence += 1 }
            let (supplier, name) = (p.job.supplier, p.job.name)
            let display = "\(supplier)/\(name)"
            var errors: [FeedError] = []
            if let feed = p.feed, let asOf = p.asOf {
                let record = PriceFileRecord(
                    sha256: sha, supplier: supplier, name: name, feed: feed.index, asOf: asOf,
                    importedAt: Pipeline.timestamp(now))
                let result = try store.importPrices(record, brands: p.brands) { body in
                    PriceReader(feed: feed).read(path: archived, displayName: display, body)
                }
                TestHook.checkpoint()
                switch result {
                case .failed(let e): errors = e
                case .imported: out.imported += 1
                case .older, .known: break
                }
            } else if let feed = p.feed {
                errors = [
                    FeedError(
                        file: display, place: "",
                        reason: "the date in the name is not a calendar date (expected \(feed.pattern), YYYY-MM-DD)")
                ]
            } else {
                let patterns = mappings[supplier]?.prices.map(\.pattern) ?? []
                let reason =
                    patterns.isEmpty
                    ? "\(supplier) sends no invoices and its mapping names no price files"
                    : "not a price or stock file of \(supplier) (expected \(patterns.joined(separator: " or ")))"
                errors = [FeedError(file: display, place: "", reason: reason)]
            }
            let reason = FeedError.reason(errors)
            out.taken.append(TakenFile(job: p.job, file: received, reason: errors.isEmpty ? nil : reason))
            out.records.append(
                FeedFileRecord(
                    sha256: sha, supplier: supplier, name: name, sequence: sequence,
                    status: errors.isEmpty ? "read" : "quarantined", error: reason, size: size, documents: 0))
        }
        return out
    }
}
