// The answer arms: which of base model, retrieved passages and LoRA adapter answer a question,
// and in which output format.

/// The output format a question asks the arm for (and that compliance is checked against).
public enum AnswerFormat: String, Sendable, Codable, CaseIterable {
    case none, json, xml
}

/// The four ways of answering a question.
public enum ArmKind: String, Sendable, Codable, CaseIterable {
    /// Base model alone.
    case base
    /// Base model reading retrieved passages.
    case rag
    /// Base model plus the LoRA adapter, no passages.
    case ft
    /// Adapter plus passages.
    case ftrag

    public var title: String {
        switch self {
        case .base: "Base"
        case .rag: "RAG"
        case .ft: "Fine-tuned"
        case .ftrag: "FT+RAG"
        }
    }

    public var usesRetrieval: Bool { self == .rag || self == .ftrag }
    public var usesAdapter: Bool { self == .ft || self == .ftrag }

    /// Parses "base,rag,ft,ftrag" (also "both" for ftrag).
    public static func parseList(_ text: String) throws -> [ArmKind] {
        var arms: [ArmKind] = []
        for part in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) where !part.isEmpty {
            guard let arm = part == "both" ? .ftrag : ArmKind(rawValue: part) else {
                throw ArmListError.unknownArm(part)
            }
            if !arms.contains(arm) { arms.append(arm) }
        }
        guard !arms.isEmpty else { throw ArmListError.empty }
        return arms
    }
}

public enum ArmListError: Error, CustomStringConvertible, Equatable {
    case unknownArm(String)
    case empty

    public var description: String {
        switch self {
        case .unknownArm(let arm): "unknown arm \"\(arm)\": use base, rag, ft or ftrag"
        case .empty: "no arms given: use a list like base,rag,ft,ftrag"
        }
    }
}

