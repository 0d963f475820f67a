// Incremental indexing: scan, compare with the index (mtime+size, then SHA-256), load and chunk
// what changed, embed, write in batches of whole files. A run is atomic as a whole: an update in
// place is one write transaction, a rebuild goes to a new file renamed into place at the end, so
// a run that fails, is cancelled or is killed (SIGKILL, power loss) leaves the old index intact,
// and the next run does the whole update again.
import Foundation
import ModelFiles

/// Indexes folders into a workspace's index.
public struct Indexer: Sendable {
    public var workspace: Workspace
    public var embedder: any TextEmbedder
    public var chunker: Chunker
    public var loader: DocumentLoader
    /// Chunks per written batch (whole files only; a file larger than this is its own batch).
    public var chunksPerBatch: Int
    /// Texts per `embed` call.
    public var embedBatchSize: Int
    /// Test hook passed to the store: called after each inserted chunk.
    var faultInjection: (@Sendable (Int) throws -> Void)?

    public init(workspace: Workspace, embedder: any TextEmbedder, chunker: Chunker,
                loader: DocumentLoader = DocumentLoader(), chunksPerBatch: Int = 512, embedBatchSize: Int = 64) {
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
        func report(_ event: IndexEvent) throws {
            if progress(event) == .stop || Task.isCancelled { throw IndexingError.cancelled }
        }
        var summary = IndexSummary()

        // 1. Scan (a missing path fails before anything is touched), then choose between an
        //    update in place (one transaction for the whole run) and a rebuild into a new file
        //    swapped in at the end. Either way a crash or kill leaves the old index or the new one.
        let scan = try FileScanner.scan(paths, skipping: workspace.directory)
        try ConfinedPath.check(workspace.indexURL, inside: workspace.directory, what: "the index")  // no index.sqlite link out
        let lock = try IndexRunLock(workspace: workspace.directory)
        defer { lock.release() }
        let building = workspace.directory.appendingPathComponent(Workspace.indexFileName + ".building")
        Self.removeDatabase(at: building)  // left by a rebuild that was killed
        var existing: IndexStore?
        if workspace.hasIndex {
            do {
                let store = try IndexStore(url: workspace.indexURL, create: false, faultInjection: faultInjection)
                existing = store
                summary.rebuildReason = Self.mismatch(found: try store.meta(), expected: expectedMeta)
            } catch {
                try? existing?.close()
                existing = nil
                summary.rebuildReason = "the existing index could not be read (\(error))"
            }
        } else {
            summary.rebuildReason = "new index"
        }
        let rebuild = summary.rebuildReason != nil
        if let reason = summary.rebuildReason { try report(.rebuilding(reason: reason)) }
        try report(.scanned(files: scan.files.count))

        // In place: the run's write transaction starts before the index is read, so what the
        // plan compares against is exactly what the run replaces.
        let store: IndexStore
        if !rebuild, let existing {
            store = existing
            try store.beginRun()
        } else {
            store = try IndexStore(url: building, create: true, faultInjection: faultInjection)
        }
        do {
            let known = rebuild ? [:] : try store.documents()

            // 2. Compare, load and chunk what changed.
            var (pending, batch) = try plan(scan: scan, known: known, summary: &summary, report: report)

            // 3. Embed and write, batch by batch; commit (in place) or swap in (rebuild) at the end.
            try write(pending, firstBatch: &batch, to: store, summary: &summary, report: report)
            pending.removeAll()
            if rebuild {
                try store.optimize()
                try store.checkpoint()
                (summary.totalDocuments, summary.totalChunks) = try store.counts()
                try store.close()
                try? existing?.checkpoint()
                try? existing?.close()
                try Self.replaceDatabase(at: workspace.indexURL, with: building)
            } else {
                (summary.totalDocuments, summary.totalChunks) = try store.counts()
                try store.commitRun()
                try? store.checkpoint()
                try? store.close()
            }
        } catch {
            if rebuild {
                try? store.close()
                try? existing?.close()
                Self.removeDatabase(at: building)
            } else {
                try? store.rollbackRun()
                try? store.close()
            }
            throw error
        }
        summary.seconds = Date().timeIntervalSince(started)
        _ = progress(.finished(summary))
        return summary
    }

    /// Decides what to do with each scanned file: unchanged (same mtime and size, or same
    /// SHA-256), skipped (with a reason), or loaded and chunked for (re)writing. Also lists the
    /// indexed files that disappeared. Returns the files to write and a first batch holding the
    /// removals, touched timestamps and meta.
    func plan(scan: ScanResult, known: [String: StoredDocument], summary: inout IndexSummary,
              report: (IndexEvent) throws -> Void) throws -> ([PendingFile], IndexBatch) {
        var pending: [PendingFile] = []
        var batch = IndexBatch()
        batch.meta = expectedMeta
        var present: Set<String> = []
        func skip(_ file: ScannedFile, _ reason: SkipReason) throws {
            summary.skipped.append((file.relativePath, reason))
            try report(.skipped(path: file.relativePath, reason: reason))
        }
        for file in scan.files {
            if let reason = file.skipReason ?? (file.size > loader.maxBytes ? .tooLarge(bytes: file.size) : nil) { try skip(file, reason); continue }
            if let old = known[file.relativePath], old.modified == file.modified, old.size == file.size {
                summary.unchanged += 1
                present.insert(file.relativePath)
                continue
            }
            let ext = file.url.pathExtension.lowercased()
            guard DocumentLoader.isCandidate(extension: ext) else { try skip(file, .unsupportedType(ext)); continue }
            let data: Data
            do {
                data = try Data(contentsOf: file.url, options: .mappedIfSafe)
            } catch {
                try skip(file, .unreadable(error.localizedDescription))
                continue
            }
            let digest = SHA256.hex(data)
            if let old = known[file.relativePath], old.sha256 == digest {
                summary.unchanged += 1
                present.insert(file.relativePath)
                batch.touched.append((file.relativePath, file.modified, file.size))
                continue
            }
            switch ext == "pdf" ? loader.load(url: file.url) : loader.load(data: data, extension: ext) {
            case .skipped(let reason):
                try skip(file, reason)
            case .loaded(let items):
                let chunks = items.flatMap { item in chunker.chunks(of: item).map { (item.itemID, $0) } }
                present.insert(file.relativePath)
                pending.append(PendingFile(file: file, sha256: digest, isNew: known[file.relativePath] == nil, chunks: chunks))
            }
        }
        summary.removed = known.keys.filter { scan.covers($0) && !present.contains($0) }.sorted()
        batch.removals = summary.removed
        try report(.planned(added: pending.filter(\.isNew).count, changed: pending.filter { !$0.isNew }.count,
                            unchanged: summary.unchanged, removed: summary.removed.count,
                            chunksToEmbed: pending.reduce(0) { $0 + $1.chunks.count }))
        return (pending, batch)
    }

    /// Embeds the pending files and writes them in batches of whole files of about
    /// `chunksPerBatch` chunks (so memory holds one batch of vectors); `firstBatch` goes out with
    /// the first write. In place, the batches join the run's transaction; a rebuild commits each.
    /// Small files are embedded together, `embedBatchSize` texts per call, so batches stay full.
    func write(_ pending: [PendingFile], firstBatch: inout IndexBatch, to store: IndexStore, summary: inout IndexSummary,
               report: (IndexEvent) throws -> Void) throws {
        let total = pending.reduce(0) { $0 + $1.chunks.count }
        var done = 0
        var batchFiles = 0
        var batchChunks = 0
        func commit() throws {
            try store.apply(firstBatch)
            if batchFiles > 0 || !firstBatch.removals.isEmpty { try report(.committed(files: batchFiles, chunks: batchChunks)) }
            firstBatch = IndexBatch()
            (batchFiles, batchChunks) = (0, 0)
        }
        var next = 0
        while next < pending.count {
            // A group of whole files holding at least one embedding call's worth of chunks.
            var group = next..<(next + 1)
            var groupChunks = pending[next].chunks.count
            while group.upperBound < pending.count, groupChunks < embedBatchSize {
                groupChunks += pending[group.upperBound].chunks.count
                group = group.lowerBound..<(group.upperBound + 1)
            }
            next = group.upperBound
            try report(.embedding(path: pending[group.lowerBound].file.relativePath, file: group.lowerBound + 1, files: pending.count))
            let entries = pending[group].flatMap(\.chunks)
            var vectors: [[Float]] = []
            vectors.reserveCapacity(entries.count)
            var start = 0
            while start < entries.count {
                let slice = entries[start..<min(start + embedBatchSize, entries.count)]
                let embedded = try embedder.embed(slice.map { Self.embeddingText($0.chunk) })
                guard embedded.count == slice.count else { throw IndexingError.badEmbedding(expected: slice.count, got: embedded.count) }
                for vector in embedded where vector.count != embedder.dimension {
                    throw IndexingError.badEmbedding(expected: embedder.dimension, got: vector.count)
                }
                vectors += embedded
                start += slice.count
                done += slice.count
                try report(.chunksEmbedded(done: done, total: total))
            }
            var offset = 0
            for file in pending[group] {
                let records = file.chunks.enumerated().map { index, entry in
                    ChunkRecord(itemID: entry.itemID, chunk: entry.chunk, vector: vectors[offset + index])
                }
                offset += file.chunks.count
                firstBatch.replacements.append(DocumentReplacement(path: file.file.relativePath, sha256: file.sha256,
                                                                   modified: file.file.modified, size: file.file.size, chunks: records))
                batchFiles += 1
                batchChunks += records.count
                if file.isNew { summary.added.append(file.file.relativePath) } else { summary.changed.append(file.file.relativePath) }
                summary.chunksWritten += records.count
                summary.tokensWritten += records.reduce(0) { $0 + $1.chunk.tokenCount }
            }
            if batchChunks >= chunksPerBatch { try commit() }
        }
        try commit()
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
