/// Text inside markup, for the report (HTML) and the workbook (SpreadsheetML) alike.
enum Markup {
    /// Appends `s` with `& < > " '` as entities, and without the control characters XML 1.0 cannot hold (a
    /// supplier's text may carry them; a page or a sheet has no use for them). Tab and line breaks stay.
    static func appendEscaped(_ s: String, to out: inout [UInt8]) {
        // Most text has nothing to escape or leave out, and goes in whole.
        guard
            s.utf8.contains(where: { $0 < 0x20 || $0 == 0x26 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x27 })
        else {
            out += s.utf8
            return
        }
        for b in s.utf8 {
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
