// all-MiniLM-L6-v2 in Swift against sentence-transformers: token ids and embeddings of varied texts
// (golden fixture from scripts/goldens/minilm_reference.py), batching and the kernels it uses.
import Foundation
import Testing
import Kernels
import ModelFiles
@testable import Models

@Suite struct BertEmbeddingTests {
    struct GoldenItem: Decodable {
        let text: String
        let ids: [Int32]
        let embedding: [Float]
    }

    struct GoldenFile: Decodable { let items: [GoldenItem] }

    static func golden() throws -> [GoldenItem] {
        let url = try #require(Bundle.module.resourceURL).appendingPathComponent("Fixtures/minilm_embeddings.json")
        return try JSONDecoder().decode(GoldenFile.self, from: Data(contentsOf: url)).items
    }

    /// The real model, or nil (with a message) when the cache does not have it.
    static func embedder() throws -> SentenceEmbedder? {
        let directory = ModelCache().embedderDirectory
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent("model.safetensors").path) else {
            print("skipping: all-MiniLM-L6-v2 is not in \(directory.path) (run `make models`)")
            return nil
        }
        return try SentenceEmbedder(directory: directory)
    }

    static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        var dot = 0.0, na = 0.0, nb = 0.0
        for (x, y) in zip(a, b) { dot += Double(x) * Double(y); na += Double(x * x); nb += Double(y * y) }
        return dot / (na.squareRoot() * nb.squareRoot())
    }

    @Test func embeddingsMatchSentenceTransformers() throws {
        guard let embedder = try Self.embedder() else { return }
        let items = try Self.golden()
        #expect(items.count >= 10)
        #expect(embedder.dimension == 384)
        let vectors = try embedder.embed(items.map(\.text))
        var worst = 1.0
        defer { print("MiniLM golden: worst cosine over \(items.count) texts = \(worst)") }
        for (item, vector) in zip(items, vectors) {
            #expect(embedder.tokenizer.encode(item.text) == item.ids, "ids of \(item.text.debugDescription)")
            let similarity = Self.cosine(vector, item.embedding)
            worst = min(worst, similarity)
            #expect(similarity > 0.99999, "cosine \(similarity) for \(item.text.debugDescription)")
            let norm = vector.reduce(0) { $0 + Double($1 * $1) }.squareRoot()
            #expect(abs(norm - 1) < 1e-4)
        }
    }

    @Test func batchingDoesNotChangeVectors() throws {
        guard let embedder = try Self.embedder() else { return }
        let texts = try Self.golden().map(\.text)
        let batched = try embedder.embed(texts)
        for (text, vector) in zip(texts, batched) {
            let alone = try embedder.embedQuery(text)
            #expect(Self.cosine(alone, vector) > 0.999999, "\(text.debugDescription)")
        }
    }

    @Test func batchesRunSideBySideGiveTheSameVectors() throws {
        let directory = ModelCache().embedderDirectory
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent("model.safetensors").path) else { return }
        // Batches of 3 on 2 threads: several batches run concurrently on single-threaded BLAS.
        let embedder = try SentenceEmbedder(directory: directory, batchSize: 3, threads: 2)
        let items = try Self.golden()
        var reports: [Int] = []
        let vectors = try embedder.embed(items.map(\.text)) { done, total in
            #expect(total == items.count)
            reports.append(done)
            return true
        }
        #expect(reports.last == items.count && reports == reports.sorted())
        for (item, vector) in zip(items, vectors) {
            #expect(Self.cosine(vector, item.embedding) > 0.99999, "\(item.text.debugDescription)")
        }
    }

    @Test func progressCanStopTheJob() throws {
        guard let embedder = try Self.embedder() else { return }
        var calls = 0
        #expect(throws: BertError.self) {
            _ = try embedder.embed(Array(repeating: "stop me", count: 40)) { _, _ in calls += 1; return false }
        }
        #expect(calls == 1)
    }

    @Test func outOfRangeTokenIDsAreRejected() throws {
        guard let embedder = try Self.embedder() else { return }
        #expect(throws: BertError.self) { try embedder.embed(tokenIDs: [[101, 40_000, 102]]) }
        #expect(throws: BertError.self) { try embedder.embed(tokenIDs: [[Int32](repeating: 1000, count: 300)]) }
        #expect(try embedder.embed(tokenIDs: [[101, 102]]).first?.count == 384)
    }

    @Test func missingModelFolderIsAClearError() {
        let nowhere = URL(fileURLWithPath: "/nonexistent/minilm")
        do {
            _ = try SentenceEmbedder(directory: nowhere)
            Issue.record("expected an error")
        } catch let error as BertError {
            #expect(error.description.contains("make models"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}

@Suite struct BertKernelTests {
    @Test func geluMatchesErfForm() {
        // Reference values of x·½·(1+erf(x/√2)) (torch.nn.functional.gelu, float64).
        let cases: [(Float, Float)] = [(-3, -0.004049694), (-1, -0.15865525), (-0.5, -0.15426877),
                                       (0, 0), (0.5, 0.34573123), (1, 0.8413447), (2, 1.9544997), (5, 4.9999986)]
        for (x, expected) in cases { #expect(abs(GELU.gelu(x) - expected) < 2e-6, "gelu(\(x))") }
        var row: [Float] = (0..<20).map { Float($0) / 4 - 2 }
        let bias = [Float](repeating: 0.25, count: 20)
        let expected = row.map { GELU.gelu($0 + 0.25) }
        row.withUnsafeMutableBufferPointer { GELU.addBiasApply($0.baseAddress!, rows: 1, width: 20, bias: bias) }
        #expect(zip(row, expected).allSatisfy { abs($0 - $1) < 1e-6 })
    }

    @Test func layerNormMatchesDefinition() {
        let width = 20
        var x: [Float] = (0..<(2 * width)).map { Float(($0 * 7) % 11) - 3 }
        let original = x
        let gamma = (0..<width).map { Float($0) / 10 + 0.5 }, beta = (0..<width).map { Float($0) / 100 }
        x.withUnsafeMutableBufferPointer {
            LayerNorm.apply($0.baseAddress!, rows: 2, width: width, gamma: gamma, beta: beta, epsilon: 1e-12)
        }
        for r in 0..<2 {
            let row = Array(original[(r * width)..<((r + 1) * width)]).map(Double.init)
            let mean = row.reduce(0, +) / Double(width)
            let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(width)
            for c in 0..<width {
                let expected = (row[c] - mean) / variance.squareRoot() * Double(gamma[c]) + Double(beta[c])
                #expect(abs(Double(x[r * width + c]) - expected) < 1e-5)
            }
        }
    }

    @Test func vectorExpIsAccurate() {
        let xs: [Float] = (0..<16).map { -Float($0) * 5.3 }
        let e = BertAttention.exp(SIMD16(xs))
        for (i, x) in xs.enumerated() {
            let reference = Foundation.exp(Double(x))
            #expect(abs(Double(e[i]) - reference) <= 3e-7 * reference + 1e-37, "exp(\(x))")
        }
    }
}
