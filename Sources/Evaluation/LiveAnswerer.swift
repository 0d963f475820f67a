// The answerer behind `parallax eval`: the real retriever, the default model and an adapter.
import Foundation
import Indexing
import Inference
import Models

public final class LiveAnswerer: QAAnswerer {
    public let arms: AnswerArms
    public let searcher: HybridSearcher?
    public let adapter: LoRAWeights?
    public let settings: ArmSettings
    public let mode: SearchMode

    public init(arms: AnswerArms, searcher: HybridSearcher?, adapter: LoRAWeights?, settings: ArmSettings,
                mode: SearchMode = .hybrid) {
        self.arms = arms
        self.searcher = searcher
        self.adapter = adapter
        self.settings = settings
        self.mode = mode
    }

    public func retrieve(_ question: String, topK: Int) async throws -> [PromptPassage] {
        guard let searcher else { return [] }
        return try searcher.search(question, mode: mode, topK: topK).map(PromptPassage.init(hit:))
    }

    public func answer(_ item: QAItem, arm: ArmKind, format: AnswerFormat, passages: [PromptPassage]) async throws -> ArmAnswer {
        let result = try await arms.answer(question: item.question, arm: arm, format: format, passages: passages,
                                           adapter: adapter, settings: settings)
        return ArmAnswer(text: result.text, passages: arm.usesRetrieval ? passages.map(\.text) : [],
                         promptTokens: result.stats.promptTokens, generatedTokens: result.stats.generatedTokens,
                         timeToFirstToken: result.stats.timeToFirstToken, seconds: result.seconds,
                         cpuSeconds: result.cpuSeconds)
    }
}

extension PromptPassage {
    /// A search hit as the model is shown it: "document › heading path".
    public init(hit: SearchHit) {
        self.init(document: hit.documentKey, headingPath: hit.headingPath, text: hit.text)
    }
}
