// Test helpers: a deterministic bag-of-words embedder, temporary folders and file writers.
import Foundation
@testable import Indexing

/// Hashed bag of words (FNV-1a into `dimension` buckets), L2-normalised. Counts its calls.
final class HashingEmbedder: TextEmbedder, @unchecked Sendable {
    let modelID: String
    let dimension: Int
    private let lock = NSLock()
    private var embeddedTexts = 0
    /// Throw after this many texts were embedded (to simulate a crash mid-run).
    var failAfter: Int?

    init(modelID: String = "hashing-bow-64", dimension: Int = 64) {
        self.modelID = modelID
        self.dimension = dimension
    }

    var textsEmbedded: Int { lock.withLock { embeddedTexts } }

    func embed(_ texts: [String]) throws -> [[Float]] {
        try lock.withLock {
            if let failAfter, embeddedTexts + texts.count > failAfter { throw TestFailure.injected }
            embeddedTexts += texts.count
        }
        return texts.map(vector)
    }

    func vector(_ text: String) -> [Float] {
        var v = [Float](repeating: 0, count: dimension)
        for term in FTSQuery.terms(text) {
            var hash: UInt64 = 0xcbf29ce484222325
            for byte in term.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100000001b3 }
            v[Int(hash % UInt64(dimension))] += 1
        }
        let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return norm > 0 ? v.map { $0 / norm } : v.map { _ in 1 / Float(dimension).squareRoot() }
    }
}

enum TestFailure: Error { case injected }

/// A fresh temporary folder, removed by `cleanup()`.
struct TemporaryFolder {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("parallax-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func write(_ relative: String, _ text: String) throws {
        try write(relative, Data(text.utf8))
    }
    func write(_ relative: String, _ data: Data) throws {
        let file = url.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: file)
    }
    func remove(_ relative: String) throws { try FileManager.default.removeItem(at: url.appendingPathComponent(relative)) }
    func cleanup() { try? FileManager.default.removeItem(at: url) }
}

/// Words of `count` "sentences" of plausible text, deterministic.
func sampleSentences(_ count: Int, seed: Int = 0) -> String {
    let words = ["the", "travel", "policy", "covers", "per", "diem", "rates", "for", "employees", "visiting",
                 "clients", "abroad", "and", "receipts", "must", "be", "filed", "within", "thirty", "days",
                 "warranty", "claims", "require", "serial", "numbers", "from", "the", "device", "label"]
    var state = UInt64(seed &+ 12345)
    func next() -> Int { state = state &* 6364136223846793005 &+ 1442695040888963407; return Int(state >> 33) }
    return (0..<count).map { _ in
        let length = 6 + next() % 10
        var sentence = (0..<length).map { _ in words[next() % words.count] }.joined(separator: " ")
        sentence = sentence.prefix(1).uppercased() + sentence.dropFirst()
        return sentence + "."
    }.joined(separator: " ")
}
