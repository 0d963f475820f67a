// What can go wrong loading or running a Llama model, with what the user should do about it.
import ModelFiles

/// Errors from loading a llama-architecture GGUF or running it.
public enum LlamaError: Error, CustomStringConvertible, Equatable {
    case notLlama(architecture: String)
    case missingMetadata(key: String)
    case invalidMetadata(key: String, value: String, reason: String)
    case missingTensor(String)
    case wrongShape(tensor: String, expected: [Int], found: [Int])
    case unsupportedTensorType(tensor: String, type: String)
    case tokenOutOfRange(token: Int, vocabularySize: Int)
    case contextFull(needed: Int, contextLength: Int)
    case adapterMismatch(String)
    case emptyInput
    case file(GGUFError)
    case cannotOpen(ModelFileError)

    public var description: String {
        switch self {
        case .notLlama(let arch):
            "the model's architecture is \"\(arch)\"; Parallax runs llama-architecture GGUF files only (e.g. Llama, SmolLM, TinyLlama)"
        case .missingMetadata(let key):
            "the GGUF file has no metadata \"\(key)\", which a llama model needs; the file may be damaged or converted by an old tool"
        case .invalidMetadata(let key, let value, let reason):
            "metadata \"\(key)\" = \(value) is not usable: \(reason)"
        case .missingTensor(let name):
            "the model has no tensor \"\(name)\"; it is not a complete llama model"
        case .wrongShape(let tensor, let expected, let found):
            "tensor \"\(tensor)\" has shape \(found), expected \(expected) from the model's metadata"
        case .unsupportedTensorType(let tensor, let type):
            "tensor \"\(tensor)\" is \(type), which Parallax cannot compute with (supported: F32, F16, BF16, Q4_0, Q4_1, Q8_0); use a model quantised to one of those"
        case .tokenOutOfRange(let token, let size):
            "token id \(token) is outside the vocabulary (0..<\(size))"
        case .contextFull(let needed, let length):
            "the sequence needs \(needed) positions but the model's context holds \(length); shorten the prompt or lower --max-tokens"
        case .adapterMismatch(let why):
            "the LoRA adapter does not fit this model: \(why)"
        case .emptyInput:
            "there are no tokens to process; give a non-empty prompt"
        case .file(let error):
            error.description
        case .cannotOpen(let error):
            error.description
        }
    }
}
