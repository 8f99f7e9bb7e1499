import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A test-only way to die, or wait, at a chosen moment: with `NAKLADNA_TEST_KILL_AT=N` the process sends itself
/// SIGKILL at its N-th checkpoint; with `NAKLADNA_TEST_PAUSE_AT=N` (or the checkpoint's name, such as
/// `reconciled`) it sleeps `NAKLADNA_TEST_PAUSE_SECONDS` (2) there. Unset, a checkpoint costs one comparison.
package enum TestHook {
    nonisolated(unsafe) static var count = 0
    static let environment = ProcessInfo.processInfo.environment
    static let killAt: Int? = environment["NAKLADNA_TEST_KILL_AT"].flatMap { Int($0) }
    static let pauseAt: String? = environment["NAKLADNA_TEST_PAUSE_AT"]
    static let pauseSeconds: UInt32 = environment["NAKLADNA_TEST_PAUSE_SECONDS"].flatMap { UInt32($0) } ?? 2
    /// The first retry's wait for HTTP, shortened by tests (`NAKLADNA_TEST_HTTP_BACKOFF`, seconds).
    static let httpBackoff: TimeInterval = environment["NAKLADNA_TEST_HTTP_BACKOFF"].flatMap { Double($0) } ?? 0.5

    package static func checkpoint(_ name: String = "") {
        guard killAt != nil || pauseAt != nil else { return }
        count += 1
        if count == killAt { kill(getpid(), SIGKILL) }
        if let pauseAt, pauseAt == String(count) || pauseAt == name { sleep(pauseSeconds) }
    }
}
