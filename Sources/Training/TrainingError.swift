// The Training module's errors: each case carries the context a user needs to fix the input.
import Foundation

/// What went wrong while preparing, running or saving a training job.
public enum TrainingError: Error, CustomStringConvertible, Equatable {
    case dataFileUnreadable(path: String, reason: String)
    case malformedLine(path: String, line: Int, reason: String)
    case noExamples(path: String)
    /// The dataset has more non-blank lines than Parallax reads (`ChatDataset.maxLines`).
    case datasetTooLarge(path: String, limit: Int)
    case invalidSetting(name: String, value: String, reason: String)
    case adapterNotFound(name: String, directory: String)
    case adapterInvalid(path: String, reason: String)
    case adapterMismatch(reason: String)
    case checkpointInvalid(path: String, reason: String)
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case let .dataFileUnreadable(path, reason):
            "cannot read the training data '\(path)': \(reason)"
        case let .malformedLine(path, line, reason):
            "\(path):\(line): \(reason) (fix the line, or drop --strict to skip malformed lines)"
        case let .noExamples(path):
            "'\(path)' holds no usable examples; each line must be a JSON object with \"messages\", \"prompt\"/\"completion\" or \"instruction\"/\"output\""
        case let .datasetTooLarge(path, limit):
            "'\(path)' has more than \(limit) lines; Parallax trains on the CPU and reads at most \(limit) examples "
                + "from one dataset. Train on a sample, e.g. `shuf -n \(limit) '\(path)' > sample.jsonl`"
        case let .invalidSetting(name, value, reason):
            "--\(name) \(value): \(reason)"
        case let .adapterNotFound(name, directory):
            "no adapter named '\(name)' in \(directory); `parallax adapters list` shows the ones there are"
        case let .adapterInvalid(path, reason):
            "the adapter at \(path) cannot be read: \(reason)"
        case let .adapterMismatch(reason):
            "the adapter does not fit the model: \(reason)"
        case let .checkpointInvalid(path, reason):
            "the checkpoint at \(path) cannot be resumed: \(reason); start again without --resume"
        case let .writeFailed(path, reason):
            "cannot write \(path): \(reason)"
        }
    }
}
