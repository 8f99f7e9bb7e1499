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
    /// `JSONDecoder` reads it back through the synthesized `Codable`.
    package func canonicalJSON() -> Data {
        // Written as bytes: every document received is serialised, a year's worth at a time.
        var out: [UInt8] = [0x7B]
        out.reserveCapacity(256 + lines.count * 320)
        func raw(_ s: String) { out += s.utf8 }
        func key(_ k: String) {
            out.append(0x22)
            out += k.utf8
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
        raw("\"\(invoiceDate.description)\",")
        key("kind")
        raw("\"\(kind.rawValue)\",")
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
            raw(String(l.line))
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
        for (name, value) in [("gross", stated.gross), ("net", stated.net), ("vat", stated.vat)] {
            guard let value else { continue }
            if !first { raw(",") }
            first = false
            key(name)
            number(value)
        }
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
        for b in s.utf8 {
            switch b {
            case 0x22: out += [0x5C, 0x22]
            case 0x5C: out += [0x5C, 0x5C]
            case 0x0A: out += [0x5C, 0x6E]
            case 0x0D: out += [0x5C, 0x72]
            case 0x09: out += [0x5C, 0x74]
            case 0..<0x20: out += [0x5C, 0x75, 0x30, 0x30, 0x30 + (b >> 4), hex(b & 0x0F)]
            default: out.append(b)
            }
        }
        out.append(0x22)
    }

    private static func hex(_ digit: UInt8) -> UInt8 { digit < 10 ? 0x30 + digit : 0x57 + digit }
}

/// SHA-256 as lower-case hex.
package enum SHA256Hex {
    package static func of(_ data: Data) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: data) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }
}
