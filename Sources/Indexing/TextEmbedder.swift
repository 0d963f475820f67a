// The two things indexing needs from a language model: sentence vectors and token counts.
import Foundation

/// Turns texts into fixed-size, L2-normalised sentence vectors.
public protocol TextEmbedder: Sendable {
    /// A stable name of the model and its settings; stored in the index, a different one forces a re-embed.
    var modelID: String { get }
    /// Length of each vector.
    var dimension: Int { get }
    /// One unit-length vector of `dimension` floats per text, in order.
    func embed(_ texts: [String]) throws -> [[Float]]
}

/// Counts the model tokens of a piece of text, so chunks fit the embedder's budget.
public protocol TokenCounter: Sendable {
    /// Number of tokens `text` costs (no special tokens).
    func tokenCount(_ text: Substring) -> Int
}

/// A model-free token counter that approximates BERT WordPiece: each run of letters or digits
/// costs one token per started 6 characters, each other visible character one token.
public struct ApproximateTokenCounter: TokenCounter {
    public init() {}

    public func tokenCount(_ text: Substring) -> Int {
        var count = 0
        var run = 0
        for scalar in text.unicodeScalars {
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                run += 1
            } else {
                if run > 0 { count += (run + 5) / 6; run = 0 }
                if !scalar.properties.isWhitespace { count += 1 }
            }
        }
        if run > 0 { count += (run + 5) / 6 }
        return count
    }
}
