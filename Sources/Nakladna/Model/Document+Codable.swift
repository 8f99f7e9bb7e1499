import Crypto
import Foundation

extension Fixed: Codable {
    /// Encoded as its shortest exact text, so no digit is lost.
    package init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            self = try Fixed(parsing: text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\(error)"))
        }
    }

    package func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

extension CalendarDate: Codable {
    package init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let date = CalendarDate(iso: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: text))
        }
        self = date
    }

    package func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

extension Document {
    /// The canonical text of the mapped content: the same for the same document whatever file carried it.
    ///
    /// JSON with the properties' names and decimals as their shortest exact text, written by hand in a fixed
    /// order: it is computed for every document received, and `JSONEncoder` was a fifth of a year's run.
    /// The store reads it back through `StoredDocument`; the synthesized `Codable` reads it the same way.
    package func canonicalJSON() -> Data {
        // Written as bytes: every document received is serialised, a year's worth at a time.
        var out: [UInt8] = [0x7B]
        out.reserveCapacity(256 + lines.count * 320)
        // Keys and punctuation are literals, copied whole.
        func raw(_ s: StaticString) { s.withUTF8Buffer { out.append(contentsOf: $0) } }
        func key(_ k: StaticString) {
            out.append(0x22)
            k.withUTF8Buffer { out.append(contentsOf: $0) }
            out.append(0x22)
            out.append(0x3A)
        }
        func string(_ s: String) { CanonicalJSON.append(s, to: &out) }
        func number(_ x: Fixed) {
            out.append(0x22)
            x.write(places: nil, to: &out)
            out.append(0x22)
        }
        func totals(_ t: Totals) {
            raw("{")
            key("gross")
            number(t.gross)
            raw(",")
            key("net")
            number(t.net)
            raw(",")
            key("vat")
            number(t.vat)
            raw("}")
        }
        key("adjustments")
        raw("[")
        for (i, a) in adjustments.enumerated() {
            raw(i == 0 ? "{" : ",{")
            key("amounts")
            totals(a.amounts)
            raw(",")
            key("reason")
            string(a.reason)
            raw(",")
            key("vatRate")
            number(a.vatRate)
            raw("}")
        }
        raw("],")
        key("currency")
        string(currency)
        if let customerId {
            raw(",")
            key("customerId")
            string(customerId)
        }
        raw(",")
        key("invoiceDate")
        out.append(0x22)
        invoiceDate.write(separator: 0x2D, to: &out)
        raw("\",")
        key("kind")
        string(kind.rawValue)
        raw(",")
        key("lines")
        raw("[")
        for (i, l) in lines.enumerated() {
            raw(i == 0 ? "{" : ",{")
            key("amounts")
            totals(l.amounts)
            raw(",")
            key("article")
            string(l.article)
            raw(",")
            key("brand")
            string(l.brand)
            raw(",")
            key("line")
            out += String(l.line).utf8
            raw(",")
            key("name")
            string(l.name)
            raw(",")
            key("quantity")
            number(l.quantity)
            raw(",")
            key("supplierCode")
            string(l.supplierCode)
            raw(",")
            key("unitPriceGross")
            number(l.unitPriceGross)
            raw(",")
            key("vatRate")
            number(l.vatRate)
            raw("}")
        }
        raw("],")
        key("orderRefs")
        raw("[")
        for (i, r) in orderRefs.enumerated() {
            if i > 0 { raw(",") }
            string(r)
        }
        raw("],")
        key("stated")
        raw("{")
        var first = true
        func stated(_ name: StaticString, _ value: Fixed?) {
            guard let value else { return }
            if !first { raw(",") }
            first = false
            key(name)
            number(value)
        }
        stated("gross", self.stated.gross)
        stated("net", self.stated.net)
        stated("vat", self.stated.vat)
        raw("},")
        key("supplierInvoice")
        string(supplierInvoice)
        raw("}")
        return Data(out)
    }
}

/// JSON string literals, written by hand for the canonical form.
enum CanonicalJSON {
    static func append(_ s: String, to out: inout String) {
        var bytes: [UInt8] = []
        append(s, to: &bytes)
        out += String(decoding: bytes, as: UTF8.self)
    }

    /// The literal as UTF-8: quotes, backslashes and control characters escaped, everything else as it is.
    static func append(_ s: String, to out: inout [UInt8]) {
        out.append(0x22)
        var s = s
        s.withUTF8 { bytes in
            // Runs that need no escape are copied whole.
            var start = 0
            for i in bytes.indices {
                let b = bytes[i]
                guard b < 0x20 || b == 0x22 || b == 0x5C else { continue }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
                start = i + 1
                out.append(0x5C)
                switch b {
                case 0x22, 0x5C: out.append(b)
                case 0x0A: out.append(0x6E)
                case 0x0D: out.append(0x72)
                case 0x09: out.append(0x74)
                default:
                    out.append(0x75)
                    out.append(0x30)
                    out.append(0x30)
                    out.append(0x30 + (b >> 4))
                    out.append(hex(b & 0x0F))
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
        }
        out.append(0x22)
    }

    private static func hex(_ digit: UInt8) -> UInt8 { digit < 10 ? 0x30 + digit : 0x57 + digit }
}

/// SHA-256 as lower-case hex.
package enum SHA256Hex {
    package static func of(_ data: some DataProtocol) -> String {
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        append(SHA256.hash(data: data), to: &hex)
        return String(decoding: hex, as: UTF8.self)
    }

    /// Appends `bytes` as two hex digits each, lower-case unless `uppercase`.
    package static func append(_ bytes: some Sequence<UInt8>, uppercase: Bool = false, to out: inout [UInt8]) {
        let digits = uppercase ? upperDigits : lowerDigits
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
    }

    private static let lowerDigits = Array("0123456789abcdef".utf8)
    private static let upperDigits = Array("0123456789ABCDEF".utf8)
}
