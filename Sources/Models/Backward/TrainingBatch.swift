// One micro-batch as the training model consumes it: tokens, shifted targets and segment starts.

/// A micro-batch of B rows of T tokens. Packed rows hold several examples: each token records where
/// its example starts in the row, so attention never crosses examples and RoPE positions restart.
public struct TrainingBatch: Sendable, Equatable {
    public let batchSize: Int
    public let seqLen: Int
    /// (B, T) token ids.
    public var tokens: [Int32]
    /// (B, T) the token to predict at each position, or -1 where no loss is taken.
    public var targets: [Int32]
    /// (B, T) index within the row where the token's example starts (0 for unpacked rows).
    public var segmentStarts: [Int32]

    public init(batchSize: Int, seqLen: Int, tokens: [Int32], targets: [Int32], segmentStarts: [Int32]? = nil) {
        precondition(tokens.count == batchSize * seqLen && targets.count == tokens.count, "batch shape mismatch")
        self.batchSize = batchSize
        self.seqLen = seqLen
        self.tokens = tokens
        self.targets = targets
        self.segmentStarts = segmentStarts ?? Array(repeating: 0, count: tokens.count)
        precondition(self.segmentStarts.count == tokens.count, "batch shape mismatch")
    }

    /// Number of positions that carry a loss.
    public var targetCount: Int { targets.reduce(0) { $0 + ($1 >= 0 ? 1 : 0) } }

    /// (B, T) RoPE positions: the distance from the token's segment start.
    var positions: [Int32] {
        (0..<tokens.count).map { Int32($0 % seqLen) - segmentStarts[$0] }
    }
}
