// The index on disk: one SQLite file (GRDB, WAL mode) holding documents, chunks, an FTS5
// table for BM25 and the chunk embeddings as Float32 BLOBs. Every write is one transaction; an
// indexing run can also hold one write transaction for its whole length (`beginRun`/`commitRun`).
import Foundation
import GRDB

/// What the index remembers about one source file.
public struct StoredDocument: Sendable, Equatable {
    public var id: Int64
    /// Path relative to the parent of the indexed folder (e.g. `handbook/policies/travel.md`).
    public var path: String
    public var sha256: String
    /// Seconds since 1970.
    public var modified: Double
    public var size: Int
}

/// A chunk ready to be written: its text, place and vector.
public struct ChunkRecord: Sendable {
    public var itemID: String?
    public var chunk: Chunk
    /// (dimension) unit vector.
    public var vector: [Float]

    public init(itemID: String?, chunk: Chunk, vector: [Float]) {
        self.itemID = itemID
        self.chunk = chunk
        self.vector = vector
    }
}

/// One file's new content, replacing whatever the index held for that path.
public struct DocumentReplacement: Sendable {
    public var path: String
    public var sha256: String
    public var modified: Double
    public var size: Int
    public var chunks: [ChunkRecord]

    public init(path: String, sha256: String, modified: Double, size: Int, chunks: [ChunkRecord]) {
        self.path = path
        self.sha256 = sha256
        self.modified = modified
        self.size = size
        self.chunks = chunks
    }
}

/// Changes committed together in one transaction.
public struct IndexBatch: Sendable {
    public var replacements: [DocumentReplacement] = []
    /// Paths whose content is unchanged but whose modification time or size moved.
    public var touched: [(path: String, modified: Double, size: Int)] = []
    public var removals: [String] = []
    public var meta: [String: String] = [:]
    public init() {}
    public var isEmpty: Bool { replacements.isEmpty && touched.isEmpty && removals.isEmpty && meta.isEmpty }
}

/// The SQLite index file.
public final class IndexStore: Sendable {
    /// Bumped when the tables change shape; an older index is rebuilt.
    public static let schemaVersion = 1
    public let url: URL
    let queue: DatabaseQueue
    /// Test hook: called after each chunk is inserted, inside the write transaction; throwing aborts it.
    let faultInjection: (@Sendable (Int) throws -> Void)?

    /// Opens (and with `create`, creates) the index file at `url`.
    public init(url: URL, create: Bool, faultInjection: (@Sendable (Int) throws -> Void)? = nil) throws {
        if !create, !FileManager.default.fileExists(atPath: url.path) {
            throw IndexingError.noIndex(workspace: url.deletingLastPathComponent().path)
        }
        self.url = url
        self.faultInjection = faultInjection
        var config = Configuration()
        config.journalMode = .wal
        config.busyMode = .timeout(10)
        config.label = "parallax-index"
        // A run-long write transaction (`beginRun` … `commitRun`) spans several database accesses.
        config.allowsUnsafeTransactions = true
        do {
            if create {
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            }
            queue = try DatabaseQueue(path: url.path, configuration: config)
            if create {
                try queue.write { db in try Self.createSchema(db) }
            } else {
                let version = try queue.read { db in
                    try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'schema_version'")
                }
                guard let version, let number = Int(version) else {
                    throw IndexingError.unreadableIndex(path: url.path, reason: "no schema version")
                }
                guard number == Self.schemaVersion else {
                    throw IndexingError.unsupportedSchema(found: number, expected: Self.schemaVersion)
                }
            }
        } catch let error as IndexingError {
            throw error
        } catch {
            throw IndexingError.unreadableIndex(path: url.path, reason: String(describing: error))
        }
    }

    static func createSchema(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS documents(
                id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, sha256 TEXT NOT NULL,
                mtime REAL NOT NULL, size INTEGER NOT NULL, indexed_at REAL NOT NULL);
            CREATE TABLE IF NOT EXISTS chunks(
                id INTEGER PRIMARY KEY, document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
                ordinal INTEGER NOT NULL, item_id TEXT, heading TEXT NOT NULL, text TEXT NOT NULL,
                span_start INTEGER NOT NULL, span_end INTEGER NOT NULL, tokens INTEGER NOT NULL);
            CREATE INDEX IF NOT EXISTS chunks_by_document ON chunks(document_id);
            CREATE TABLE IF NOT EXISTS vectors(
                chunk_id INTEGER PRIMARY KEY REFERENCES chunks(id) ON DELETE CASCADE, vector BLOB NOT NULL);
            CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(
                heading, text, content='chunks', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
            CREATE TRIGGER IF NOT EXISTS chunks_after_insert AFTER INSERT ON chunks BEGIN
                INSERT INTO chunks_fts(rowid, heading, text) VALUES (new.id, new.heading, new.text);
            END;
            CREATE TRIGGER IF NOT EXISTS chunks_after_delete AFTER DELETE ON chunks BEGIN
                INSERT INTO chunks_fts(chunks_fts, rowid, heading, text) VALUES ('delete', old.id, old.heading, old.text);
            END;
            """)
        try db.execute(sql: "INSERT OR IGNORE INTO meta(key, value) VALUES ('schema_version', ?)",
                       arguments: [String(schemaVersion)])
    }

    /// Closes the file; the store is unusable afterwards.
    public func close() throws {
        try queue.close()
    }

    // MARK: Reading

    /// All key/value settings (schema version, embedder, chunking).
    public func meta() throws -> [String: String] {
        try wrap {
            try queue.read { db in
                var meta: [String: String] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT key, value FROM meta") { meta[row[0]] = row[1] }
                return meta
            }
        }
    }

    /// Every document, by path.
    public func documents() throws -> [String: StoredDocument] {
        try wrap {
            try queue.read { db in
                var result: [String: StoredDocument] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT id, path, sha256, mtime, size FROM documents") {
                    let document = StoredDocument(id: row[0], path: row[1], sha256: row[2], modified: row[3], size: row[4])
                    result[document.path] = document
                }
                return result
            }
        }
    }

    /// Number of documents and chunks.
    public func counts() throws -> (documents: Int, chunks: Int) {
        try wrap {
            try queue.read { db in
                (try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM documents") ?? 0,
                 try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM chunks") ?? 0)
            }
        }
    }

    // MARK: Writing

    /// Applies a batch in one transaction (a savepoint inside a run's transaction): either all of
    /// it is written or none of it.
    public func apply(_ batch: IndexBatch) throws {
        guard !batch.isEmpty else { return }
        try wrap {
            try queue.writeWithoutTransaction { db in try db.inSavepoint {
                let now = Date().timeIntervalSince1970
                var inserted = 0
                for path in batch.removals {
                    try db.execute(sql: "DELETE FROM chunks WHERE document_id = (SELECT id FROM documents WHERE path = ?)", arguments: [path])
                    try db.execute(sql: "DELETE FROM documents WHERE path = ?", arguments: [path])
                }
                for touch in batch.touched {
                    try db.execute(sql: "UPDATE documents SET mtime = ?, size = ? WHERE path = ?",
                                   arguments: [touch.modified, touch.size, touch.path])
                }
                let insertChunk = try db.cachedStatement(sql: """
                    INSERT INTO chunks(document_id, ordinal, item_id, heading, text, span_start, span_end, tokens)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """)
                let insertVector = try db.cachedStatement(sql: "INSERT INTO vectors(chunk_id, vector) VALUES (?, ?)")
                for replacement in batch.replacements {
                    try db.execute(sql: "DELETE FROM chunks WHERE document_id = (SELECT id FROM documents WHERE path = ?)",
                                   arguments: [replacement.path])
                    try db.execute(sql: """
                        INSERT INTO documents(path, sha256, mtime, size, indexed_at) VALUES (?, ?, ?, ?, ?)
                        ON CONFLICT(path) DO UPDATE SET sha256 = excluded.sha256, mtime = excluded.mtime,
                            size = excluded.size, indexed_at = excluded.indexed_at
                        """, arguments: [replacement.path, replacement.sha256, replacement.modified, replacement.size, now])
                    guard let documentID = try Int64.fetchOne(db, sql: "SELECT id FROM documents WHERE path = ?",
                                                              arguments: [replacement.path]) else { continue }
                    for (ordinal, record) in replacement.chunks.enumerated() {
                        let chunk = record.chunk
                        try insertChunk.execute(arguments: [documentID, ordinal, record.itemID, chunk.headingLine, chunk.text,
                                                            chunk.span.lowerBound, chunk.span.upperBound, chunk.tokenCount])
                        try insertVector.execute(arguments: [db.lastInsertedRowID, Self.blob(record.vector)])
                        inserted += 1
                        try faultInjection?(inserted)
                    }
                }
                for (key, value) in batch.meta {
                    try db.execute(sql: "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                                   arguments: [key, value])
                }
                return .commit
            } }
        }
    }

    // MARK: Run-long transaction

    /// Starts one write transaction for a whole indexing run: until `commitRun`, other
    /// connections (and a process started after a crash or SIGKILL) see the index as it was.
    /// Takes the write lock at once, so a second writer waits (busy timeout) or fails cleanly.
    public func beginRun() throws {
        try wrap { try queue.writeWithoutTransaction { db in try db.beginTransaction(.immediate) } }
    }

    /// Commits the run's transaction: every batch applied since `beginRun` appears at once.
    public func commitRun() throws {
        try wrap { try queue.writeWithoutTransaction { db in try db.commit() } }
    }

    /// Drops everything applied since `beginRun`.
    public func rollbackRun() throws {
        try wrap {
            try queue.writeWithoutTransaction { db in
                if db.isInsideTransaction { try db.rollback() }
            }
        }
    }

    /// Merges FTS5 segments (worth doing after a large build).
    public func optimize() throws {
        try wrap {
            try queue.writeWithoutTransaction { db in
                try db.inSavepoint {
                    try db.execute(sql: "INSERT INTO chunks_fts(chunks_fts) VALUES ('optimize')")
                    return .commit
                }
            }
        }
    }

    /// Writes the WAL back into the main file and empties it.
    public func checkpoint() throws {
        try wrap { _ = try queue.writeWithoutTransaction { db in try db.checkpoint(.truncate) } }
    }

    static func blob(_ vector: [Float]) -> Data {
        vector.withUnsafeBufferPointer { Data(buffer: $0) }
    }

    /// Runs a database operation, turning GRDB errors into `IndexingError.database`.
    func wrap<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as IndexingError {
            throw error
        } catch let error as DatabaseError {
            throw IndexingError.database(error.message ?? error.description)
        }
    }
}
