// Checkpoints: LoRA values, AdamW moments and the run state (step, data order, best validation
// loss) in one safetensors file (state as JSON in its metadata), written atomically.
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

    /// Writes the checkpoint atomically into `directory`.
    static func save(state: TrainingCheckpointState, lora: LoRAParameterSet, optimizer: AdamW, best: [Float]?,
                     to directory: URL) throws {
        var writer = SafetensorsWriter()
        writer.add(name: "lora", shape: [lora.values.count], floats: lora.values.array)
        writer.add(name: "adam_m", shape: [optimizer.m.count], floats: optimizer.m.array)
        writer.add(name: "adam_v", shape: [optimizer.v.count], floats: optimizer.v.array)
        if let best { writer.add(name: "best", shape: [best.count], floats: best) }
        let json = try JSONEncoder().encode(state)
        writer.metadata = ["parallax_state": String(decoding: json, as: UTF8.self)]
        let url = directory.appendingPathComponent(fileName)
        do { try writer.write(to: url) } catch {
            throw TrainingError.writeFailed(path: url.path, reason: "\(error)")
        }
    }

    /// Reads a checkpoint; returns the state, LoRA values, moments and best values.
    static func load(from directory: URL, parameterCount: Int) throws
        -> (state: TrainingCheckpointState, values: [Float], m: [Float], v: [Float], best: [Float]?) {
        let url = directory.appendingPathComponent(fileName)
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
            return (state, values, m, v, best)
        } catch let error as TrainingError {
            throw error
        } catch {
            throw TrainingError.checkpointInvalid(path: url.path, reason: "\(error)")
        }
    }
}
