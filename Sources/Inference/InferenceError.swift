// What can go wrong setting up or running generation, with what to do about it.
import Models
import Tokenizers

/// Errors from the Inference module.
public enum InferenceError: Error, CustomStringConvertible, Equatable {
    case invalidSetting(name: String, value: String, expected: String)
    case model(LlamaError)
    case tokenizer(String)
    case emptyPrompt
    case other(String)

    public var description: String {
        switch self {
        case .invalidSetting(let name, let value, let expected):
            "\(name) = \(value) is out of range; expected \(expected)"
        case .model(let error):
            error.description
        case .tokenizer(let why):
            "the model's tokenizer could not be loaded: \(why)"
        case .emptyPrompt:
            "the prompt is empty; give some text to answer"
        case .other(let why):
            why
        }
    }
}
