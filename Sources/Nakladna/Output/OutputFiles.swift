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
        // The reports are rendered into their files on another thread while the CSV files are written here. It
        // yields to the database's thread, which still has rows to write and is the last to finish when the three
        // share two cores evenly (README, "Performance").
        let named = pages.map { (name: reportName($0.report.language, station: station), page: $0) }
        let rendered = Background(yielding: true) {
            for (name, page) in named {
                let path = FileSystem.join(staging, name)
                if case .keep = page {
                    if let kept = kept(FileSystem.join(folder.visiblePath, name)) {
                        try FileSystem.writeAtomically(kept, to: path)
                        continue
                    }
                    guard page.report.language == station else { continue }
                }
                try FileSystem.writeAtomically(to: path) { page.report.write(to: $0) }
            }
        }
        do {
            try write(results, to: staging, dialect: dialect, notes: station)
            if xlsx {
                try FileSystem.writeAtomically(
                    try Workbook.render(results, notes: station), to: FileSystem.join(staging, "nakladna.xlsx"))
            }
        } catch {
            // The pages' thread writes into the same folder: it is done before the error goes on.
            _ = try? rendered.value()
            throw error
        }
        TestHook.checkpoint()
        try rendered.value()
        return try folder.seal(staging)
    }

    /// The bytes of a page the current folder holds, read without following a link put in its place.
    static func kept(_ path: String) -> [UInt8]? {
        (try? Inbox.read(path, limit: Int.max)).map { [UInt8]($0.bytes) }
    }

    package static func write(_ r: RangeResults, to folder: String, dialect: CSVDialect, notes: Language) throws {
        // Each file is written as its rows are made, so that only a megabyte of it is held at once.
        let writer = CSVWriter(dialect: dialect)
        try FileSystem.writeAtomically(to: FileSystem.join(folder, "inc_documents.csv")) { file in
            writer.write(header: Columns.incDocuments, rows: r.incDocuments, cells: Columns.incDocument, to: file)
        }
        try FileSystem.writeAtomically(to: FileSystem.join(folder, "inc_lines.csv")) { file in
            writer.write(header: Columns.incLines, rows: r.incLines, cells: Columns.incLine, to: file)
        }
        try FileSystem.writeAtomically(to: FileSystem.join(folder, "reconciliation.csv")) { file in
            writer.write(
                header: Columns.reconciliation, rows: r.findings,
                cells: { Columns.finding($0, notes: notes, into: &$1) }, to: file)
        }
    }
}
