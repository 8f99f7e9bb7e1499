/// The reverse mapping: a catalog brand + article in a supplier's own code (`supplier-feeds.md` §8–9).
package enum SupplierCodes {
    /// What answered, or why nothing could.
    package enum Answer: Equatable, Sendable {
        case code(String, source: String)
        case missing(String)
    }

    /// Looks the part up in the mapping's cross-reference rows first, then by its rule (a brand prefix followed
    /// by the search number). Matching is by brand key and search number, never the number alone.
    package static func code(brand: String, article: String, mapping: Mapping) -> Answer {
        let key = mapping.brands.articleKey(brand: brand, article: article)
        guard !key.number.isEmpty else { return .missing("the article '\(article)' has no letters or digits") }
        for row in mapping.crossReference
        where mapping.brands.articleKey(brand: row.brand, article: row.article) == key {
            return .code(row.supplierCode, source: "cross-reference")
        }
        if let prefix = mapping.codePrefixes[key.brand] {
            return .code(prefix + key.number, source: "rule: brand prefix + search number")
        }
        var missing: [String] = []
        if !mapping.crossReference.isEmpty || mapping.codePrefixes.isEmpty {
            missing.append("no cross-reference row for \(key.brand) \(key.number)")
        }
        if !mapping.codePrefixes.isEmpty { missing.append("no code prefix for the brand \(key.brand)") }
        missing.append("import a price feed or add the part to the mapping's cross-reference CSV")
        return .missing(missing.joined(separator: "; "))
    }
}
