// libFuzzer target: the GGUF reader, and what we build from a GGUF's metadata (llama config, BPE tokenizer).
import FuzzSupport
import ModelFiles
import Models
import Tokenizers

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzGGUF(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let bytes = Fuzz.bytes(start, count)
    guard let file = try? GGUFFile(bytes: bytes) else { return 0 }
    for key in file.metadataKeys {
        _ = file.string(key); _ = file.int(key); _ = file.float(key); _ = file.bool(key)
        _ = file.strings(key); _ = file.ints(key); _ = file.floats(key)
    }
    for tensor in file.tensors {
        Fuzz.require(file.tensor(named: tensor.name) != nil, "tensor \(tensor.name) not found by name")
        let data = file.data(of: tensor)
        Fuzz.require(data.count == tensor.byteCount, "data(of:) is \(data.count) bytes, info says \(tensor.byteCount)")
        Fuzz.require(tensor.offset >= 0 && tensor.offset + tensor.byteCount <= file.fileSize,
                     "tensor \(tensor.name) lies outside the file")
        if tensor.elementCount <= 1 << 16, let values = try? file.dequantize(tensor) {
            Fuzz.require(values.count == tensor.elementCount, "dequantized \(values.count) of \(tensor.elementCount)")
        }
    }
    _ = try? LlamaConfig(gguf: file)
    if let tokenizer = try? BPETokenizer(gguf: file) {
        let sample = "Hello, world! 12345 \u{00E9}t\u{00E9} <|im_end|>"
        let ids = tokenizer.encode(sample)
        _ = tokenizer.decode(ids, includeSpecial: true)
    }
    return 0
}

/// The entry point SwiftPM links as `main`: libFuzzer's driver.
@_cdecl("FuzzGGUF_main")
public func fuzzGGUFMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    Fuzz.runDriver(argc, argv)
}
