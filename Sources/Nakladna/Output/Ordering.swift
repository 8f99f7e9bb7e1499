import Foundation

/// The contract's row order, for byte-identical files.
package enum Ordering {
    /// The rows in the contract's order. With `dated`, only the INC documents whose invoice date it accepts (and
    /// their lines) and the document findings it accepts are kept, with every order finding. Rows are filtered and
    /// sorted as indices, then moved into their places: rows the caller no longer holds elsewhere are never copied,
    /// a year of findings being large.
    package static func sorted(_ r: consuming RangeResults, dated keep: (CalendarDate) -> Bool = { _ in true })
        -> RangeResults
    {
        func precedes(_ a: IncDocument, _ b: IncDocument) -> Bool {
            if a.invoiceDate != b.invoiceDate { return a.invoiceDate < b.invoiceDate }
            if a.supplier != b.supplier { return codePointLess(a.supplier, b.supplier) }
            return codePointLess(a.supplierInvoice, b.supplierInvoice)
        }
        var docs = r.incDocuments
        var lines = r.incLines
        var findings = r.findings
        r = RangeResults(incDocuments: [], incLines: [], findings: [])
        // Rows already whole and in order (a run over all of history, most often) are kept as they are.
        if !docs.allSatisfy({ keep($0.invoiceDate) }) { docs.removeAll { !keep($0.invoiceDate) } }
        if !docs.indices.dropFirst().allSatisfy({ !precedes(docs[$0], docs[$0 - 1]) }) { docs.sort(by: precedes) }
        let rank = Dictionary(docs.enumerated().map { ($1.incNumber, $0) }, uniquingKeysWith: { a, _ in a })
        var lineKeys: [(rank: Int, line: Int, index: Int)] = []
        lineKeys.reserveCapacity(lines.count)
        for i in lines.indices {
            if let position = rank[lines[i].incNumber] { lineKeys.append((position, lines[i].line, i)) }
        }
        lineKeys.sort { ($0.rank, $0.line, $0.index) < ($1.rank, $1.line, $1.index) }
        arrange(&lines, as: lineKeys.map(\.index))
        // Document findings first, then order findings (`contract.md`, "Row order"), each sorted on every core.
        var order = findings.withUnsafeBufferPointer { rows in
            nonisolated(unsafe) let rows = rows
            let kept = rows.indices.filter { !rows[$0].status.isOrderFinding && keep(rows[$0].date) }
            return Parallel.sorted(kept, minimum: 20_000) { i, j in Ordering.findingPrecedes(rows, i, j) }
        }
        order += OrderFindingKey.sortedOrderFindings(of: findings)
        arrange(&findings, as: order)
        return RangeResults(incDocuments: docs, incLines: lines, findings: findings)
    }

    /// `rows` becomes `order.map { rows[$0] }` (`order` holds distinct indices), by moving rows along the cycles of
    /// the permutation rather than copying them into a second array.
    static func arrange<T>(_ rows: inout [T], as order: [Int]) {
        guard order.count != rows.count || !order.indices.allSatisfy({ order[$0] == $0 }) else { return }
        // The rows left out go to the end, in any order, and are dropped there.
        var source = order
        var kept = [Bool](repeating: false, count: rows.count)
        for i in order { kept[i] = true }
        for i in rows.indices where !kept[i] { source.append(i) }
        // Place j takes the row at source[j]; following a cycle, the row first at its start moves along with it.
        var done = [Bool](repeating: false, count: rows.count)
        for start in rows.indices where !done[start] {
            var j = start
            while source[j] != start {
                rows.swapAt(j, source[j])
                done[j] = true
                j = source[j]
            }
            done[j] = true
        }
        rows.removeLast(rows.count - order.count)
    }

    /// The contract's order of document findings. Fields are read through the pointer: a finding passed or read
    /// whole (even as `borrowing`) is loaded as a copy, all its strings retained and released, at every comparison.
    /// That saves 0.48 G of 15.5 G instructions on the 60,000-line year (callgrind, `bench/ab.py`'s station, the
    /// sort read by index instead), about a tenth of a second there and more than a second on the year. Keys holding
    /// the texts, taken out of the rows once, were slower still (README, "Nights", session 16); the order findings'
    /// keys hold the texts' first bytes as numbers instead (`OrderFindingKey`).
    static func findingPrecedes(_ rows: UnsafeBufferPointer<Finding>, _ i: Int, _ j: Int) -> Bool {
        guard let base = rows.baseAddress else { return i < j }
        let (x, y) = (base + i, base + j)
        if x.pointee.date != y.pointee.date { return x.pointee.date < y.pointee.date }
        if x.pointee.supplier != y.pointee.supplier { return codePointLess(x.pointee.supplier, y.pointee.supplier) }
        if x.pointee.supplierInvoice != y.pointee.supplierInvoice {
            return codePointLess(x.pointee.supplierInvoice, y.pointee.supplierInvoice)
        }
        if (x.pointee.line ?? 0) != (y.pointee.line ?? 0) { return (x.pointee.line ?? 0) < (y.pointee.line ?? 0) }
        if x.pointee.orderNumber != y.pointee.orderNumber {
            return codePointLess(x.pointee.orderNumber, y.pointee.orderNumber)
        }
        return i < j
    }
}
