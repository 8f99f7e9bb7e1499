import Foundation
import Testing

@testable import Nakladna

/// The documents whose versions carry more than one invoice date are kept as versions are stored
/// (`document_spread`): a run replays all of a document's versions together from the earliest. A few new documents
/// are looked at one by one, many (a first run's) in one pass: both must find them.
@Suite struct DocumentSpreadTests {
    static func commit(_ documents: [ReceivedDocument], into store: SQLiteStore) throws {
        let day = ReconcilerTests.date(30)
        try store.commit(
            StoreIntake(
                feedFiles: [], newDocuments: documents, replay: ReplayChange(), suppliers: ["s"], from: day, to: day),
            results: { nil },
            change: {
                StoreChange(
                    accepted: [:], coveredUntil: day,
                    run: RunRecord(
                        startedAt: "", finishedAt: "", command: "test", from: day, to: day, suppliers: ["s"],
                        filesRead: 0, filesQuarantined: 0, exitCode: 0))
            }, beforeCommit: {})
    }

    /// Version `v` of invoice `invoice`, dated `day`: versions differ in their quantity, so in their content.
    static func version(_ invoice: String, day: Int, _ v: Int) -> ReceivedDocument {
        ReconcilerTests.doc(invoice, day: day, lines: [("111", "\(v)", "50.00")])
    }

    @Test(arguments: [3, 1_200])
    func documentsWhoseVersionsCarrySeveralDatesAreKept(count: Int) throws {
        let store = try SQLiteStore(path: try temporaryFile("nakladna.sqlite", Data()))
        try Self.commit([Self.version("A", day: 5, 1)], into: store)
        // A later run stores A again, dated earlier, and B twice on one date, among `count` documents in all.
        var documents = [Self.version("A", day: 3, 2), Self.version("B", day: 4, 1), Self.version("B", day: 4, 2)]
        documents += (documents.count..<count).map { Self.version("N\($0)", day: 6, 1) }
        try Self.commit(documents, into: store)
        let spread = try store.replayRecord(of: ["s"]).spread
        #expect(spread.count == 1)
        let a = spread[DocumentKey(supplier: "s", invoice: "A")]
        #expect(a?.first == ReconcilerTests.date(3) && a?.last == ReconcilerTests.date(5))
    }
}
