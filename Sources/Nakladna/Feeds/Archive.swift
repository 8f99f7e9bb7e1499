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

    /// Keeps `data` (whose hash is `sha256`), flushed to disk, unless it is there already; returns its path.
    @discardableResult
    package func store(_ data: Data, sha256: String) throws -> String {
        let target = path(of: sha256)
        if FileManager.default.fileExists(atPath: target) { return target }
        try FileSystem.makeDirectory((target as NSString).deletingLastPathComponent)
        try FileSystem.writeAtomically(data, to: target)
        return target
    }
}
