// The in-memory BEIR readers (what FuzzBEIR calls): the same answers as the file readers on the
// sample dataset, and the errors (with the given path) on bad text, including the fuzzer's finding.
import Foundation
import Testing
import Indexing

@Suite struct BEIRCorpusReaderTests {
    static let sample = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("samples/beir")

    @Test func inMemoryReadersMatchTheFileReadersOnTheSample() throws {
        let queriesURL = Self.sample.appendingPathComponent("queries.jsonl")
        let qrelsURL = Self.sample.appendingPathComponent("qrels/test.tsv")
        let queriesText = try String(contentsOf: queriesURL, encoding: .utf8)
        let qrelsText = try String(contentsOf: qrelsURL, encoding: .utf8)

        let fromFile = try BEIRCorpusReader.queries(at: queriesURL)
        let fromText = try BEIRCorpusReader.queries(text: queriesText, path: "queries.jsonl")
        #expect(fromText.count == 72)
        #expect(fromText.map(\.id) == fromFile.map(\.id))
        #expect(fromText.map(\.text) == fromFile.map(\.text))
        #expect(fromText.first?.id == "b01" && fromText.first?.text == "per diem tier A")

        let judgementsFromFile = try BEIRCorpusReader.qrels(at: qrelsURL)
        let judgementsFromText = try BEIRCorpusReader.qrels(text: qrelsText, path: "test.tsv")
        #expect(judgementsFromText == judgementsFromFile)
        #expect(judgementsFromText["b01"]?["policies/travel.md#per-diem"] == 2)
        // 116 judgement lines under the header.
        #expect(judgementsFromText.values.reduce(0) { $0 + $1.count } == 116)
    }

    @Test func overflowingScoreIsAnErrorNamingThePath() {
        // Found by FuzzBEIR (fixed in 8196c49): 1e30805 overflows Double and trapped converting to Int.
        do {
            _ = try BEIRCorpusReader.qrels(text: "query-id\tcorpus-id\tscore\nq1\td1\t1e30805\n", path: "fuzz.tsv")
            Issue.record("an overflowing score was accepted")
        } catch {
            #expect("\(error)".contains("fuzz.tsv"))
            #expect("\(error)".contains("1e30805"))
        }
        #expect(throws: IndexingError.self) { try BEIRCorpusReader.qrels(text: "q1\td1\t1\nq2\td2\t-1e400\n", path: "x") }
        #expect(throws: IndexingError.self) { try BEIRCorpusReader.qrels(text: "q1 d1\n", path: "x") }
        #expect(throws: IndexingError.self) { try BEIRCorpusReader.queries(text: "{\"_id\": \"q1\"}\n", path: "x") }
        #expect((try? BEIRCorpusReader.qrels(text: "", path: "x")) == [:])
        #expect((try? BEIRCorpusReader.queries(text: "\n \n", path: "x"))?.isEmpty == true)
    }
}
