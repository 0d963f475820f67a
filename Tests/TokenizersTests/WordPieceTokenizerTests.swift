// WordPiece + BERT basic tokenizer: hand-worked cases on a toy vocabulary, and the real
// all-MiniLM-L6-v2 vocabulary against golden ids from BertTokenizerFast (scripts/goldens/minilm_reference.py).
import Foundation
import Testing
import ModelFiles
@testable import Tokenizers

@Suite struct WordPieceTokenizerTests {
    static let toyTokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "un", "##aff", "##able", "aff", "able",
                            "hello", ",", "world", "!", "cafe", "中", "文", "##s", "a"]

    func toy() throws -> WordPieceTokenizer { try WordPieceTokenizer(tokens: Self.toyTokens) }

    @Test func greedyLongestMatchWithContinuations() throws {
        let tokenizer = try toy()
        #expect(tokenizer.encode("unaffable") == [2, 4, 5, 6, 3])
        #expect(tokenizer.encode("Hello, WORLD!") == [2, 9, 10, 11, 12, 3])
    }

    @Test func unmatchableWordBecomesOneUnknown() throws {
        let tokenizer = try toy()
        // "unaffablez": "un ##aff ##able" then "z" has no continuation: the whole word is [UNK].
        #expect(tokenizer.encode("unaffablez hello") == [2, 1, 9, 3])
    }

    @Test func wordsOverOneHundredCharactersAreUnknown() throws {
        let tokenizer = try toy()
        #expect(tokenizer.encode(String(repeating: "a", count: 101)) == [2, 1, 3])
        #expect(tokenizer.tokenCount(String(repeating: "a", count: 100)) == 1)  // "a" then "##a"… fails → [UNK]
    }

    @Test func accentsCJKAndControlCharacters() throws {
        let tokenizer = try toy()
        #expect(tokenizer.encode("Café\u{0007}中文") == [2, 13, 14, 15, 3])
        #expect(tokenizer.encode("") == [2, 3])
        #expect(tokenizer.encode(" \t\n ") == [2, 3])
    }

    @Test func truncationKeepsClsAndSep() throws {
        let tokenizer = try toy()
        let text = Array(repeating: "hello", count: 300).joined(separator: " ")
        let ids = tokenizer.encode(text)
        #expect(ids.count == 256)
        #expect(ids.first == tokenizer.clsID && ids.last == tokenizer.sepID)
        #expect(tokenizer.encode(text, maxLength: 5) == [2, 9, 9, 9, 3])
        #expect(tokenizer.tokenCount(text) == 300)
    }

    @Test func piecesMapBackToTheInput() throws {
        let tokenizer = try toy()
        let text = "Ünaffable, café!"
        let pieces = tokenizer.tokenizeWithRanges(text)
        #expect(pieces.map(\.id) == [4, 5, 6, 10, 13, 12])
        #expect(pieces.map { String(text[$0.range]) } == ["Ün", "aff", "able", ",", "café", "!"])
    }

    @Test func missingSpecialTokensAreReported() {
        #expect(throws: TokenizerError.missingSpecialToken("[CLS]")) {
            try WordPieceTokenizer(tokens: ["[PAD]", "[UNK]", "[SEP]", "a"])
        }
        #expect(throws: TokenizerError.emptyVocabulary) { try WordPieceTokenizer(tokens: []) }
    }

    // MARK: - Real vocabulary against the reference tokenizer

    struct GoldenCase: Decodable {
        let text: String
        let ids: [Int32]
        let untruncated_count: Int
    }

    struct GoldenFile: Decodable { let cases: [GoldenCase] }

    @Test func matchesReferenceTokenizerOnGoldenTable() throws {
        let vocab = ModelCache().embedderDirectory.appendingPathComponent("vocab.txt")
        guard FileManager.default.fileExists(atPath: vocab.path) else {
            print("skipping: \(vocab.path) is absent (run `make models`)")
            return
        }
        let tokenizer = try WordPieceTokenizer(vocabularyURL: vocab)
        #expect(tokenizer.vocabularySize == 30522)
        let url = try #require(Bundle.module.resourceURL).appendingPathComponent("Fixtures/wordpiece_cases.json")
        let golden = try JSONDecoder().decode(GoldenFile.self, from: Data(contentsOf: url))
        #expect(golden.cases.count >= 40)
        for item in golden.cases {
            #expect(tokenizer.encode(item.text) == item.ids, "text: \(item.text.debugDescription)")
            #expect(tokenizer.tokenCount(item.text) == item.untruncated_count, "text: \(item.text.debugDescription)")
        }
    }
}
