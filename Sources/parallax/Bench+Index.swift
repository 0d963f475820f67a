// `parallax bench index`: indexing throughput and peak memory with the real MiniLM embedder,
// on generated Markdown documents (or a folder you name), then a no-change re-index.
import ArgumentParser
import Foundation
import Indexing
import Kernels

struct BenchIndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Index N generated Markdown documents (or --path DIR): chunks/s, seconds, peak RSS.")

    @Option(help: "Generated documents.")
    var docs = 200

    @Option(help: "Words per generated document.")
    var words = 400

    @Option(help: "Index this folder instead of generated documents.")
    var path: String?

    @Flag(help: "Print one JSON object.")
    var json = false

    func run() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("parallax-bench-index-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let source: URL
        if let path {
            source = URL(fileURLWithPath: path)
        } else {
            source = scratch.appendingPathComponent("docs")
            try SyntheticHandbook.write(documents: docs, words: words, to: source)
        }
        let space = Workspace(directory: scratch.appendingPathComponent("ws"))
        let rssBefore = MemoryUsage.peakResidentMiB()
        let (first, second, loadSeconds) = try IndexingCLI.run {
            let loadStart = Date()
            let embedder = try MiniLMEmbedder()
            let loadSeconds = Date().timeIntervalSince(loadStart)
            let indexer = Indexer(workspace: space, embedder: embedder, chunker: try Chunker(counter: embedder))
            let first = try indexer.run(paths: [source])
            let second = try indexer.run(paths: [source])
            return (first, second, loadSeconds)
        }
        let peak = MemoryUsage.peakResidentMiB()
        let record: [String: Any] = [
            "benchmark": "index", "source": path ?? "generated \(docs) docs x \(words) words",
            "files": first.added.count, "chunks": first.chunksWritten, "tokens": first.tokensWritten,
            "seconds": first.seconds, "chunks_per_s": Double(first.chunksWritten) / max(first.seconds, 1e-9),
            "tokens_per_s": Double(first.tokensWritten) / max(first.seconds, 1e-9),
            "model_load_seconds": loadSeconds, "reindex_unchanged_seconds": second.seconds,
            "peak_rss_mib": peak, "peak_rss_before_mib": rssBefore, "target_peak_rss_mib": 500,
            "threads": ProcessInfo.processInfo.environment["OPENBLAS_NUM_THREADS"] ?? "default",
            "loadavg": MemoryUsage.loadAverage(),
        ]
        if json { try IndexingCLI.printJSON(record); return }
        print("indexed \(first.added.count) files → \(first.chunksWritten) chunks (\(first.tokensWritten) tokens) in "
              + String(format: "%.2f s: %.1f chunks/s, %.0f tokens/s", first.seconds,
                       Double(first.chunksWritten) / max(first.seconds, 1e-9), Double(first.tokensWritten) / max(first.seconds, 1e-9)))
        print(String(format: "model load %.2f s; re-index with nothing changed %.3f s; peak RSS %.0f MiB (target ≤ 500)",
                     loadSeconds, second.seconds, peak))
    }
}

/// Generated Markdown documents that read like a company handbook (seeded, reproducible).
enum SyntheticHandbook {
    static let vocabulary = """
        the of and to in is for on that with as by at from it an are which this be or has first one their new after
        who not they have two been other when there all during into time may years more most only over some would
        where up such used many can about out known then made called team well year however also between both high
        three under being these while since through part best people back number area early before until second group
        same including name system life several because each work family use public history around field long general
        policy travel expense receipt warranty device customer support service order shipping invoice contract office
        manager employee holiday leave request approval budget product release version update security password backup
        server network incident report meeting schedule training safety equipment vendor payment refund account access
        """.split(whereSeparator: \.isWhitespace).map(String.init)

    static func write(documents: Int, words: Int, to folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var rng = SplitMix64(seed: 42)
        for index in 0..<documents {
            var text = "# Document \(index)\n\n"
            var written = 0
            var section = 0
            while written < words {
                if written % 150 == 0 { section += 1; text += "## Section \(section)\n\n" }
                let length = 8 + Int(rng.next() % 12)
                var sentence = (0..<length).map { _ in vocabulary[Int(rng.next() % UInt64(vocabulary.count))] }
                sentence[0] = sentence[0].capitalized
                text += sentence.joined(separator: " ") + (rng.next() % 4 == 0 ? ".\n\n" : ". ")
                written += length
            }
            let sub = folder.appendingPathComponent("part\(index % 10)")
            try FileManager.default.createDirectory(at: sub, withIntermediateDirectories: true)
            try Data(text.utf8).write(to: sub.appendingPathComponent("doc\(index).md"))
        }
    }
}

