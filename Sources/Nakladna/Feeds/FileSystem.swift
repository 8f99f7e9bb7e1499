import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Small, careful file operations: writes that are whole or absent, and directory listings in a stable order.
package enum FileSystem {
    /// Writes `data` to `path` through a temporary file, flushed to disk (unless `durable` is false: the caller
    /// then flushes the whole file system once, see `syncFileSystem`), then renamed into place.
    package static func writeAtomically(_ data: some ContiguousBytes, to path: String, durable: Bool = true) throws {
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary])
        }
        let written = data.withUnsafeBytes { buffer -> Bool in
            var offset = 0
            while offset < buffer.count {
                let n = write(fd, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                if n <= 0 { return false }
                offset += n
            }
            return true
        }
        if durable { fsync(fd) }
        close(fd)
        guard written else {
            unlink(temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary])
        }
        guard rename(temporary, path) == 0 else {
            let why = String(cString: strerror(errno))
            unlink(temporary)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path, NSLocalizedDescriptionKey: why])
        }
    }

    /// Flushes a file (or a directory's entries) to disk.
    package static func sync(_ path: String) throws {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return }
        defer { close(fd) }
        fsync(fd)
    }

    /// Flushes everything written so far to disk: one call for a run's many archived files instead of one
    /// `fsync` each. (`syncfs`, narrower, is not visible to Swift through Glibc.)
    package static func syncFileSystem() {
        Glibc.sync()
    }

    package static func makeDirectory(_ path: String) throws {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// The regular files directly in `folder`, by name in code-point order; hidden files and temporaries skipped.
    package static func files(in folder: String) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        return names.filter { name in
            guard !name.hasPrefix(".") else { return false }
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(
                atPath: (folder as NSString).appendingPathComponent(name), isDirectory: &isDirectory)
            return exists && !isDirectory.boolValue
        }.sorted(by: codePointLess)
    }

    package static func join(_ a: String, _ b: String) -> String { (a as NSString).appendingPathComponent(b) }
}
