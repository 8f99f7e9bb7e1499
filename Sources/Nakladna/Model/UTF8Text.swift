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
