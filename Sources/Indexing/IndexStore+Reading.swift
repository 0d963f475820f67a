// Reads for search: all vectors as one matrix, BM25 candidates from FTS5, chunk details by id.
import Foundation
import GRDB

/// A chunk as stored, with its document path.
public struct StoredChunk: Sendable, Equatable {
    public var id: Int64
    public var documentPath: String
    /// The BEIR `_id` for corpus records, nil for whole files.
    public var itemID: String?
    public var headingPath: String
    public var text: String
    /// Unicode scalar offsets into the loaded document text.
    public var span: Range<Int>
    public var tokens: Int
}

extension IndexStore {
    /// Every chunk vector in one row-major (count, dimension) matrix, with the chunk id of each row.
    public func loadVectors(dimension: Int) throws -> (ids: [Int64], matrix: [Float]) {
        try wrap {
            try queue.read { db in
                let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM vectors") ?? 0
                var ids: [Int64] = []
                ids.reserveCapacity(count)
                var matrix = [Float](repeating: 0, count: count * dimension)  // (count, dimension)
                let rowBytes = dimension * MemoryLayout<Float>.size
                var row = 0
                let cursor = try Row.fetchCursor(db, sql: "SELECT chunk_id, vector FROM vectors ORDER BY chunk_id")
                try matrix.withUnsafeMutableBytes { destination in
                    while let record = try cursor.next() {
                        guard row < count else { break }
                        let data: Data = record[1]
                        guard data.count == rowBytes else {
                            throw IndexingError.badEmbedding(expected: dimension, got: data.count / MemoryLayout<Float>.size)
                        }
                        data.withUnsafeBytes { source in
                            destination.baseAddress!.advanced(by: row * rowBytes).copyMemory(from: source.baseAddress!, byteCount: rowBytes)
                        }
                        ids.append(record[0])
                        row += 1
                    }
                }
                if row < count { matrix.removeLast((count - row) * dimension) }
                return (ids, matrix)
            }
        }
    }

    /// Chunk ids ranked by FTS5 BM25, best first, with BM25 scores (higher is better; SQLite's
    /// `bm25()` is negated). `match` must already be a valid FTS5 expression (see `FTSQuery`).
    public func bm25(match: String, limit: Int) throws -> [(id: Int64, score: Double)] {
        guard !match.isEmpty, limit > 0 else { return [] }
        return try wrap {
            try queue.read { db in
                let statement = try db.cachedStatement(sql: """
                    SELECT rowid, bm25(chunks_fts) AS score FROM chunks_fts WHERE chunks_fts MATCH ?
                    ORDER BY score LIMIT ?
                    """)
                var hits: [(Int64, Double)] = []
                let cursor = try Row.fetchCursor(statement, arguments: [match, limit])
                while let row = try cursor.next() {
                    let score: Double = row[1]
                    hits.append((row[0], -score))
                }
                return hits
            }
        }
    }

    /// Chunks by id (missing ids are left out).
    public func chunks(ids: [Int64]) throws -> [Int64: StoredChunk] {
        guard !ids.isEmpty else { return [:] }
        return try wrap {
            try queue.read { db in
                var result: [Int64: StoredChunk] = [:]
                let placeholders = Array(repeating: "?", count: ids.count).joined(separator: ",")
                let rows = try Row.fetchAll(db, sql: """
                    SELECT c.id, d.path, c.item_id, c.heading, c.text, c.span_start, c.span_end, c.tokens
                    FROM chunks c JOIN documents d ON d.id = c.document_id WHERE c.id IN (\(placeholders))
                    """, arguments: StatementArguments(ids))
                for row in rows {
                    let start: Int = row[5]
                    let end: Int = row[6]
                    let chunk = StoredChunk(id: row[0], documentPath: row[1], itemID: row[2], headingPath: row[3],
                                            text: row[4], span: start..<max(start, end), tokens: row[7])
                    result[chunk.id] = chunk
                }
                return result
            }
        }
    }

    /// How many chunks each document has, by path (documents with none are left out): one
    /// grouped query, for listings that would otherwise read every chunk's text to count it.
    public func chunkCounts() throws -> [String: Int] {
        try wrap {
            try queue.read { db in
                var result: [String: Int] = [:]
                let rows = try Row.fetchCursor(db, sql: """
                    SELECT d.path, COUNT(*) FROM chunks c JOIN documents d ON d.id = c.document_id GROUP BY c.document_id
                    """)
                while let row = try rows.next() { result[row[0]] = row[1] }
                return result
            }
        }
    }

    /// All chunks of one document in order (for re-embedding and inspection).
    public func chunks(ofDocument path: String) throws -> [StoredChunk] {
        try wrap {
            try queue.read { db in
                try Row.fetchAll(db, sql: """
                    SELECT c.id, d.path, c.item_id, c.heading, c.text, c.span_start, c.span_end, c.tokens
                    FROM chunks c JOIN documents d ON d.id = c.document_id WHERE d.path = ? ORDER BY c.ordinal
                    """, arguments: [path]).map { row in
                    let start: Int = row[5]
                    let end: Int = row[6]
                    return StoredChunk(id: row[0], documentPath: row[1], itemID: row[2], headingPath: row[3],
                                       text: row[4], span: start..<max(start, end), tokens: row[7])
                }
            }
        }
    }
}
