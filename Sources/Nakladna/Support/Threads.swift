import Foundation

#if canImport(Glibc)
    import Glibc
#endif

// The few thread primitives the run uses: Dispatch has no value handed over once nor a stream between two
// threads, and swift-async-algorithms (on the machine's list) works in async contexts, which the pipeline's two
// threads are not.

/// Values kept alive until the process exits (`RunOptions.keepUntilExit`).
enum Retained {
    nonisolated(unsafe) private static var values: [Any] = []

    static func keep(_ value: Any) { values.append(value) }
}

/// Values sent from one thread to another, in order: `receive` waits for the next, and returns nil once the
/// sender has finished, or throws the error it finished with.
final class Channel<T: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [T?] = []
    private var head = 0
    private var end: Result<Void, any Error>?

    func send(_ value: T) {
        condition.withLock {
            queue.append(value)
            condition.signal()
        }
    }

    /// Ends the channel; later calls change nothing.
    func finish(_ result: Result<Void, any Error>) {
        condition.withLock {
            if end == nil { end = result }
            condition.broadcast()
        }
    }

    func receive() throws -> T? {
        try condition.withLock {
            while head == queue.count && end == nil { condition.wait() }
            if case .failure(let error) = end { throw error }
            guard head < queue.count else { return nil }
            defer {
                queue[head] = nil
                head += 1
            }
            return queue[head]
        }
    }
}

/// A value handed from one thread to another, once: `take` waits until `give` was called. Later gives are
/// ignored, so a failure path may give an error whatever was given before.
final class Handoff<T: Sendable>: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let lock = NSLock()
    private var result: Result<T, any Error>?

    func give(_ value: Result<T, any Error>) {
        let first = lock.withLock {
            guard result == nil else { return false }
            result = value
            return true
        }
        if first { done.signal() }
    }

    /// Waits for the value; rethrows the error given instead.
    func take() throws -> T {
        done.wait()
        done.signal()
        guard let result = lock.withLock({ result }) else { throw CocoaError(.featureUnsupported) }
        return try result.get()
    }
}

/// Work started on another thread now, its result (or error) taken later.
final class Background<T: Sendable>: Sendable {
    private let result = Handoff<T>()

    /// With `yielding`, the thread runs at a lower priority (nice 10; on Linux a thread's own), taking a core
    /// when the others leave one: for work that is not the longest of those it runs beside.
    init(yielding: Bool = false, _ work: @escaping @Sendable () throws -> T) {
        Thread.detachNewThread { [result] in
            #if os(Linux)
                if yielding { setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10) }
            #endif
            result.give(Result { try work() })
        }
    }

    /// Waits for the work to finish; rethrows its error.
    func value() throws -> T { try result.take() }
}
