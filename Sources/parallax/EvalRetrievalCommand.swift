// `parallax eval retrieval --beir DIR`: index a BEIR folder and score BM25, dense and hybrid
// search with nDCG@10, Recall@10, Recall@100 and MRR@10.
import ArgumentParser
import Foundation
import Indexing

struct EvalRetrievalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retrieval",
        abstract: "Score retrieval on a BEIR folder (corpus.jsonl, queries.jsonl, qrels/test.tsv or qrels.tsv).")

    enum ModeChoice: String, ExpressibleByArgument, CaseIterable {
        case hybrid, bm25, dense, all
    }

    @Option(help: "BEIR dataset folder.")
    var beir: String

    @Option(help: "hybrid, bm25, dense or all.")
    var mode: ModeChoice = .all

    @Option(help: "Workspace for the corpus index (default: a temporary folder, removed afterwards).")
    var workspace: String?

    @Option(name: .customLong("chunk-tokens"), help: "Most word-piece tokens per chunk.")
    var chunkTokens = Chunker.defaultMaxTokens

    @Option(help: "Tokens shared by consecutive chunks.")
    var overlap = Chunker.defaultOverlapTokens

    @Flag(help: "Print the scores as JSON.")
    var json = false

    func run() throws {
        let folder = URL(fileURLWithPath: beir)
        let corpus = folder.appendingPathComponent("corpus.jsonl")
        let queriesURL = folder.appendingPathComponent("queries.jsonl")
        let qrelsURL = ["qrels/test.tsv", "qrels.tsv", "qrels/dev.tsv"].map { folder.appendingPathComponent($0) }
            .first { FileManager.default.fileExists(atPath: $0.path) }
        let temporary = workspace == nil
        let space = Workspace(directory: workspace.map { URL(fileURLWithPath: $0) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("parallax-beir-\(UUID().uuidString)"))
        defer { if temporary { try? FileManager.default.removeItem(at: space.directory) } }

        let scores: [RetrievalScores] = try IndexingCLI.run {
            for required in [corpus, queriesURL] where !FileManager.default.fileExists(atPath: required.path) {
                throw IndexingError.badBEIR(path: folder.path, reason: "\(required.lastPathComponent) is missing")
            }
            guard let qrelsURL else { throw IndexingError.badBEIR(path: folder.path, reason: "no qrels/test.tsv or qrels.tsv") }
            let queries = try BEIRCorpusReader.queries(at: queriesURL)
            let qrels = try BEIRCorpusReader.qrels(at: qrelsURL)
            let modes: [SearchMode] = mode == .all ? [.bm25, .dense, .hybrid] : [SearchMode(rawValue: mode.rawValue) ?? .hybrid]

            let embedder = try MiniLMEmbedder()
            let chunker = try Chunker(maxTokens: chunkTokens, overlapTokens: overlap, counter: embedder)
            let indexer = Indexer(workspace: space, embedder: embedder, chunker: chunker)
            let display = IndexProgressDisplay(interactive: isatty(STDERR_FILENO) != 0 && !json)
            let summary = try indexer.run(paths: [corpus]) { event in
                display.show(event)
                return .proceed
            }
            display.finish()
            if !json {
                print("Indexed \(summary.totalChunks) chunks from \(corpus.path) in \(String(format: "%.1f", summary.seconds)) s; "
                      + "\(qrels.count) judged queries (\(qrelsURL.lastPathComponent))")
            }
            let searcher = try HybridSearcher(workspace: space, embedder: embedder)
            return try modes.map { try RetrievalEvaluator.evaluate(searcher: searcher, mode: $0, queries: queries, qrels: qrels) }
        }

        if json {
            try IndexingCLI.printJSON(["beir": folder.path, "scores": scores.map { score in
                ["mode": score.mode, "queries": score.queries, "ndcg@10": score.ndcgAt10, "recall@10": score.recallAt10,
                 "recall@100": score.recallAt100, "mrr@10": score.mrrAt10, "mean_latency_ms": score.meanLatencyMs] as [String: Any]
            }])
            return
        }
        print("mode      queries  nDCG@10  Recall@10  Recall@100  MRR@10  ms/query")
        for score in scores {
            print(score.mode.padding(toLength: 9, withPad: " ", startingAt: 0)
                  + String(format: " %7d  %7.4f  %9.4f  %10.4f  %6.4f  %8.2f", score.queries, score.ndcgAt10, score.recallAt10,
                           score.recallAt100, score.mrrAt10, score.meanLatencyMs))
        }
    }
}
