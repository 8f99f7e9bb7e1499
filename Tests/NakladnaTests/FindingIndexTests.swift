import Foundation
import GRDB
import Testing

@testable import Nakladna

/// Every night stores its range's order findings (about 85,000 on the generated year), so a year of nights holds
/// tens of millions: a statement that looks findings up must go through an index, or each night reads them all.
@Suite struct FindingIndexTests {
    @Test func everyLookupOfStoredFindingsGoesThroughAnIndex() throws {
        let path = try temporaryFile("nakladna.sqlite", Data())
        let store = try SQLiteStore(path: path)
        let day = "2026-12-31"
        let statements: [(sql: String, arguments: StatementArguments)] = [
            (SQLiteStore.FindingSQL.ofRange, [day, day, day, day]),
            (SQLiteStore.FindingSQL.lastPosition, []),
            (SQLiteStore.FindingSQL.replayedDelete(suppliers: 2), [day, "omega", "intercars"]),
            (SQLiteStore.FindingSQL.rangeDelete(suppliers: 1), [day, day, "omega"]),
            (SQLiteStore.FindingSQL.rangeDelete(suppliers: 2), [day, day, "omega", "intercars"]),
        ]
        try store.queue.read { db in
            for (sql, arguments) in statements {
                let plan = try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments)
                    .map { $0["detail"] as String }
                #expect(!plan.isEmpty, "\(sql)")
                // A table read whole says SCAN, or SEARCH without an index (as MAX of a column without one does).
                #expect(!plan.contains { $0.hasPrefix("SCAN") }, "\(sql): \(plan)")
                #expect(plan.allSatisfy { !$0.hasPrefix("SEARCH") || $0.contains(" USING ") }, "\(sql): \(plan)")
            }
        }
    }
}
