// Runs the answer arms on one shared model: builds each arm's prompt, adds the adapter when
// the arm uses one, and streams the answer with its costs.
import Foundation
import Models
import Tokenizers
#if canImport(Glibc)
import Glibc
#endif

/// Settings shared by every arm of a comparison.
public struct ArmSettings: Sendable, Equatable {
    public var maxTokens: Int
    public var sampler: SamplerSettings
    /// Run-time scale of the adapter's delta, 0...1.
    public var adapterScale: Float

    public init(maxTokens: Int = 160, sampler: SamplerSettings = .greedy, adapterScale: Float = 1) {
        self.maxTokens = maxTokens
        self.sampler = sampler
        self.adapterScale = adapterScale
    }
}

/// One arm's finished answer with what it cost.
public struct ArmResult: Sendable {
    public var arm: ArmKind
    public var text: String
    public var stats: GenerationStats
    public var seconds: Double
    /// CPU time of the whole process while the arm ran (all threads).
    public var cpuSeconds: Double
}

public enum ArmError: Error, CustomStringConvertible, Equatable {
    case adapterRequired(ArmKind)

    public var description: String {
        switch self {
        case .adapterRequired(let arm):
            "the \(arm.title) arm needs a LoRA adapter: train one (`parallax train`) or pick one with --adapter NAME"
        }
    }
}

public final class AnswerArms: Sendable {
    public let generator: Generator

    public init(generator: Generator) { self.generator = generator }

    /// The prompt token ids and display text of an arm.
    public func prompt(question: String, arm: ArmKind, format: AnswerFormat, passages: [PromptPassage]) -> RenderedChat {
        let messages = RAGPrompt.messages(question: question, passages: arm.usesRetrieval ? passages : [],
                                          format: format, instructFormat: !arm.usesAdapter)
        return generator.template.render(messages, addGenerationPrompt: true)
    }

    /// The generation request of an arm.
    public func request(question: String, arm: ArmKind, format: AnswerFormat, passages: [PromptPassage],
                        adapter: LoRAWeights?, settings: ArmSettings) throws -> GenerationRequest {
        if arm.usesAdapter, adapter == nil { throw ArmError.adapterRequired(arm) }
        let chat = prompt(question: question, arm: arm, format: format, passages: passages)
        return GenerationRequest(promptTokens: chat.ids, maxTokens: settings.maxTokens, sampler: settings.sampler,
                                 adapter: arm.usesAdapter ? adapter : nil, adapterStrength: settings.adapterScale)
    }

    /// Streams an arm's tokens (for panes that show them as they come).
    public func stream(question: String, arm: ArmKind, format: AnswerFormat, passages: [PromptPassage],
                       adapter: LoRAWeights?, settings: ArmSettings) throws -> AsyncStream<GenerationEvent> {
        generator.stream(try request(question: question, arm: arm, format: format, passages: passages,
                                     adapter: adapter, settings: settings))
    }

    /// Runs an arm to the end and measures it.
    public func answer(question: String, arm: ArmKind, format: AnswerFormat, passages: [PromptPassage],
                       adapter: LoRAWeights?, settings: ArmSettings) async throws -> ArmResult {
        let request = try request(question: question, arm: arm, format: format, passages: passages,
                                  adapter: adapter, settings: settings)
        let cpuStart = ProcessCPU.seconds()
        let start = Date()
        let result = await generator.generate(request)
        try Task.checkCancellation()
        return ArmResult(arm: arm, text: result.text.trimmingCharacters(in: .whitespacesAndNewlines), stats: result.stats,
                         seconds: Date().timeIntervalSince(start), cpuSeconds: ProcessCPU.seconds() - cpuStart)
    }
}

/// CPU time used by this process so far (user + system, all threads).
public enum ProcessCPU {
    public static func seconds() -> Double {
        #if canImport(Glibc)
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        #else
        return 0
        #endif
    }
}
