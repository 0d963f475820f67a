// Checkpoints: LoRA values, AdamW moments and the run state (step, data order, best validation
// loss) in one safetensors file (state as JSON in its metadata). Written crash-safely: the new
// file goes to a hidden temporary (fsynced), the current one is kept as `checkpoint.previous`
// (a hard link), then the temporary is renamed over the current one. Resume reads the current
// checkpoint and falls back to the previous one, saying so, when the current one is missing or
// unreadable.
import Foundation
import ModelFiles
import Models

/// The run state saved beside the tensors.
public struct TrainingCheckpointState: Sendable, Codable, Equatable {
    public var step: Int
    public var optimizerStep: Int
    public var bestValidationLoss: Double?
    public var evaluationsWithoutImprovement: Int
    public var epochOrders: [[Int]]
    public var settingsFingerprint: String
    public var dataFingerprint: String
    public var lastLoss: Double
}

public enum TrainingCheckpoint {
    public static let fileName = "checkpoint.safetensors"
    /// The checkpoint before the current one, kept until the next one is complete.
    public static let previousFileName = "checkpoint.previous.safetensors"

    /// What `load` found: the saved values, and a note when it had to use the previous checkpoint.
    struct Loaded {
        var state: TrainingCheckpointState
        var values: [Float]
        var m: [Float]
        var v: [Float]
        var best: [Float]?
        /// Set when the newest checkpoint was missing or unreadable and the previous one was used.
        var fallbackNote: String?
    }

    /// Writes the checkpoint into `directory` so that a kill at any moment leaves a complete one.
    static func save(state: TrainingCheckpointState, lora: LoRAParameterSet, optimizer: AdamW, best: [Float]?,
                     to directory: URL) throws {
        var writer = SafetensorsWriter()
        writer.add(name: "lora", shape: [lora.values.count], floats: lora.values.array)
        writer.add(name: "adam_m", shape: [optimizer.m.count], floats: optimizer.m.array)
        writer.add(name: "adam_v", shape: [optimizer.v.count], floats: optimizer.v.array)
        if let best { writer.add(name: "best", shape: [best.count], floats: best) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys  // the same state gives the same bytes
        let json = try encoder.encode(state)
        writer.metadata = ["parallax_state": String(decoding: json, as: UTF8.self)]
        let url = directory.appendingPathComponent(fileName)
        let previous = directory.appendingPathComponent(previousFileName)
        let temporary = DurableFiles.temporaryURL(for: url)
        try DurableFiles.writeSynced(writer.bytes(), to: temporary)
        DurableFiles.testPause("new checkpoint written to \(temporary.lastPathComponent)")
        if FileManager.default.fileExists(atPath: url.path) {
            unlink(previous.path)
            try DurableFiles.linkOrCopy(url, to: previous)
            DurableFiles.testPause("previous checkpoint kept")
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary.path)
            throw TrainingError.writeFailed(path: url.path, reason: "rename failed (\(reason))")
        }
        DurableFiles.syncDirectory(directory)
    }

    /// Reads the newest complete checkpoint in `directory`.
    static func load(from directory: URL, parameterCount: Int) throws -> Loaded {
        let url = directory.appendingPathComponent(fileName)
        let previous = directory.appendingPathComponent(previousFileName)
        do {
            return try read(url, parameterCount: parameterCount)
        } catch let newest as TrainingError {
            guard FileManager.default.fileExists(atPath: previous.path),
                  var loaded = try? read(previous, parameterCount: parameterCount) else { throw newest }
            loaded.fallbackNote = "the newest checkpoint could not be used (\(newest)); "
                + "resuming from the previous complete one, after step \(loaded.state.step)"
            return loaded
        }
    }

    /// Reads one checkpoint file.
    static func read(_ url: URL, parameterCount: Int) throws -> Loaded {
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw TrainingError.checkpointInvalid(path: url.path, reason: "there is no checkpoint yet")
        }
        do {
            let file = try SafetensorsFile(url: url)
            guard let text = file.metadata["parallax_state"] else {
                throw TrainingError.checkpointInvalid(path: url.path, reason: "no run state in the file")
            }
            let state = try JSONDecoder().decode(TrainingCheckpointState.self, from: Data(text.utf8))
            let values = try file.floats("lora", shape: [parameterCount])
            let m = try file.floats("adam_m", shape: [parameterCount])
            let v = try file.floats("adam_v", shape: [parameterCount])
            let best = file.tensors["best"] != nil ? try file.floats("best", shape: [parameterCount]) : nil
            return Loaded(state: state, values: values, m: m, v: v, best: best)
        } catch let error as TrainingError {
            throw error
        } catch {
            throw TrainingError.checkpointInvalid(path: url.path, reason: "\(error)")
        }
    }
}
