// Format compliance of an answer: the JSON answer object and the XML record of the behaviour
// datasets (samples/datasets/README.md gives both schemas).
import Foundation
import Inference
import ModelFiles

/// Whether an answer has the requested format, and if not, why.
public struct FormatVerdict: Sendable, Equatable {
    public var compliant: Bool
    public var reason: String?

    public static let ok = FormatVerdict(compliant: true, reason: nil)
    public static func violation(_ reason: String) -> FormatVerdict { FormatVerdict(compliant: false, reason: reason) }
}

/// The JSON answer schema: the whole answer is one object with these keys and types.
public struct JSONAnswerSchema: Sendable {
    public enum ValueType: String, Sendable { case string, number, array, boolean, object }
    public var required: [(key: String, type: ValueType)]

    /// `{"answer": string, "confidence": number in [0, 1], "sources": [...]}`.
    public static let answer = JSONAnswerSchema(required: [("answer", .string), ("confidence", .number), ("sources", .array)])
}

/// The XML record schema: a root element and the child elements it must contain.
public struct XMLRecordSchema: Sendable {
    public var root: String
    public var requiredChildren: [String]

    public static let record = XMLRecordSchema(
        root: "record", requiredChildren: ["type", "date", "parties", "summary", "findings", "outcome"])
}

public enum FormatValidator {
    public static func check(_ answer: String, format: AnswerFormat) -> FormatVerdict {
        switch format {
        case .none: .ok
        case .json: checkJSON(answer)
        case .xml: checkXML(answer)
        }
    }

    /// The answer, trimmed, must be exactly one JSON object with the schema's keys and types.
    public static func checkJSON(_ answer: String, schema: JSONAnswerSchema = .answer) -> FormatVerdict {
        let trimmed = answer.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.hasPrefix("{") else { return .violation("does not start with a JSON object") }
        let object: Any
        do { object = try JSONGuard.object(from: Data(trimmed.utf8)) } catch {
            return .violation("not valid JSON (\(error))")
        }
        guard let dict = object as? [String: Any] else { return .violation("not a JSON object") }
        for (key, type) in schema.required {
            guard let value = dict[key] else { return .violation("missing key \"\(key)\"") }
            let ok: Bool
            switch type {
            case .string: ok = value is String
            case .number: ok = (value as? NSNumber).map { !isBoolean($0) } ?? false
            case .boolean: ok = (value as? NSNumber).map(isBoolean) ?? false
            case .array: ok = value is [Any]
            case .object: ok = value is [String: Any]
            }
            guard ok else { return .violation("\"\(key)\" is not a \(type.rawValue)") }
        }
        if let confidence = (dict["confidence"] as? NSNumber)?.doubleValue, !(0...1).contains(confidence) {
            return .violation("\"confidence\" is \(confidence), outside [0, 1]")
        }
        return .ok
    }

    /// The answer, trimmed, must be one well-formed XML document whose root and required
    /// children match the schema.
    public static func checkXML(_ answer: String, schema: XMLRecordSchema = .record) -> FormatVerdict {
        let trimmed = answer.trimmingCharacters(in: .whitespacesAndNewlines)
        let root: XMLElementNode
        do { root = try XMLDocumentParser.parse(trimmed) } catch {
            return .violation("not well-formed XML: \(error)")
        }
        guard root.name == schema.root else { return .violation("root element is <\(root.name)>, expected <\(schema.root)>") }
        for name in schema.requiredChildren where root.child(name) == nil {
            return .violation("missing <\(name)>")
        }
        return .ok
    }

    /// The "answer" field of a compliant JSON answer, else the text itself: what fact metrics score.
    public static func answerText(of answer: String, format: AnswerFormat) -> String {
        guard format == .json,
              let object = try? JSONGuard.object(from: Data(answer.trimmingCharacters(in: .whitespacesAndNewlines).utf8)),
              let dict = object as? [String: Any] else { return answer }
        if let s = dict["answer"] as? String { return s }
        if let n = dict["answer"] as? NSNumber { return n.stringValue }
        return answer
    }

    private static func isBoolean(_ n: NSNumber) -> Bool {
        // JSONSerialization returns booleans as NSNumber; they report the ObjC type "c".
        String(cString: n.objCType) == "c"
    }
}
