// libFuzzer target: the chat-JSONL dataset reader, then tokenisation with the ChatML template of the
// default model and batching, as training does (assistant-only masks, truncation, packing).
import Foundation
import FuzzSupport
import ModelFiles
import Tokenizers
import Training

let template: ChatTemplate? = {
    let url = Fuzz.models.generatorURL
    guard FileManager.default.fileExists(atPath: url.path) else {
        FileHandle.standardError.write(Data("no model at \(url.path): fuzzing the reader only\n".utf8))
        return nil
    }
    return try? ChatTemplate(tokenizer: BPETokenizer(gguf: GGUFFile(url: url)))
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzChatDataset(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let data = Data(Fuzz.bytes(start, count))
    _ = try? ChatDataset.parse(data, path: "fuzz.jsonl", strict: true)
    guard let (examples, malformed) = try? ChatDataset.parse(data, path: "fuzz.jsonl", strict: false) else { return 0 }
    Fuzz.require(!examples.isEmpty, "parse returned no examples without throwing")
    Fuzz.require(Set(examples.map(\.line)).isDisjoint(with: malformed.map(\.line)), "a line both parsed and malformed")
    guard let template else { return 0 }
    let seq = 48
    guard let tokenized = try? TrainingData.tokenize(examples, encoder: template, seq: seq, allTokens: false) else { return 0 }
    for example in tokenized.examples {
        Fuzz.require(example.tokens.count <= seq && example.tokens.count == example.trainMask.count,
                     "example of \(example.tokens.count) tokens / \(example.trainMask.count) mask entries for seq \(seq)")
    }
    guard !tokenized.examples.isEmpty else { return 0 }
    let split = tokenized.split(validationFraction: 0.25, seed: 7)
    for layout in BatchLayout.allCases {
        let rows = tokenized.rows(order: split.train, seq: seq, layout: layout)
        let batch = tokenized.batch(rows: rows, seq: seq, padToken: 0)
        Fuzz.require(batch.tokens.count == rows.count * batch.seqLen && batch.seqLen <= seq, "batch shape wrong")
    }
    return 0
}

/// The entry point SwiftPM links as `main`: libFuzzer's driver.
@_cdecl("FuzzChatDataset_main")
public func fuzzChatDatasetMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    // Load the vocabulary before fuzzing starts, so it does not count against the first input's timeout.
    _ = template
    return Fuzz.runDriver(argc, argv)
}
