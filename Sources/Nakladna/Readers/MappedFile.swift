import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A file's bytes, mapped read-only into memory for as long as the value lives: a large feed is read in place,
/// never copied. (Foundation's `Data(contentsOf:options: .alwaysMapped)` was found leaking a buffer per small file
/// under the fuzzer's leak checker, so the two system calls are made here directly.)
package final class MappedFile {
    private let base: UnsafeMutableRawPointer?
    package let count: Int

    /// Maps `path`; throws when it cannot be opened or mapped.
    package init(path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        count = Int(info.st_size)
        guard count > 0 else {
            base = nil
            return
        }
        let mapped = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let mapped, mapped != MAP_FAILED else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        base = mapped
    }

    deinit {
        if let base { munmap(base, count) }
    }

    /// The bytes, valid during the call.
    package func withBytes<T>(_ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }
}
