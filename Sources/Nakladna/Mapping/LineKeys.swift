import Foundation

/// The article key of a document line: from its brand and article, or, where it has none, from the mapping's
/// cross-reference by its supplier code.
package enum LineKeys {
    package static func key(of line: DocumentLine, mapping: Mapping) -> ArticleKey {
        if !line.article.isEmpty { return mapping.brands.articleKey(brand: line.brand, article: line.article) }
        if let row = mapping.crossReferenceByCode[line.supplierCode] {
            return mapping.brands.articleKey(brand: row.brand, article: row.article)
        }
        return ArticleKey(brand: mapping.brands.key(line.brand), number: "")
    }
}
