// Query terms for highlighting in the Preview pane: lower-cased words minus stop words.

/// Splits text into words and picks the ones worth highlighting.
public enum QueryTerms {
    static let stopWords: Set<String> = ["the", "a", "an", "is", "are", "was", "of", "for", "to", "in", "on", "and",
        "or", "what", "how", "do", "does", "i", "my", "we", "our", "it", "at", "be", "by", "with", "which", "who",
        "when", "where", "can", "should", "there", "this", "that", "as", "from", "if", "you", "your"]

    /// Lower-cased runs of letters and digits.
    public static func words(in text: String) -> [String] {
        var words: [String] = []
        var current = ""
        for character in text.lowercased() {
            if character.isLetter || character.isNumber { current.append(character) } else if !current.isEmpty {
                words.append(current); current = ""
            }
        }
        if !current.isEmpty { words.append(current) }
        return words
    }

    /// The distinct terms of `query` to highlight (stop words and one-letter words dropped), in order.
    public static func extract(from query: String) -> [String] {
        var seen = Set<String>()
        return words(in: query).filter { $0.count > 1 && !stopWords.contains($0) && seen.insert($0).inserted }
    }

    /// Character offsets ranges in `text` of words that start with one of `terms` (case-insensitive).
    public static func matches(in text: String, terms: [String]) -> [Range<Int>] {
        guard !terms.isEmpty else { return [] }
        var ranges: [Range<Int>] = []
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            guard characters[index].isLetter || characters[index].isNumber else { index += 1; continue }
            var end = index
            while end < characters.count, characters[end].isLetter || characters[end].isNumber { end += 1 }
            let word = String(characters[index..<end]).lowercased()
            if terms.contains(where: { word.hasPrefix($0) }) { ranges.append(index..<end) }
            index = end
        }
        return ranges
    }
}
