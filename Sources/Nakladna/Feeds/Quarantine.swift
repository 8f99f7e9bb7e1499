import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `quarantine/<supplier>/`: unreadable files, each with `<name>.error.txt` beside it.
package struct Quarantine: Sendable {
    package var root: String

    package init(root: String) {
        self.root = root
    }

    /// The longest file name most file systems take (`NAME_MAX`).
    static let nameMax = 255

    /// The reason file's name for `name`: `<name>.error.txt`, or where that is too long for the file system, the
    /// name's start and a hash of the whole name (`contract.md`, "Configuration").
    package static func reasonFileName(_ name: String) -> String {
        let suffix = ".error.txt"
        guard name.utf8.count + suffix.utf8.count > nameMax else { return name + suffix }
        let hash = "-" + SHA256Hex.of(Data(name.utf8)).prefix(16)
        var start = ""
        for c in name where start.utf8.count + c.utf8.count + hash.utf8.count + suffix.utf8.count <= nameMax {
            start.append(c)
        }
        return start + hash + suffix
    }

    /// Moves the inbox file at `source` here with its reason, if it still holds the bytes that were read
    /// (`identity`); otherwise leaves it for the next run and returns false. Across file systems the file is
    /// copied from `archived` (the same bytes), flushed, then unlinked.
    package func move(
        supplier: String, name: String, from source: String, identity: FileIdentity, archived: String, reason: String
    ) throws(FileError) -> Bool {
        let folder = FileSystem.join(root, supplier)
        try FileSystem.makeDirectory(folder)
        guard Inbox.identity(of: source) == identity else { return false }
        try FileSystem.writeAtomically(
            Data((reason + "\n").utf8), to: FileSystem.join(folder, Quarantine.reasonFileName(name)))
        let target = FileSystem.join(folder, name)
        if rename(source, target) == 0 {
            FileSystem.makePrivate(target)
            return true
        }
        guard errno == EXDEV else { throw FileError(path: target, errno: errno) }
        guard let bytes = FileManager.default.contents(atPath: archived) else {
            throw FileError(path: archived, cause: "cannot read the archived copy")
        }
        try FileSystem.writeAtomically(bytes, to: target)
        guard Inbox.release(source, identity: identity) else { return false }
        return true
    }
}
