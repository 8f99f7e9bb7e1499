import Foundation

/// A JSON value as read: numbers keep their text, so no digit is lost to floating point.
package enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONValue])
    /// Members in file order; a repeated key keeps its last value on lookup.
    case object([(key: String, value: JSONValue)])

    package static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(let x), .number(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.array(let x), .array(let y)): return x == y
        case (.object(let x), .object(let y)):
            return x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    /// The member under `key`, the last one where the key repeats.
    package subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last(where: { $0.key == key })?.value
    }

    /// The scalar's text: a string as is, a number as written, a boolean as `true`/`false`; nil for null and
    /// containers.
    package var scalarText: String? {
        switch self {
        case .string(let s): return s
        case .number(let n): return n
        case .bool(let b): return b ? "true" : "false"
        default: return nil
        }
    }
}

/// A path in a JSON file: `$.Data[*].Details[*]`, `Customer.Key`, `items[0]`, `['odd key']`.
package struct JSONPath: Sendable, Hashable, CustomStringConvertible {
    package enum Step: Sendable, Hashable {
        case key(String)
        case index(Int)
        case all
    }

    package var steps: [Step]
    package var absolute: Bool

    package init(steps: [Step], absolute: Bool) {
        self.steps = steps
        self.absolute = absolute
    }

    /// Parses the path syntax above; throws with a reason when it is not one.
    package init(parsing text: String) throws(MappingPathError) {
        var steps: [Step] = []
        var chars = Substring(text)
        absolute = chars.first == "$"
        if absolute { chars = chars.dropFirst() }
        var expectKey = !absolute
        while !chars.isEmpty {
            if chars.first == "." {
                chars = chars.dropFirst()
                expectKey = true
                continue
            }
            if chars.first == "[" {
                guard let close = chars.firstIndex(of: "]") else { throw MappingPathError(reason: "unclosed '['") }
                let inside = chars[chars.index(after: chars.startIndex)..<close]
                if inside == "*" {
                    steps.append(.all)
                } else if let n = Int(inside), n >= 0 {
                    steps.append(.index(n))
                } else if inside.count >= 2, let q = inside.first, q == "'" || q == "\"", inside.last == q {
                    steps.append(.key(String(inside.dropFirst().dropLast())))
                } else {
                    throw MappingPathError(reason: "'[\(inside)]' is not [*], [n] or ['key']")
                }
                chars = chars[chars.index(after: close)...]
                expectKey = false
                continue
            }
            guard expectKey else { throw MappingPathError(reason: "expected '.' or '[' at '\(chars)'") }
            let end = chars.firstIndex(where: { $0 == "." || $0 == "[" }) ?? chars.endIndex
            let key = chars[..<end]
            guard !key.isEmpty, !key.contains(where: { $0 == "]" || $0 == "*" || $0 == "$" || $0.isWhitespace })
            else { throw MappingPathError(reason: "'\(key)' is not a key") }
            steps.append(.key(String(key)))
            chars = chars[end...]
            expectKey = false
        }
        guard absolute || !steps.isEmpty else { throw MappingPathError(reason: "empty path") }
        self.steps = steps
    }

    package var description: String {
        var s = absolute ? "$" : ""
        for step in steps {
            switch step {
            case .key(let k):
                if JSONPath.isPlainKey(k) {
                    s += (s.isEmpty ? "" : ".") + k
                } else {
                    s += "['\(k)']"
                }
            case .index(let i): s += "[\(i)]"
            case .all: s += "[*]"
            }
        }
        return s
    }

    /// The one value a path of keys alone selects below `value`, found without building a list: `.some(nil)` where
    /// it selects none; nil where the path has an index or `[*]` (then use `values(in:)`).
    package func only(in value: JSONValue) -> JSONValue?? {
        var current = value
        for step in steps {
            guard case .key(let k) = step else { return nil }
            guard let child = current[k] else { return .some(nil) }
            current = child
        }
        return .some(current)
    }

    /// Every value the path selects below `value`, in order. The hot path: no place is computed.
    package func values(in value: JSONValue) -> [JSONValue] {
        if steps.count == 1, case .key(let k) = steps[0] {
            return value[k].map { [$0] } ?? []
        }
        var current = [value]
        for step in steps {
            var next: [JSONValue] = []
            for v in current {
                switch step {
                case .key(let k):
                    if let child = v[k] { next.append(child) }
                case .index(let i):
                    if case .array(let items) = v, i < items.count { next.append(items[i]) }
                case .all:
                    if case .array(let items) = v { next.append(contentsOf: items) }
                }
            }
            current = next
        }
        return current
    }

    /// Every value the path selects below `value`, with its own concrete path appended to `at`.
    package func located(in value: JSONValue, at: String) -> [(value: JSONValue, path: String)] {
        var current: [(JSONValue, String)] = [(value, at)]
        for step in steps {
            var next: [(JSONValue, String)] = []
            for (v, p) in current {
                switch step {
                case .key(let k):
                    if let child = v[k] { next.append((child, JSONPath.join(p, k))) }
                case .index(let i):
                    if case .array(let items) = v, i < items.count { next.append((items[i], "\(p)[\(i)]")) }
                case .all:
                    if case .array(let items) = v {
                        for (i, item) in items.enumerated() { next.append((item, "\(p)[\(i)]")) }
                    }
                }
            }
            current = next
        }
        return current.map { (value: $0.0, path: $0.1) }
    }

    /// Whether the concrete place `path` (keys and indices, from the root) is one this path selects: how the
    /// streaming reader knows a record as it passes, by the same steps `values(in:)` follows.
    func selects(_ path: [Step]) -> Bool {
        steps.count == path.count && zip(steps, path).allSatisfy(Self.step)
    }

    /// Whether the concrete place `path` lies above places this path selects (the reader descends into it).
    func leadsTo(_ path: [Step]) -> Bool {
        path.count < steps.count && zip(steps, path).allSatisfy(Self.step)
    }

    private static func step(_ pattern: Step, _ actual: Step) -> Bool {
        switch (pattern, actual) {
        case (.all, .index): return true
        default: return pattern == actual
        }
    }

    /// The place this path reaches from a record at `place` (`$.docs[0]` + `hdr.dt` is `$.docs[0].hdr.dt`); a path
    /// from the file's root is its own place.
    func place(below place: String) -> String {
        guard !absolute else { return description }
        var out = place
        for step in steps {
            switch step {
            case .key(let k): out = JSONPath.join(out, k)
            case .index(let i): out += "[\(i)]"
            case .all: out += "[*]"
            }
        }
        return out
    }

    static func join(_ path: String, _ key: String) -> String {
        isPlainKey(key) ? "\(path).\(key)" : "\(path)['\(key)']"
    }

    /// A key written after a dot: ASCII letters, digits and `_`, not starting with a digit.
    static func isPlainKey(_ key: String) -> Bool {
        guard let first = key.utf8.first, !(first >= 0x30 && first <= 0x39) else { return false }
        return key.utf8.allSatisfy { b in
            (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x5F
        }
    }
}

extension JSONValue {
    /// The whole of `data` as one value, read by the feeds' own reader: numbers keep their text, so an amount
    /// never passes through `Double`.
    package static func parse(_ data: Data, name: String = "") throws -> JSONValue {
        var root = JSONValue.null
        let reader = JSONRecordReader(fileName: name, records: JSONPath(steps: [], absolute: true))
        _ = try data.withUnsafeBytes { try reader.read($0) { value, _, _ in root = value } }
        return root
    }

    /// The value as JSON text: numbers as they were read, members in code-point order of their keys, `/` not
    /// escaped.
    package func write(to out: inout [UInt8]) {
        switch self {
        case .null: out += "null".utf8
        case .bool(let b): out += (b ? "true" : "false").utf8
        case .number(let n): out += n.utf8
        case .string(let s): CanonicalJSON.append(s, to: &out)
        case .array(let items):
            out.append(0x5B)
            for (i, item) in items.enumerated() {
                if i > 0 { out.append(0x2C) }
                item.write(to: &out)
            }
            out.append(0x5D)
        case .object(let members):
            out.append(0x7B)
            // A repeated key keeps its last value, as on lookup.
            var last: [String: JSONValue] = [:]
            for m in members { last[m.key] = m.value }
            for (i, key) in last.keys.sorted(by: codePointLess).enumerated() {
                if i > 0 { out.append(0x2C) }
                CanonicalJSON.append(key, to: &out)
                out.append(0x3A)
                last[key]?.write(to: &out)
            }
            out.append(0x7D)
        }
    }

    /// The elements of an array; nothing for any other value.
    package var elements: [JSONValue] {
        if case .array(let items) = self { return items }
        return []
    }
}
