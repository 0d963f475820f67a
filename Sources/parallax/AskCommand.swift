// `parallax ask QUESTION`: one question, answered by each arm in turn, with the hits it read.
import ArgumentParser
import Foundation
import Indexing
import Inference

extension ArmKind: ExpressibleByArgument {}
extension AnswerFormat: ExpressibleByArgument {}

struct AskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask",
        abstract: "Answer a question with retrieval (RAG) and with the fine-tuned adapter, side by side.",
        discussion: "Arms: base (model alone), rag (model + retrieved passages), ft (model + adapter), ftrag (adapter + passages).")

    @Argument(help: "The question.")
    var question: String

    @OptionGroup var options: ArmOptions

    @Option(help: "Arms to run, comma-separated (default: rag, plus ft when --adapter is given).")
    var arms: String?

    @Option(help: "Ask for this output format: none, json or xml.")
    var format: AnswerFormat = .none

    @Flag(help: "Print one JSON object with the hits and every arm's answer and timings.")
    var json = false

    func run() async throws {
        try await reportingErrors {
            let armList = try ArmKind.parseList(arms ?? (options.adapter == nil ? "rag" : "rag,ft"))
            let context = try ArmsContext.load(options, needsRetrieval: armList.contains { $0.usesRetrieval },
                                               needsAdapter: armList.contains { $0.usesAdapter })
            let hits = try context.searcher?.search(question, mode: options.mode, topK: options.topK) ?? []
            let passages = hits.map(PromptPassage.init(hit:))
            if !json {
                if !hits.isEmpty { print("Hits (\(options.mode.rawValue), top \(options.topK)):") }
                for (i, p) in passages.enumerated() { print("  [\(i + 1)] \(p.source)") }
            }
            var records: [[String: Any]] = []
            for arm in armList {
                if !json { print("\n── \(arm.title) " + String(repeating: "─", count: max(0, 60 - arm.title.count))) }
                let stream = try context.arms.stream(question: question, arm: arm, format: format, passages: passages,
                                                     adapter: context.adapter, settings: options.settings)
                var text = ""
                var stats = GenerationStats()
                for await event in stream {
                    switch event {
                    case .token(_, let piece):
                        text += piece
                        if !json { print(piece, terminator: ""); fflush(nil) }
                    case .finished(let s):
                        stats = s
                    }
                }
                if !json {
                    print(String(format: "\n(%d prompt tokens, %d generated, first token %.2f s, %.1f tok/s)",
                                 stats.promptTokens, stats.generatedTokens, stats.timeToFirstToken, stats.decodeTokensPerSecond))
                }
                records.append(["arm": arm.rawValue, "text": text.trimmingCharacters(in: .whitespacesAndNewlines),
                                "prompt_tokens": stats.promptTokens, "tokens": stats.generatedTokens,
                                "ttft_s": stats.timeToFirstToken, "decode_tokens_per_s": stats.decodeTokensPerSecond])
            }
            if json {
                let hitRecords = hits.enumerated().map { i, h in
                    ["n": i + 1, "doc": h.documentKey, "heading": h.headingPath, "chunk_id": h.chunkID, "score": h.score,
                     "bm25_rank": h.bm25Rank as Any, "dense_rank": h.denseRank as Any] as [String: Any]
                }
                let object: [String: Any] = ["question": question, "hits": hitRecords, "arms": records]
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
                print(String(decoding: data, as: UTF8.self))
            }
        }
    }
}
