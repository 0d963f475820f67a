// Checking an index file: SQLite's and FTS5's integrity checks, and a digest of the logical
// content (documents, chunks, vectors, FTS index terms) that does not depend on row ids, so two
// indexes built by different sequences of runs over the same files compare equal.
import Foundation
import GRDB
import ModelFiles

extension IndexStore {
    /// Problems found by `PRAGMA integrity_check` and FTS5's own `integrity-check` (empty when
    /// the file is sound).
    public func integrityProblems() throws -> [String] {
        try wrap {
            try queue.writeWithoutTransaction { db in
                var problems = try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
                do {
                    try db.inSavepoint {
                        try db.execute(sql: "INSERT INTO chunks_fts(chunks_fts) VALUES ('integrity-check')")
                        return .rollback
                    }
                } catch let error as DatabaseError {
                    problems.append("FTS5: \(error.message ?? error.description)")
                }
                return problems
            }
        }
    }

    /// SHA-256 (hex) of everything a search can see: meta, documents (path, hash, mtime, size),
    /// chunks in document order with their vectors, and the FTS5 index's term instances mapped
    /// back to (document, chunk ordinal). Row ids and indexing times are left out.
    public func contentDigest() throws -> String {
        try wrap {
            try queue.writeWithoutTransaction { db in
                var hasher = DigestLines()
                for row in try Row.fetchAll(db, sql: "SELECT key, value FROM meta ORDER BY key") {
                    hasher.add("meta", row[0] as String, row[1] as String)
                }
                for row in try Row.fetchAll(db, sql: "SELECT path, sha256, mtime, size FROM documents ORDER BY path") {
                    hasher.add("doc", row[0] as String, row[1] as String, String(row[2] as Double), String(row[3] as Int))
                }
                let chunks = try Row.fetchCursor(db, sql: """
                    SELECT d.path, c.ordinal, c.item_id, c.heading, c.text, c.span_start, c.span_end, c.tokens, v.vector
                    FROM chunks c LEFT JOIN documents d ON d.id = c.document_id LEFT JOIN vectors v ON v.chunk_id = c.id
                    ORDER BY d.path, c.ordinal
                    """)
                while let row = try chunks.next() {
                    let vector: Data? = row[8]
                    hasher.add("chunk", row[0] as String? ?? "<orphan>", String(row[1] as Int), row[2] as String? ?? "",
                               row[3] as String, row[4] as String, String(row[5] as Int), String(row[6] as Int),
                               String(row[7] as Int), vector.map { SHA256.hex([UInt8]($0)) } ?? "<no vector>")
                }
                let orphanVectors = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM vectors WHERE chunk_id NOT IN (SELECT id FROM chunks)") ?? 0
                hasher.add("orphan-vectors", String(orphanVectors))
                try db.execute(sql: "CREATE VIRTUAL TABLE IF NOT EXISTS temp.chunks_fts_instances USING fts5vocab(main, chunks_fts, 'instance')")
                defer { try? db.execute(sql: "DROP TABLE IF EXISTS temp.chunks_fts_instances") }
                let terms = try Row.fetchCursor(db, sql: """
                    SELECT d.path, c.ordinal, i.col, i.offset, i.term FROM temp.chunks_fts_instances i
                    LEFT JOIN chunks c ON c.id = i.doc LEFT JOIN documents d ON d.id = c.document_id
                    ORDER BY d.path, c.ordinal, i.col, i.offset, i.term
                    """)
                while let row = try terms.next() {
                    hasher.add("fts", row[0] as String? ?? "<orphan>", String(row[1] as Int? ?? -1), row[2] as String,
                               String(row[3] as Int), row[4] as String)
                }
                return hasher.finish()
            }
        }
    }
}

/// Feeds length-prefixed fields into SHA-256 so no two different field lists hash alike.
private struct DigestLines {
    private var bytes: [UInt8] = []
    private var parts: [String] = []

    mutating func add(_ fields: String...) {
        for field in fields {
            let utf8 = Array(field.utf8)
            bytes += Array(String(utf8.count).utf8) + [0x3A] + utf8
        }
        bytes.append(0x0A)
        if bytes.count > 1 << 20 { flush() }
    }

    private mutating func flush() {
        parts.append(SHA256.hex(bytes))
        bytes.removeAll(keepingCapacity: true)
    }

    /// The hex digest of everything added.
    mutating func finish() -> String {
        flush()
        return parts.count == 1 ? parts[0] : SHA256.hex(Array(parts.joined(separator: "\n").utf8))
    }
}
