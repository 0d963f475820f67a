// Turns arbitrary user text into a safe FTS5 MATCH expression: every term is a quoted string,
// terms are OR-ed, so quotes, `*`, `-`, `NEAR`, `:` and parentheses can never be syntax.
// FTS5 query syntax: https://sqlite.org/fts5.html §3.

/// Builds FTS5 queries from user text.
public enum FTSQuery {
    /// Most terms kept from one query.
    public static let maxTerms = 64

    /// The terms the unicode61 tokenizer would see: runs of letters, digits and marks, lower-cased,
    /// de-duplicated, in order.
    public static func terms(_ text: String) -> [String] {
        var terms: [String] = []
        var seen: Set<String> = []
        var current = String.UnicodeScalarView()
        func flush() {
            guard !current.isEmpty else { return }
            let term = String(current).lowercased()
            current = String.UnicodeScalarView()
            if seen.insert(term).inserted, terms.count < maxTerms { terms.append(term) }
        }
        for scalar in text.unicodeScalars {
            let properties = scalar.properties
            if properties.isAlphabetic || properties.numericType != nil || properties.generalCategory == .nonspacingMark
                || properties.generalCategory == .spacingMark {
                current.append(scalar)
            } else {
                flush()
            }
        }
        flush()
        return terms
    }

    /// `"term1" OR "term2" …`, or "" when the text has no terms (then BM25 returns nothing).
    public static func matchExpression(_ text: String) -> String {
        terms(text).map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: " OR ")
    }
}
