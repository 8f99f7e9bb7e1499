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
    /// Calls `body` with each element by address, for an array that this thread alone holds (a part handed over
    /// whole). `for x in array`, or a closure taking a `borrowing` element, loads every element as a copy (all its
    /// strings retained and released again) from memory another thread might change; an `inout` one is read
    /// where it lies. (Were the storage shared after all, it would be
    /// copied once first, as any mutation copies it.)
    @inline(__always) package mutating func forEachOwned(_ body: (inout Element) throws -> Void) rethrows {
        try withUnsafeMutableBufferPointer { rows in
            for i in rows.indices { try body(&rows[i]) }
        }
    }
}
