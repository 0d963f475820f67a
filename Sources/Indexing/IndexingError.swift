// The one error type of the Indexing module: what went wrong, with the context a user needs to fix it.
import Foundation

/// Errors raised while loading, indexing or searching documents.
public enum IndexingError: Error, CustomStringConvertible, Equatable {
    /// A path given to the indexer does not exist.
    case pathNotFound(String)
    /// The workspace has no index yet.
    case noIndex(workspace: String)
    /// The index file exists but could not be opened or read.
    case unreadableIndex(path: String, reason: String)
    /// The index was written by a newer or unknown schema.
    case unsupportedSchema(found: Int, expected: Int)
    /// The index was built with another embedder than the one searching it.
    case embedderMismatch(index: String, indexDimension: Int, current: String, currentDimension: Int)
    /// Dense or hybrid search (or indexing) needs the embedding model, which could not be loaded.
    case embedderUnavailable(String)
    /// The embedder returned something of the wrong shape.
    case badEmbedding(expected: Int, got: Int)
    /// A setting is out of range.
    case invalidSetting(name: String, value: String, reason: String)
    /// A database statement failed.
    case database(String)
    /// The job was cancelled (by the caller's progress callback or task cancellation).
    case cancelled
    /// A BEIR folder is missing a file or has malformed content.
    case badBEIR(path: String, reason: String)

    public var description: String {
        switch self {
        case let .pathNotFound(path):
            "No such file or folder: \(path). Check the path you asked to index."
        case let .noIndex(workspace):
            "No index in \(workspace). Run `parallax index PATH` first (or pass --workspace DIR pointing at an indexed workspace)."
        case let .unreadableIndex(path, reason):
            "Cannot read the index \(path): \(reason). Delete it and run `parallax index PATH` again."
        case let .unsupportedSchema(found, expected):
            "The index uses schema version \(found) but this parallax reads version \(expected). Re-run `parallax index PATH` to rebuild it."
        case let .embedderMismatch(index, indexDimension, current, currentDimension):
            "The index was embedded with \(index) (dimension \(indexDimension)) but the current embedder is \(current) (dimension \(currentDimension)). Re-run `parallax index PATH` to re-embed it."
        case let .embedderUnavailable(reason):
            "The embedding model is not available (\(reason)). Run `make models` to fetch it (search without the model: --mode bm25)."
        case let .badEmbedding(expected, got):
            "The embedder returned vectors of dimension \(got), expected \(expected)."
        case let .invalidSetting(name, value, reason):
            "Invalid \(name) \(value): \(reason)."
        case let .database(message):
            "Index database error: \(message)."
        case .cancelled:
            "Cancelled; the index is as it was before this run (run `parallax index` again to update it)."
        case let .badBEIR(path, reason):
            "Not a usable BEIR folder at \(path): \(reason). Expected corpus.jsonl, queries.jsonl and qrels/test.tsv (or qrels.tsv)."
        }
    }
}
