// libFuzzer target: the byte-level BPE tokenizer of the default model: encode → decode gives back
// exactly the input's bytes (less the few bytes SmolLM2's vocabulary lacks, which are dropped by
// design, as llama.cpp does), encode never yields control tokens, and decode takes any id sequence.
import Foundation
import FuzzSupport
import ModelFiles
import Tokenizers

let tokenizer: BPETokenizer = {
    let url = Fuzz.models.generatorURL
    guard FileManager.default.fileExists(atPath: url.path) else { Fuzz.skip("no model at \(url.path); run `make models`") }
    do { return try BPETokenizer(gguf: GGUFFile(url: url)) } catch { Fuzz.skip("cannot load the tokenizer: \(error)") }
}()

/// Bytes that have a token of their own; the others (e.g. 0xF1, the lead byte of U+40000…U+7FFFF)
/// are dropped by encode (see BPETokenizer.init).
let encodableBytes: [Bool] = {
    var table = [Bool](repeating: false, count: 256)
    for id in 0..<tokenizer.vocabularySize where !tokenizer.isControl(id) {
        let bytes = tokenizer.bytes(of: id)
        if bytes.count == 1, let byte = bytes.first { table[Int(byte)] = true }
    }
    return table
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBPE(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let bytes = Fuzz.bytes(start, count)
    if let text = String(validating: bytes, as: UTF8.self) {
        let ids = tokenizer.encode(text)
        Fuzz.require(!ids.contains { tokenizer.isControl($0) }, "encode produced a control token")
        let decoded = ids.reduce(into: [UInt8]()) { $0 += tokenizer.bytes(of: $1) }
        Fuzz.require(decoded.elementsEqual(text.utf8.filter { encodableBytes[Int($0)] }), "round trip changed the text")
        if text.utf8.allSatisfy({ encodableBytes[Int($0)] }) {
            Fuzz.require(tokenizer.decode(ids) == text, "decode(encode(text)) != text")
        }
        Fuzz.require(tokenizer.encode32(text).map(Int.init) == ids, "encode32 differs from encode")
    }
    // Any id sequence (including out-of-range and control ids) decodes without trapping.
    var ids: [Int32] = []
    var index = 0
    while index + 4 <= bytes.count {
        ids.append(Int32(bitPattern: UInt32(bytes[index]) | UInt32(bytes[index + 1]) << 8
                         | UInt32(bytes[index + 2]) << 16 | UInt32(bytes[index + 3]) << 24) % 50_000)
        index += 4
    }
    _ = tokenizer.decode(ids, includeSpecial: true)
    let streamed = ids.map { tokenizer.bytes(of: Int($0)) }.reduce(into: [UInt8]()) { $0 += $1 }
    Fuzz.require(String(decoding: streamed, as: UTF8.self) == tokenizer.decode(ids, includeSpecial: true),
                 "bytes(of:) and decode disagree")
    return 0
}

/// The entry point SwiftPM links as `main`: libFuzzer's driver.
@_cdecl("FuzzBPE_main")
public func fuzzBPEMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    // Load the vocabulary before fuzzing starts, so it does not count against the first input's timeout.
    _ = encodableBytes
    return Fuzz.runDriver(argc, argv)
}
