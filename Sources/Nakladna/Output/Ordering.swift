import Foundation

/// The contract's row order, for byte-identical files.
package enum Ordering {
    /// The rows in the contract's order. With `dated`, only the INC documents whose invoice date it accepts (and
    /// their lines) and the document findings it accepts are kept, with every order finding: rows are filtered
    /// and sorted as indices and copied once, a year of findings being large.
    package static func sorted(_ r: RangeResults, dated keep: (CalendarDate) -> Bool = { _ in true }) -> RangeResults {
        func precedes(_ a: IncDocument, _ b: IncDocument) -> Bool {
            if a.invoiceDate != b.invoiceDate { return a.invoiceDate < b.invoiceDate }
            if a.supplier != b.supplier { return codePointLess(a.supplier, b.supplier) }
            return codePointLess(a.supplierInvoice, b.supplierInvoice)
        }
        // Rows already whole and in order (a run over all of history, most often) are kept as they are, not copied.
        var docs = r.incDocuments
        if !docs.allSatisfy({ keep($0.invoiceDate) }) { docs = docs.filter { keep($0.invoiceDate) } }
        if !docs.indices.dropFirst().allSatisfy({ !precedes(docs[$0], docs[$0 - 1]) }) { docs.sort(by: precedes) }
        let rank = Dictionary(docs.enumerated().map { ($1.incNumber, $0) }, uniquingKeysWith: { a, _ in a })
        var lineKeys: [(rank: Int, line: Int, index: Int)] = []
        lineKeys.reserveCapacity(r.incLines.count)
        let incLines = r.incLines
        for i in incLines.indices {
            if let position = rank[incLines[i].incNumber] { lineKeys.append((position, incLines[i].line, i)) }
        }
        lineKeys.sort { ($0.rank, $0.line, $0.index) < ($1.rank, $1.line, $1.index) }
        let lines =
            lineKeys.count == r.incLines.count && lineKeys.indices.allSatisfy({ lineKeys[$0].index == $0 })
            ? r.incLines : lineKeys.map { r.incLines[$0.index] }
        let all = r.findings
        let order = all.withUnsafeBufferPointer { rows in
            var kept = rows.indices.filter { rows[$0].status.isOrderFinding || keep(rows[$0].date) }
            kept.sort { i, j in Ordering.findingPrecedes(rows, i, j) }
            return kept
        }
        let findings =
            order.count == all.count && order.indices.allSatisfy({ order[$0] == $0 }) ? all : order.map { all[$0] }
        return RangeResults(incDocuments: docs, incLines: lines, findings: findings)
    }

    /// The contract's order of findings. Fields are read through the pointer: a finding passed or read whole (even
    /// as `borrowing`) is loaded as a copy, all its strings retained and released, at every comparison. That saves
    /// 0.48 G of 15.5 G instructions on the 60,000-line year (callgrind, `bench/ab.py`'s station, the sort read
    /// by index instead), about a tenth of a second there and more than a second on the year.
    static func findingPrecedes(_ rows: UnsafeBufferPointer<Finding>, _ i: Int, _ j: Int) -> Bool {
        guard let base = rows.baseAddress else { return i < j }
        let (x, y) = (base + i, base + j)
        if x.pointee.status.isOrderFinding != y.pointee.status.isOrderFinding {
            return !x.pointee.status.isOrderFinding
        }
        if !x.pointee.status.isOrderFinding {
            if x.pointee.date != y.pointee.date { return x.pointee.date < y.pointee.date }
            if x.pointee.supplier != y.pointee.supplier { return codePointLess(x.pointee.supplier, y.pointee.supplier) }
            if x.pointee.supplierInvoice != y.pointee.supplierInvoice {
                return codePointLess(x.pointee.supplierInvoice, y.pointee.supplierInvoice)
            }
            if (x.pointee.line ?? 0) != (y.pointee.line ?? 0) { return (x.pointee.line ?? 0) < (y.pointee.line ?? 0) }
            if x.pointee.orderNumber != y.pointee.orderNumber {
                return codePointLess(x.pointee.orderNumber, y.pointee.orderNumber)
            }
        } else {
            if x.pointee.supplier != y.pointee.supplier { return codePointLess(x.pointee.supplier, y.pointee.supplier) }
            if x.pointee.orderNumber != y.pointee.orderNumber {
                return codePointLess(x.pointee.orderNumber, y.pointee.orderNumber)
            }
            if x.pointee.article != y.pointee.article { return codePointLess(x.pointee.article, y.pointee.article) }
        }
        return i < j
    }
}
