// `parallax bench embed`: MiniLM embedding throughput and query latency, beside the
// sentence-transformers peer (/work/shared/peers/bench_minilm.py) run in the same invocation.
import ArgumentParser
import Foundation
import Kernels
import ModelFiles
import Models

struct BenchEmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Embedding throughput (passages, batch 32) and 12-word query latency, beside sentence-transformers.")

    @Option(help: "Repetitions of each measurement.") var runs = 3
    @Option(help: "Synthetic passages to embed.") var passages = 1000
    @Option(help: "Words per passage.") var words = 200
    @Option(help: "Texts per forward pass.") var batch = 32
    @Option(help: "Query embeddings timed per run (the median is reported).") var queries = 100
    @Option(help: "OpenBLAS threads.") var threads = 2
    @Option(help: "Model folder (default: the cache's all-MiniLM-L6-v2).") var model: String?
    @Option(help: "Python that runs the peer; \"none\" skips it.") var peerPython = "/tmp/peers/venv/bin/python"
    @Option(help: "The peer benchmark script.") var peerScript = "/work/shared/peers/bench_minilm.py"
    @Flag(help: "Print one JSON object.") var json = false

    func run() throws {
        BLAS.threads = threads
        let loadBefore = MemoryUsage.loadAverage()
        let directory = model.map { URL(fileURLWithPath: $0) } ?? ModelCache().embedderDirectory
        var start = Date()
        let embedder = try SentenceEmbedder(directory: directory, batchSize: batch)
        let loadSeconds = Date().timeIntervalSince(start)

        let texts = (0..<passages).map { EmbedBenchCorpus.syntheticText(words: words, seed: UInt32(1000 + $0)) }
        start = Date()
        let tokensFed = texts.reduce(0) { $0 + embedder.tokenizer.encode($1).count }
        let tokenizeSeconds = Date().timeIntervalSince(start)
        let tokensUntruncated = texts.reduce(0) { $0 + embedder.tokenizer.tokenCount($1) + 2 }
        let query = "how does the national research council measure energy use in city water systems"
            .split(separator: " ").prefix(12).joined(separator: " ")
        let queryTokens = embedder.tokenizer.encode(query).count

        _ = try embedder.embed(Array(texts.prefix(64)))  // warm-up
        for _ in 0..<10 { _ = try embedder.embedQuery(query) }

        var throughput: [Double] = [], latency: [Double] = []
        for run in 0..<runs {
            start = Date()
            let vectors = try embedder.embed(texts)
            let seconds = Date().timeIntervalSince(start)
            guard vectors.count == passages, vectors.allSatisfy({ $0.count == embedder.dimension }) else {
                throw ValidationError("embedder returned the wrong number or size of vectors")
            }
            throughput.append(Double(tokensFed) / seconds)
            var samples: [Double] = []
            for _ in 0..<queries {
                start = Date()
                _ = try embedder.embedQuery(query)
                samples.append(Date().timeIntervalSince(start) * 1000)
            }
            latency.append(median(samples))
            if !json {
                print(String(format: "run %d: %.1f passages/s, %.0f tok/s, query median %.2f ms (min %.2f max %.2f)",
                             run, Double(passages) / seconds, throughput.last!, latency.last!,
                             samples.min() ?? 0, samples.max() ?? 0))
            }
        }
        let ours: [String: Any] = [
            "name": "parallax all-MiniLM-L6-v2", "passages": passages, "words_per_passage": words, "batch": batch,
            "max_seq_length": embedder.maxLength, "tokens_fed": tokensFed, "tokens_untruncated": tokensUntruncated,
            "query_words": query.split(separator: " ").count, "query_tokens": queryTokens, "load_s": loadSeconds,
            "tokenize_s": tokenizeSeconds,
            "tokens_per_s": summary(throughput), "query_latency_ms": summary(latency),
            "peak_rss_mib": MemoryUsage.peakResidentMiB(), "threads": threads, "blas_core": BLAS.coreName,
            "loadavg_before": loadBefore, "loadavg_after": MemoryUsage.loadAverage(),
        ]
        let peer = runPeer()
        var report: [String: Any] = ["parallax": ours, "peer": peer ?? NSNull()]
        if let peer, let peerTokens = (peer["tokens_per_s"] as? [String: Any])?["median"] as? Double,
           let peerLatency = (peer["query_latency_ms"] as? [String: Any])?["median"] as? Double {
            report["throughput_ratio"] = median(throughput) / peerTokens
            report["query_latency_ratio"] = median(latency) / peerLatency
        }
        if json {
            let data = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            printTable(ours: ours, peer: peer)
        }
    }

    /// Runs the peer script and returns its RESULT record, or nil (with a note) if it cannot run.
    private func runPeer() -> [String: Any]? {
        guard peerPython != "none", FileManager.default.isExecutableFile(atPath: peerPython),
              FileManager.default.fileExists(atPath: peerScript) else {
            if !json { print(peerPython == "none" ? "peer: skipped (--peer-python none)" : "peer: skipped (no \(peerPython) or \(peerScript))") }
            return nil
        }
        if !json { print("peer: running \(peerScript) --runs \(runs) …") }
        let arguments = [peerScript, "--runs", String(runs), "--passages", String(passages),
                         "--words", String(words), "--batch", String(batch), "--queries", String(queries)]
        switch PeerProcess.record(python: peerPython, arguments: arguments,
                                  environment: ["HF_HUB_OFFLINE": "1", "PEERS_THREADS": String(threads)], marker: "RESULT ") {
        case .success(let object): return object
        case .failure(let failure):
            if !json { print("peer: \(failure)") }
            return nil
        }
    }

    private func printTable(ours: [String: Any], peer: [String: Any]?) {
        func med(_ record: [String: Any]?, _ key: String) -> Double? {
            (record?[key] as? [String: Any])?["median"] as? Double
        }
        print("")
        print("                          parallax      sentence-transformers")
        let tokens = (med(ours, "tokens_per_s") ?? 0, med(peer, "tokens_per_s"))
        let latency = (med(ours, "query_latency_ms") ?? 0, med(peer, "query_latency_ms"))
        print(String(format: "throughput (tokens/s)   %10.0f      %@", tokens.0, tokens.1.map { String(format: "%10.0f  (×%.2f)", $0, tokens.0 / $0) } ?? "—"))
        print(String(format: "query latency (ms)      %10.2f      %@", latency.0, latency.1.map { String(format: "%10.2f  (×%.2f)", $0, latency.0 / $0) } ?? "—"))
        let rss = (ours["peak_rss_mib"] as? Double) ?? 0
        print(String(format: "peak RSS (MiB)          %10.0f      %@", rss, (peer?["peak_rss_mib"] as? Double).map { String(format: "%10.0f", $0) } ?? "—"))
        print("load average before/after: \(ours["loadavg_before"] ?? "?") / \(ours["loadavg_after"] ?? "?") (2 cores; above ~2 the figures are contended)")
        print(String(format: "tokenizing all passages once: %.3f s (included in the throughput)", (ours["tokenize_s"] as? Double) ?? 0))
        print("tokens fed: \(ours["tokens_fed"] ?? 0)\(peer.map { "  (peer: \($0["tokens_fed"] ?? "?"))" } ?? ""), BLAS core \(BLAS.coreName), \(threads) threads")
    }
}

private func summary(_ values: [Double]) -> [String: Any] {
    ["median": median(values), "min": values.min() ?? 0, "max": values.max() ?? 0, "n": values.count, "all": values]
}


