// QA suites: JSONL lines {"id", "question", "answers": [gold strings], "format"?: "json"|"xml"}.
import Foundation
import Inference
import ModelFiles

/// One question with its accepted gold answers.
public struct QAItem: Sendable, Codable, Equatable {
    public var id: String
    public var question: String
    public var answers: [String]
    public var format: AnswerFormat?

    public init(id: String, question: String, answers: [String], format: AnswerFormat? = nil) {
        self.id = id
        self.question = question
        self.answers = answers
        self.format = format
    }
}

/// What was wrong with a suite file.
public enum EvaluationError: Error, CustomStringConvertible, Equatable {
    case cannotRead(path: String, reason: String)
    case malformedLine(path: String, line: Int, reason: String)
    case emptySuite(path: String)
    case duplicateID(path: String, id: String, line: Int)
    /// No completed run with this id (or of this kind) in the workspace's runs folder.
    case runNotFound(id: String, directory: String)
    /// The run exists but is not of the kind asked for (e.g. a qa run given as `--update-run`).
    case wrongRunKind(id: String, kind: String, expected: String)

    public var description: String {
        switch self {
        case .cannotRead(let path, let reason): "cannot read \(path): \(reason)"
        case .runNotFound(let id, let directory):
            "no completed run \"\(id)\" in \(directory): list the folders there (or run the experiment first)"
        case .wrongRunKind(let id, let kind, let expected):
            "run \(id) is a \"\(kind)\" run, not \"\(expected)\": pick a run made by `parallax eval \(expected)`"
        case .malformedLine(let path, let line, let reason):
            "\(path):\(line): \(reason). Each line must be {\"id\": …, \"question\": …, \"answers\": [\"…\"]}"
        case .emptySuite(let path): "the QA suite \(path) has no questions"
        case .duplicateID(let path, let id, let line): "\(path):\(line): the id \"\(id)\" was already used"
        }
    }
}

/// A loaded QA suite.
public struct QASuite: Sendable {
    public var items: [QAItem]
    public var path: String

    public init(items: [QAItem], path: String = "<memory>") {
        self.items = items
        self.path = path
    }

    /// Reads a JSONL suite. Blank lines and lines starting with `//` are ignored; anything else
    /// that is not a valid item stops the load with its line number.
    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw EvaluationError.cannotRead(path: url.path, reason: error.localizedDescription)
        }
        try self.init(jsonl: data, path: url.path)
    }

    public init(jsonl data: Data, path: String) throws {
        self.path = path
        items = []
        var seen = Set<String>()
        var lineNumber = 0
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            let text = line.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }
            if text.isEmpty || text.starts(with: Array("//".utf8)) { continue }
            let item = try Self.parse(line: Data(text), path: path, lineNumber: lineNumber)
            guard seen.insert(item.id).inserted else {
                throw EvaluationError.duplicateID(path: path, id: item.id, line: lineNumber)
            }
            items.append(item)
        }
        if items.isEmpty { throw EvaluationError.emptySuite(path: path) }
    }

    private static func parse(line: Data, path: String, lineNumber: Int) throws -> QAItem {
        let object: Any
        do {
            object = try JSONGuard.object(from: line)
        } catch {
            throw EvaluationError.malformedLine(path: path, line: lineNumber, reason: String(describing: error))
        }
        guard let dict = object as? [String: Any] else {
            throw EvaluationError.malformedLine(path: path, line: lineNumber, reason: "not a JSON object")
        }
        let id: String
        if let s = dict["id"] as? String { id = s } else if let n = dict["id"] as? NSNumber { id = n.stringValue } else {
            throw EvaluationError.malformedLine(path: path, line: lineNumber, reason: "missing \"id\"")
        }
        guard let question = dict["question"] as? String, !question.isEmpty else {
            throw EvaluationError.malformedLine(path: path, line: lineNumber, reason: "missing \"question\"")
        }
        guard let answers = dict["answers"] as? [String], !answers.isEmpty else {
            throw EvaluationError.malformedLine(path: path, line: lineNumber, reason: "\"answers\" must be a non-empty list of strings")
        }
        var format: AnswerFormat?
        if let f = dict["format"] as? String {
            guard let parsed = AnswerFormat(rawValue: f.lowercased()) else {
                throw EvaluationError.malformedLine(path: path, line: lineNumber, reason: "unknown format \"\(f)\" (none, json or xml)")
            }
            format = parsed
        }
        return QAItem(id: id, question: question, answers: answers, format: format)
    }
}
