// Incremental indexing: scan, compare with the index (mtime+size, then SHA-256), load and chunk
// what changed, embed outside any transaction, commit per batch of whole files. A run that is
// killed or cancelled leaves every committed batch, and nothing half-written.
import Foundation
import ModelFiles

/// Indexes folders into a workspace's index.
public struct Indexer: Sendable {
    public var workspace: Workspace
    public var embedder: any TextEmbedder
    public var chunker: Chunker
    public var loader: DocumentLoader
    /// Chunks per committed batch (whole files only; a file larger than this is its own batch).
    public var chunksPerBatch: Int
    /// Texts per `embed` call.
    public var embedBatchSize: Int
    /// Test hook passed to the store: called after each inserted chunk.
    var faultInjection: (@Sendable (Int) throws -> Void)?

    public init(workspace: Workspace, embedder: any TextEmbedder, chunker: Chunker,
                loader: DocumentLoader = DocumentLoader(), chunksPerBatch: Int = 512, embedBatchSize: Int = 32) {
        self.workspace = workspace
        self.embedder = embedder
        self.chunker = chunker
        self.loader = loader
        self.chunksPerBatch = max(1, chunksPerBatch)
        self.embedBatchSize = max(1, embedBatchSize)
    }

    /// A file to (re)write, chunked and waiting for vectors.
    struct PendingFile {
        var file: ScannedFile
        var sha256: String
        var isNew: Bool
        var chunks: [(itemID: String?, chunk: Chunk)]
    }

    /// The meta values this indexer writes; an index with other values is rebuilt.
    var expectedMeta: [String: String] {
        [IndexMetaKey.embedderModel: embedder.modelID,
         IndexMetaKey.embedderDimension: String(embedder.dimension),
         IndexMetaKey.chunkTokens: String(chunker.maxTokens),
         IndexMetaKey.overlapTokens: String(chunker.overlapTokens),
         IndexMetaKey.tokenCounter: String(describing: type(of: chunker.counter))]
    }

    /// The text given to the embedder for a chunk: its heading path, then its text.
    public static func embeddingText(_ chunk: Chunk) -> String {
        chunk.headingPath.isEmpty ? chunk.text : chunk.headingLine + "\n" + chunk.text
    }

    /// Indexes `paths` (folders or files). `progress` is called on the calling thread; answering
    /// `.stop` (or cancelling the surrounding task) ends the run with `IndexingError.cancelled`.
    public func run(paths: [URL], progress: (IndexEvent) -> IndexControl = { _ in .proceed }) throws -> IndexSummary {
        let started = Date()
        var summary = IndexSummary()
        func report(_ event: IndexEvent) throws {
            if progress(event) == .stop || Task.isCancelled { throw IndexingError.cancelled }
        }

        // 1. Decide between an incremental update and a rebuild into a new file.
        var existing: IndexStore?
        var rebuildReason: String?
        if workspace.hasIndex {
            do {
                let store = try IndexStore(url: workspace.indexURL, create: false)
                existing = store
                rebuildReason = Self.mismatch(found: try store.meta(), expected: expectedMeta)
            } catch {
                rebuildReason = "the existing index could not be read (\(error))"
            }
        } else {
            rebuildReason = "new index"
        }
        let rebuild = rebuildReason != nil
        summary.rebuildReason = rebuildReason
        if let rebuildReason { try report(.rebuilding(reason: rebuildReason)) }
        let known = rebuild ? [:] : (try existing?.documents() ?? [:])

        // 2. Scan and plan.
        let scan = try FileScanner.scan(paths, skipping: workspace.directory)
        try report(.scanned(files: scan.files.count))
        var pending: [PendingFile] = []
        var batch = IndexBatch()
        batch.meta = expectedMeta
        var present: Set<String> = []
        for file in scan.files {
            if let old = known[file.relativePath], old.modified == file.modified, old.size == file.size {
                summary.unchanged += 1
                present.insert(file.relativePath)
                continue
            }
            let ext = file.url.pathExtension.lowercased()
            guard DocumentLoader.isCandidate(extension: ext) else {
                summary.skipped.append((file.relativePath, .unsupportedType(ext)))
                try report(.skipped(path: file.relativePath, reason: .unsupportedType(ext)))
                continue
            }
            let data: Data
            do {
                data = try Data(contentsOf: file.url, options: .mappedIfSafe)
            } catch {
                let reason = SkipReason.unreadable(error.localizedDescription)
                summary.skipped.append((file.relativePath, reason))
                try report(.skipped(path: file.relativePath, reason: reason))
                continue
            }
            let digest = SHA256.hex(data)
            if let old = known[file.relativePath], old.sha256 == digest {
                summary.unchanged += 1
                present.insert(file.relativePath)
                batch.touched.append((file.relativePath, file.modified, file.size))
                continue
            }
            let outcome = ext == "pdf" ? loader.load(url: file.url) : loader.load(data: data, extension: ext)
            switch outcome {
            case .skipped(let reason):
                summary.skipped.append((file.relativePath, reason))
                try report(.skipped(path: file.relativePath, reason: reason))
            case .loaded(let items):
                let chunks = items.flatMap { item in chunker.chunks(of: item).map { (item.itemID, $0) } }
                present.insert(file.relativePath)
                pending.append(PendingFile(file: file, sha256: digest, isNew: known[file.relativePath] == nil, chunks: chunks))
            }
        }
        summary.removed = known.keys.filter { scan.covers($0) && !present.contains($0) }.sorted()
        batch.removals = summary.removed
        let total = pending.reduce(0) { $0 + $1.chunks.count }
        try report(.planned(added: pending.filter(\.isNew).count, changed: pending.filter { !$0.isNew }.count,
                            unchanged: summary.unchanged, removed: summary.removed.count, chunksToEmbed: total))

        // 3. Embed and commit, batch by batch.
        let target = rebuild ? workspace.directory.appendingPathComponent(Workspace.indexFileName + ".building") : workspace.indexURL
        if rebuild { Self.removeDatabase(at: target) }
        let store: IndexStore
        do {
            store = rebuild || existing == nil
                ? try IndexStore(url: target, create: true, faultInjection: faultInjection)
                : try IndexStore(url: target, create: false, faultInjection: faultInjection)
        } catch {
            throw error
        }
        do {
            var done = 0
            var batchFiles = 0
            var batchChunks = 0
            func commit() throws {
                try store.apply(batch)
                if batchFiles > 0 || !batch.removals.isEmpty { try report(.committed(files: batchFiles, chunks: batchChunks)) }
                batch = IndexBatch()
                batchFiles = 0
                batchChunks = 0
            }
            for (number, file) in pending.enumerated() {
                try report(.embedding(path: file.file.relativePath, file: number + 1, files: pending.count))
                var records: [ChunkRecord] = []
                records.reserveCapacity(file.chunks.count)
                var start = 0
                while start < file.chunks.count {
                    let slice = file.chunks[start..<min(start + embedBatchSize, file.chunks.count)]
                    let vectors = try embedder.embed(slice.map { Self.embeddingText($0.chunk) })
                    guard vectors.count == slice.count else { throw IndexingError.badEmbedding(expected: slice.count, got: vectors.count) }
                    for (entry, vector) in zip(slice, vectors) {
                        guard vector.count == embedder.dimension else {
                            throw IndexingError.badEmbedding(expected: embedder.dimension, got: vector.count)
                        }
                        records.append(ChunkRecord(itemID: entry.itemID, chunk: entry.chunk, vector: vector))
                    }
                    start += slice.count
                    done += slice.count
                    try report(.chunksEmbedded(done: done, total: total))
                }
                batch.replacements.append(DocumentReplacement(path: file.file.relativePath, sha256: file.sha256,
                                                              modified: file.file.modified, size: file.file.size, chunks: records))
                batchFiles += 1
                batchChunks += records.count
                if file.isNew { summary.added.append(file.file.relativePath) } else { summary.changed.append(file.file.relativePath) }
                summary.chunksWritten += records.count
                if batchChunks >= chunksPerBatch { try commit() }
            }
            try commit()
            if rebuild {
                try store.optimize()
                try store.checkpoint()
                let counts = try store.counts()
                (summary.totalDocuments, summary.totalChunks) = counts
                try store.close()
                try? existing?.checkpoint()
                try? existing?.close()
                try Self.replaceDatabase(at: workspace.indexURL, with: target)
            } else {
                (summary.totalDocuments, summary.totalChunks) = try store.counts()
            }
        } catch {
            if rebuild {
                try? store.close()
                Self.removeDatabase(at: target)
            }
            throw error
        }
        summary.seconds = Date().timeIntervalSince(started)
        _ = progress(.finished(summary))
        return summary
    }

    /// Why an index with `found` settings cannot be updated in place, or nil if it can.
    static func mismatch(found: [String: String], expected: [String: String]) -> String? {
        if found[IndexMetaKey.embedderModel] != expected[IndexMetaKey.embedderModel]
            || found[IndexMetaKey.embedderDimension] != expected[IndexMetaKey.embedderDimension] {
            return "the embedder changed from \(found[IndexMetaKey.embedderModel] ?? "none") to "
                + "\(expected[IndexMetaKey.embedderModel] ?? "?"): re-embedding every chunk"
        }
        for key in [IndexMetaKey.chunkTokens, IndexMetaKey.overlapTokens, IndexMetaKey.tokenCounter]
            where found[key] != expected[key] {
            return "chunk settings changed (\(key) \(found[key] ?? "none") → \(expected[key] ?? "?")): re-chunking every file"
        }
        return nil
    }

    /// Deletes a database file and its WAL and shared-memory files.
    static func removeDatabase(at url: URL) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            try? FileManager.default.removeItem(atPath: url.path + suffix)
        }
    }

    /// Atomically puts the fully written, closed database `source` in place of `target`.
    /// The old target's WAL files go first so they can never be replayed onto the new file.
    static func replaceDatabase(at target: URL, with source: URL) throws {
        for suffix in ["-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: target.path + suffix) }
        guard rename(source.path, target.path) == 0 else {
            throw IndexingError.database("cannot move \(source.lastPathComponent) into place (errno \(errno))")
        }
    }
}

extension Indexer {
    /// The same run as an asynchronous stream of events ending with `.finished`; cancelling the
    /// consuming task stops the run.
    public func events(paths: [URL]) -> AsyncThrowingStream<IndexEvent, Error> {
        AsyncThrowingStream { continuation in
            let task = Task.detached {
                do {
                    _ = try self.run(paths: paths) { event in
                        continuation.yield(event)
                        return Task.isCancelled ? .stop : .proceed
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
