import Foundation

/// Streams the records of a JSON file: only the values under the record path (`$.Data[*]`) and the few
/// paths asked for (`$.Success`) are built; everything else is checked and skipped without allocation.
///
/// Written by hand: none of the listed packages parses JSON incrementally, Foundation's parsers build the whole
/// file (several copies of it in memory), and errors here must carry their JSON path. The file is memory-mapped
/// once and read in place. Rejects invalid UTF-8, NUL and other raw control bytes, nesting deeper than
/// `maxDepth`, and malformed numbers, each with its JSON path and line:column.
package struct JSONRecordReader {
    package static let maxDepth = 64

    package let fileName: String
    private let records: JSONPath
    private let captures: [JSONPath]
    /// Where the records' container is: the array the record path ends in (`$.Data` of `$.Data[*]`), or, for a
    /// path that ends in a key, the record itself.
    fileprivate let container: JSONPath
    fileprivate let containerIsArray: Bool

    package init(fileName: String, records: JSONPath, captures: [JSONPath] = []) {
        self.fileName = fileName
        self.records = records
        self.captures = captures
        containerIsArray = records.steps.last == .all
        container = JSONPath(steps: containerIsArray ? Array(records.steps.dropLast()) : records.steps, absolute: true)
    }

    /// What reading a file gave besides its records.
    package struct Outcome {
        /// The values captured, by path.
        package var captured: [JSONPath: JSONValue]
        /// Whether the records' container was in the file: a file without it holds no documents at all, which is
        /// not the same as an empty day (`"Data": []`).
        package var containerFound: Bool
    }

    /// Reads `bytes`; `body` gets each record with its path (`$.Data[3]`), in file order, with the values
    /// captured so far. Throws at the first malformed byte.
    package func read(
        _ bytes: UnsafeRawBufferPointer,
        _ body: (_ record: JSONValue, _ path: String, _ captured: [JSONPath: JSONValue]) throws -> Void
    ) throws -> Outcome {
        var parser = Parser(bytes: bytes, reader: self)
        try parser.skipBOM()
        try parser.whitespace()
        try parser.value(path: [], body)
        try parser.whitespace()
        if parser.offset < bytes.count { throw parser.error("unexpected text after the end of the JSON value") }
        return Outcome(captured: parser.captured, containerFound: parser.containerFound)
    }

    /// Reads the file at `path`, mapped into memory.
    package func read(
        file path: String,
        _ body: (_ record: JSONValue, _ path: String, _ captured: [JSONPath: JSONValue]) throws -> Void
    ) throws -> Outcome {
        let file: MappedFile
        do {
            file = try MappedFile(path: path)
        } catch {
            throw FeedError(file: fileName, place: "", reason: "cannot read the file")
        }
        return try file.withBytes { try read($0, body) }
    }

    fileprivate enum Mode {
        case record, capture, descend, skip
    }

    /// Whether a value at `path` whose first byte is `first` is the records' container.
    fileprivate func isContainer(_ path: [JSONPath.Step], first: UInt8?) -> Bool {
        container.selects(path) && (!containerIsArray || first == 0x5B)
    }

    fileprivate func mode(_ path: [JSONPath.Step]) -> Mode {
        if records.selects(path) { return .record }
        if captures.contains(where: { $0.selects(path) }) { return .capture }
        if records.leadsTo(path) || captures.contains(where: { $0.leadsTo(path) }) {
            return .descend
        }
        return .skip
    }

}

private struct Parser {
    let bytes: UnsafeRawBufferPointer
    let reader: JSONRecordReader
    var offset = 0
    var depth = 0
    var captured: [JSONPath: JSONValue] = [:]
    var pathForError: [JSONPath.Step] = []
    var containerFound = false

    init(bytes: UnsafeRawBufferPointer, reader: JSONRecordReader) {
        self.bytes = bytes
        self.reader = reader
    }

    /// The path as text; a very deep one is cut after 12 steps, with its depth said.
    func render(_ path: [JSONPath.Step]) -> String {
        guard path.count > 12 else { return JSONPath(steps: path, absolute: true).description }
        return JSONPath(steps: Array(path.prefix(12)), absolute: true).description + "… (\(path.count) levels)"
    }

    func error(_ reason: String) -> FeedError {
        var line = 1
        var column = 1
        var i = 0
        while i < min(offset, bytes.count) {
            if bytes[i] == 0x0A {
                line += 1
                column = 1
            } else if bytes[i] & 0xC0 != 0x80 {
                column += 1
            }
            i += 1
        }
        return FeedError(
            file: reader.fileName, place: render(pathForError), reason: "\(reason) (line \(line), column \(column))")
    }

    mutating func skipBOM() throws {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { offset = 3 }
        if bytes.count == offset { throw error("the file is empty") }
    }

    @inline(__always) mutating func whitespace() throws {
        while offset < bytes.count {
            switch bytes[offset] {
            case 0x20, 0x0A, 0x0D, 0x09: offset += 1
            default: return
            }
        }
    }

    @inline(__always) func peek() -> UInt8? { offset < bytes.count ? bytes[offset] : nil }

    mutating func expect(_ byte: UInt8, _ what: String) throws {
        guard peek() == byte else { throw unexpected(what) }
        offset += 1
    }

    func unexpected(_ what: String) -> FeedError {
        guard let b = peek() else { return error("unexpected end of file, expected \(what)") }
        if b == 0 { return error("a NUL byte where \(what) belongs") }
        if b >= 0x20 && b < 0x7F { return error("unexpected '\(Character(Unicode.Scalar(b)))', expected \(what)") }
        return error(String(format: "unexpected byte 0x%02X, expected %@", b, what))
    }

    /// One value at `path`, handled as the reader's mode for that path says.
    mutating func value(path: [JSONPath.Step], _ body: (JSONValue, String, [JSONPath: JSONValue]) throws -> Void) throws
    {
        pathForError = path
        if !containerFound && reader.isContainer(path, first: peek()) { containerFound = true }
        switch reader.mode(path) {
        case .record:
            let v = try build()
            try body(v, render(path), captured)
        case .capture:
            let v = try build()
            captured[JSONPath(steps: path, absolute: true)] = v
        case .skip:
            try skip()
        case .descend:
            try descend(path: path, body)
        }
    }

    mutating func enter() throws {
        depth += 1
        if depth > JSONRecordReader.maxDepth { throw error("nesting deeper than \(JSONRecordReader.maxDepth) levels") }
    }

    mutating func descend(path: [JSONPath.Step], _ body: (JSONValue, String, [JSONPath: JSONValue]) throws -> Void)
        throws
    {
        switch peek() {
        case UInt8(ascii: "{"):
            offset += 1
            try enter()
            try whitespace()
            if peek() == UInt8(ascii: "}") {
                offset += 1
                depth -= 1
                return
            }
            while true {
                try whitespace()
                let key = try string()
                try whitespace()
                try expect(UInt8(ascii: ":"), "':'")
                try whitespace()
                try value(path: path + [.key(key)], body)
                pathForError = path
                try whitespace()
                if peek() == UInt8(ascii: ",") {
                    offset += 1
                    continue
                }
                try expect(UInt8(ascii: "}"), "',' or '}'")
                break
            }
            depth -= 1
        case UInt8(ascii: "["):
            offset += 1
            try enter()
            try whitespace()
            if peek() == UInt8(ascii: "]") {
                offset += 1
                depth -= 1
                return
            }
            var index = 0
            while true {
                try whitespace()
                try value(path: path + [.index(index)], body)
                pathForError = path
                index += 1
                try whitespace()
                if peek() == UInt8(ascii: ",") {
                    offset += 1
                    continue
                }
                try expect(UInt8(ascii: "]"), "',' or ']'")
                break
            }
            depth -= 1
        default:
            try skip()
        }
    }

    /// Checks a value without building it.
    mutating func skip() throws {
        switch peek() {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            _ = try build()  // containers are rare outside records; building keeps one code path for checking
        case UInt8(ascii: "\""):
            _ = try stringBytes(build: false)
        default:
            _ = try scalar()
        }
    }

    mutating func build() throws -> JSONValue {
        switch peek() {
        case UInt8(ascii: "{"):
            offset += 1
            try enter()
            defer { depth -= 1 }
            var members: [(key: String, value: JSONValue)] = []
            try whitespace()
            if peek() == UInt8(ascii: "}") {
                offset += 1
                return .object(members)
            }
            while true {
                try whitespace()
                let key = try string()
                try whitespace()
                try expect(UInt8(ascii: ":"), "':'")
                try whitespace()
                let saved = pathForError
                pathForError.append(.key(key))
                members.append((key, try build()))
                pathForError = saved
                try whitespace()
                if peek() == UInt8(ascii: ",") {
                    offset += 1
                    continue
                }
                try expect(UInt8(ascii: "}"), "',' or '}'")
                return .object(members)
            }
        case UInt8(ascii: "["):
            offset += 1
            try enter()
            defer { depth -= 1 }
            var items: [JSONValue] = []
            try whitespace()
            if peek() == UInt8(ascii: "]") {
                offset += 1
                return .array(items)
            }
            while true {
                try whitespace()
                let saved = pathForError
                pathForError.append(.index(items.count))
                items.append(try build())
                pathForError = saved
                try whitespace()
                if peek() == UInt8(ascii: ",") {
                    offset += 1
                    continue
                }
                try expect(UInt8(ascii: "]"), "',' or ']'")
                return .array(items)
            }
        case UInt8(ascii: "\""):
            return .string(try string())
        default:
            return try scalar()
        }
    }

    mutating func scalar() throws -> JSONValue {
        guard let b = peek() else { throw unexpected("a value") }
        if literal("true") { return .bool(true) }
        if literal("false") { return .bool(false) }
        if literal("null") { return .null }
        guard b == UInt8(ascii: "-") || (b >= 0x30 && b <= 0x39) else { throw unexpected("a value") }
        let start = offset
        if peek() == UInt8(ascii: "-") { offset += 1 }
        guard let first = peek(), first >= 0x30 && first <= 0x39 else { throw unexpected("a digit") }
        offset += 1
        if first != 0x30 { digits() }
        if peek() == UInt8(ascii: ".") {
            offset += 1
            guard let d = peek(), d >= 0x30 && d <= 0x39 else { throw unexpected("a digit") }
            digits()
        }
        if peek() == UInt8(ascii: "e") || peek() == UInt8(ascii: "E") {
            offset += 1
            if peek() == UInt8(ascii: "+") || peek() == UInt8(ascii: "-") { offset += 1 }
            guard let d = peek(), d >= 0x30 && d <= 0x39 else { throw unexpected("a digit") }
            digits()
        }
        return .number(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self))
    }

    @inline(__always) mutating func digits() {
        while offset < bytes.count, bytes[offset] >= 0x30 && bytes[offset] <= 0x39 { offset += 1 }
    }

    mutating func literal(_ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard offset + n <= bytes.count else { return false }
        for i in 0..<n where bytes[offset + i] != word.utf8Start[i] { return false }
        offset += n
        return true
    }

    mutating func string() throws -> String {
        guard peek() == UInt8(ascii: "\"") else { throw unexpected("a string") }
        return try stringBytes(build: true) ?? ""
    }

    /// A string from its opening quote; nil when not built.
    mutating func stringBytes(build: Bool) throws -> String? {
        offset += 1
        let start = offset
        var ascii = true
        while offset < bytes.count {
            let b = bytes[offset]
            if b == UInt8(ascii: "\"") {
                let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<offset])
                offset += 1
                if ascii { return build ? String(decoding: raw, as: UTF8.self) : nil }
                guard let s = String(validUTF8: raw) else {
                    offset = start
                    throw error("the text is not valid UTF-8")
                }
                return build ? s : nil
            }
            if b == UInt8(ascii: "\\") {
                offset = start
                return try escapedString(build: build)
            }
            if b < 0x20 {
                throw error(b == 0 ? "a NUL byte inside a string" : "a raw control character inside a string")
            }
            if b >= 0x80 { ascii = false }
            offset += 1
        }
        throw error("unexpected end of file inside a string")
    }

    mutating func escapedString(build: Bool) throws -> String? {
        var out: [UInt8] = []
        let start = offset
        while offset < bytes.count {
            let b = bytes[offset]
            if b == UInt8(ascii: "\"") {
                offset += 1
                guard let s = out.withUnsafeBufferPointer({ String(validUTF8: $0) }) else {
                    offset = start
                    throw error("the text is not valid UTF-8")
                }
                return build ? s : nil
            }
            if b < 0x20 {
                throw error(b == 0 ? "a NUL byte inside a string" : "a raw control character inside a string")
            }
            if b != UInt8(ascii: "\\") {
                out.append(b)
                offset += 1
                continue
            }
            offset += 1
            guard let e = peek() else { break }
            offset += 1
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800..<0xDC00).contains(scalar) {
                    guard literal("\\u") else { throw error("a lone surrogate in a \\u escape") }
                    let low = try hex4()
                    guard (0xDC00..<0xE000).contains(low) else { throw error("a lone surrogate in a \\u escape") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00..<0xE000).contains(scalar) {
                    throw error("a lone surrogate in a \\u escape")
                }
                guard scalar != 0, let u = Unicode.Scalar(scalar) else { throw error("a \\u0000 escape in a string") }
                out.append(contentsOf: Array(String(Character(u)).utf8))
            default:
                offset -= 1
                throw unexpected("an escape character")
            }
        }
        throw error("unexpected end of file inside a string")
    }

    mutating func hex4() throws -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard let b = peek() else { throw unexpected("a hex digit") }
            let d: UInt32
            switch b {
            case 0x30...0x39: d = UInt32(b - 0x30)
            case 0x41...0x46: d = UInt32(b - 0x37)
            case 0x61...0x66: d = UInt32(b - 0x57)
            default: throw unexpected("a hex digit")
            }
            v = v * 16 + d
            offset += 1
        }
        return v
    }
}
