import Foundation
import Testing

@testable import Nakladna

/// The canonical form's string literals: the content hash of every document is taken over them.
@Suite struct CanonicalJSONTests {
    static func literal(_ s: String) -> String {
        var out: [UInt8] = []
        CanonicalJSON.append(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Quotes, backslashes and control characters are escaped (the short forms where JSON has them, `\u00XX`
    /// otherwise); everything else, Cyrillic included, is written as it is.
    @Test func escapesExactlyWhatJSONRequires() {
        #expect(Self.literal("") == #""""#)
        #expect(Self.literal("Фільтр масляний") == #""Фільтр масляний""#)
        #expect(Self.literal(#"a"b\c"#) == #""a\"b\\c""#)
        #expect(Self.literal("1\n2\r3\t4") == #""1\n2\r3\t4""#)
        #expect(Self.literal("\u{0}\u{1F}x\u{7F}") == #""\u0000\u001fx"# + "\u{7F}\"")
        #expect(Self.literal("\"\"") == #""\"\"""#)
    }

    /// Whatever the text, a JSON parser reads the literal back as that text.
    @Test(arguments: [
        "plain", "РН-0000068", "\"quoted\" at both ends\"", "\\\\", "tab\tand\nnew line", "\u{1}\u{2}\u{3}",
        "emoji 🚗 and ґ", String(repeating: "довгий рядок ", count: 50) + "\"",
    ])
    func parsesBackToTheText(_ text: String) throws {
        let parsed = try JSONSerialization.jsonObject(
            with: Data(Self.literal(text).utf8), options: [.fragmentsAllowed])
        #expect(parsed as? String == text)
    }
}
