// libFuzzer target: the WordPiece tokenizer of MiniLM (BERT basic tokenizer + greedy longest match):
// ids are in the vocabulary, pieces map back to ordered spans of the input, truncation is respected.
import Foundation
import FuzzSupport
import ModelFiles
import Tokenizers

let tokenizer: WordPieceTokenizer = {
    let url = Fuzz.models.embedderDirectory.appendingPathComponent("vocab.txt")
    guard FileManager.default.fileExists(atPath: url.path) else { Fuzz.skip("no vocabulary at \(url.path); run `make models`") }
    do { return try WordPieceTokenizer(vocabularyURL: url) } catch { Fuzz.skip("cannot load the vocabulary: \(error)") }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWordPiece(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let text = Fuzz.text(start, count) else { return 0 }
    let pieces = tokenizer.tokenize(text)
    let scalarCount = text.unicodeScalars.count
    var previousEnd = 0
    for piece in pieces {
        Fuzz.require(tokenizer.token(for: piece.id) != nil, "id \(piece.id) is not in the vocabulary")
        Fuzz.require(piece.scalarRange.lowerBound >= previousEnd && piece.scalarRange.upperBound <= scalarCount,
                     "piece span \(piece.scalarRange) out of order or past \(scalarCount) scalars")
        previousEnd = piece.scalarRange.lowerBound
    }
    Fuzz.require(tokenizer.tokenCount(text) == pieces.count, "tokenCount disagrees with tokenize")
    let ranged = tokenizer.tokenizeWithRanges(text)
    Fuzz.require(ranged.map(\.id) == pieces.map(\.id), "tokenizeWithRanges ids differ")
    for (_, range) in ranged {
        Fuzz.require(range.lowerBound >= text.startIndex && range.upperBound <= text.endIndex, "a piece range outside the text")
    }
    let ids = tokenizer.encode(text, maxLength: 32)
    Fuzz.require(ids.count <= 32 && ids.first == tokenizer.clsID && ids.last == tokenizer.sepID,
                 "encode(maxLength: 32) gave \(ids.count) ids without [CLS]…[SEP]")
    Fuzz.require(Array(ids.dropFirst().dropLast()) == Array(pieces.prefix(30).map(\.id)), "truncated ids are not a prefix")
    return 0
}

/// The entry point SwiftPM links as `main`: libFuzzer's driver.
@_cdecl("FuzzWordPiece_main")
public func fuzzWordPieceMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    // Load the vocabulary before fuzzing starts, so it does not count against the first input's timeout.
    _ = tokenizer
    return Fuzz.runDriver(argc, argv)
}
