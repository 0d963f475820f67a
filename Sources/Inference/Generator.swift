// Streaming text generation over a shared LlamaModel: prompt pass, sampling loop, stop tokens,
// cancellation, and timings, reported through an AsyncStream of events.
import Foundation
import Models
import Synchronization
import Tokenizers

/// One generation to run.
public struct GenerationRequest: Sendable {
    /// The prompt as token ids (for chat, from `Generator.chatPrompt`).
    public var promptTokens: [Int]
    public var maxTokens: Int
    public var sampler: SamplerSettings
    /// Tokens that end the answer (not reported); nil uses the chat template's
    /// (`<|im_end|>`, EOS, `<|endoftext|>`).
    public var stopTokens: Set<Int>?
    /// A LoRA adapter added at run time, and its strength in 0...1.
    public var adapter: LoRAWeights?
    public var adapterStrength: Float

    public init(promptTokens: [Int], maxTokens: Int = 256, sampler: SamplerSettings = .greedy,
                stopTokens: Set<Int>? = nil, adapter: LoRAWeights? = nil, adapterStrength: Float = 1) {
        self.promptTokens = promptTokens
        self.maxTokens = maxTokens
        self.sampler = sampler
        self.stopTokens = stopTokens
        self.adapter = adapter
        self.adapterStrength = adapterStrength
    }
}

/// Generates text with one loaded model. The model and tokenizer are shared and immutable;
/// every request gets its own session (KV cache), so several streams may run one after another
/// or at the same time (they then share the worker pool).
public final class Generator: Sendable {
    public let model: LlamaModel
    public let tokenizer: BPETokenizer
    public let template: ChatTemplate

    /// Uses the tokenizer and chat template stored in the model's GGUF file.
    public init(model: LlamaModel) throws(InferenceError) {
        self.model = model
        do {
            tokenizer = try BPETokenizer(gguf: model.file)
            template = try ChatTemplate(tokenizer: tokenizer)
        } catch {
            throw .tokenizer(error.description)
        }
    }

    /// Loads the model at `url` (a llama-architecture GGUF) with its tokenizer.
    public convenience init(url: URL) throws(InferenceError) {
        let model: LlamaModel
        do { model = try LlamaModel(url: url) } catch let error as LlamaError { throw .model(error) } catch {
            throw .other("\(error)")
        }
        try self.init(model: model)
    }

    /// ChatML prompt ids for one user turn; `system` nil uses the template's default.
    public func chatPrompt(user: String, system: String? = nil) -> [Int] {
        template.prompt(user: user, systemPrompt: system).ids
    }

    /// Streams the tokens of `request`, then a `.finished` event. Cancelling the consuming task
    /// (or dropping the stream) stops generation after the current token.
    public func stream(_ request: GenerationRequest) -> AsyncStream<GenerationEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: GenerationEvent.self, bufferingPolicy: .unbounded)
        let flag = CancellationFlag()
        continuation.onTermination = { _ in flag.cancel() }
        // Generation is blocking numeric work: it runs on its own thread, not on the
        // cooperative pool, so a UI's tasks stay responsive.
        let thread = Thread { [self] in
            let stats = run(request, isCancelled: { flag.isCancelled }) { continuation.yield($0) }
            continuation.yield(.finished(stats))
            continuation.finish()
        }
        thread.stackSize = 1 << 22
        thread.start()
        return stream
    }

    /// Runs `request` to the end and returns the whole answer.
    public func generate(_ request: GenerationRequest) async -> GenerationResult {
        var result = GenerationResult(text: "", tokens: [], stats: GenerationStats())
        for await event in stream(request) {
            switch event {
            case .token(let id, let text):
                result.tokens.append(id)
                result.text += text
            case .finished(let stats):
                result.stats = stats
            }
        }
        return result
    }

    /// The generation loop, on the calling thread. `emit` receives each token event.
    public func run(_ request: GenerationRequest, isCancelled: () -> Bool,
                    emit: (GenerationEvent) -> Void) -> GenerationStats {
        var stats = GenerationStats()
        stats.promptTokens = request.promptTokens.count
        let start = monotonicSeconds()
        do {
            try request.sampler.validate()
            guard !request.promptTokens.isEmpty else { throw InferenceError.emptyPrompt }
            guard request.maxTokens >= 0 else {
                throw InferenceError.invalidSetting(name: "max tokens", value: "\(request.maxTokens)", expected: "0 or more")
            }
        } catch {
            stats.stopReason = .failed((error as? InferenceError)?.description ?? "\(error)")
            return stats
        }
        let stopTokens = request.stopTokens ?? template.stopTokenIDs
        let context = model.config.contextLength
        let session = model.makeSession(capacity: min(context, request.promptTokens.count + request.maxTokens + 1))
        var sampler = Sampler(settings: request.sampler)
        var decoder = StreamingDecoder(tokenizer: tokenizer)
        do {
            try session.setAdapter(request.adapter, strength: request.adapterStrength)
            if isCancelled() { stats.stopReason = .cancelled; return stats }
            var logits = try session.prefill(request.promptTokens)
            session.releasePrefillScratch()   // concurrent arms keep only their KV caches
            let prefillEnd = monotonicSeconds()
            stats.prefillSeconds = prefillEnd - start
            var lastTokenTime = prefillEnd
            stats.stopReason = .maxTokens
            while stats.generatedTokens < request.maxTokens {
                if isCancelled() { stats.stopReason = .cancelled; break }
                let token = sampler.sample(logits)
                if stopTokens.contains(token) { stats.stopReason = .endOfTurn; break }
                stats.generatedTokens += 1
                let now = monotonicSeconds()
                if stats.generatedTokens == 1 { stats.timeToFirstToken = now - start } else {
                    stats.decodeSeconds += now - lastTokenTime
                }
                emit(.token(id: token, text: decoder.append(token)))
                guard stats.generatedTokens < request.maxTokens else { break }
                guard session.count < context else { stats.stopReason = .contextFull; break }
                lastTokenTime = monotonicSeconds()
                logits = try session.decode(token)
            }
        } catch let error as LlamaError {
            stats.stopReason = .failed(error.description)
        } catch {
            stats.stopReason = .failed("\(error)")
        }
        let tail = decoder.finish()
        if !tail.isEmpty { emit(.token(id: -1, text: tail)) }
        return stats
    }
}

/// Set once when the consumer goes away; read by the generation thread between tokens.
final class CancellationFlag: Sendable {
    private let value = Atomic<Bool>(false)
    func cancel() { value.store(true, ordering: .releasing) }
    var isCancelled: Bool { value.load(ordering: .acquiring) }
}

/// Seconds on a monotonic clock.
func monotonicSeconds() -> Double {
    Double(DispatchTime.now().uptimeNanoseconds) / 1e9
}
