import Foundation

extension String {
    /// The text of `bytes` when they are UTF-8, else nil. `String(validating:as:)` is generic and looked its type
    /// metadata up at every call (a quarter of reading a year's orders.csv); decoding is specialised for a buffer of
    /// bytes, and it repairs what is not UTF-8 with U+FFFD, so the text is the bytes exactly only when they were
    /// valid.
    package init?(validUTF8 bytes: UnsafeBufferPointer<UInt8>) {
        var text = String(decoding: bytes, as: UTF8.self)
        let same = text.withUTF8 { decoded in
            guard decoded.count == bytes.count else { return false }
            guard let a = decoded.baseAddress, let b = bytes.baseAddress else { return true }
            return memcmp(a, b, bytes.count) == 0
        }
        guard same else { return nil }
        self = text
    }

    /// The same over raw bytes.
    package init?(validUTF8 bytes: UnsafeRawBufferPointer) {
        self.init(validUTF8: bytes.assumingMemoryBound(to: UInt8.self))
    }
}

extension Array {
    /// Calls `body` with each element where it lies. `for x in array` copies every element, all its strings
    /// retained and released again, and over a year's million rows that costs more than the work done with them.
    /// The element is handed over by address, as `inout`: a `borrowing` element is still loaded as a copy from
    /// memory the compiler cannot prove unchanged while `body` runs, an `inout` one is passed on as it lies.
    /// `body` only reads it: the array is not changed (several threads may be reading it).
    @inline(__always) package func forEachInPlace(_ body: (inout Element) throws -> Void) rethrows {
        try withUnsafeBufferPointer { rows in
            guard let base = rows.baseAddress else { return }
            let mutable = UnsafeMutablePointer(mutating: base)
            for i in 0..<rows.count { try body(&mutable[i]) }
        }
    }

    /// Whether `predicate` holds for every element, each read where it lies, as in `forEachInPlace`.
    @inline(__always) package func allInPlace(_ predicate: (inout Element) throws -> Bool) rethrows -> Bool {
        try withUnsafeBufferPointer { rows in
            guard let base = rows.baseAddress else { return true }
            let mutable = UnsafeMutablePointer(mutating: base)
            for i in 0..<rows.count where try !predicate(&mutable[i]) { return false }
            return true
        }
    }
}
