// What a generation stream reports: each token as it is produced, then one summary.

/// Why generation ended.
public enum StopReason: Sendable, Equatable, Codable {
    /// The model produced an end-of-turn token (`<|im_end|>`, EOS).
    case endOfTurn
    case maxTokens
    case cancelled
    /// The model's context length was reached.
    case contextFull
    case failed(String)
}

/// Timings and counts of one generation.
public struct GenerationStats: Sendable, Equatable, Codable {
    public var promptTokens = 0
    public var generatedTokens = 0
    /// Seconds spent in the batched prompt pass.
    public var prefillSeconds = 0.0
    /// Seconds spent decoding tokens after the first one.
    public var decodeSeconds = 0.0
    /// Seconds from the start of the request to the first generated token.
    public var timeToFirstToken = 0.0
    public var stopReason: StopReason = .maxTokens

    public init() {}

    public var prefillTokensPerSecond: Double { prefillSeconds > 0 ? Double(promptTokens) / prefillSeconds : 0 }
    /// Tokens decoded per second after the first (which comes from the prompt pass).
    public var decodeTokensPerSecond: Double {
        decodeSeconds > 0 ? Double(max(0, generatedTokens - 1)) / decodeSeconds : 0
    }
}

/// One event of a generation stream.
public enum GenerationEvent: Sendable, Equatable {
    /// A generated token and the text it completed (may be empty while a multi-byte character
    /// is still incomplete). Stop tokens are not reported. A last event with id −1 may carry
    /// bytes no token completed (an unfinished character at the end, shown as U+FFFD).
    case token(id: Int, text: String)
    /// The last event: counts, timings and why generation stopped.
    case finished(GenerationStats)
}

/// Everything one generation produced, for callers that do not stream.
public struct GenerationResult: Sendable, Equatable {
    public var text: String
    public var tokens: [Int]
    public var stats: GenerationStats
}
