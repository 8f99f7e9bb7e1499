import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The inode, size and modification time of an inbox file as it was read: a file leaves the inbox only while its
/// name still holds exactly these bytes.
package struct FileIdentity: Sendable, Equatable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var modified: timespec

    init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modified = info.st_mtim
    }

    package static func == (a: FileIdentity, b: FileIdentity) -> Bool {
        a.device == b.device && a.inode == b.inode && a.size == b.size && a.modified.tv_sec == b.modified.tv_sec
            && a.modified.tv_nsec == b.modified.tv_nsec
    }
}

/// An inbox entry the run did not read, and why; it stays where it is. Named on standard error and in the report.
package struct UnreadEntry: Sendable, Equatable {
    /// `<supplier>/<name>`, as the report names files.
    package var file: String
    package var reason: String
    /// False for a disabled supplier's files: named, but they leave the exit code alone (contract, "Exit codes").
    package var changesExitCode = true

    package init(file: String, reason: String, changesExitCode: Bool = true) {
        self.file = file
        self.reason = reason
        self.changesExitCode = changesExitCode
    }

    package var description: String { "\(file): \(reason)" }
}

/// `inbox/<supplier>/`, read with care: an entry that is not a regular file is never opened, a file is opened
/// without following links and judged on the open descriptor, and nothing is skipped without a word.
package enum Inbox {
    /// The regular files of `folder` to read, by name in code-point order, and every other entry with the reason it
    /// is not read. `display` names the folder in those reasons (`omega`). A folder that does not exist holds
    /// nothing; one that cannot be listed is itself unread.
    package static func list(_ folder: String, display: String) -> (files: [String], unread: [UnreadEntry]) {
        var files: [String] = []
        var unread: [UnreadEntry] = []
        for entry in entries(folder, display: display) {
            guard case .named(let name, let info) = entry else {
                if case .unnamed(let failure) = entry { unread.append(failure) }
                continue
            }
            if let kind = notRegular(info.st_mode) {
                unread.append(UnreadEntry(file: "\(display)/\(name)", reason: "\(kind), not a regular file: not read"))
            } else if name.hasPrefix(".") {
                unread.append(UnreadEntry(file: "\(display)/\(name)", reason: "a hidden file: not read"))
            } else {
                files.append(name)
            }
        }
        unread.sort { codePointLess($0.file, $1.file) }
        return (files.sorted(by: codePointLess), unread)
    }

    /// An entry of a folder: its name and type, or, where it cannot be named or looked at, why.
    enum Entry {
        case named(String, stat)
        case unnamed(UnreadEntry)
    }

    /// The entries of `folder` with their types (not following links), or why one cannot be named or looked at.
    /// The tool's own temporaries are passed over. A folder that does not exist has none.
    static func entries(_ folder: String, display: String) -> [Entry] {
        guard let directory = opendir(folder) else {
            if errno == ENOENT { return [] }
            return [
                .unnamed(UnreadEntry(file: display + "/", reason: "cannot list the folder: \(FileError.words(errno))"))
            ]
        }
        defer { closedir(directory) }
        let prefix = display.isEmpty ? "" : display + "/"
        var out: [Entry] = []
        while let entry = readdir(directory) {
            // The name's bytes as the file system has them: a name that is not UTF-8 cannot be opened through a
            // String, so it is named (its odd bytes as \xNN) and left.
            let bytes = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                Array(raw.prefix(while: { $0 != 0 }))
            }
            if bytes == [0x2E] || bytes == [0x2E, 0x2E] || bytes.starts(with: FileSystem.temporaryPrefix.utf8) {
                continue
            }
            guard let name = String(validating: bytes, as: UTF8.self) else {
                out.append(
                    .unnamed(
                        UnreadEntry(
                            file: prefix + escaped(bytes), reason: "the name is not valid UTF-8: rename the file")))
                continue
            }
            var info = stat()
            guard lstat(FileSystem.join(folder, name), &info) == 0 else {
                out.append(
                    .unnamed(UnreadEntry(file: prefix + name, reason: "cannot look at it: \(FileError.words(errno))")))
                continue
            }
            out.append(.named(name, info))
        }
        return out
    }

    /// What lies in the inbox outside the folders of enabled suppliers, each named with why it is not read: a file
    /// directly in `inbox/`; the files of a folder that is no enabled supplier's id (`inbox/Omega/`, `inbox/vesna/`
    /// for a station without Vesna); the files of a disabled supplier's folder, which leave the exit code alone.
    package static func strays(_ inbox: String, enabled: Set<String>, disabled: Set<String>) -> [UnreadEntry] {
        var unread: [UnreadEntry] = []
        for entry in entries(inbox, display: "") {
            guard case .named(let name, let info) = entry else {
                if case .unnamed(let failure) = entry { unread.append(failure) }
                continue
            }
            guard info.st_mode & S_IFMT == S_IFDIR else {
                unread.append(
                    UnreadEntry(file: name, reason: "directly in the inbox, in no supplier's folder: not read"))
                continue
            }
            if enabled.contains(name) { continue }
            let reason: String
            if disabled.contains(name) {
                reason = "supplier '\(name)' is disabled: not read"
            } else if let match = enabled.first(where: { $0.lowercased() == name.lowercased() }) {
                reason = "no enabled supplier '\(name)' (folders are named by supplier id: '\(match)'): not read"
            } else {
                reason = "no enabled supplier '\(name)': not read"
            }
            // A disabled supplier's folder is named, entries it cannot read included, but leaves the exit code alone.
            let counts = !disabled.contains(name)
            let inside = list(FileSystem.join(inbox, name), display: name)
            unread += inside.files.map { UnreadEntry(file: "\(name)/\($0)", reason: reason, changesExitCode: counts) }
            unread += inside.unread.map { UnreadEntry(file: $0.file, reason: $0.reason, changesExitCode: counts) }
        }
        unread.sort { codePointLess($0.file, $1.file) }
        return unread
    }

    /// Why a file of `path` is not read, where it is not read.
    package struct Refusal: Error, Sendable {
        package var reason: String
    }

    /// The bytes of the inbox file at `path` and their identity. Refuses, without reading it, an entry that is not
    /// a regular file when it is opened (a link put in its place since the listing is not followed) and a file over
    /// `limit` bytes; refuses a file that changed while it was read.
    package static func read(_ path: String, limit: Int) throws(Refusal) -> (bytes: Data, identity: FileIdentity) {
        // O_NONBLOCK: a FIFO put in a file's place must not hang the run in open().
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ELOOP { throw Refusal(reason: "a symbolic link, not a regular file: not read") }
            throw Refusal(reason: "cannot open it: \(FileError.words(errno))")
        }
        defer { close(fd) }
        var before = stat()
        guard fstat(fd, &before) == 0 else { throw Refusal(reason: "cannot look at it: \(FileError.words(errno))") }
        if let kind = notRegular(before.st_mode) { throw Refusal(reason: "\(kind), not a regular file: not read") }
        guard before.st_size <= limit else {
            throw Refusal(
                reason:
                    String(format: "%.1f", Double(before.st_size) / 1_048_576)
                    + " MB, more than max_file_mb (\(limit / 1_048_576)): left in the inbox")
        }
        var data = Data(count: Int(before.st_size))
        var failure: Int32 = 0
        let count = data.withUnsafeMutableBytes { buffer -> Int in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.read(fd, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                if n < 0 && errno == EINTR { continue }
                if n < 0 { failure = errno }
                if n <= 0 { break }
                offset += n
            }
            return offset
        }
        guard failure == 0 else { throw Refusal(reason: "cannot read it: \(FileError.words(failure))") }
        var after = stat()
        guard fstat(fd, &after) == 0, count == Int(before.st_size), FileIdentity(after) == FileIdentity(before) else {
            throw Refusal(reason: "it changed while it was read: left in the inbox for the next run")
        }
        return (data, FileIdentity(before))
    }

    /// The identity of what `path` names now, without following a link.
    package static func identity(of path: String) -> FileIdentity? {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG else { return nil }
        return FileIdentity(info)
    }

    /// Removes the inbox file at `path` if it still holds the bytes that were read (`identity`); otherwise leaves it
    /// for the next run and returns false.
    package static func release(_ path: String, identity: FileIdentity) -> Bool {
        guard Inbox.identity(of: path) == identity else { return false }
        return unlink(path) == 0
    }

    static func notRegular(_ mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFLNK: return "a symbolic link"
        case S_IFDIR: return "a folder"
        case S_IFIFO: return "a FIFO"
        case S_IFSOCK: return "a socket"
        case S_IFCHR, S_IFBLK: return "a device"
        default: return "an entry of unknown type"
        }
    }

    /// A name's bytes for a message: printable ASCII as it is, everything else as \xNN.
    static func escaped(_ bytes: [UInt8]) -> String {
        bytes.map { b in
            (0x20..<0x7F).contains(b) && b != 0x5C ? String(UnicodeScalar(b)) : String(format: "\\x%02X", b)
        }.joined()
    }
}
