import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// One run at a time per database: an exclusive `flock` on `<database>.lock`. The kernel releases it when the
/// process ends, however it ends (SIGKILL included), so it never goes stale the way a PID file does.
package final class RunLock {
    private let descriptor: Int32
    package let path: String

    /// Takes the lock, or throws `.held` with what the holder wrote about itself.
    package init(database: String, holder: String) throws(RunLockError) {
        path = database + ".lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw .cannotOpen(path, String(cString: strerror(errno))) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            var buffer = [UInt8](repeating: 0, count: 512)
            let n = pread(fd, &buffer, buffer.count, 0)
            close(fd)
            let text = n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self) : "another process"
            throw .held(text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        descriptor = fd
        _ = ftruncate(fd, 0)
        let data = Array((holder + "\n").utf8)
        _ = pwrite(fd, data, data.count, 0)
    }

    deinit {
        _ = ftruncate(descriptor, 0)
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}

/// Why the lock was not taken.
package enum RunLockError: Error, CustomStringConvertible {
    case held(String)
    case cannotOpen(String, String)

    package var description: String {
        switch self {
        case .held(let holder): return "another run holds the database: \(holder)"
        case .cannotOpen(let path, let why): return "cannot open the lock file \(path): \(why)"
        }
    }
}
