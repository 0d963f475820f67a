// Query history: ↑/↓ recall on the query line, persisted in the workspace (`<workspace>/history`, one query a line).
import Foundation

/// Past queries, oldest first, with a browsing position.
public struct QueryHistory: Equatable, Sendable {
    public private(set) var entries: [String]
    /// Index into `entries` while browsing; nil when editing a fresh line.
    public private(set) var position: Int?
    private var draft = ""
    public static let limit = 500

    public init(entries: [String] = []) { self.entries = Array(entries.suffix(QueryHistory.limit)) }

    /// Records a submitted query (skipping blanks and an immediate repeat) and stops browsing.
    public mutating func record(_ query: String) {
        let trimmed = query.trimmingCharacters(in: .whitespaces)
        position = nil
        guard !trimmed.isEmpty, entries.last != trimmed else { return }
        entries.append(trimmed)
        if entries.count > QueryHistory.limit { entries.removeFirst(entries.count - QueryHistory.limit) }
    }

    /// The previous (older) entry, remembering `current` as the draft to come back to.
    public mutating func older(current: String) -> String? {
        guard !entries.isEmpty else { return nil }
        if let p = position {
            guard p > 0 else { return nil }
            position = p - 1
        } else {
            draft = current
            position = entries.count - 1
        }
        return position.map { entries[$0] }
    }

    /// The next (newer) entry, or the draft after the newest.
    public mutating func newer() -> String? {
        guard let p = position else { return nil }
        if p + 1 < entries.count {
            position = p + 1
            return entries[p + 1]
        }
        position = nil
        return draft
    }

    /// Reads a history file; a missing file is an empty history.
    public static func load(from url: URL) -> QueryHistory {
        guard let data = try? Data(contentsOf: url) else { return QueryHistory() }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        return QueryHistory(entries: lines)
    }

    /// Writes the history atomically.
    public func save(to url: URL) throws {
        try writeAtomically(Data((entries.joined(separator: "\n") + "\n").utf8), to: url)
    }
}
