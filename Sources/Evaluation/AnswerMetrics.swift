// Answer metrics that need no judge model: SQuAD-style normalised exact match and token F1
// (Rajpurkar et al. 2016, the official evaluation script's normalisation), gold containment,
// and citation support.

/// Normalises an answer for comparison: lower-case, punctuation dropped, the articles
/// "a", "an", "the" dropped, whitespace collapsed.
public func normalizeAnswer(_ text: String) -> String {
    let lowered = text.lowercased()
    var cleaned = String.UnicodeScalarView()
    for scalar in lowered.unicodeScalars {
        if scalar.properties.generalCategory.isPunctuation || scalar.properties.generalCategory.isSymbol {
            cleaned.append(" ")
        } else {
            cleaned.append(scalar)
        }
    }
    let articles: Set<Substring> = ["a", "an", "the"]
    return String(cleaned).split(whereSeparator: { $0.isWhitespace })
        .filter { !articles.contains($0) }
        .joined(separator: " ")
}

extension Unicode.GeneralCategory {
    var isPunctuation: Bool {
        switch self {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation: true
        default: false
        }
    }
    var isSymbol: Bool {
        switch self {
        case .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol: true
        default: false
        }
    }
}

public enum AnswerMetrics {
    /// 1 when the normalised prediction equals a normalised gold answer.
    public static func exactMatch(_ prediction: String, golds: [String]) -> Double {
        let p = normalizeAnswer(prediction)
        return golds.contains { normalizeAnswer($0) == p } ? 1 : 0
    }

    /// The best token-overlap F1 over the gold answers.
    public static func f1(_ prediction: String, golds: [String]) -> Double {
        golds.map { f1(prediction, gold: $0) }.max() ?? 0
    }

    static func f1(_ prediction: String, gold: String) -> Double {
        let p = normalizeAnswer(prediction).split(separator: " ")
        let g = normalizeAnswer(gold).split(separator: " ")
        if p.isEmpty || g.isEmpty { return p.isEmpty && g.isEmpty ? 1 : 0 }
        var counts: [Substring: Int] = [:]
        for t in g { counts[t, default: 0] += 1 }
        var common = 0
        for t in p where (counts[t] ?? 0) > 0 {
            counts[t]! -= 1
            common += 1
        }
        if common == 0 { return 0 }
        let precision = Double(common) / Double(p.count)
        let recall = Double(common) / Double(g.count)
        return 2 * precision * recall / (precision + recall)
    }

    /// 1 when some gold answer appears in the prediction, as whole normalised tokens.
    public static func goldContained(_ prediction: String, golds: [String]) -> Double {
        golds.contains { contains(prediction, gold: $0) } ? 1 : 0
    }

    /// Whether `text` contains `gold` as a run of whole normalised tokens ("42 days" is in
    /// "it is 42 days.", "4" is not in "42").
    public static func contains(_ text: String, gold: String) -> Bool {
        let g = normalizeAnswer(gold)
        guard !g.isEmpty else { return false }
        return " \(normalizeAnswer(text)) ".contains(" \(g) ")
    }

    /// Passage numbers cited as [n] (also [n, m] and [n][m]) in an answer, in order, without repeats.
    public static func citations(in answer: String) -> [Int] {
        var found: [Int] = []
        var inside = false
        var number = ""
        func flush() {
            if let n = Int(number), !found.contains(n) { found.append(n) }
            number = ""
        }
        for ch in answer {
            if ch == "[" { inside = true; number = "" }
            else if ch == "]" { if inside { flush() }; inside = false }
            else if inside {
                if ch.isASCII && ch.isNumber { number.append(ch) }
                else if ch == "," || ch == " " { flush() }
                else { inside = false; number = "" }
            }
        }
        return found
    }

    /// 1 when a passage the answer cites contains a gold string, 0 when none does, nil when
    /// the answer cites nothing (so uncited answers are not counted as unsupported citations).
    public static func citationSupport(answer: String, passages: [String], golds: [String]) -> Double? {
        let cited = citations(in: answer).filter { $0 >= 1 && $0 <= passages.count }
        if cited.isEmpty { return nil }
        return cited.contains { n in golds.contains { contains(passages[n - 1], gold: $0) } } ? 1 : 0
    }

    /// 1 when any of the retrieved passages contains a gold string.
    public static func retrievalHit(passages: [String], golds: [String]) -> Double {
        passages.contains { p in golds.contains { contains(p, gold: $0) } } ? 1 : 0
    }
}
