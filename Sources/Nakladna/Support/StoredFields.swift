/// Values kept in one text column as fields, each ended by `|`, with `\` and `|` inside a field escaped by `\`:
/// a note's values, a day's movements. Written by hand: JSON through Foundation would cost seconds on a year's
/// 700,000 notes and pass amounts through `Double`, and the form is flat, so one pass splits it.
package struct StoredFields {
    package private(set) var bytes: [UInt8] = []

    package init() {}

    package mutating func add(_ s: String) {
        var s = s
        s.withUTF8 { field in
            for b in field {
                if b == 0x5C || b == 0x7C { bytes.append(0x5C) }
                bytes.append(b)
            }
        }
        bytes.append(0x7C)
    }

    package mutating func add(_ values: any CustomStringConvertible...) {
        for v in values { add(v.description) }
    }

    package var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The fields of `text`; nil where it is not such a text (a field not ended by `|`, or a lone `\` at the end).
    package static func split(_ text: String) -> [String]? {
        var fields: [String] = []
        var current: [UInt8] = []
        var escaped = false
        var ended = true
        for b in text.utf8 {
            ended = false
            if escaped {
                current.append(b)
                escaped = false
            } else if b == 0x5C {
                escaped = true
            } else if b == 0x7C {
                fields.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
                ended = true
            } else {
                current.append(b)
            }
        }
        return ended && !escaped && !text.isEmpty ? fields : nil
    }
}
