// Reading a text file line by line in fixed-size chunks, so a file of a million lines or one
// endless line never has to fit in memory at once (JSONL datasets, QA suites).
import Foundation

/// One line as read by `LineReader`.
public enum BoundedLine: Sendable, Equatable {
    /// The line's bytes without the newline (a trailing `\r` is kept).
    case text(Data)
    /// A line longer than the reader's limit; its bytes were skipped, `bytes` counts them.
    case tooLong(bytes: Int)
}

/// Streams the lines of a file with bounded memory: at most one chunk plus one line of `maxLineBytes`.
public enum LineReader {
    /// Calls `body` with each line's 1-based number and content, in order, until the file ends or
    /// `body` returns false. A last line without a newline is delivered too.
    /// - Throws: what `FileHandle` throws when the file cannot be opened or read, and what `body` throws.
    public static func forEachLine(in url: URL, maxLineBytes: Int, chunkBytes: Int = 1 << 20,
                                   _ body: (Int, BoundedLine) throws -> Bool) throws {
        precondition(maxLineBytes > 0 && chunkBytes > 0, "limits must be positive")
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var line = Data()
        var overflow = 0          // bytes of the current line dropped past the limit (0: not too long)
        var number = 0
        func emit() throws -> Bool {
            number += 1
            let content: BoundedLine = overflow > 0 ? .tooLong(bytes: line.count + overflow) : .text(line)
            line.removeAll(keepingCapacity: true)
            overflow = 0
            return try body(number, content)
        }
        func append(_ bytes: Data.SubSequence) {
            if overflow > 0 || line.count + bytes.count > maxLineBytes {
                overflow += bytes.count
            } else {
                line.append(contentsOf: bytes)
            }
        }
        while let chunk = try handle.read(upToCount: chunkBytes), !chunk.isEmpty {
            var start = chunk.startIndex
            while let newline = chunk[start...].firstIndex(of: UInt8(ascii: "\n")) {
                append(chunk[start..<newline])
                guard try emit() else { return }
                start = chunk.index(after: newline)
            }
            append(chunk[start...])
        }
        if !line.isEmpty || overflow > 0 { _ = try emit() }
    }

    /// Newline characters in the file, counted in chunks and stopping at `limit` (nil when unreadable).
    /// For listings ("1,234 examples") that must not load a huge file.
    public static func countNewlines(in url: URL, limit: Int = 10_000_000, chunkBytes: Int = 1 << 20) -> Int? {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
        defer { try? handle.close() }
        var count = 0
        while count < limit, let chunk = try? handle.read(upToCount: chunkBytes), !chunk.isEmpty {
            count += chunk.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        }
        return min(count, limit)
    }
}
