import Foundation
import Synchronization
import Testing

@testable import Nakladna

/// `Parallel.fill` writes the shares' elements into one buffer and closes the gaps: the elements must come out
/// in share order, each exactly once, and every element made must be let go of once, whether the fill succeeds
/// or a share fails.
@Suite(.serialized) struct ParallelFillTests {
    /// Counts the elements alive, to see that none is lost, kept twice, or left behind by a failed share.
    final class Element: Sendable {
        static let alive = Atomic<Int>(0)
        let value: Int
        init(_ value: Int) {
            self.value = value
            Element.alive.add(1, ordering: .relaxed)
        }
        deinit { Element.alive.subtract(1, ordering: .relaxed) }
    }

    struct Refused: Error, Equatable {
        var share: Int
    }

    @Test func sharesFollowEachOtherWhateverTheyLeaveUnused() throws {
        // Share k makes `made[k]` of its `bounds[k]`: gaps of every size, an empty share, a full one.
        let bounds = [5, 3, 0, 7, 4]
        let made = [2, 3, 0, 0, 4]
        do {
            let (elements, shares) = try Parallel.fill(bounds: bounds) { k, filler -> String in
                for i in 0..<made[k] { filler.append(Element(k * 100 + i)) }
                return "share \(k)"
            }
            #expect(elements.map(\.value) == [0, 1, 100, 101, 102, 400, 401, 402, 403])
            #expect(shares.map(\.count) == made)
            #expect(shares.map(\.result) == (0..<5).map { "share \($0)" })
            #expect(Element.alive.load(ordering: .relaxed) == 9)
        }
        #expect(Element.alive.load(ordering: .relaxed) == 0)
    }

    @Test func theFirstShareThatFailsIsThrownAndNothingIsKept() {
        // Shares 1 and 3 fail after making some elements: share 1's error wins, and every element goes.
        #expect(throws: Refused(share: 1)) {
            _ = try Parallel.fill(bounds: [4, 4, 4, 4]) { k, filler in
                for i in 0..<3 { filler.append(Element(k * 100 + i)) }
                if k == 1 || k == 3 { throw Refused(share: k) }
            }
        }
        #expect(Element.alive.load(ordering: .relaxed) == 0)
    }

    /// `shares` cuts a collection into consecutive shares that cover it once, in order, a slice of an array included
    /// (its indices do not start at 0); fewer items than `minimum` make one share.
    @Test func sharesCoverTheItemsOnceInOrder() {
        for count in [0, 1, 2, 3, 7, 100] {
            let items = Array(0..<(count + 5)).dropFirst(5)
            for minimum in [1, 50] {
                let parts = Parallel.shares(of: items, minimum: minimum) { Array($0) }.map { try? $0.get() }
                #expect(parts.compactMap { $0 }.joined().elementsEqual(items), "\(count) items, minimum \(minimum)")
                if count < minimum { #expect(parts.count == 1) }
            }
        }
    }

    /// `sorted` sorts shares on every core and merges them: the same as the standard library's stable sort, ties in
    /// the order given. Keys repeat, so that ties are many.
    @Test func sortedInSharesIsTheWholeSorted() {
        var random = SplitMix(seed: 11)
        for count in [0, 1, 2, 9, 1_000, 5_001] {
            let items = (0..<count).map { (key: Int.random(in: 0..<50, using: &random), place: $0) }
            let expected = items.sorted { $0.key < $1.key }.map(\.place)
            for minimum in [1, 100_000] {
                let sorted = Parallel.sorted(items, minimum: minimum) { $0.key < $1.key }.map(\.place)
                #expect(sorted == expected, "\(count) items, minimum \(minimum)")
            }
        }
        // Of equal elements, the first list's come first.
        let merged = Parallel.merge([(1, "a"), (2, "a")], [(1, "b"), (3, "b")]) { $0.0 < $1.0 }
        #expect(merged.map { "\($0.0)\($0.1)" } == ["1a", "1b", "2a", "3b"])
    }
}
