import Foundation

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
    /// Reads the feed file at `path`, mapped into memory and read in place; `displayName` is how errors name it.
    package func read(
        path: String, displayName: String, keep: Bool = true, onRestart: @escaping () -> Void = {},
        onDocument: @escaping (Document) -> Void = { _ in }
    ) -> Result {
        let file: MappedFile
        do {
            file = try MappedFile(path: path)
        } catch {
            return Result(
                documents: [], errors: [FeedError(file: displayName, place: "", reason: "cannot read the file")])
        }
        return file.withBytes { bytes in
            read(bytes: bytes, displayName: displayName, keep: keep, onRestart: onRestart, onDocument: onDocument)
        }
    }
}
