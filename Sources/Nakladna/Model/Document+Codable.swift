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
        var out = "{"
        func key(_ k: String) { out += "\"\(k)\":" }
        func string(_ s: String) { CanonicalJSON.append(s, to: &out) }
        func number(_ x: Fixed) { out += "\"\(x.description)\"" }
        func totals(_ t: Totals) {
            out +=
                "{\"gross\":\"\(t.gross.description)\",\"net\":\"\(t.net.description)\",\"vat\":\"\(t.vat.description)\"}"
        }
        key("adjustments")
        out += "["
        for (i, a) in adjustments.enumerated() {
            out += i == 0 ? "{" : ",{"
            key("amounts")
            totals(a.amounts)
            out += ","
            key("reason")
            string(a.reason)
            out += ","
            key("vatRate")
            number(a.vatRate)
            out += "}"
        }
        out += "],"
        key("currency")
        string(currency)
        if let customerId {
            out += ","
            key("customerId")
            string(customerId)
        }
        out += ","
        key("invoiceDate")
        out += "\"\(invoiceDate.description)\","
        key("kind")
        out += "\"\(kind.rawValue)\","
        key("lines")
        out += "["
        for (i, l) in lines.enumerated() {
            out += i == 0 ? "{" : ",{"
            key("amounts")
            totals(l.amounts)
            out += ","
            key("article")
            string(l.article)
            out += ","
            key("brand")
            string(l.brand)
            out += ","
            key("line")
            out += "\(l.line),"
            key("name")
            string(l.name)
            out += ","
            key("quantity")
            number(l.quantity)
            out += ","
            key("supplierCode")
            string(l.supplierCode)
            out += ","
            key("unitPriceGross")
            number(l.unitPriceGross)
            out += ","
            key("vatRate")
            number(l.vatRate)
            out += "}"
        }
        out += "],"
        key("orderRefs")
        out += "["
        for (i, r) in orderRefs.enumerated() {
            if i > 0 { out += "," }
            string(r)
        }
        out += "],"
        key("stated")
        out += "{"
        var first = true
        for (name, value) in [("gross", stated.gross), ("net", stated.net), ("vat", stated.vat)] {
            guard let value else { continue }
            if !first { out += "," }
            first = false
            key(name)
            number(value)
        }
        out += "},"
        key("supplierInvoice")
        string(supplierInvoice)
        out += "}"
        return Data(out.utf8)
    }
}

/// JSON string literals, written by hand for the canonical form.
enum CanonicalJSON {
    static func append(_ s: String, to out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
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
