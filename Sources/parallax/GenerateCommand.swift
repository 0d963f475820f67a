// `parallax generate`: stream an answer from the local model for one prompt.
import ArgumentParser
import Foundation
import Inference
import ModelFiles

struct GenerateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Answer one prompt with the local model, streaming the text.",
        discussion: "The prompt is wrapped in the model's ChatML template. With --json, one JSON object is printed at the end.")

    @Option(help: "The user message.")
    var prompt: String

    @Option(help: "The system message (default: the model's own default system prompt).")
    var system: String?

    @Option(name: .customLong("max-tokens"), help: "Most tokens to generate.")
    var maxTokens = 256

    @Option(help: "Sampling temperature; 0 picks the most likely token every time.")
    var temperature: Float = 0

    @Option(help: "Seed of the sampler's random generator (same seed, same text).")
    var seed: UInt64 = 0

    @Option(name: .customLong("top-k"), help: "Keep only the K most likely tokens (0 = all).")
    var topK = 0

    @Option(name: .customLong("top-p"), help: "Keep the most likely tokens covering this probability (1 = all).")
    var topP: Float = 1

    @Option(help: "A llama-architecture GGUF file (default: the cached SmolLM2-135M-Instruct).")
    var model: String?

    @Flag(help: "Print one JSON object {text, tokens, prompt_tokens, prefill_tokens_per_s, decode_tokens_per_s}.")
    var json = false

    func validate() throws {
        guard maxTokens >= 1 else { throw ValidationError("--max-tokens must be at least 1") }
        do { try SamplerSettings(temperature: temperature, topK: topK, topP: topP, seed: seed).validate() } catch {
            throw ValidationError(error.description)
        }
        guard !prompt.isEmpty else { throw ValidationError("--prompt must not be empty") }
    }

    func run() async throws {
        let url = model.map { URL(fileURLWithPath: $0) } ?? ModelCache().generatorURL
        guard FileManager.default.fileExists(atPath: url.path) else {
            FileHandle.standardError.write(Data("error: no model at \(url.path); run `make models` or pass --model PATH\n".utf8))
            throw ExitCode(1)
        }
        let generator: Generator
        do { generator = try Generator(url: url) } catch {
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            throw ExitCode(1)
        }
        let request = GenerationRequest(
            promptTokens: generator.chatPrompt(user: prompt, system: system), maxTokens: maxTokens,
            sampler: SamplerSettings(temperature: temperature, topK: topK, topP: topP, seed: seed))
        var text = ""
        var tokens: [Int] = []
        var stats = GenerationStats()
        for await event in generator.stream(request) {
            switch event {
            case .token(let id, let piece):
                if id >= 0 { tokens.append(id) }
                text += piece
                if !json { FileHandle.standardOutput.write(Data(piece.utf8)) }
            case .finished(let final):
                stats = final
            }
        }
        if case .failed(let why) = stats.stopReason {
            FileHandle.standardError.write(Data("\nerror: \(why)\n".utf8))
            throw ExitCode(1)
        }
        if json {
            let object: [String: Any] = [
                "text": text, "tokens": tokens, "prompt_tokens": stats.promptTokens,
                "prefill_tokens_per_s": stats.prefillTokensPerSecond, "decode_tokens_per_s": stats.decodeTokensPerSecond,
                "time_to_first_token_s": stats.timeToFirstToken, "stop_reason": "\(stats.stopReason)",
            ]
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print()
            FileHandle.standardError.write(Data(String(
                format: "[%d prompt tokens, %.0f tok/s prefill; %d tokens, %.1f tok/s decode; first token after %.3f s]\n",
                stats.promptTokens, stats.prefillTokensPerSecond, stats.generatedTokens, stats.decodeTokensPerSecond,
                stats.timeToFirstToken).utf8))
        }
    }
}
