// `parallax bench search`: BM25 latency at 10k passages (beside SQLite FTS5 from Python, the
// peer) and hybrid end-to-end latency at 100k chunks, query embedding included. The big index
// is synthetic: Zipf-distributed words with random unit vectors, written straight to the store.
import ArgumentParser
import Foundation
import Indexing
import Kernels

struct BenchSearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Hybrid search latency at 100k chunks (query embedding included) and BM25 latency at 10k passages.")

    @Option(help: "Chunks in the hybrid index.")
    var chunks = 100_000

    @Option(name: .customLong("chunk-words"), help: "Words per synthetic chunk in the hybrid index.")
    var chunkWords = 150

    @Option(help: "Passages in the BM25 comparison index (200 words each, as the peer).")
    var passages = 10_000

    @Option(help: "Timed queries per measurement.")
    var queries = 300

    @Flag(help: "Also run the peer (/work/shared/peers/bench_bm25.py with the peer venv) back to back.")
    var peer = false

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("parallax-bench-search-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        var record: [String: Any] = ["benchmark": "search",
                                     "note": "synthetic index: Zipf(1.1) words over a 50k vocabulary and random unit vectors written directly to the store (not chunked or embedded); queries are 5 words of ranks 50-20000, embedded with the real MiniLM"]
        try IndexingCLI.run {
            let embedder = try MiniLMEmbedder()
            let corpus = ZipfCorpus(seed: 7)
            let queryTexts = corpus.queries(count: max(queries, 50) + 20)

            // 1. BM25 at 10k passages of 200 words: the peer's set-up.
            let small = try SyntheticIndex.build(at: scratch.appendingPathComponent("bm25.sqlite"), corpus: corpus,
                                                 count: passages, words: 200, embedder: embedder)
            let smallSearcher = try HybridSearcher(store: small.store, embedder: nil)
            let ftsOnly = Latency.measure(queryTexts, warmUp: 20) { text in
                _ = try? small.store.bm25(match: FTSQuery.matchExpression(text), limit: 10)
            }
            let bm25Search = Latency.measure(queryTexts, warmUp: 20) { text in
                _ = try? smallSearcher.search(text, mode: .bm25, topK: 10)
            }
            record["bm25_10k"] = ["passages": passages, "words": 200, "build_seconds": small.seconds,
                                  "fts_query_ms": ftsOnly.json, "search_bm25_top10_ms": bm25Search.json]

            // 2. Hybrid at 100k chunks.
            let big = try SyntheticIndex.build(at: scratch.appendingPathComponent("hybrid.sqlite"), corpus: corpus,
                                               count: chunks, words: chunkWords, embedder: embedder)
            let loadStart = Date()
            let searcher = try HybridSearcher(store: big.store, embedder: embedder)
            let loadSeconds = Date().timeIntervalSince(loadStart)
            let embedOnly = Latency.measure(queryTexts, warmUp: 20) { text in
                _ = try? BLAS.withThreads(searcher.denseBLASThreads ?? BLAS.threads) { try embedder.embed([text]) }
            }
            let embedAllThreads = Latency.measure(queryTexts, warmUp: 20) { text in _ = try? embedder.embed([text]) }
            let measure = { (mode: SearchMode) in
                Latency.measure(queryTexts, warmUp: 20) { text in _ = try? searcher.search(text, mode: mode, topK: 10) }
            }
            let (bm25, dense, hybrid) = (measure(.bm25), measure(.dense), measure(.hybrid))
            let queryVector = try embedder.embed(["synthetic query vector"])[0]
            // The scan alone, one thread and split over two, interleaved so both see the same load.
            var scanSamples: [Int: [Double]] = [1: [], 2: []]
            let clock = ContinuousClock()
            for round in 0..<(queries + 10) {
                for threads in [1, 2] {
                    let elapsed = clock.measure {
                        _ = BLAS.withThreads(1) { searcher.denseCandidates(vector: queryVector, limit: 100, threads: threads) }
                    }
                    if round >= 10 { scanSamples[threads]?.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000) }
                }
            }
            let matvec = Latency(samples: scanSamples[searcher.scanThreads] ?? [])
            let scan1 = Latency(samples: scanSamples[1] ?? []), scan2 = Latency(samples: scanSamples[2] ?? [])
            record["hybrid_100k"] = ["chunks": chunks, "words_per_chunk": chunkWords, "build_seconds": big.seconds,
                                     "vector_load_seconds": loadSeconds, "query_embed_ms": embedOnly.json,
                                     "query_embed_process_blas_threads_ms": embedAllThreads.json,
                                     "dense_blas_threads": searcher.denseBLASThreads ?? BLAS.threads, "process_blas_threads": BLAS.threads,
                                     "dense_scan_top100_ms": matvec.json, "scan_threads": searcher.scanThreads,
                                     "dense_scan_1_thread_ms": scan1.json, "dense_scan_2_threads_ms": scan2.json,
                                     "bm25_ms": bm25.json, "dense_ms": dense.json, "hybrid_ms": hybrid.json,
                                     "target_hybrid_ms": 20, "candidates_per_list": searcher.candidatesPerList]
            record["peak_rss_mib"] = MemoryUsage.peakResidentMiB()
            record["loadavg"] = MemoryUsage.loadAverage()
        }
        if peer { record["peer"] = PeerBM25.run() }
        if json { try IndexingCLI.printJSON(record); return }
        printReport(record)
    }

    func printReport(_ record: [String: Any]) {
        func line(_ label: String, _ value: Any?) {
            guard let stats = value as? [String: Double] else { return }
            print(label.padding(toLength: 40, withPad: " ", startingAt: 0)
                  + String(format: "p50 %7.3f ms   p99 %7.3f ms   mean %7.3f ms", stats["p50"] ?? 0, stats["p99"] ?? 0, stats["mean"] ?? 0))
        }
        if let small = record["bm25_10k"] as? [String: Any] {
            print("BM25, \(passages) passages x 200 words (built in \(String(format: "%.1f", small["build_seconds"] as? Double ?? 0)) s)")
            line("  FTS5 query (ids, top 10)", small["fts_query_ms"])
            line("  search --mode bm25 (top 10 hits)", small["search_bm25_top10_ms"])
        }
        if let peer = record["peer"] as? [String: Any] {
            print("  peer SQLite FTS5 (Python) median: \(peer["sqlite_fts5_query_ms_median"] ?? peer["error"] ?? "?") ms")
        }
        if let big = record["hybrid_100k"] as? [String: Any] {
            print("Hybrid, \(chunks) synthetic chunks x \(chunkWords) words (built in \(String(format: "%.1f", big["build_seconds"] as? Double ?? 0)) s, "
                  + "vectors loaded in \(String(format: "%.2f", big["vector_load_seconds"] as? Double ?? 0)) s)")
            line("  query embedding (search's threads)", big["query_embed_ms"])
            line("  query embedding (process threads)", big["query_embed_process_blas_threads_ms"])
            line("  dense scan, 1 thread", big["dense_scan_1_thread_ms"])
            line("  dense scan, 2 threads", big["dense_scan_2_threads_ms"])
            line("  bm25 search", big["bm25_ms"])
            line("  dense search (embedding incl.)", big["dense_ms"])
            line("  hybrid search (embedding incl.)", big["hybrid_ms"])
        }
        print(String(format: "peak RSS %.0f MiB; load average ", record["peak_rss_mib"] as? Double ?? 0)
              + (record["loadavg"] as? String ?? "?"))
    }
}

/// Latency samples of one measurement.
struct Latency {
    var samples: [Double]  // milliseconds

    static func measure(_ inputs: [String], warmUp: Int, _ body: (String) -> Void) -> Latency {
        for text in inputs.prefix(warmUp) { body(text) }
        let clock = ContinuousClock()
        var samples: [Double] = []
        for text in inputs.dropFirst(warmUp) {
            let elapsed = clock.measure { body(text) }
            samples.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
        }
        return Latency(samples: samples)
    }

    func percentile(_ p: Double) -> Double {
        guard !samples.isEmpty else { return 0 }
        let sorted = samples.sorted()
        return sorted[min(sorted.count - 1, Int((p * Double(sorted.count - 1)).rounded()))]
    }

    var json: [String: Double] {
        ["p50": percentile(0.5), "p99": percentile(0.99), "mean": samples.reduce(0, +) / Double(max(samples.count, 1)),
         "n": Double(samples.count)]
    }
}

/// Words drawn from a Zipf(1.1) distribution over 50,000 syllable words, as the peer's corpus.
struct ZipfCorpus {
    let vocabulary: [String]
    let cumulative: [Double]
    var seed: UInt64

    init(seed: UInt64, size: Int = 50_000) {
        var rng = SplitMix64(seed: seed)
        let syllables = ["ka", "lo", "mi", "ne", "ru", "ta", "shi", "po", "an", "el", "or", "ven", "dor",
                         "mar", "sel", "tri", "qua", "zen", "bal", "fin"]
        var words: [String] = []
        var seen: Set<String> = []
        while words.count < size {
            let length = 1 + Int(rng.next() % 4)
            let word = (0..<length).map { _ in syllables[Int(rng.next() % UInt64(syllables.count))] }.joined()
            if seen.insert(word).inserted { words.append(word) }
        }
        var total = 0.0
        var cumulative: [Double] = []
        cumulative.reserveCapacity(size)
        for rank in 1...size { total += 1 / pow(Double(rank), 1.1); cumulative.append(total) }
        self.vocabulary = words
        self.cumulative = cumulative.map { $0 / total }
        self.seed = seed
    }

    func word(_ rng: inout SplitMix64) -> String {
        let u = Double(rng.next() >> 11) / Double(1 << 53)
        var low = 0, high = cumulative.count - 1
        while low < high {
            let mid = (low + high) / 2
            if cumulative[mid] < u { low = mid + 1 } else { high = mid }
        }
        return vocabulary[low]
    }

    func passage(_ rng: inout SplitMix64, words: Int) -> String {
        (0..<words).map { _ in word(&rng) }.joined(separator: " ")
    }

    /// Five words of ranks 50..20000 (uniform), as the peer's queries.
    func queries(count: Int) -> [String] {
        var rng = SplitMix64(seed: seed &+ 99)
        return (0..<count).map { _ in (0..<5).map { _ in vocabulary[50 + Int(rng.next() % 19_950)] }.joined(separator: " ") }
    }
}

/// Writes synthetic chunks with random unit vectors straight into a new index file.
enum SyntheticIndex {
    static func build(at url: URL, corpus: ZipfCorpus, count: Int, words: Int,
                      embedder: any TextEmbedder) throws -> (store: IndexStore, seconds: Double) {
        let start = Date()
        let store = try IndexStore(url: url, create: true)
        var rng = SplitMix64(seed: corpus.seed &+ UInt64(count))
        let perDocument = 100
        var batch = IndexBatch()
        batch.meta = [IndexMetaKey.embedderModel: embedder.modelID, IndexMetaKey.embedderDimension: String(embedder.dimension)]
        var written = 0
        var document = 0
        while written < count {
            var records: [ChunkRecord] = []
            var offset = 0
            for _ in 0..<min(perDocument, count - written) {
                let text = corpus.passage(&rng, words: words)
                let length = text.unicodeScalars.count
                var vector = (0..<embedder.dimension).map { _ in Float(Int64(rng.next() >> 40) - (1 << 23)) }
                let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
                vector = vector.map { $0 / max(norm, 1e-12) }
                records.append(ChunkRecord(itemID: nil, chunk: Chunk(headingPath: [], text: text, span: offset..<(offset + length),
                                                                     tokenCount: words), vector: vector))
                offset += length + 1
                written += 1
            }
            batch.replacements.append(DocumentReplacement(path: "synthetic/doc\(document).txt", sha256: "-", modified: 0,
                                                          size: offset, chunks: records))
            document += 1
            if batch.replacements.count == 50 || written == count {
                try store.apply(batch)
                batch = IndexBatch()
            }
        }
        try store.optimize()
        return (store, Date().timeIntervalSince(start))
    }
}

/// Runs the peer BM25 benchmark (bm25s, rank_bm25, SQLite FTS5 in Python) and reads its result line.
enum PeerBM25 {
    static func run() -> [String: Any] {
        let python = "/tmp/peers/venv/bin/python", script = "/work/shared/peers/bench_bm25.py"
        guard FileManager.default.isExecutableFile(atPath: python), FileManager.default.fileExists(atPath: script) else {
            return ["error": "peer not installed (\(python), \(script))"]
        }
        let stats: [String: Any]
        switch PeerProcess.record(python: python, arguments: [script, "--runs", "3"], marker: "RESULT ") {
        case .success(let object):
            guard let found = object["stats"] as? [String: Any] else { return ["error": "the peer's RESULT line has no stats"] }
            stats = found
        case .failure(let failure):
            return ["error": failure.description]
        }
        func median(_ tool: String, _ key: String) -> Any {
            ((stats[tool] as? [String: Any])?[key] as? [String: Any])?["median"] ?? NSNull()
        }
        return ["command": "\(python) \(script) --runs 3",
                "sqlite_fts5_query_ms_median": median("sqlite_fts5", "query_ms"),
                "bm25s_query_ms_median": median("bm25s", "query_ms"),
                "rank_bm25_query_ms_median": median("rank_bm25", "query_ms")]
    }
}
