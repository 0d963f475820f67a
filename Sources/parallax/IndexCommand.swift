// `parallax index PATH...`: index folders/files into a workspace, with a progress bar on a
// terminal (plain lines otherwise) and a summary of what changed.
import ArgumentParser
import Foundation
import Indexing

struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Index documents (.md .txt .rst .html .jsonl .pdf) for search; re-runs only redo what changed.")

    @Argument(help: "Folders or files to index.")
    var paths: [String] = []

    @Option(help: "Workspace folder (default: .parallax inside the first folder).")
    var workspace: String?

    @Option(name: .customLong("chunk-tokens"), help: "Most word-piece tokens per chunk.")
    var chunkTokens = Chunker.defaultMaxTokens

    @Option(help: "Tokens shared by consecutive chunks of one section.")
    var overlap = Chunker.defaultOverlapTokens

    @Flag(help: "Print the summary as one JSON object.")
    var json = false

    @Flag(help: "Index nothing: check the index (SQLite and FTS5 integrity) and print a digest of its content.")
    var check = false

    func validate() throws {
        guard check || !paths.isEmpty else { throw ValidationError("Name at least one folder or file to index.") }
    }

    func run() throws {
        let urls = paths.map { URL(fileURLWithPath: $0) }
        let space = workspace.map { Workspace(directory: URL(fileURLWithPath: $0)) } ?? Workspace.default(forIndexing: urls)
        if check { return try checkIndex(space) }
        let summary = try IndexingCLI.run {
            let embedder = try MiniLMEmbedder()
            let chunker = try Chunker(maxTokens: chunkTokens, overlapTokens: overlap, counter: embedder)
            let indexer = Indexer(workspace: space, embedder: embedder, chunker: chunker)
            let display = IndexProgressDisplay(interactive: isatty(STDERR_FILENO) != 0 && !json)
            defer { display.finish() }
            return try indexer.run(paths: urls) { event in
                display.show(event)
                return .proceed
            }
        }
        if json {
            try IndexingCLI.printJSON(summaryJSON(summary, workspace: space))
        } else {
            printSummary(summary, workspace: space)
        }
    }

    /// `--check`: integrity problems (exit status 1 if any) and the content digest.
    func checkIndex(_ space: Workspace) throws {
        let (problems, digest, counts) = try IndexingCLI.run {
            let store = try space.openIndex()
            defer { try? store.close() }
            return (try store.integrityProblems(), try store.contentDigest(), try store.counts())
        }
        if json {
            try IndexingCLI.printJSON(["index": space.indexURL.path, "ok": problems.isEmpty, "problems": problems, "digest": digest,
                                       "documents": counts.documents, "chunks": counts.chunks])
        } else {
            print(problems.isEmpty ? "ok: \(space.indexURL.path) (\(counts.documents) documents, \(counts.chunks) chunks)"
                                   : "damaged: \(space.indexURL.path)")
            for problem in problems.prefix(20) { print("  \(problem)") }
            print("digest \(digest)")
        }
        if !problems.isEmpty { throw ExitCode(1) }
    }

    func printSummary(_ summary: IndexSummary, workspace: Workspace) {
        print("Indexed into \(workspace.indexURL.path) in \(String(format: "%.1f", summary.seconds)) s"
              + (summary.rebuildReason.map { " (full build: \($0))" } ?? ""))
        let skippedText = summary.skippedByCategory.map { "\($0.count) \($0.category)" }.joined(separator: ", ")
        print("  files: \(summary.added.count) added, \(summary.changed.count) changed, \(summary.removed.count) removed, "
              + "\(summary.unchanged) unchanged, \(summary.skipped.count) skipped" + (skippedText.isEmpty ? "" : " (\(skippedText))"))
        print("  chunks: \(summary.chunksWritten) embedded this run; index holds \(summary.totalChunks) chunks "
              + "from \(summary.totalDocuments) documents")
        if summary.seconds > 0, summary.chunksWritten > 0 {
            print("  speed: \(String(format: "%.1f", Double(summary.chunksWritten) / summary.seconds)) chunks/s")
        }
        for entry in summary.skipped.prefix(20) { print("  skipped \(entry.path): \(entry.reason)") }
        if summary.skipped.count > 20 { print("  … and \(summary.skipped.count - 20) more skipped") }
    }

    func summaryJSON(_ summary: IndexSummary, workspace: Workspace) -> [String: Any] {
        ["workspace": workspace.directory.path, "index": workspace.indexURL.path,
         "added": summary.added, "changed": summary.changed, "removed": summary.removed,
         "unchanged": summary.unchanged,
         "skipped": summary.skipped.map { ["path": $0.path, "reason": $0.reason.description, "category": $0.reason.category] },
         "chunks_embedded": summary.chunksWritten, "total_chunks": summary.totalChunks,
         "total_documents": summary.totalDocuments, "seconds": summary.seconds,
         "rebuild_reason": summary.rebuildReason ?? NSNull()]
    }
}

/// Shows indexing events: a redrawn bar on a terminal, one line per file otherwise (stderr).
final class IndexProgressDisplay {
    let interactive: Bool
    var total = 0
    var done = 0
    var file = ""
    var fileNumber = 0
    var files = 0
    var lastDraw = Date.distantPast
    var drewBar = false

    init(interactive: Bool) { self.interactive = interactive }

    func show(_ event: IndexEvent) {
        switch event {
        case let .rebuilding(reason): line("building the whole index: \(reason)")
        case let .scanned(count): line("found \(count) files")
        case let .skipped(path, reason): if !interactive { line("skip \(path): \(reason)") }
        case let .planned(added, changed, unchanged, removed, chunks):
            total = chunks
            line("\(added) new, \(changed) changed, \(unchanged) unchanged, \(removed) removed; \(chunks) chunks to embed")
        case let .embedding(path, number, count):
            (file, fileNumber, files) = (path, number, count)
            if !interactive { line("[\(number)/\(count)] \(path)") } else { draw(force: false) }
        case let .chunksEmbedded(count, all):
            (done, total) = (count, all)
            if interactive { draw(force: count == all) }
        case .committed, .finished: break
        }
    }

    func draw(force: Bool) {
        let now = Date()
        guard force || now.timeIntervalSince(lastDraw) > 0.1 else { return }
        lastDraw = now
        let width = 30
        let fraction = total > 0 ? Double(done) / Double(total) : 0
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let name = file.count > 40 ? "…" + file.suffix(39) : file
        write("\r\u{1B}[2K[\(bar)] \(done)/\(total) chunks  file \(fileNumber)/\(files) \(name)")
        drewBar = true
    }

    func line(_ text: String) {
        if interactive && drewBar { write("\r\u{1B}[2K") ; drewBar = false }
        write(text + "\n")
    }

    func finish() {
        if interactive && drewBar { write("\r\u{1B}[2K"); drewBar = false }
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}

/// Helpers shared by the indexing, search and retrieval-evaluation commands.
enum IndexingCLI {
    /// Runs `body`, turning module errors into a message on stderr and exit status 1.
    static func run<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as IndexingError {
            FileHandle.standardError.write(Data("error: \(error.description)\n".utf8))
            throw ExitCode(1)
        }
    }

    static func printJSON(_ object: Any) throws {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        print(String(decoding: data, as: UTF8.self))
    }

    /// The embedder, or nil with a warning when BM25-only work can go on without it.
    static func embedder(required: Bool) throws -> MiniLMEmbedder? {
        do {
            return try MiniLMEmbedder()
        } catch let error as IndexingError {
            if required { throw error }
            return nil
        }
    }
}
