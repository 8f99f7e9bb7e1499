import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The files of a range's folder: the three CSV files, the report in the station's language, and where asked for,
/// the report in another language and the workbook.
package enum OutputFiles {
    /// One report page of the folder: rendered now, or kept as the range's current folder has it.
    package enum Page: Sendable {
        case render(Report)
        /// The current folder's page in this language, as it is. Where the folder has none, the station's page
        /// (`report.html`, which every folder has) is rendered, and another language's is not written.
        case keep(Report)

        var report: Report {
            switch self {
            case .render(let r), .keep(let r): return r
            }
        }
    }

    /// `report.html` in the station's language; `report.X.html` in another (contract, "The report").
    package static func reportName(_ language: Language, station: Language) -> String {
        language == station ? "report.html" : "report.\(language.rawValue).html"
    }

    /// Writes the whole folder beside `out/<range>` and seals it; `swapIn` makes it visible. The same for `run`
    /// and `report`. The CSV files' notes are in `station`'s language, as is `report.html`.
    package static func stage(
        _ results: RangeResults, pages: [Page], station: Language, in folder: OutputFolder, dialect: CSVDialect,
        xlsx: Bool = false, at time: Date
    ) throws -> String {
        let staging = try folder.stage(token: "\(getpid())-\(Int(time.timeIntervalSince1970))")
        // The reports are rendered on another thread while the CSV files are written here. It yields to the
        // database's thread, which still has rows to write and is the last to finish when the three share two
        // cores evenly (README, "Performance").
        let named = pages.map { (name: reportName($0.report.language, station: station), page: $0) }
        let rendered = Background(yielding: true) {
            named.map { name, page -> [[UInt8]]? in
                guard case .keep = page else { return page.report.htmlParts() }
                if let kept = kept(FileSystem.join(folder.visiblePath, name)) { return [kept] }
                return page.report.language == station ? page.report.htmlParts() : nil
            }
        }
        try write(results, to: staging, dialect: dialect, notes: station)
        if xlsx {
            try FileSystem.writeAtomically(
                try Workbook.render(results, notes: station), to: FileSystem.join(staging, "nakladna.xlsx"))
        }
        TestHook.checkpoint()
        for (page, parts) in zip(named, try rendered.value()) {
            guard let parts else { continue }
            try FileSystem.writeAtomically(parts: parts, to: FileSystem.join(staging, page.name))
        }
        return try folder.seal(staging)
    }

    /// The bytes of a page the current folder holds, read without following a link put in its place.
    static func kept(_ path: String) -> [UInt8]? {
        (try? Inbox.read(path, limit: Int.max)).map { [UInt8]($0.bytes) }
    }

    package static func write(_ r: RangeResults, to folder: String, dialect: CSVDialect, notes: Language) throws {
        // One file at a time, so that only one file's bytes are held at once.
        let writer = CSVWriter(dialect: dialect)
        try FileSystem.writeAtomically(
            writer.render(header: Columns.incDocuments, rows: r.incDocuments, cells: Columns.incDocument),
            to: FileSystem.join(folder, "inc_documents.csv"))
        try FileSystem.writeAtomically(
            writer.render(header: Columns.incLines, rows: r.incLines, cells: Columns.incLine),
            to: FileSystem.join(folder, "inc_lines.csv"))
        try FileSystem.writeAtomically(
            writer.render(header: Columns.reconciliation, rows: r.findings) {
                Columns.finding($0, notes: notes, into: &$1)
            },
            to: FileSystem.join(folder, "reconciliation.csv"))
    }
}
