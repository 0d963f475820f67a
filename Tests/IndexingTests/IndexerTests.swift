// Indexer and store: incremental updates, skip reporting, atomic batches, rebuilds.
import Foundation
import Testing
@testable import Indexing

@Suite struct IndexerTests {
    func makeIndexer(_ folder: TemporaryFolder, embedder: HashingEmbedder, max: Int = 60) throws -> Indexer {
        var indexer = Indexer(workspace: Workspace(directory: folder.url.appendingPathComponent("docs/.parallax")),
                              embedder: embedder, chunker: try Chunker(maxTokens: max, overlapTokens: 10), chunksPerBatch: 4)
        indexer.embedBatchSize = 3
        return indexer
    }

    func seed(_ folder: TemporaryFolder) throws {
        try folder.write("docs/policies/travel.md", "# Travel\n\n## Per diem\n\n" + sampleSentences(12, seed: 1))
        try folder.write("docs/policies/returns.txt", sampleSentences(8, seed: 2))
        try folder.write("docs/products.html", "<h1>Products</h1><p>The Zephyr kettle boils in 90 seconds.</p>")
        try folder.write("docs/notes/empty.txt", "")
        try folder.write("docs/logo.png", Data([0x89, 0x50, 0x4E, 0x47, 0]))
        try folder.write("docs/.hidden/secret.txt", "hidden text")
    }

    @Test func firstIndexThenIncrementalUpdates() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try seed(folder)
        let embedder = HashingEmbedder()
        let indexer = try makeIndexer(folder, embedder: embedder)
        let docs = folder.url.appendingPathComponent("docs")

        var events: [IndexEvent] = []
        let first = try indexer.run(paths: [docs]) { events.append($0); return .proceed }
        #expect(first.rebuildReason == "new index")
        #expect(first.added == ["docs/policies/returns.txt", "docs/policies/travel.md", "docs/products.html"])
        #expect(Set(first.skipped.map(\.path)) == ["docs/notes/empty.txt", "docs/logo.png"])
        #expect(first.totalDocuments == 3)
        #expect(first.chunksWritten == first.totalChunks)
        #expect(embedder.textsEmbedded == first.totalChunks)
        #expect(events.contains { if case .finished = $0 { true } else { false } })
        let embeddedEvents = events.compactMap { if case let .chunksEmbedded(done, total) = $0 { (done, total) } else { nil } }
        #expect(embeddedEvents.last.map { $0.0 == $0.1 } == true)

        // Nothing changed: nothing is read, embedded or written.
        let second = try indexer.run(paths: [docs])
        #expect(second.unchanged == 3 && second.added.isEmpty && second.changed.isEmpty && second.removed.isEmpty)
        #expect(embedder.textsEmbedded == first.totalChunks)
        #expect(second.rebuildReason == nil)

        // Same content, new mtime: hashed, found equal, not re-embedded.
        try folder.write("docs/policies/returns.txt", sampleSentences(8, seed: 2))
        let touched = try indexer.run(paths: [docs])
        #expect(touched.changed.isEmpty && touched.unchanged == 3)
        #expect(embedder.textsEmbedded == first.totalChunks)

        // One changed, one deleted, one added.
        try folder.write("docs/products.html", "<h1>Products</h1><p>The Zephyr kettle now boils in 75 seconds.</p>")
        try folder.remove("docs/policies/returns.txt")
        try folder.write("docs/faq.md", "# FAQ\n\nWhere is the office? On Lantern Street.")
        let third = try indexer.run(paths: [docs])
        #expect(third.changed == ["docs/products.html"])
        #expect(third.removed == ["docs/policies/returns.txt"])
        #expect(third.added == ["docs/faq.md"])
        #expect(third.totalDocuments == 3)

        let store = try indexer.workspace.openIndex()
        let products = try store.chunks(ofDocument: "docs/products.html")
        #expect(products.map(\.text) == ["The Zephyr kettle now boils in 75 seconds."])
        #expect(products.first?.headingPath == "Products")
        #expect(try store.chunks(ofDocument: "docs/policies/returns.txt").isEmpty)
        let counts = try store.chunkCounts()
        #expect(counts["docs/products.html"] == 1 && counts["docs/policies/returns.txt"] == nil)
        for path in try store.documents().keys {
            #expect(counts[path, default: 0] == (try store.chunks(ofDocument: path).count), "\(path)")
        }
        #expect(counts.values.reduce(0, +) == (try store.counts().chunks))
        let searcher = try HybridSearcher(store: store, embedder: embedder)
        #expect(try searcher.search("Lantern", mode: .bm25).first?.document == "docs/faq.md")
        #expect(try searcher.search("boils seconds", mode: .bm25).count == 1)
    }

    @Test func failureMidBatchLeavesThePreviousIndexIntact() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try seed(folder)
        let embedder = HashingEmbedder()
        var indexer = try makeIndexer(folder, embedder: embedder)  // 4 chunks per batch: several batches
        let docs = folder.url.appendingPathComponent("docs")
        let before = try indexer.run(paths: [docs])
        let store = try indexer.workspace.openIndex()
        let documentsBefore = try store.documents()
        let travelBefore = try store.chunks(ofDocument: "docs/policies/travel.md")

        try folder.write("docs/policies/travel.md", "# Travel\n\n" + sampleSentences(30, seed: 5))
        try folder.write("docs/products.html", "<p>Changed product page.</p>")
        try folder.remove("docs/policies/returns.txt")
        indexer.faultInjection = { inserted in if inserted >= 3 { throw TestFailure.injected } }
        #expect(throws: TestFailure.self) { try indexer.run(paths: [docs]) }

        let after = try IndexStore(url: indexer.workspace.indexURL, create: false)
        #expect(try after.documents() == documentsBefore)
        #expect(try after.chunks(ofDocument: "docs/policies/travel.md") == travelBefore)
        #expect(try after.counts().chunks == before.totalChunks)
        let searcher = try HybridSearcher(store: after, embedder: embedder)
        #expect(try searcher.search("per diem", mode: .hybrid).isEmpty == false)

        // The next run (no fault) brings it up to date.
        indexer.faultInjection = nil
        let recovered = try indexer.run(paths: [docs])
        #expect(recovered.changed == ["docs/policies/travel.md", "docs/products.html"])
        #expect(recovered.removed == ["docs/policies/returns.txt"])
    }

    @Test func failedRebuildKeepsTheOldIndexAndLeavesNoBuildFile() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try seed(folder)
        let docs = folder.url.appendingPathComponent("docs")
        let original = try makeIndexer(folder, embedder: HashingEmbedder())
        let before = try original.run(paths: [docs])

        // Another embedder forces a rebuild; it fails while embedding.
        let other = HashingEmbedder(modelID: "hashing-bow-32", dimension: 32)
        other.failAfter = 2
        let rebuilding = try makeIndexer(folder, embedder: other)
        var reason: String?
        #expect(throws: TestFailure.self) {
            try rebuilding.run(paths: [docs]) { event in
                if case let .rebuilding(why) = event { reason = why }
                return .proceed
            }
        }
        #expect(reason?.contains("embedder changed") == true)
        let store = try original.workspace.openIndex()
        #expect(try store.meta()[IndexMetaKey.embedderModel] == "hashing-bow-64")
        #expect(try store.counts().chunks == before.totalChunks)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: original.workspace.directory.path)
        #expect(!leftovers.contains { $0.contains("building") })

        // Searching with the new embedder explains the mismatch; BM25 still works.
        let searcher = try HybridSearcher(store: store, embedder: other)
        #expect(throws: IndexingError.self) { try searcher.search("per diem", mode: .dense) }
        #expect(try searcher.search("per diem", mode: .bm25).isEmpty == false)

        // A successful rebuild switches over.
        other.failAfter = nil
        let rebuilt = try rebuilding.run(paths: [docs])
        #expect(rebuilt.totalChunks == before.totalChunks)
        #expect(try original.workspace.openIndex().meta()[IndexMetaKey.embedderModel] == "hashing-bow-32")
    }

    @Test func stoppingFromTheCallbackCancels() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try seed(folder)
        let indexer = try makeIndexer(folder, embedder: HashingEmbedder())
        #expect(throws: IndexingError.cancelled) {
            try indexer.run(paths: [folder.url.appendingPathComponent("docs")]) { event in
                if case .embedding = event { return .stop }
                return .proceed
            }
        }
        #expect(!indexer.workspace.hasIndex)  // a cancelled first build leaves nothing behind
    }

    @Test func stoppingAnUpdateAfterWrittenBatchesKeepsTheOldIndex() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try seed(folder)
        let indexer = try makeIndexer(folder, embedder: HashingEmbedder())
        let docs = folder.url.appendingPathComponent("docs")
        _ = try indexer.run(paths: [docs])
        let before = try indexer.workspace.openIndex().contentDigest()

        try folder.write("docs/policies/travel.md", "# Travel\n\n" + sampleSentences(40, seed: 9))
        try folder.write("docs/products.html", "<p>Changed product page.</p>")
        var written = 0
        #expect(throws: IndexingError.cancelled) {
            try indexer.run(paths: [docs]) { event in
                if case .committed = event { written += 1 }
                return written >= 2 ? .stop : .proceed
            }
        }
        #expect(written == 2)
        let store = try indexer.workspace.openIndex()
        #expect(try store.integrityProblems().isEmpty)
        #expect(try store.contentDigest() == before)

        // The next run does the whole update; the digest then matches a fresh build of the same files.
        let done = try indexer.run(paths: [docs])
        #expect(done.changed == ["docs/policies/travel.md", "docs/products.html"])
        let updated = try indexer.workspace.openIndex().contentDigest()
        #expect(updated != before)
        let fresh = Indexer(workspace: Workspace(directory: folder.url.appendingPathComponent("fresh")), embedder: HashingEmbedder(),
                            chunker: indexer.chunker, chunksPerBatch: 4)
        _ = try fresh.run(paths: [docs])
        #expect(try fresh.workspace.openIndex().contentDigest() == updated)
    }

    @Test func asyncEventStreamEndsWithFinished() async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try seed(folder)
        let indexer = try makeIndexer(folder, embedder: HashingEmbedder())
        var last: IndexEvent?
        for try await event in indexer.events(paths: [folder.url.appendingPathComponent("docs")]) { last = event }
        guard case let .finished(summary) = last else { Issue.record("no finished event"); return }
        #expect(summary.totalDocuments == 3)
    }

    @Test func onlyTheScannedPathsAreReconciled() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try folder.write("a/x.md", "# X\n\nAlpha text.")
        try folder.write("b/y.md", "# Y\n\nBeta text.")
        try folder.write("notes.txt", "Loose note.")
        let indexer = Indexer(workspace: Workspace(directory: folder.url.appendingPathComponent("ws")), embedder: HashingEmbedder(),
                              chunker: try Chunker(maxTokens: 50, overlapTokens: 5))
        let (a, b, note) = (folder.url.appendingPathComponent("a"), folder.url.appendingPathComponent("b"),
                            folder.url.appendingPathComponent("notes.txt"))
        #expect(try indexer.run(paths: [a, b, note]).added == ["a/x.md", "b/y.md", "notes.txt"])
        let onlyA = try indexer.run(paths: [a])
        #expect(onlyA.removed.isEmpty && onlyA.totalDocuments == 3)
        try folder.remove("b/y.md")
        try folder.remove("notes.txt")
        let onlyB = try indexer.run(paths: [b])
        #expect(onlyB.removed == ["b/y.md"] && onlyB.totalDocuments == 2)
    }

    @Test func missingPathIsAClearError() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let indexer = try makeIndexer(folder, embedder: HashingEmbedder())
        #expect(throws: IndexingError.pathNotFound(folder.url.appendingPathComponent("nope").path)) {
            try indexer.run(paths: [folder.url.appendingPathComponent("nope")])
        }
        #expect(throws: IndexingError.self) { try Workspace(directory: folder.url).openIndex() }
        #expect(IndexingError.noIndex(workspace: "/x").description.contains("parallax index PATH"))
    }
}
