import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `out/<range>/`, replaced whole: a run writes its files into a new folder under `out/.runs/`, and only after
/// the database commit does `out/<range>` (a symbolic link) switch to it, by one atomic rename. A reader, or a
/// run killed at any moment, sees the previous folder or the new one, never half of each. The only folders it
/// ever removes are its own under `out/.runs/`, judged after resolving their paths: whatever a link in `out/`
/// points at is never followed into a removal.
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
    package func stage(token: String) throws(FileError) -> String {
        try FileSystem.makeDirectory(runs)
        sweep()
        let staging = FileSystem.join(runs, "\(name).\(token).partial")
        try FileSystem.makeDirectory(staging)
        return staging
    }

    /// Removes the folders of `out/.runs/` that no `out/<range>` link points at: those of runs that died before
    /// their swap (`.partial`) or between sealing and commit (sealed, never swapped in). A plain folder kept aside
    /// by `swapIn` (`.replaced`) stays.
    func sweep() {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: runs) else { return }
        var shown = Set<String>()
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: out)) ?? [] {
            if let target = try? FileManager.default.destinationOfSymbolicLink(atPath: FileSystem.join(out, entry)),
                let own = ownRun(target)
            {
                shown.insert(own)
            }
        }
        for entry in entries where !entry.hasPrefix(".") && !entry.hasSuffix(".replaced") && !shown.contains(entry) {
            removeRun(entry)
        }
    }

    /// Seals a staged folder: its files flushed, its name final. Returns the sealed path.
    package func seal(_ staging: String) throws(FileError) -> String {
        for file in FileSystem.files(in: staging) { FileSystem.sync(FileSystem.join(staging, file)) }
        let sealed = String(staging.dropLast(".partial".count))
        guard rename(staging, sealed) == 0 else { throw FileError(path: sealed) }
        FileSystem.sync(runs)
        return sealed
    }

    /// Points `out/<range>` at the sealed folder in one rename, then removes the folder it pointed at before, if
    /// that was one of this tool's runs.
    package func swapIn(_ sealed: String) throws(FileError) {
        let visible = visiblePath
        let target = ".runs/" + (sealed as NSString).lastPathComponent
        let previous = try? FileManager.default.destinationOfSymbolicLink(atPath: visible)
        var info = stat()
        if previous == nil, lstat(visible, &info) == 0 {
            // A plain folder or file from elsewhere: keep it beside the runs rather than lose it.
            guard rename(visible, sealed + ".replaced") == 0 else { throw FileError(path: visible) }
        }
        let link = FileSystem.join(out, ".\(name).link")
        unlink(link)
        guard symlink(target, link) == 0 else { throw FileError(path: link) }
        guard rename(link, visible) == 0 else { throw FileError(path: visible) }
        FileSystem.sync(out)
        if let previous, previous != target, let own = ownRun(previous) { removeRun(own) }
    }

    /// The entry of `out/.runs/` a link's text names, where it names one (`.runs/<entry>`, nothing more).
    func ownRun(_ linkText: String) -> String? {
        let parts = linkText.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0] == ".runs", !parts[1].isEmpty, !parts[1].hasPrefix(".") else { return nil }
        return String(parts[1])
    }

    /// Removes `out/.runs/<entry>` if, resolved, it is a folder inside this `out/.runs` (not a link out of it).
    func removeRun(_ entry: String) {
        guard !entry.contains("/"), entry != ".", entry != "..",
            let realRuns = realPath(runs), let realOut = realPath(out), realRuns == realOut + "/.runs"
        else { return }
        let path = FileSystem.join(realRuns, entry)
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { return }
        try? FileManager.default.removeItem(atPath: path)
    }

    func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
