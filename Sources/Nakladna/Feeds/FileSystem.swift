import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Small, careful file operations: writes that are whole or absent, and directory listings in a stable order.
package enum FileSystem {
    /// Writes `data` to `path` through a temporary file, flushed to disk, then renamed into place.
    package static func writeAtomically(_ data: Data, to path: String) throws {
        let temporary = path + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: temporary, contents: data) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary])
        }
        try sync(temporary)
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
