import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The files behind the mapping layer: the mapping's YAML, `brands.yaml` and the cross-reference CSV it names, and
/// the feed files read through it. `Mapping/` takes their text and bytes and gives values; opening and mapping the
/// files is done here, so that tests and the fuzzer can hand it documents in memory.
package enum MappingFiles {
    /// The brand aliases `load(path:)` uses for a mapping file: `brands.yaml` in its folder, where there is one.
    package static func brandsPath(forMapping path: String) -> String? {
        let candidate = ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent("brands.yaml")
        return FileManager.default.fileExists(atPath: candidate) ? candidate : nil
    }

    /// Loads the mapping file at `path`, with `brands` (by default `brands.yaml` from the same folder, when it is
    /// there); a cross-reference file it names is read from its folder.
    package static func load(path: String, brands brandsFile: String? = nil) throws(MappingError) -> Mapping {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw MappingError(file: path, line: 0, column: 0, reason: "cannot read the mapping file")
        }
        let brands = try (brandsFile ?? brandsPath(forMapping: path)).map { p throws(MappingError) in
            try loadBrands(path: p)
        }
        let folder = (path as NSString).deletingLastPathComponent
        return try MappingLoader.compile(text: text, file: path, brands: brands ?? Brands()) { name in
            let full = (folder as NSString).appendingPathComponent(name)
            return (full, try? String(contentsOfFile: full, encoding: .utf8))
        }
    }

    /// Reads `brands.yaml`.
    package static func loadBrands(path: String) throws(MappingError) -> Brands {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw MappingError(file: path, line: 0, column: 0, reason: "cannot read the brands file")
        }
        return try MappingLoader.brands(text: text, file: path)
    }
}

extension MappingReader {
    /// Reads the feed file at `path`; `displayName` is how errors name it. JSON is mapped into memory and read in
    /// place; XML is streamed from the file, so its memory stays that of one record.
    package func read(
        path: String, displayName: String, keep: Bool = true, onRestart: @escaping () -> Void = {},
        onDocument: @escaping (Document) -> Void = { _ in }
    ) -> Result {
        let unreadable = Result(
            documents: [], errors: [FeedError(file: displayName, place: "", reason: "cannot read the file")])
        if mapping.format == .xml {
            guard let stream = FileStream(path: path) else { return unreadable }
            return read(
                stream: stream, displayName: displayName, keep: keep, onRestart: onRestart, onDocument: onDocument)
        }
        guard let file = try? MappedFile(path: path) else { return unreadable }
        return file.withBytes { bytes in
            read(bytes: bytes, displayName: displayName, keep: keep, onRestart: onRestart, onDocument: onDocument)
        }
    }
}

/// A file read from its descriptor in pieces, for the XML reader.
final class FileStream: ByteStream {
    private let fd: Int32

    init?(path: String) {
        fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { return nil }
    }

    deinit { close(fd) }

    func rewind() throws {
        guard lseek(fd, 0, SEEK_SET) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n >= 0 { return n }
            guard errno == EINTR else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        }
    }
}
