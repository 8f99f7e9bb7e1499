import Foundation

/// The match keys of a part: two codes are the same part when both keys are equal.
package struct ArticleKey: Sendable, Hashable, Comparable, Codable {
    package var brand: String
    package var number: String

    package init(brand: String, number: String) {
        self.brand = brand
        self.number = number
    }

    package static func < (a: ArticleKey, b: ArticleKey) -> Bool {
        (a.brand, a.number) < (b.brand, b.number)
    }

    /// Cyrillic letters that look like Latin ones, folded before anything else is removed.
    private static let lookAlikes: [Character: Character] = [
        "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C", "Т": "T",
        "Х": "X", "І": "I",
    ]

    /// NFKC, upper case, Cyrillic look-alikes folded to Latin, then only `A–Z 0–9` kept.
    package static func searchNumber(_ article: String) -> String {
        if article.utf8.allSatisfy({ $0 < 0x80 }) {
            // The common case, ASCII: NFKC and case folding reduce to a byte filter.
            var bytes: [UInt8] = []
            bytes.reserveCapacity(article.utf8.count)
            for b in article.utf8 {
                if b >= 97 && b <= 122 {
                    bytes.append(b - 32)
                } else if (b >= 65 && b <= 90) || (b >= 48 && b <= 57) {
                    bytes.append(b)
                }
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        var out = ""
        out.reserveCapacity(article.utf8.count)
        for c in article.precomposedStringWithCompatibilityMapping.uppercased() {
            let folded = lookAlikes[c] ?? c
            if let a = folded.asciiValue, (a >= 65 && a <= 90) || (a >= 48 && a <= 57) { out.append(folded) }
        }
        return out
    }

    /// Upper case, accents removed, spaces `-` `&` `.` removed; aliases are applied by `Brands`.
    package static func brandBase(_ brand: String) -> String {
        if brand.utf8.allSatisfy({ $0 < 0x80 }) {
            // ASCII: no accents to remove; upper-case and drop the separators byte by byte.
            var bytes: [UInt8] = []
            bytes.reserveCapacity(brand.utf8.count)
            for b in brand.utf8 {
                switch b {
                case 0x20, 0x09, 0x0A, 0x0D, 0x2D, 0x26, 0x2E: continue
                case 0x61...0x7A: bytes.append(b - 32)
                default: bytes.append(b)
                }
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        let stripped = brand.uppercased().folding(options: [.diacriticInsensitive], locale: nil)
        return String(stripped.filter { !($0.isWhitespace || $0 == "-" || $0 == "&" || $0 == ".") })
    }
}

/// The brand alias table of `mappings/brands.yaml`: base key → canonical key.
package struct Brands: Sendable, Hashable {
    package var aliases: [String: String]

    package init(aliases: [String: String] = [:]) {
        var table: [String: String] = [:]
        for (from, to) in aliases { table[ArticleKey.brandBase(from)] = ArticleKey.brandBase(to) }
        self.aliases = table
    }

    /// The brand key: the base form, then its alias where the table has one.
    package func key(_ brand: String) -> String {
        let base = ArticleKey.brandBase(brand)
        return aliases[base] ?? base
    }

    package func articleKey(brand: String, article: String) -> ArticleKey {
        ArticleKey(brand: key(brand), number: ArticleKey.searchNumber(article))
    }
}
