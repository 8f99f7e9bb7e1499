/// The few lines a run prints: what was read, what was found, where the report is.
package enum SummaryText {
    package static func render(_ s: RunSummary, language: Language) -> String {
        var lines: [String] = []
        let uk = language == .uk
        lines.append(
            uk
                ? "прочитано файлів: \(s.filesRead), нових документів: \(s.documents), INC за період: \(s.incDocuments)"
                : "files read: \(s.filesRead), new documents: \(s.documents), INC documents in the range: \(s.incDocuments)"
        )
        if s.priceFiles > 0 {
            lines.append(
                uk
                    ? "прайсів і залишків імпортовано: \(s.priceFiles)"
                    : "price and stock files imported: \(s.priceFiles)")
        }
        let counts = Status.allCases.compactMap { status in s.statusCounts[status].map { "\(status.rawValue) \($0)" } }
        if !counts.isEmpty { lines.append((uk ? "знахідки: " : "findings: ") + counts.joined(separator: ", ")) }
        for line in ignoredOrders(s.ignoredOrders, language: language) { lines.append(line) }
        for flag in s.oldRates { lines.append((uk ? "старий курс: " : "old rate: ") + OldRates.line(flag, language)) }
        for q in s.quarantined + s.failedPulls {
            lines.append((uk ? "у карантині: " : "quarantined: ") + q.file)
        }
        lines.append((uk ? "результати: " : "output: ") + s.outFolder)
        lines.append((uk ? "звіт: " : "report: ") + s.report)
        return lines.joined(separator: "\n")
    }

    /// One line per supplier id of `orders.csv` that is not an enabled supplier, with its count of lines.
    package static func ignoredOrders(_ ignored: [String: Int], language: Language) -> [String] {
        ignored.keys.sorted(by: codePointLess).map { id in
            let n = ignored[id] ?? 0
            return language == .uk
                ? "orders.csv: рядків постачальника «\(id)», якого немає серед увімкнених: \(n), пропущено"
                : "orders.csv: \(n) lines of supplier '\(id)', which is not an enabled supplier: ignored"
        }
    }
}
