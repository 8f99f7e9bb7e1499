import Dispatch
import Foundation

/// Work spread over every core, its results given back in the order of their indices.
package enum Parallel {
    /// `body(0..<count)`, run concurrently; each result (or error) at its index.
    package static func map<T: Sendable>(_ count: Int, _ body: @Sendable (Int) throws -> T) -> [Result<T, any Error>] {
        let box = ResultSlots<T>(count: count)
        DispatchQueue.concurrentPerform(iterations: count) { i in box.set(i, Result { try body(i) }) }
        return box.results
    }
}

/// Results written by index from concurrent workers.
private final class ResultSlots<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<T, any Error>?]

    init(count: Int) {
        slots = Array(repeating: nil, count: count)
    }

    func set(_ i: Int, _ value: Result<T, any Error>) {
        lock.lock()
        slots[i] = value
        lock.unlock()
    }

    var results: [Result<T, any Error>] {
        slots.map { $0 ?? .failure(CocoaError(.fileReadUnknown)) }
    }
}
