/// Values kept in one text column as fields, each ended by `|`, with `\` and `|` inside a field escaped by `\`:
/// a note's values, a day's movements. Written by hand: JSON through Foundation would cost seconds on a year's
/// 700,000 notes and pass amounts through `Double`, and the form is flat, so one pass splits it.
package struct StoredFields {
    package private(set) var bytes: [UInt8] = []

    package init() {}

    /// The fields `write` adds, appended to `out` with no buffer of their own.
    package static func append(to out: inout [UInt8], _ write: (inout StoredFields) -> Void) {
        var fields = StoredFields()
        swap(&fields.bytes, &out)
        write(&fields)
        swap(&fields.bytes, &out)
    }

    package mutating func add(_ s: String) {
        var s = s
        s.withUTF8 { field in
            if field.contains(where: { $0 == 0x5C || $0 == 0x7C }) {
                for b in field {
                    if b == 0x5C || b == 0x7C { bytes.append(0x5C) }
                    bytes.append(b)
                }
            } else {
                bytes.append(contentsOf: field)
            }
        }
        bytes.append(0x7C)
    }

    /// Each value as a field, written straight into the bytes: a year stores 700,000 notes.
    package mutating func add<each Value: StoredField>(_ values: repeat each Value) {
        for value in repeat each values {
            value.write(to: &self)
        }
    }

    mutating func addASCII(_ write: (inout [UInt8]) -> Void) {
        write(&bytes)
        bytes.append(0x7C)
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

/// A value `StoredFields` writes as one field.
package protocol StoredField {
    func write(to fields: inout StoredFields)
}

extension String: StoredField {
    package func write(to fields: inout StoredFields) { fields.add(self) }
}

extension Int: StoredField {
    package func write(to fields: inout StoredFields) { fields.addASCII { $0 += String(self).utf8 } }
}

extension Fixed: StoredField {
    /// Its shortest exact text.
    package func write(to fields: inout StoredFields) { fields.addASCII { self.write(places: nil, to: &$0) } }
}

extension CalendarDate: StoredField {
    package func write(to fields: inout StoredFields) { fields.addASCII { self.write(separator: 0x2D, to: &$0) } }
}
