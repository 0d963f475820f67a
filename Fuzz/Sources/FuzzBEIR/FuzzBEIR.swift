// libFuzzer target: the BEIR readers. The first byte picks the file: corpus.jsonl (then chunked),
// queries.jsonl or a qrels TSV; the rest is its content, read in memory (no scratch files).
import FuzzIndexingSupport
import FuzzSupport
import Indexing

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBEIR(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let bytes = Fuzz.bytes(start, count)
    guard let selector = bytes.first else { return 0 }
    let content = Array(bytes.dropFirst())
    switch selector % 3 {
    case 0:
        LoaderHarness.run(content, extension: "jsonl")
    case 1:
        // The file readers decode first (DocumentLoader's checks, fuzzed by FuzzLoader); then this.
        guard let text = String(validating: content, as: UTF8.self) else { return 0 }
        if let queries = try? BEIRCorpusReader.queries(text: text, path: "queries.jsonl") {
            Fuzz.require(queries.count <= content.count, "more queries than bytes")
        }
    default:
        guard let text = String(validating: content, as: UTF8.self) else { return 0 }
        if let judgements = try? BEIRCorpusReader.qrels(text: text, path: "qrels.tsv") {
            Fuzz.require(judgements.count <= content.count, "more judged queries than bytes")
        }
    }
    return 0
}

/// The entry point SwiftPM links as `main`: libFuzzer's driver.
@_cdecl("FuzzBEIR_main")
public func fuzzBEIRMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    Fuzz.runDriver(argc, argv)
}
