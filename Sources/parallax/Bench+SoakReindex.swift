// `parallax bench soak --reindex N`: a copy of a document folder changes N times (files modified,
// added, deleted) and is re-indexed each time through the workbench backend; the index is checked at the end.
import ArgumentParser
import Foundation
import Indexing
import Kernels
import ModelFiles
import Workbench

struct SoakReindex {
    let documents: URL
    let rounds: Int
    /// Progress and summary lines.
    let log: (String) -> Void

    func run() async throws -> [String: Any] {
        let fm = FileManager.default
        let scratch = fm.temporaryDirectory.appendingPathComponent("parallax-soak-reindex-\(UUID().uuidString)")
        defer { try? fm.removeItem(at: scratch) }
        let root = scratch.appendingPathComponent(documents.lastPathComponent)
        try fm.createDirectory(at: scratch, withIntermediateDirectories: true)
        try fm.copyItem(at: documents, to: root)
        try? fm.removeItem(at: root.appendingPathComponent(Workspace.folderName))
        let workspace = root.appendingPathComponent(Workspace.folderName)
        let backend = LiveBackend(configuration: .init(
            workspace: workspace, documentRoots: [root], modelURL: ModelCache().generatorURL, datasetFolders: [], suiteFolders: []))

        let first = try await Self.reindex(backend)
        log(String(format: "soak --reindex: %d rounds on a copy of %@ (%d documents, %d chunks after the first index, %.1f s)",
                    rounds, documents.path, first.documents, first.chunks, first.seconds))
        let rssStart = MemoryUsage.residentMiB()
        var rng = SplitMix64(seed: 7)
        var added: [URL] = []
        var lastMarker = ""
        var lastMarkedPath = ""
        var seconds: [Double] = []
        var samples: [(round: Int, rss: Double)] = []
        var errors: [String] = []
        for round in 1...rounds {
            try Task.checkCancellation()
            // Change the folder: the oldest added file goes, two files get a new paragraph, one file is
            // added (deleting first, so the file holding the last marker is never the one deleted).
            if added.count >= 3 { try fm.removeItem(at: added.removeFirst()) }
            var files = Self.documentFiles(under: root)
            for _ in 0..<2 where !files.isEmpty {
                let file = files.remove(at: Int(rng.next() % UInt64(files.count)))
                lastMarker = "soakmarker\(round)x\(rng.next() % 1000)"
                lastMarkedPath = documents.lastPathComponent + "/" + Self.relative(file, to: root)
                let handle = try FileHandle(forWritingTo: file)
                try handle.seekToEnd()
                try handle.write(contentsOf: Data("\n\nRound \(round) adds the word \(lastMarker) to this page.\n".utf8))
                try handle.close()
            }
            let new = root.appendingPathComponent("soak/round-\(round).md")
            try fm.createDirectory(at: new.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("# Round \(round)\n\nA page written by round \(round) of the re-index soak.\n".utf8).write(to: new)
            added.append(new)

            let begin = Date()
            do { _ = try await Self.reindex(backend) } catch { errors.append("round \(round): \(error)") }
            seconds.append(Date().timeIntervalSince(begin))
            if round == 1 || round == rounds || round % max(1, rounds / 20) == 0 || round == (rounds + 1) / 2 {
                samples.append((round, await SoakSupport.settledRSS()))
                log(String(format: "  round %4d/%d  RSS %7.1f MiB  %.2f s  errors %d", round, rounds, samples.last?.rss ?? 0,
                            seconds.last ?? 0, errors.count))
            }
        }
        let check = try Self.checkIndex(workspace: workspace, root: root, marker: lastMarker, markedPath: lastMarkedPath)
        // Start is read after a warm-up of 5% of the rounds (SQLite's page cache and the allocator's
        // pools fill during the first rounds); the reading after round 1 is reported as well.
        let firstReading = samples.first?.rss ?? rssStart
        let start = samples.first { $0.round >= max(1, rounds / 20) }?.rss ?? firstReading
        let middle = samples.first { $0.round >= (rounds + 1) / 2 }?.rss ?? start
        let end = samples.last?.rss ?? start
        let drift = max(abs(middle - start), abs(end - start)) / max(start, 1)
        log(String(format: "RSS: after first index %.1f, after round 1 %.1f, start (after round %d) %.1f, middle %.1f, end %.1f MiB: drift %.1f%% (%@); peak %.1f",
                    rssStart, firstReading, max(1, rounds / 20), start, middle, end, drift * 100, drift <= 0.10 ? "steady" : "NOT steady",
                    MemoryUsage.peakResidentMiB()))
        log(String(format: "seconds per round: p50 %.3f, p99 %.3f, max %.3f; %d errors; index check: %@",
                    Latency(samples: seconds).percentile(0.5), Latency(samples: seconds).percentile(0.99), seconds.max() ?? 0,
                    errors.count, check.problems.isEmpty ? "ok (\(check.documents) documents, \(check.chunks) chunks)" : check.problems.joined(separator: "; ")))
        for error in errors.prefix(10) { log("  error: \(error)") }
        return [
            "benchmark": "soak", "mode": "reindex", "rounds": rounds, "source": documents.path,
            "rss_after_first_index_mib": rssStart, "rss_after_round_1_mib": firstReading, "warmup_rounds": max(1, rounds / 20),
            "rss_start_mib": start, "rss_middle_mib": middle, "rss_end_mib": end,
            "rss_drift": drift, "rss_steady": drift <= 0.10,
            "rss_series": samples.map { ["round": $0.round, "rss_mib": $0.rss] },
            "round_p50_s": Latency(samples: seconds).percentile(0.5), "round_p99_s": Latency(samples: seconds).percentile(0.99),
            "round_max_s": seconds.max() ?? 0, "errors": errors.count, "error_samples": Array(errors.prefix(10)),
            "index_ok": check.problems.isEmpty, "index_problems": check.problems,
            "index_documents": check.documents, "index_chunks": check.chunks,
            "peak_rss_mib": MemoryUsage.peakResidentMiB(), "loadavg": MemoryUsage.loadAverage(),
        ]
    }

    /// One re-index through the backend (the workbench's F2), to its end.
    static func reindex(_ backend: LiveBackend) async throws -> Workbench.IndexSummary {
        for await event in backend.reindex(addingFolders: []) {
            switch event {
            case .progress: continue
            case .finished(let summary): return summary
            case .failed(let reason): throw ValidationError("re-index failed: \(reason)")
            }
        }
        throw ValidationError("re-index stream ended without a result")
    }

    /// Indexable files under `root`, the workspace left out.
    static func documentFiles(under root: URL) -> [URL] {
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey],
                                                          options: [.skipsHiddenFiles]) else { return [] }
        var files: [URL] = []
        for case let url as URL in walker where DocumentLoader.isCandidate(extension: url.pathExtension.lowercased()) {
            if (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true { files.append(url) }
        }
        return files.sorted { $0.path < $1.path }
    }

    static func relative(_ file: URL, to root: URL) -> String {
        String(file.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1))
    }

    /// The index lists exactly the files on disk, every document has chunks and vectors, and the
    /// last round's marker word is found in the file it was written to.
    static func checkIndex(workspace: URL, root: URL, marker: String, markedPath: String) throws
        -> (problems: [String], documents: Int, chunks: Int) {
        let store = try Workspace(directory: workspace).openIndex()
        defer { try? store.close() }
        var problems: [String] = []
        let prefix = root.lastPathComponent + "/"
        let onDisk = Set(documentFiles(under: root).map { prefix + relative($0, to: root) })
        let indexed = try store.documents()
        let missing = onDisk.subtracting(indexed.keys), stale = Set(indexed.keys).subtracting(onDisk)
        if !missing.isEmpty { problems.append("not indexed: \(missing.sorted().prefix(5).joined(separator: ", "))") }
        if !stale.isEmpty { problems.append("indexed but deleted: \(stale.sorted().prefix(5).joined(separator: ", "))") }
        let counts = try store.counts()
        for path in indexed.keys.sorted() where try store.chunks(ofDocument: path).isEmpty {
            problems.append("no chunks for \(path)")
        }
        let dimension = try store.meta()[IndexMetaKey.embedderDimension].flatMap(Int.init) ?? 384
        let vectors = try store.loadVectors(dimension: dimension)
        if vectors.ids.count != counts.chunks { problems.append("\(vectors.ids.count) vectors for \(counts.chunks) chunks") }
        if !marker.isEmpty {
            let hits = try store.bm25(match: marker, limit: 5)
            let paths = try store.chunks(ids: hits.map(\.id)).values.map(\.documentPath)
            if !paths.contains(markedPath) { problems.append("marker \(marker) not found in \(markedPath) (found in \(paths))") }
        }
        return (problems, counts.documents, counts.chunks)
    }
}
