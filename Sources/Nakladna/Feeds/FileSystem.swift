import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A file operation that failed, with the system's own words for why: "no space left on device", "cross-device
/// link", "file name too long". Its description is one line that names the path.
package struct FileError: Error, Sendable, CustomStringConvertible {
    package var path: String
    package var cause: String

    package init(path: String, cause: String) {
        self.path = path
        self.cause = cause
    }

    /// The error of the last failed system call (`errno`) on `path`.
    package init(path: String, errno code: Int32 = errno) {
        self.init(path: path, cause: FileError.words(code))
    }

    package var description: String { "\(path): \(cause)" }

    /// `strerror`, lower-cased as it stands inside a sentence.
    package static func words(_ code: Int32) -> String {
        let text = String(cString: strerror(code))
        return text.prefix(1).lowercased() + text.dropFirst()
    }
}

/// Small, careful file operations: writes that are whole or absent, private by default, and directory listings in
/// a stable order.
package enum FileSystem {
    /// Files the tool writes: readable by their owner and group, never by others (archived feeds may hold what a
    /// supplier echoed back).
    package static let fileMode: mode_t = 0o640
    /// Folders the tool creates.
    package static let folderMode: mode_t = 0o750
    /// How the tool's own temporary files begin: a write killed half-way leaves one, which holds nothing of anyone
    /// else's and is passed over (a pull writes its feed file into the inbox this way).
    package static let temporaryPrefix = ".nakladna-tmp-"

    /// Writes `data` to `path` through a temporary file of a unique name (`mkstemp`: two writers of one path never
    /// share a temporary), flushed to disk (unless `durable` is false: the caller then flushes the whole file
    /// system once, see `syncFileSystem`), then renamed into place.
    package static func writeAtomically(
        _ data: some ContiguousBytes, to path: String, durable: Bool = true
    ) throws(FileError) {
        try writeAtomically(to: path, durable: durable) { file in data.withUnsafeBytes { file.write($0) } }
    }

    /// The same for a file whose bytes `body` gives to it as they are made, so that a long file is never held
    /// whole: the night after three years writes a 105 MB page and a 43 MB `reconciliation.csv`.
    package static func writeAtomically(
        to path: String, durable: Bool = true, _ body: (FileOutput) -> Void
    ) throws(FileError) {
        let folder = (path as NSString).deletingLastPathComponent
        var template = Array(join(folder.isEmpty ? "." : folder, temporaryPrefix + "XXXXXX").utf8CString)
        // The name is read where mkstemp wrote it, as the project reads every C string (`String(cString:)`).
        let (fd, temporary) = template.withUnsafeMutableBufferPointer { buffer -> (Int32, String) in
            guard let base = buffer.baseAddress else { return (-1, "") }
            return (mkstemp(base), String(cString: base))
        }
        guard fd >= 0 else { throw FileError(path: path) }
        fchmod(fd, fileMode)
        let file = FileOutput(fd)
        body(file)
        var failure = file.failure
        if failure == 0, durable, fsync(fd) != 0 { failure = errno }
        if close(fd) != 0 && failure == 0 { failure = errno }
        guard failure == 0 else {
            unlink(temporary)
            throw FileError(path: path, errno: failure)
        }
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw FileError(path: path, errno: code)
        }
    }

    /// Flushes a file (or a directory's entries) to disk.
    package static func sync(_ path: String) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        defer { close(fd) }
        fsync(fd)
    }

    /// Flushes everything written so far to disk: one call for a run's many archived files instead of one
    /// `fsync` each. (`syncfs`, narrower, is not visible to Swift through Glibc.)
    package static func syncFileSystem() {
        Glibc.sync()
    }

    /// Creates `path` and any missing parents as folders of `folderMode`; an existing folder is left as it is.
    package static func makeDirectory(_ path: String) throws(FileError) {
        var info = stat()
        if stat(path, &info) == 0 {
            guard info.st_mode & S_IFMT == S_IFDIR else { throw FileError(path: path, errno: ENOTDIR) }
            return
        }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty && parent != path { try makeDirectory(parent) }
        guard mkdir(path, folderMode) == 0 || errno == EEXIST else { throw FileError(path: path) }
    }

    /// Takes the group's write and everyone else's access away from an existing file or folder (never through a
    /// link): the archive, the quarantine and `out/` of a station set up before they were created private, a file
    /// moved into quarantine, the database.
    package static func makePrivate(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & 0o027 != 0 else { return }
        guard info.st_mode & S_IFMT == S_IFDIR || info.st_mode & S_IFMT == S_IFREG else { return }
        chmod(path, info.st_mode & 0o7750)
    }

    /// The regular files directly in `folder`, by name in code-point order; hidden files and temporaries skipped.
    /// For the tool's own folders: the inbox is listed by `Inbox.list`, which names what it does not read.
    package static func files(in folder: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        return names.filter { name in
            guard !name.hasPrefix(".") else { return false }
            var info = stat()
            return lstat(join(folder, name), &info) == 0 && info.st_mode & S_IFMT == S_IFREG
        }.sorted(by: codePointLess)
    }

    package static func join(_ a: String, _ b: String) -> String { (a as NSString).appendingPathComponent(b) }
}

/// A file being written by `FileSystem.writeAtomically(to:durable:_:)`. The first failed write is kept, and what
/// comes after it is not written: `writeAtomically` throws it once the body is done, so that a body that only
/// makes bytes need not handle errors between them.
package final class FileOutput {
    private let fd: Int32
    private(set) var failure: Int32 = 0

    fileprivate init(_ fd: Int32) { self.fd = fd }

    package func write(_ buffer: UnsafeRawBufferPointer) {
        var offset = 0
        while failure == 0 && offset < buffer.count {
            let n = Glibc.write(fd, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 {
                failure = n < 0 ? errno : ENOSPC
                return
            }
            offset += n
        }
    }

    package func write(_ bytes: [UInt8]) { bytes.withUnsafeBytes { write($0) } }

    /// How much a writer gathers before it writes: a megabyte, which makes few system calls and little memory.
    package static let chunk = 1 << 20

    /// Writes `bytes` and empties them, keeping their room, where they hold at least `least` bytes.
    package func flush(_ bytes: inout [UInt8], least: Int = 0) {
        guard bytes.count >= least else { return }
        write(bytes)
        bytes.removeAll(keepingCapacity: true)
    }
}
