// `parallax eval format`: format compliance of the base model and of an adapter on held-out prompts.
import ArgumentParser
import Evaluation
import Foundation
import Inference

struct EvalFormatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "format",
        abstract: "Format compliance on held-out chat prompts: base, base told the format, and the adapter.")

    @Option(help: "Held-out chat JSONL (e.g. samples/datasets/json-answers/test.jsonl).")
    var data: String

    @Option(help: "The format to check: json or xml.")
    var format: AnswerFormat

    @OptionGroup var options: ArmOptions

    @Option(help: "Only the first N examples.")
    var limit: Int?

    @Flag(help: "Print the results as one JSON object.")
    var json = false

    func validate() throws {
        guard format != .none else { throw ValidationError("--format must be json or xml") }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    func run() async throws {
        try await reportingErrors {
            let url = URL(fileURLWithPath: data)
            let contents: Data
            do { contents = try Data(contentsOf: url) } catch { throw CLIError("cannot read \(data): \(error.localizedDescription)") }
            var prompts = try FormatEvaluation.prompts(fromChatJSONL: contents, path: data)
            if let limit { prompts = Array(prompts.prefix(limit)) }
            let context = try ArmsContext.load(options, needsRetrieval: false, needsAdapter: false)
            let variants: [FormatEvaluation.Variant] = context.adapter == nil ? [.base, .instructedBase] : [.base, .instructedBase, .adapter]
            let evaluation = FormatEvaluation(generator: context.arms.generator, format: format, adapter: context.adapter,
                                              maxTokens: max(options.maxTokens, format == .xml ? 480 : 160))
            let quiet = json
            let start = Date()
            let outcomes = try await evaluation.run(prompts, variants: variants) { done, total in
                if !quiet && (done % 10 == 0 || done == total) {
                    FileHandle.standardError.write(Data("  \(done)/\(total) answers\n".utf8))
                }
            }
            let summaries = FormatEvaluation.summaries(outcomes)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                struct Output: Encodable { let data: String; let format: String; let adapter: String?; let seconds: Double
                    let summaries: [FormatEvaluation.Summary]; let outcomes: [FormatEvaluation.Outcome] }
                print(String(decoding: try encoder.encode(Output(data: data, format: format.rawValue, adapter: options.adapter,
                    seconds: Date().timeIntervalSince(start), summaries: summaries, outcomes: outcomes)), as: UTF8.self))
            } else {
                print("Format compliance (\(format.rawValue)) on \(prompts.count) held-out prompts of \(data):")
                for s in summaries {
                    print(String(format: "  %-17@ %5.1f%%  (%.0f tokens per answer)", s.variant.rawValue, s.compliance * 100, s.meanGeneratedTokens))
                }
                if let bad = outcomes.first(where: { $0.variant == .adapter && !$0.compliant }) {
                    print("  first adapter violation (example \(bad.example + 1)): \(bad.violation ?? "?")")
                }
            }
        }
    }
}
