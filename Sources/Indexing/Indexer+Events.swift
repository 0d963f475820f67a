// What an indexing run reports while it works, and what it did in the end.
import Foundation

/// A progress event from `Indexer.run`.
public enum IndexEvent: Sendable {
    /// The whole index is rebuilt (first index, other embedder, other chunk settings).
    case rebuilding(reason: String)
    /// Files found under the given paths.
    case scanned(files: Int)
    /// A file will not be indexed.
    case skipped(path: String, reason: SkipReason)
    /// What will be done: counts of files, and chunks to embed.
    case planned(added: Int, changed: Int, unchanged: Int, removed: Int, chunksToEmbed: Int)
    /// Embedding starts on a group of files beginning with `path`, the 1-based `file` of `files`.
    case embedding(path: String, file: Int, files: Int)
    /// Chunks embedded so far, of all chunks this run embeds.
    case chunksEmbedded(done: Int, total: Int)
    /// A batch was written. An update in place shows every batch at once when the run ends (one
    /// transaction); a rebuild's new file is swapped in at the end.
    case committed(files: Int, chunks: Int)
    /// The run is over.
    case finished(IndexSummary)
}

/// The answer a progress callback gives.
public enum IndexControl: Sendable {
    case proceed
    case stop
}

/// What one indexing run did.
public struct IndexSummary: Sendable, Equatable {
    public var added: [String] = []
    public var changed: [String] = []
    public var removed: [String] = []
    public var unchanged = 0
    public var skipped: [(path: String, reason: SkipReason)] = []
    /// Chunks written (embedded) by this run.
    public var chunksWritten = 0
    /// Word-piece tokens in those chunks (by the chunker's counter, headings not included).
    public var tokensWritten = 0
    /// Documents and chunks in the index afterwards.
    public var totalDocuments = 0
    public var totalChunks = 0
    public var seconds = 0.0
    /// Why the whole index was rebuilt, if it was.
    public var rebuildReason: String?

    public static func == (a: IndexSummary, b: IndexSummary) -> Bool {
        a.added == b.added && a.changed == b.changed && a.removed == b.removed && a.unchanged == b.unchanged
            && a.skipped.map(\.path) == b.skipped.map(\.path) && a.chunksWritten == b.chunksWritten
            && a.totalDocuments == b.totalDocuments && a.totalChunks == b.totalChunks && a.rebuildReason == b.rebuildReason
    }

    /// Skipped files grouped by reason category, most common first.
    public var skippedByCategory: [(category: String, count: Int)] {
        var counts: [String: Int] = [:]
        for entry in skipped { counts[entry.reason.category, default: 0] += 1 }
        return counts.map { ($0.key, $0.value) }.sorted { $0.count != $1.count ? $0.count > $1.count : $0.category < $1.category }
    }
}
