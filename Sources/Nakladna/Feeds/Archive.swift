import Foundation

/// `archive/`: every byte ever received, by content hash. The tool never deletes from it.
package struct Archive: Sendable {
    package var root: String

    package init(root: String) {
        self.root = root
    }

    /// Where the bytes with `sha256` are kept.
    package func path(of sha256: String) -> String {
        FileSystem.join(FileSystem.join(root, String(sha256.prefix(2))), sha256)
    }

    /// Keeps `data` (whose hash is `sha256`) unless it is there already; returns its path. The file is whole or
    /// absent; it is flushed to disk by `FileSystem.syncFileSystem()` before any inbox file is let go.
    @discardableResult
    package func store(_ data: Data, sha256: String) throws -> String {
        let target = path(of: sha256)
        if access(target, F_OK) == 0 { return target }
        let folder = (target as NSString).deletingLastPathComponent
        if access(folder, F_OK) != 0 { try FileSystem.makeDirectory(folder) }
        try FileSystem.writeAtomically(data, to: target, durable: false)
        return target
    }

    /// Receives the inbox file at `path`: its bytes are hashed and kept here before anything reads them.
    /// Returns the hash, the size and the archived copy's path, which is what gets read.
    package func receive(_ path: String) throws -> (sha256: String, size: Int, archived: String) {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let sha = SHA256Hex.of(data)
        return (sha, data.count, try store(data, sha256: sha))
    }
}
