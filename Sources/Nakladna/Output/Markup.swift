/// Text inside markup, for the report (HTML) and the workbook (SpreadsheetML) alike.
enum Markup {
    /// Appends `s` with `& < > " '` as entities, and without the control characters XML 1.0 cannot hold (a
    /// supplier's text may carry them; a page or a sheet has no use for them). Tab and line breaks stay.
    static func appendEscaped(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { appendEscaped(utf8: $0, to: &out) }
    }

    /// The same for text given as its UTF-8 bytes.
    static func appendEscaped(utf8 bytes: [UInt8], to out: inout [UInt8]) {
        bytes.withUnsafeBufferPointer { appendEscaped(utf8: $0, to: &out) }
    }

    /// The same for text given as its UTF-8 bytes, read in place: a year's page escapes millions of texts.
    static func appendEscaped(utf8 bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        // Most text has nothing to escape or leave out, and goes in whole.
        guard
            bytes.contains(where: { $0 < 0x20 || $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 })
        else {
            out += bytes
            return
        }
        for b in bytes {
            switch b {
            case 0x26: out += "&amp;".utf8
            case 0x3C: out += "&lt;".utf8
            case 0x3E: out += "&gt;".utf8
            case 0x22: out += "&quot;".utf8
            case 0x27: out += "&#39;".utf8
            case 0x09, 0x0A, 0x0D: out.append(b)
            case 0x00..<0x20: continue
            default: out.append(b)
            }
        }
    }
}
