// Reads BEIR-format files: corpus.jsonl ({"_id","title","text"} per line), queries.jsonl
// ({"_id","text"}) and qrels TSV (query-id, corpus-id, score, with a header line).
// Format: Thakur et al. 2021, "BEIR: A Heterogeneous Benchmark for Zero-shot Evaluation of IR Models".
import Foundation
import ModelFiles

/// Readers for the three files of a BEIR dataset folder.
public enum BEIRCorpusReader {
    /// Corpus records as source items; a file where no line is a record is not a corpus.
    /// Blank lines are ignored; malformed lines are skipped if at least one line is a record.
    public static func items(fromJSONL text: String) -> LoadOutcome {
        var items: [SourceItem] = []
        var firstProblem: String?
        var lineNumber = 0
        for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            guard !line.allSatisfy(\.isWhitespace) else { continue }
            let object: [String: Any]
            do {
                // Depth-guarded: a line nested 100,000 deep is refused before the recursive parser sees it.
                guard let parsed = try JSONGuard.object(from: Data(line.utf8)) as? [String: Any] else { throw JSONGuardError.invalid }
                object = parsed
            } catch {
                firstProblem = firstProblem ?? "line \(lineNumber) is not a JSON object (\(error))"
                continue
            }
            guard let id = stringValue(object["_id"]) else {
                firstProblem = firstProblem ?? "line \(lineNumber) has no \"_id\""
                continue
            }
            let title = (object["title"] as? String).flatMap { $0.isEmpty ? nil : $0 }
            let body = object["text"] as? String ?? ""
            guard !(body.isEmpty && title == nil) else { continue }
            items.append(SourceItem(itemID: id, title: title, text: body.isEmpty ? (title ?? "") : body, format: .plain))
        }
        if items.isEmpty { return .skipped(firstProblem.map { .notBEIRCorpus($0) } ?? .empty) }
        return .loaded(items)
    }

    /// Queries by id, in file order, read from a queries.jsonl file.
    public static func queries(at url: URL) throws -> [(id: String, text: String)] {
        try queries(text: readText(url), path: url.path)
    }

    /// Queries by id, in file order, from the text of a queries.jsonl file; `path` only names
    /// the source in error messages.
    public static func queries(text: String, path: String) throws -> [(id: String, text: String)] {
        var queries: [(String, String)] = []
        for (number, line) in text.split(whereSeparator: \.isNewline).enumerated() where !line.allSatisfy(\.isWhitespace) {
            guard let object = try? JSONGuard.object(from: Data(line.utf8)) as? [String: Any],
                  let id = stringValue(object["_id"]), let query = object["text"] as? String else {
                throw IndexingError.badBEIR(path: path, reason: "line \(number + 1) is not {\"_id\", \"text\"}")
            }
            queries.append((id, query))
        }
        return queries
    }

    /// Relevance judgements from a qrels file: query id → corpus id → graded relevance (> 0 means relevant).
    public static func qrels(at url: URL) throws -> [String: [String: Int]] {
        try qrels(text: readText(url), path: url.path)
    }

    /// Relevance judgements from the text of a qrels file (BEIR TSV with a header, or TREC's four
    /// columns); `path` only names the source in error messages.
    public static func qrels(text: String, path: String) throws -> [String: [String: Int]] {
        var judgements: [String: [String: Int]] = [:]
        for (number, line) in text.split(whereSeparator: \.isNewline).enumerated() {
            let fields = line.split(whereSeparator: { $0 == "\t" || $0 == " " }).map(String.init)
            guard !fields.isEmpty else { continue }
            // TREC form has four columns (qid, 0, docid, rel); BEIR has three with a header.
            let (query, doc, scoreText): (String, String, String)
            if fields.count >= 4 { (query, doc, scoreText) = (fields[0], fields[2], fields[3]) }
            else if fields.count == 3 { (query, doc, scoreText) = (fields[0], fields[1], fields[2]) }
            else { throw IndexingError.badBEIR(path: path, reason: "line \(number + 1) has \(fields.count) columns") }
            // A fractional grade is truncated; an infinite, NaN or out-of-range one ("1e400") is not a number.
            guard let score = Int(scoreText) ?? Double(scoreText).flatMap({ Int(exactly: $0.rounded(.towardZero)) }) else {
                if number == 0 { continue }  // header: query-id corpus-id score
                throw IndexingError.badBEIR(path: path, reason: "line \(number + 1): score \(scoreText) is not a number")
            }
            judgements[query, default: [:]][doc] = score
        }
        return judgements
    }

    static func stringValue(_ value: Any?) -> String? {
        if let text = value as? String { return text }
        if let number = value as? NSNumber { return number.stringValue }
        return nil
    }

    /// The largest queries or qrels file read (they are read whole; real ones are a few MB).
    static let maxFileBytes = 256 << 20

    static func readText(_ url: URL) throws -> String {
        if let size = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? NSNumber,
           size.intValue > maxFileBytes {
            throw IndexingError.badBEIR(path: url.path, reason: "the file is \(size.intValue >> 20) MiB, over the \(maxFileBytes >> 20) MiB limit")
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw IndexingError.badBEIR(path: url.path, reason: "cannot read the file")
        }
        switch DocumentLoader.decodeText(data) {
        case .success(let text): return text
        case .failure(let reason): throw IndexingError.badBEIR(path: url.path, reason: reason.description)
        }
    }
}
