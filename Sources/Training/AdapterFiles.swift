// Adapters on disk in the layout Hugging Face PEFT reads: `adapter_model.safetensors` (tensors
// `base_model.model.model.layers.N.self_attn.q_proj.lora_A.weight`, A (r, in), B (out, r), q/k B
// rows in HF order) and `adapter_config.json`; plus Parallax's `training_settings.json` and
// `training_log.jsonl` beside them.
import Foundation
import ModelFiles
import Models

/// Saves and loads LoRA adapters as PEFT files. `LoRAWeights` in memory hold q/k B rows in GGUF
/// order (as the inference engine and llama.cpp apply them); files hold HF order.
public enum AdapterFiles {
    public static let modelFile = "adapter_model.safetensors"
    public static let configFile = "adapter_config.json"
    public static let settingsFile = "training_settings.json"
    public static let logFile = "training_log.jsonl"

    /// The PEFT tensor name of one matrix ("A" or "B") of one pair.
    public static func tensorName(_ key: LoRAKey, matrix: String) -> String {
        "base_model.model.model.layers.\(key.layer).\(key.projection.peftModuleName).lora_\(matrix).weight"
    }

    /// Writes `adapter_model.safetensors` and `adapter_config.json` into `directory` (created if
    /// needed) all at once: see `publish(_:into:)`.
    public static func save(_ weights: LoRAWeights, headDim: Int, dropout: Float = 0, to directory: URL,
                            baseModel: String = "HuggingFaceTB/SmolLM2-135M-Instruct") throws {
        do {
            let hf = PEFTRowOrder.convert(weights, headDim: headDim, toHF: true)
            var writer = SafetensorsWriter()
            writer.metadata = ["format": "pt"]
            let keys = hf.pairs.keys.sorted { ($0.layer, LoRAParameterSet.order($0.projection)) < ($1.layer, LoRAParameterSet.order($1.projection)) }
            for key in keys {
                let pair = hf.pairs[key]!  // key from the dictionary
                writer.add(name: tensorName(key, matrix: "A"), shape: [pair.rank, pair.inFeatures], floats: pair.a)
                writer.add(name: tensorName(key, matrix: "B"), shape: [pair.outFeatures, pair.rank], floats: pair.b)
            }
            let modules = LlamaProjection.allCases.filter { p in keys.contains { $0.projection == p } }
                .map { String($0.peftModuleName.split(separator: ".").last!) }
            let config: [String: Any] = [
                "peft_type": "LORA", "task_type": "CAUSAL_LM", "r": weights.rank, "lora_alpha": weights.alpha,
                "lora_dropout": dropout, "use_rslora": weights.useRSLoRA, "target_modules": modules, "bias": "none",
                "fan_in_fan_out": false, "inference_mode": true, "init_lora_weights": true, "use_dora": false,
                "base_model_name_or_path": baseModel, "modules_to_save": NSNull(), "layers_to_transform": NSNull(),
                "layers_pattern": NSNull(), "rank_pattern": [String: Int](), "alpha_pattern": [String: Int](),
                "revision": NSNull(), "auto_mapping": NSNull(),
            ]
            let data = try JSONSerialization.data(withJSONObject: config, options: [.prettyPrinted, .sortedKeys])
            try publish([modelFile: writer.bytes(), configFile: [UInt8](data)], into: directory)
        } catch let error as TrainingError {
            throw error
        } catch {
            throw TrainingError.writeFailed(path: directory.path, reason: "\(error)")
        }
    }

    /// Reads a PEFT adapter (saved here or by PEFT elsewhere) for a model shaped like `config`;
    /// returns q/k B rows in GGUF order.
    public static func load(from directory: URL, config: LlamaTrainingConfig) throws -> LoRAWeights {
        let configURL = directory.appendingPathComponent(configFile)
        let modelURL = directory.appendingPathComponent(modelFile)
        guard let configData = try? Data(contentsOf: configURL),
              let object = (try? JSONGuard.object(from: configData)) as? [String: Any] else {
            throw TrainingError.adapterInvalid(path: configURL.path, reason: "missing or not a JSON object")
        }
        guard let rank = (object["r"] as? NSNumber)?.intValue, rank > 0,
              let alpha = (object["lora_alpha"] as? NSNumber)?.floatValue else {
            throw TrainingError.adapterInvalid(path: configURL.path, reason: "needs a positive \"r\" and a \"lora_alpha\"")
        }
        if let type = object["peft_type"] as? String, type != "LORA" {
            throw TrainingError.adapterInvalid(path: configURL.path, reason: "peft_type is \(type), only LORA is supported")
        }
        let rslora = (object["use_rslora"] as? Bool) ?? false
        let file: SafetensorsFile
        do { file = try SafetensorsFile(url: modelURL) } catch {
            throw TrainingError.adapterInvalid(path: modelURL.path, reason: "\(error)")
        }
        var weights = LoRAWeights(rank: rank, alpha: alpha, useRSLoRA: rslora)
        for layer in 0..<config.layers {
            for projection in LlamaProjection.allCases {
                let key = LoRAKey(layer: layer, projection: projection)
                // PEFT names: with and without the adapter name ("default") segment.
                let nameA = tensorName(key, matrix: "A"), nameB = tensorName(key, matrix: "B")
                guard file.tensors[nameA] != nil || file.tensors[nameB] != nil else { continue }
                let (inF, outF) = config.features(of: projection)
                do {
                    let a = try file.floats(nameA, shape: [rank, inF])
                    let b = try file.floats(nameB, shape: [outF, rank])
                    weights.pairs[key] = LoRAPair(rank: rank, inFeatures: inF, outFeatures: outF, a: a, b: b)
                } catch {
                    throw TrainingError.adapterMismatch(reason: "\(nameA)/B: \(error)")
                }
            }
        }
        let known = Set(weights.pairs.keys.flatMap { [tensorName($0, matrix: "A"), tensorName($0, matrix: "B")] })
        if let stray = file.tensors.keys.sorted().first(where: { !known.contains($0) }) {
            throw TrainingError.adapterMismatch(reason: "tensor '\(stray)' is not a LoRA pair of this model's layers 0..<\(config.layers)")
        }
        guard !weights.pairs.isEmpty else {
            throw TrainingError.adapterInvalid(path: modelURL.path, reason: "no LoRA tensors named base_model.model.model.layers.N.…lora_A.weight")
        }
        return PEFTRowOrder.convert(weights, headDim: config.headDim, toHF: false)
    }
}
