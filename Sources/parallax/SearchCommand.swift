// `parallax search QUERY`: hybrid (BM25 + MiniLM, RRF), BM25 or dense search over a workspace index.
import ArgumentParser
import Foundation
import Indexing

extension SearchMode: ExpressibleByArgument {}

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search the index; each hit shows its fused score, BM25 rank and dense rank.")

    @Argument(help: "The query text.")
    var query: String

    @Option(help: "Workspace folder (default: ./.parallax).")
    var workspace: String?

    @Option(help: "hybrid, bm25 or dense.")
    var mode: SearchMode = .hybrid

    @Option(name: .customLong("top-k"), help: "Number of hits.")
    var topK = 10

    @Flag(help: "Print {\"hits\": [...]} as JSON.")
    var json = false

    func validate() throws {
        guard (1...1000).contains(topK) else { throw ValidationError("--top-k must be between 1 and 1000") }
    }

    func run() throws {
        let space = workspace.map { Workspace(directory: URL(fileURLWithPath: $0)) } ?? Workspace.current()
        let clock = ContinuousClock()
        let start = clock.now
        let (hits, openTime) = try IndexingCLI.run {
            let store = try space.openIndex()
            let embedder = try IndexingCLI.embedder(required: mode != .bm25)
            let searcher = try HybridSearcher(store: store, embedder: mode == .bm25 ? nil : embedder)
            let opened = clock.now
            return (try searcher.search(query, mode: mode, topK: topK), opened - start)
        }
        let total = clock.now - start
        if json {
            try IndexingCLI.printJSON(["query": query, "mode": mode.rawValue, "hits": hits.map(Self.json),
                                       "seconds": Self.seconds(total), "open_seconds": Self.seconds(openTime)])
            return
        }
        if hits.isEmpty { print("No hits for \"\(query)\" (\(mode.rawValue)).") }
        for (number, hit) in hits.enumerated() {
            var where_ = hit.document
            if let item = hit.itemID { where_ += "#\(item)" }
            if !hit.headingPath.isEmpty { where_ += " › \(hit.headingPath)" }
            let bm25 = hit.bm25Rank.map { "bm25 #\($0) (\(String(format: "%.2f", hit.bm25Score ?? 0)))" } ?? "bm25 –"
            let dense = hit.denseRank.map { "dense #\($0) (\(String(format: "%.3f", hit.cosine ?? 0)))" } ?? "dense –"
            print("\(number + 1). \(where_)")
            print("   score \(String(format: "%.4f", hit.score))  \(bm25)  \(dense)  chunk \(hit.chunkID) chars \(hit.span.lowerBound)–\(hit.span.upperBound)")
            let flat = hit.text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            print("   " + (flat.count > 240 ? flat.prefix(240) + "…" : flat))
        }
    }

    static func json(_ hit: SearchHit) -> [String: Any] {
        ["doc": hit.document, "chunk_id": hit.chunkID, "score": hit.score,
         "bm25_rank": hit.bm25Rank ?? NSNull(), "dense_rank": hit.denseRank ?? NSNull(),
         "bm25_score": hit.bm25Score ?? NSNull(), "cosine": hit.cosine.map { Double($0) } ?? NSNull(),
         "text": hit.text, "span": [hit.span.lowerBound, hit.span.upperBound], "heading": hit.headingPath,
         "item_id": hit.itemID ?? NSNull()]
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
