// Shared body of the document-loader harnesses: load bytes as one file kind, then chunk what loaded,
// as the indexer does, checking the chunker's promises.
import Foundation
import FuzzSupport
import Indexing

/// Loads fuzzer bytes as a file of one kind and chunks the result.
public enum LoaderHarness {
    /// Small chunks so short inputs still exercise packing and overlap.
    static let chunkers: [Chunker] = {
        do {
            return [try Chunker(maxTokens: 8, overlapTokens: 4), try Chunker(maxTokens: 24, overlapTokens: 0), try Chunker()]
        } catch { Fuzz.skip("chunker settings rejected: \(error)") }
    }()

    /// Runs the loader for `ext` (lower-cased, no dot) on `bytes` and chunks every item.
    public static func run(_ bytes: [UInt8], extension ext: String) {
        let loader = DocumentLoader(maxBytes: 1 << 20)
        chunk(loader.load(data: Data(bytes), extension: ext))
    }

    /// Chunks every loaded item, checking each chunk is the exact span of the item it claims.
    public static func chunk(_ outcome: LoadOutcome) {
        guard case .loaded(let items) = outcome else { return }
        for item in items {
            let scalars = Array(item.text.unicodeScalars)
            // The first chunker follows every item; the larger ones only short ones, to keep runs fast.
            for chunker in chunkers.prefix(scalars.count < 4096 ? 3 : 1) {
                var previousStart = 0
                for chunk in chunker.chunks(of: item) {
                    let span = chunk.span
                    Fuzz.require(span.lowerBound >= 0 && span.upperBound <= scalars.count && !span.isEmpty,
                                 "chunk span \(span) outside 0..<\(scalars.count)")
                    Fuzz.require(span.lowerBound >= previousStart, "chunks out of reading order")
                    previousStart = span.lowerBound
                    Fuzz.require(chunk.text.unicodeScalars.elementsEqual(scalars[span]), "chunk text is not its span")
                    Fuzz.require(chunk.tokenCount <= chunker.maxTokens,
                                 "chunk of \(chunk.tokenCount) tokens over the limit \(chunker.maxTokens)")
                }
            }
        }
    }
}
