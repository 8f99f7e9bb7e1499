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

    /// `body` over `items` cut into one share a core, about equal and in order; over them whole where there are
    /// fewer than `minimum`, too few to be worth a thread. The results come back in the shares' order.
    package static func shares<Items: RandomAccessCollection & Sendable, T: Sendable>(
        of items: Items, minimum: Int, _ body: @Sendable (Items.SubSequence) throws -> T
    ) -> [Result<T, any Error>] where Items.Index == Int {
        let count = items.count < minimum ? 1 : ProcessInfo.processInfo.activeProcessorCount
        return map(count) { k in
            try body(
                items[items.startIndex + items.count * k / count..<items.startIndex + items.count * (k + 1) / count])
        }
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

extension Parallel {
    /// Elements made on every core straight into one array: share `k` appends at most `bounds[k]` of them, and the
    /// shares follow each other in the array in their order. The first error, in share order, is thrown, and no
    /// element is kept. Each share's result comes back with the count of elements it made.
    ///
    /// Making each share's elements into an array of its own and then appending those arrays to one held the
    /// elements twice over, and once more while the one array grew: with the year's 650,000 order lines (156 MB)
    /// the night's heap peaked at 531 MB, and at 442 MB with this (heaptrack, README "Nights"). Here each share
    /// writes into its own part of one buffer, and the parts are closed up at the end.
    package static func fill<T: Sendable, R: Sendable>(
        bounds: [Int], _ make: @Sendable (Int, Filler<T>) throws -> R
    ) throws -> (elements: [T], shares: [(count: Int, result: R)]) {
        var starts: [Int] = []
        var total = 0
        for bound in bounds {
            starts.append(total)
            total += bound
        }
        var shares: [(count: Int, result: R)] = []
        var failure: (any Error)?
        // At least one place, so that the buffer has an address.
        let elements = [T](unsafeUninitializedCapacity: max(total, 1)) { buffer, initialized in
            guard let address = buffer.baseAddress else { return }
            nonisolated(unsafe) let base = address
            let fillers = bounds.indices.map { k in Filler<T>(base: base + starts[k], capacity: bounds[k]) }
            let results = map(bounds.count) { k in try make(k, fillers[k]) }
            failure = results.lazy.compactMap { if case .failure(let e) = $0 { e } else { nil } }.first
            var end = 0
            for k in bounds.indices {
                if failure != nil {
                    (base + starts[k]).deinitialize(count: fillers[k].count)
                    continue
                }
                if end != starts[k] { (base + end).moveInitialize(from: base + starts[k], count: fillers[k].count) }
                end += fillers[k].count
                if case .success(let result) = results[k] { shares.append((fillers[k].count, result)) }
            }
            initialized = failure == nil ? end : 0
        }
        if let failure { throw failure }
        return (elements, shares)
    }

    /// Where one share of `fill` writes its elements.
    package final class Filler<T>: @unchecked Sendable {
        private let base: UnsafeMutablePointer<T>
        private let capacity: Int
        fileprivate private(set) var count = 0

        fileprivate init(base: UnsafeMutablePointer<T>, capacity: Int) {
            self.base = base
            self.capacity = capacity
        }

        package func append(_ element: T) {
            precondition(count < capacity, "a share made more elements than its bound")
            (base + count).initialize(to: element)
            count += 1
        }
    }
}

extension Parallel {
    /// `items` sorted by `precedes`, in shares on every core that are then merged, where there are `minimum` or
    /// more; as `sorted(by:)` sorts, ties in the order they were given. The standard library sorts on one core.
    package static func sorted<T: Sendable>(
        _ items: [T], minimum: Int, by precedes: @Sendable (T, T) -> Bool
    ) -> [T] {
        var runs = shares(of: items, minimum: minimum) { $0.sorted(by: precedes) }.compactMap { try? $0.get() }
        // Each pass merges neighbours, so that ties keep the order of the shares they came from.
        while runs.count > 1 {
            var merged: [[T]] = []
            for k in stride(from: 0, to: runs.count, by: 2) {
                merged.append(k + 1 < runs.count ? merge(runs[k], runs[k + 1], by: precedes) : runs[k])
            }
            runs = merged
        }
        return runs.first ?? []
    }

    /// Two sorted lists as one; of equal elements, `a`'s first.
    static func merge<T>(_ a: [T], _ b: [T], by precedes: (T, T) -> Bool) -> [T] {
        var out: [T] = []
        out.reserveCapacity(a.count + b.count)
        var (i, j) = (0, 0)
        while i < a.count && j < b.count {
            if precedes(b[j], a[i]) {
                out.append(b[j])
                j += 1
            } else {
                out.append(a[i])
                i += 1
            }
        }
        out += a[i...]
        out += b[j...]
        return out
    }
}
