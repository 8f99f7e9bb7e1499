import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `out/<range>/`, replaced whole: a run writes its files into a new folder under `out/.runs/`, and only after
/// the database commit does `out/<range>` (a symbolic link) switch to it, by one atomic rename. A reader, or a
/// run killed at any moment, sees the previous folder or the new one, never half of each.
package struct OutputFolder: Sendable {
    package var out: String
    package var name: String

    package init(out: String, name: String) {
        self.out = out
        self.name = name
    }

    /// What readers open: `out/<range>`.
    package var visiblePath: String { FileSystem.join(out, name) }
    var runs: String { FileSystem.join(out, ".runs") }

    /// A fresh, empty folder to write this run's files into.
    package func stage(token: String) throws -> String {
        try FileSystem.makeDirectory(runs)
        // Folders of runs that died before their swap are of no use to anyone.
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: runs)) ?? []
        where entry.hasPrefix(name + ".") && entry.hasSuffix(".partial") {
            try? FileManager.default.removeItem(atPath: FileSystem.join(runs, entry))
        }
        let staging = FileSystem.join(runs, "\(name).\(token).partial")
        try FileSystem.makeDirectory(staging)
        return staging
    }

    /// Seals a staged folder: its files flushed, its name final. Returns the sealed path.
    package func seal(_ staging: String) throws -> String {
        for file in FileSystem.files(in: staging) { try FileSystem.sync(FileSystem.join(staging, file)) }
        let sealed = String(staging.dropLast(".partial".count))
        guard rename(staging, sealed) == 0 else { throw POSIXError(.EIO) }
        try FileSystem.sync(runs)
        return sealed
    }

    /// Points `out/<range>` at the sealed folder in one rename, then removes the folder it pointed at before.
    package func swapIn(_ sealed: String) throws {
        let visible = visiblePath
        let target = ".runs/" + (sealed as NSString).lastPathComponent
        let previous = try? FileManager.default.destinationOfSymbolicLink(atPath: visible)
        var isDirectory: ObjCBool = false
        if previous == nil, FileManager.default.fileExists(atPath: visible, isDirectory: &isDirectory) {
            // A plain folder from elsewhere: keep it beside the runs rather than lose it.
            try FileManager.default.moveItem(atPath: visible, toPath: sealed + ".replaced")
        }
        let link = FileSystem.join(out, ".\(name).link")
        unlink(link)
        guard symlink(target, link) == 0, rename(link, visible) == 0 else { throw POSIXError(.EIO) }
        try FileSystem.sync(out)
        if let previous, previous != target {
            try? FileManager.default.removeItem(atPath: FileSystem.join(out, previous))
        }
    }
}
