import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// An inbox file as the archive received it: its bytes' hash, its size, the archived copy's path (which is what gets
/// read) and the identity of the inbox file those bytes came from.
package struct ReceivedFile: Sendable {
    package var sha256: String
    package var size: Int
    package var archived: String
    package var identity: FileIdentity
}

/// `archive/`: every byte ever received, by content hash. The tool never deletes from it.
///
/// With a PostgreSQL store the archive is the station's `archive` table (`ArchiveTable`), and `root` a folder of this
/// run's own, where the received bytes are also put for the readers to read, and removed with it.
package struct Archive: Sendable {
    package var root: String
    package var table: ArchiveTable?

    package init(root: String, table: ArchiveTable? = nil) {
        self.root = root
        self.table = table
    }

    /// Where the bytes with `sha256` are kept.
    package func path(of sha256: String) -> String {
        FileSystem.join(FileSystem.join(root, String(sha256.prefix(2))), sha256)
    }

    /// Keeps `data` (whose hash is `sha256`) unless it is there already; returns its path. The file is whole or
    /// absent; it is flushed to disk by `FileSystem.syncFileSystem()` before any inbox file is let go.
    @discardableResult
    package func store(_ data: Data, sha256: String) throws(FileError) -> String {
        if let table {
            do {
                try table.keep(data, sha256: sha256)
            } catch {
                throw FileError(path: "the archive table", cause: "\(error)")
            }
        }
        let target = path(of: sha256)
        if access(target, F_OK) == 0 { return target }
        try FileSystem.makeDirectory((target as NSString).deletingLastPathComponent)
        try FileSystem.writeAtomically(data, to: target, durable: false)
        return target
    }

    /// Receives the inbox file at `path`: its bytes are hashed and kept here before anything reads them. Returns
    /// `.failure` with the reason when the entry is not read at all (not a regular file, over `limit` bytes, changed
    /// while read): it stays in the inbox. Throws only when the archive cannot be written.
    package func receive(_ path: String, limit: Int) throws(FileError) -> Result<ReceivedFile, Inbox.Refusal> {
        let bytes: Data
        let identity: FileIdentity
        do {
            (bytes, identity) = try Inbox.read(path, limit: limit)
        } catch {
            return .failure(error)
        }
        let sha = SHA256Hex.of(bytes)
        let archived = try store(bytes, sha256: sha)
        return .success(ReceivedFile(sha256: sha, size: bytes.count, archived: archived, identity: identity))
    }

    // MARK: Whose archive

    /// The file that ties this archive to one database: written once the first run over it has committed, and kept
    /// in that database's `meta` table too. A database that lacks it beside an archive that has it is not the
    /// history the archive belongs to (a deleted or replaced database), and a run over it would publish a partial
    /// history as complete.
    package var markerPath: String { FileSystem.join(root, ".station-id") }

    /// The archive's station id, or nil where no run has committed over this archive yet (or the archive is the
    /// database's own table, which cannot belong to another database).
    package func stationId() -> String? {
        guard table == nil, let text = try? String(contentsOfFile: markerPath, encoding: .utf8) else { return nil }
        let id = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return id.isEmpty ? nil : id
    }

    /// Records the station id, once its database has committed it.
    package func mark(_ id: String) throws(FileError) {
        guard table == nil else { return }
        try FileSystem.makeDirectory(root)
        try FileSystem.writeAtomically(Data((id + "\n").utf8), to: markerPath)
        FileSystem.sync(root)
    }
}
