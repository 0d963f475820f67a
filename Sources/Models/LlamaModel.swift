// A loaded llama-architecture model: configuration plus weights shared by every session.
import Foundation
import Kernels
import ModelFiles

/// A llama model loaded from a GGUF file. Its weights stay quantised in the memory-mapped file
/// and are immutable, so one `LlamaModel` can serve any number of `LlamaSession`s (one per
/// sequence, each with its own KV cache), sequentially or concurrently.
public final class LlamaModel: Sendable {
    public let config: LlamaConfig
    /// The parsed file (metadata, tokenizer tables); the mapping lives as long as the model.
    public let file: GGUFFile
    let weights: LlamaWeights
    let rope: RoPE
    let pool: WorkerPool

    /// Maps and checks the model at `url`.
    public convenience init(url: URL, pool: WorkerPool = .shared) throws {
        let file: GGUFFile
        do { file = try GGUFFile(url: url) } catch let error as GGUFError { throw LlamaError.file(error) } catch let error as ModelFileError {
            throw LlamaError.cannotOpen(error)
        }
        try self.init(file: file, pool: pool)
    }

    /// Builds the model over an already parsed file.
    public init(file: GGUFFile, pool: WorkerPool = .shared) throws {
        let config = try LlamaConfig(gguf: file)
        self.config = config
        self.file = file
        self.weights = try LlamaWeights(file: file, config: config)
        self.rope = RoPE(headDim: config.headDimension, dims: config.ropeDimensions, base: config.ropeFrequencyBase)
        self.pool = pool
    }

    /// A new, empty sequence over this model. `capacity` is the number of positions its KV
    /// cache reserves at first (it grows as needed, up to the context length).
    public func makeSession(capacity: Int = 1024) -> LlamaSession {
        LlamaSession(model: self, capacity: capacity)
    }

    /// Whether the output head reuses the token embedding.
    public var hasTiedOutput: Bool { weights.tiedOutput }

    /// A few of the model's matrices by role (layer 0 and the head), for kernel benchmarks.
    public var benchmarkMatrices: [(String, WeightMatrix)] {
        let b = weights.blocks[0]
        return [("q", b.q), ("k", b.k), ("gate", b.gate), ("down", b.down), ("head", weights.output)]
    }

    /// Bytes of weights read per decoded token (all matrices plus the output head).
    public var weightBytesPerToken: Int {
        weights.blocks.reduce(weights.output.byteCount) { total, b in
            total + [b.q, b.k, b.v, b.o, b.gate, b.up, b.down].reduce(0) { $0 + $1.byteCount }
        }
    }
}
