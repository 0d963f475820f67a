// Cuts document text into token-budgeted, overlapping chunks that prefer paragraph, then
// sentence boundaries, and remember their heading path and exact character span.
import Foundation

/// One piece of a document, the unit of retrieval.
public struct Chunk: Sendable, Equatable {
    /// `Title > Section > Subsection` as a list, outermost first (may be empty).
    public var headingPath: [String]
    /// The exact text: `document.unicodeScalars[span]`.
    public var text: String
    /// Offsets into the item's text, counted in Unicode scalars (what Python's `str` indexes by).
    public var span: Range<Int>
    /// Tokens of `text` according to the chunker's `TokenCounter`.
    public var tokenCount: Int

    public init(headingPath: [String], text: String, span: Range<Int>, tokenCount: Int) {
        self.headingPath = headingPath
        self.text = text
        self.span = span
        self.tokenCount = tokenCount
    }

    /// The heading path joined with " > ".
    public var headingLine: String { headingPath.joined(separator: " > ") }
}

/// Chunking settings and the chunker itself.
public struct Chunker: Sendable {
    /// Most tokens in a chunk.
    public var maxTokens: Int
    /// Tokens repeated from the end of one chunk at the start of the next (same section only).
    public var overlapTokens: Int
    public var counter: any TokenCounter

    public static let defaultMaxTokens = 200
    public static let defaultOverlapTokens = 40

    /// Throws `IndexingError.invalidSetting` unless 8 ≤ maxTokens ≤ 510 and 0 ≤ overlap < maxTokens / 2.
    public init(maxTokens: Int = Chunker.defaultMaxTokens, overlapTokens: Int = Chunker.defaultOverlapTokens,
                counter: any TokenCounter = ApproximateTokenCounter()) throws {
        guard (8...510).contains(maxTokens) else {
            throw IndexingError.invalidSetting(name: "chunk size", value: "\(maxTokens)", reason: "use 8 to 510 tokens")
        }
        guard overlapTokens >= 0, overlapTokens * 2 <= maxTokens else {
            throw IndexingError.invalidSetting(name: "overlap", value: "\(overlapTokens)",
                                               reason: "use 0 to half the chunk size (\(maxTokens / 2))")
        }
        self.maxTokens = maxTokens
        self.overlapTokens = overlapTokens
        self.counter = counter
    }

    /// A word (or a piece of an over-long word) with what precedes it.
    struct Atom {
        var range: Range<Int>
        var tokens: Int
        /// A blank line separates it from the previous atom.
        var startsParagraph: Bool
        /// The previous atom ended a sentence (or a line that starts a list item follows).
        var startsSentence: Bool
    }

    /// Chunks of one item, in reading order.
    public func chunks(of item: SourceItem) -> [Chunk] {
        let scalars = Array(item.text.unicodeScalars)
        var result: [Chunk] = []
        var cache: [Substring: Int] = [:]
        for section in SectionSplitter.sections(of: scalars, format: item.format, title: item.title) {
            let atoms = atoms(of: section, in: scalars, cache: &cache)
            for range in pack(atoms) {
                let span = atoms[range.lowerBound].range.lowerBound..<atoms[range.upperBound - 1].range.upperBound
                let tokens = atoms[range].reduce(0) { $0 + $1.tokens }
                result.append(Chunk(headingPath: section.headingPath,
                                    text: String(String.UnicodeScalarView(scalars[span])),
                                    span: span, tokenCount: tokens))
            }
        }
        return result
    }

    func atoms(of section: TextSection, in scalars: [Unicode.Scalar], cache: inout [Substring: Int]) -> [Atom] {
        var atoms: [Atom] = []
        var blankSinceLastAtom = true
        var sentenceEnded = true
        for line in section.lines {
            var i = line.lowerBound
            var firstInLine = true
            var lineHasWords = false
            while i < line.upperBound {
                while i < line.upperBound, scalars[i].properties.isWhitespace { i += 1 }
                guard i < line.upperBound else { break }
                var j = i
                while j < line.upperBound, !scalars[j].properties.isWhitespace { j += 1 }
                let word = Substring(String(String.UnicodeScalarView(scalars[i..<j])))
                let listStart = firstInLine && Self.isListMarker(word)
                for (k, piece) in split(word: word, at: i, cache: &cache).enumerated() {
                    atoms.append(Atom(range: piece.range, tokens: piece.tokens,
                                      startsParagraph: k == 0 && blankSinceLastAtom && !atoms.isEmpty,
                                      startsSentence: k == 0 && (sentenceEnded || listStart || blankSinceLastAtom)))
                }
                sentenceEnded = Self.endsSentence(word)
                blankSinceLastAtom = false
                firstInLine = false
                lineHasWords = true
                i = j
            }
            if !lineHasWords { blankSinceLastAtom = true }
        }
        return atoms
    }

    /// A word's token count, split into pieces of at most `maxTokens` if it is longer.
    private func split(word: Substring, at offset: Int, cache: inout [Substring: Int]) -> [(range: Range<Int>, tokens: Int)] {
        let tokens = count(word, cache: &cache)
        if tokens <= maxTokens { return [(offset..<(offset + word.unicodeScalars.count), tokens)] }
        let scalars = Array(word.unicodeScalars)
        let half = scalars.count / 2
        guard half > 0 else { return [(offset..<(offset + scalars.count), min(tokens, maxTokens))] }
        let left = Substring(String(String.UnicodeScalarView(scalars[..<half])))
        let right = Substring(String(String.UnicodeScalarView(scalars[half...])))
        return split(word: left, at: offset, cache: &cache) + split(word: right, at: offset + half, cache: &cache)
    }

    private func count(_ word: Substring, cache: inout [Substring: Int]) -> Int {
        if let known = cache[word] { return known }
        let tokens = max(1, counter.tokenCount(word))
        cache[word] = tokens
        return tokens
    }

    /// Greedy packing: fill up to the budget, then cut at the last paragraph boundary (if the
    /// chunk is at least half full), else the last sentence boundary, else at a word.
    func pack(_ atoms: [Atom]) -> [Range<Int>] {
        guard !atoms.isEmpty else { return [] }
        var prefix = [0]  // prefix[i] = tokens of atoms[0..<i]
        prefix.reserveCapacity(atoms.count + 1)
        for atom in atoms { prefix.append(prefix[prefix.count - 1] + atom.tokens) }
        func tokens(_ a: Int, _ b: Int) -> Int { prefix[b] - prefix[a] }

        var ranges: [Range<Int>] = []
        var start = 0
        while start < atoms.count {
            var end = start + 1
            while end < atoms.count, tokens(start, end + 1) <= maxTokens { end += 1 }
            if end == atoms.count {
                ranges.append(start..<end)
                break
            }
            let cut = chooseCut(atoms, start: start, limit: end, tokens: tokens)
            ranges.append(start..<cut)
            start = nextStart(atoms, previousStart: start, cut: cut, tokens: tokens)
        }
        return ranges
    }

    private func chooseCut(_ atoms: [Atom], start: Int, limit: Int, tokens: (Int, Int) -> Int) -> Int {
        let half = maxTokens / 2
        let quarter = maxTokens / 4
        var paragraph: Int?
        var sentence: Int?
        var anyBoundary: Int?
        var c = limit
        while c > start {
            let filled = tokens(start, c)
            if c < atoms.count {
                let atom = atoms[c]
                if paragraph == nil, atom.startsParagraph, filled >= half { paragraph = c }
                if sentence == nil, atom.startsSentence, filled >= half { sentence = c }
                if anyBoundary == nil, atom.startsSentence || atom.startsParagraph, filled >= quarter { anyBoundary = c }
            }
            if filled < quarter { break }
            c -= 1
        }
        return paragraph ?? sentence ?? anyBoundary ?? limit
    }

    /// Where the next chunk starts: back from `cut` by at most `overlapTokens`, at a sentence
    /// start when one is in reach, always after `previousStart`, always leaving room for new text.
    private func nextStart(_ atoms: [Atom], previousStart: Int, cut: Int, tokens: (Int, Int) -> Int) -> Int {
        guard overlapTokens > 0 else { return cut }
        var earliest = cut
        while earliest - 1 > previousStart, tokens(earliest - 1, cut) <= overlapTokens { earliest -= 1 }
        var start = earliest
        if let sentenceStart = (earliest..<cut).first(where: { atoms[$0].startsSentence }) { start = sentenceStart }
        while start < cut, tokens(start, cut + 1) > maxTokens { start += 1 }
        return start
    }

    static func endsSentence(_ word: Substring) -> Bool {
        var scalars = word.unicodeScalars[...]
        while let last = scalars.last, "\"')]}’”»*_".unicodeScalars.contains(last) { scalars = scalars.dropLast() }
        guard let last = scalars.last else { return false }
        return last == "." || last == "!" || last == "?" || last == ":" || last == "。" || last == "！" || last == "？"
    }

    static func isListMarker(_ word: Substring) -> Bool {
        if word == "-" || word == "*" || word == "+" || word == "•" || word == "|" { return true }
        if word.hasSuffix(".") || word.hasSuffix(")") { return word.dropLast().allSatisfy(\.isNumber) && word.count > 1 }
        return false
    }
}
