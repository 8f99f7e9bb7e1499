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
        if s.ignoredOrderLines > 0 {
            lines.append(
                uk
                    ? "рядків замовлень інших постачальників пропущено: \(s.ignoredOrderLines)"
                    : "order lines for suppliers not configured, ignored: \(s.ignoredOrderLines)")
        }
        for q in s.quarantined {
            lines.append((uk ? "у карантині: " : "quarantined: ") + q.file)
        }
        lines.append((uk ? "результати: " : "output: ") + s.outFolder)
        lines.append((uk ? "звіт: " : "report: ") + s.report)
        return lines.joined(separator: "\n")
    }
}
