/// The reverse mapping: a catalog brand + article in a supplier's own code.
package enum SupplierCodes {
    /// What answered, or why nothing could.
    package enum Answer: Equatable, Sendable {
        case code(String, source: String)
        case missing(String)
    }

    /// Looks the part up in the supplier's imported price feed first (`imported`: the row its offer rests on),
    /// then in the mapping's cross-reference rows, then by its rule (a brand prefix followed by the search number).
    /// Matching is by brand key and search number, never the number alone.
    package static func code(
        brand: String, article: String, mapping: Mapping, imported: StoredOffer? = nil
    ) -> Answer {
        let key = mapping.brands.articleKey(brand: brand, article: article)
        guard !key.number.isEmpty else { return .missing("the article '\(article)' has no letters or digits") }
        if let row = imported {
            return .code(row.code, source: "price feed of \(row.asOf)")
        }
        if let row = mapping.crossReference.first(where: {
            mapping.brands.articleKey(brand: $0.brand, article: $0.article) == key
        }) {
            return .code(row.supplierCode, source: "cross-reference")
        }
        if let prefix = mapping.codePrefixes[key.brand] {
            return .code(prefix + key.number, source: "rule: brand prefix + search number")
        }
        var missing: [String] = []
        if !mapping.prices.isEmpty { missing.append("no imported price feed lists \(key.brand) \(key.number)") }
        if !mapping.crossReference.isEmpty || mapping.codePrefixes.isEmpty {
            missing.append("no cross-reference row for \(key.brand) \(key.number)")
        }
        if !mapping.codePrefixes.isEmpty { missing.append("no code prefix for the brand \(key.brand)") }
        missing.append("import a price feed or add the part to the mapping's cross-reference CSV")
        return .missing(missing.joined(separator: "; "))
    }
}
