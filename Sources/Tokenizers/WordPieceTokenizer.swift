// WordPiece tokenizer for BERT models: vocab.txt, the basic tokenizer, then greedy
// longest-match-first subwords with "##" continuations (Wu et al. 2016, arXiv:1609.08144;
// google-research/bert `WordpieceTokenizer`), wrapped in [CLS] … [SEP] and truncated.
import Foundation

/// One word-piece of a text, with the input it covers.
public struct WordPieceToken: Sendable, Equatable {
    public let id: Int32
    /// Offsets into `text.unicodeScalars` this piece came from.
    public let scalarRange: Range<Int>
}

/// A BERT WordPiece tokenizer (uncased by default, as all-MiniLM-L6-v2 uses).
public final class WordPieceTokenizer: Sendable {
    /// Longest sequence the MiniLM sentence encoder reads, [CLS] and [SEP] included.
    public static let defaultMaxLength = 256
    /// Words longer than this many characters become [UNK] (BERT's `max_input_chars_per_word`).
    public static let maxCharactersPerWord = 100

    public let basic: BasicTokenizer
    public let clsID: Int32
    public let sepID: Int32
    public let unkID: Int32
    public let padID: Int32
    private let vocabulary: [String: Int32]
    private let tokens: [String]

    /// Loads `vocab.txt` (one token per line; the line number is the id).
    public convenience init(vocabularyURL: URL, basic: BasicTokenizer = BasicTokenizer()) throws {
        let text: String
        do {
            text = try String(contentsOf: vocabularyURL, encoding: .utf8)
        } catch {
            throw TokenizerError.cannotReadVocabulary(path: vocabularyURL.path, reason: error.localizedDescription)
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        if lines.last == "" { lines.removeLast() }
        try self.init(tokens: lines, basic: basic)
    }

    /// Builds a tokenizer from tokens in id order (the first occurrence of a duplicate wins).
    public init(tokens: [String], basic: BasicTokenizer = BasicTokenizer()) throws {
        guard !tokens.isEmpty else { throw TokenizerError.emptyVocabulary }
        var vocabulary: [String: Int32] = [:]
        vocabulary.reserveCapacity(tokens.count)
        for (id, token) in tokens.enumerated() where vocabulary[token] == nil {
            vocabulary[token] = Int32(id)
        }
        func special(_ name: String) throws -> Int32 {
            guard let id = vocabulary[name] else { throw TokenizerError.missingSpecialToken(name) }
            return id
        }
        clsID = try special("[CLS]")
        sepID = try special("[SEP]")
        unkID = try special("[UNK]")
        padID = vocabulary["[PAD]"] ?? 0
        self.vocabulary = vocabulary
        self.tokens = tokens
        self.basic = basic
    }

    /// Number of tokens in the vocabulary.
    public var vocabularySize: Int { tokens.count }

    /// The token text of an id, or nil if out of range.
    public func token(for id: Int32) -> String? {
        tokens.indices.contains(Int(id)) ? tokens[Int(id)] : nil
    }

    /// The id of a token text, or nil.
    public func id(for token: String) -> Int32? { vocabulary[token] }

    /// Model input ids: [CLS] pieces… [SEP], keeping at most `maxLength` ids in all (pieces past
    /// the limit are dropped, as sentence-transformers truncates).
    public func encode(_ text: String, maxLength: Int = WordPieceTokenizer.defaultMaxLength) -> [Int32] {
        precondition(maxLength >= 2, "maxLength must leave room for [CLS] and [SEP]")
        var ids: [Int32] = [clsID]
        ids.reserveCapacity(min(maxLength, text.utf8.count / 2 + 2))
        forEachPiece(of: text, limit: maxLength - 2) { id, _ in ids.append(id) }
        ids.append(sepID)
        return ids
    }

    /// Word-pieces of `text` without [CLS]/[SEP] and without truncation, each with its source span.
    public func tokenize(_ text: String) -> [WordPieceToken] {
        var pieces: [WordPieceToken] = []
        forEachPiece(of: text, limit: .max) { id, range in pieces.append(WordPieceToken(id: id, scalarRange: range)) }
        return pieces
    }

    /// How many word-pieces `text` has (no [CLS]/[SEP], no truncation). Cheaper than `tokenize`.
    public func tokenCount(_ text: String) -> Int {
        var count = 0
        forEachPiece(of: text, limit: .max) { _, _ in count += 1 }
        return count
    }

    /// Character ranges of `tokenize(text)` pieces in the original string.
    public func tokenizeWithRanges(_ text: String) -> [(id: Int32, range: Range<String.Index>)] {
        let pieces = tokenize(text)
        guard !pieces.isEmpty else { return [] }
        var indices = Array(text.unicodeScalars.indices)
        indices.append(text.unicodeScalars.endIndex)
        return pieces.map { ($0.id, indices[$0.scalarRange.lowerBound]..<indices[$0.scalarRange.upperBound]) }
    }

    /// Calls `body` with each piece's id and source scalar range, stopping after `limit` pieces.
    private func forEachPiece(of text: String, limit: Int, _ body: (Int32, Range<Int>) -> Void) {
        let words = basic.words(text)
        var emitted = 0
        var pieces: [(id: Int32, span: Range<Int>)] = []
        for bounds in words.bounds {
            if emitted >= limit { return }
            split(words.scalars, bounds, into: &pieces)
            for piece in pieces {
                if emitted >= limit { return }
                body(piece.id, words.sourceRange(piece.span))
                emitted += 1
            }
        }
    }

    /// Greedy longest-match-first split of one word; the whole word becomes [UNK] if any part fails.
    private func split(_ scalars: [Unicode.Scalar], _ word: Range<Int>, into pieces: inout [(id: Int32, span: Range<Int>)]) {
        pieces.removeAll(keepingCapacity: true)
        guard word.count <= Self.maxCharactersPerWord else {
            pieces.append((unkID, word))
            return
        }
        var start = word.lowerBound
        while start < word.upperBound {
            var end = word.upperBound
            var found: Int32?
            while start < end {
                var candidate = start > word.lowerBound ? "##" : ""
                candidate.unicodeScalars.append(contentsOf: scalars[start..<end])
                if let id = vocabulary[candidate] {
                    found = id
                    break
                }
                end -= 1
            }
            guard let id = found else {
                pieces.removeAll(keepingCapacity: true)
                pieces.append((unkID, word))
                return
            }
            pieces.append((id, start..<end))
            start = end
        }
    }
}
