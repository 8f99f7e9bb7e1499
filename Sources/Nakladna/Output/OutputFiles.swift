import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The files of a range's folder: the three CSV files and the report.
package enum OutputFiles {
    /// Writes the whole folder beside `out/<range>` and seals it; `swapIn` makes it visible. The same for
    /// `run` and `report`.
    package static func stage(
        _ results: RangeResults, report: Report, in folder: OutputFolder, dialect: CSVDialect, xlsx: Bool = false,
        at time: Date
    ) throws -> String {
        let staging = try folder.stage(token: "\(getpid())-\(Int(time.timeIntervalSince1970))")
        // The report is rendered on another thread while the CSV files are written here. It yields to the
        // database's thread, which still has rows to write and is the last to finish when the three share two
        // cores evenly (the year: the commit waited 0.7-1.3 s for it; yielding, 0.1 s).
        let page = Background(yielding: true) { report.html() }
        try write(results, to: staging, dialect: dialect)
        if xlsx {
            try FileSystem.writeAtomically(try Workbook.render(results), to: FileSystem.join(staging, "nakladna.xlsx"))
        }
        TestHook.checkpoint()
        try FileSystem.writeAtomically(try page.value(), to: FileSystem.join(staging, "report.html"))
        return try folder.seal(staging)
    }

    package static func write(_ r: RangeResults, to folder: String, dialect: CSVDialect) throws {
        // One file at a time, so that only one file's bytes are held at once.
        let writer = CSVWriter(dialect: dialect)
        try FileSystem.writeAtomically(
            writer.render(header: Columns.incDocuments, rows: r.incDocuments, cells: Columns.incDocument),
            to: FileSystem.join(folder, "inc_documents.csv"))
        try FileSystem.writeAtomically(
            writer.render(header: Columns.incLines, rows: r.incLines, cells: Columns.incLine),
            to: FileSystem.join(folder, "inc_lines.csv"))
        try FileSystem.writeAtomically(
            writer.render(header: Columns.reconciliation, rows: r.findings, cells: Columns.finding),
            to: FileSystem.join(folder, "reconciliation.csv"))
    }
}
