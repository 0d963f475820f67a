// Dataset reading (three JSONL forms, malformed lines, strict mode), ChatML encoding with the
// assistant mask, truncation counts, padded and packed batches.
import Foundation
import ModelFiles
import Models
import Tokenizers
import Testing
@testable import Training

@Suite("Chat datasets and batches")
struct ChatDatasetTests {
    @Test func readsThreeFormsAndReportsMalformedLines() throws {
        let lines = [
            #"{"messages":[{"role":"system","content":"S"},{"role":"user","content":"U"},{"role":"assistant","content":"A"}]}"#,
            #"{"prompt":"P","completion":"C"}"#,
            "not json",
            #"{"instruction":"I","input":"X","output":"O"}"#,
            "",
            #"{"messages":[{"role":"user","content":"only a question"}]}"#,
            #"{"messages":[{"role":"robot","content":"?"}]}"#,
        ]
        let (examples, malformed) = try ChatDataset.parse(Data(lines.joined(separator: "\n").utf8), path: "d.jsonl", strict: false)
        #expect(examples.map(\.line) == [1, 2, 4])
        #expect(malformed.map(\.line) == [3, 6, 7])
        #expect(examples[0].messages.map(\.role) == [.system, .user, .assistant])
        #expect(examples[1].messages == [.system(ChatDataset.defaultSystemPrompt),
                                         .user("P"), .assistant("C")])
        #expect(examples[2].messages[1].content == "I\n\nX")
        #expect(throws: TrainingError.malformedLine(path: "d.jsonl", line: 3, reason: "not a JSON object")) {
            try ChatDataset.parse(Data(lines.joined(separator: "\n").utf8), path: "d.jsonl", strict: true)
        }
        #expect(throws: TrainingError.noExamples(path: "e.jsonl")) { try ChatDataset.parse(Data("x\n".utf8), path: "e.jsonl", strict: false) }
    }

    @Test func modelTemplateMasksAssistantContentAndEnd() throws {
        let url = ModelCache().generatorURL
        guard FileManager.default.fileExists(atPath: url.path) else {
            print("skipping: \(url.path) is absent (run `make models`)")
            return
        }
        let template = try ChatTemplate(tokenizer: BPETokenizer(gguf: GGUFFile(url: url)))
        let chat = try template.encodeChat([.system("S"), .user("hi"), .assistant("{\"answer\": 1}")])
        let trained = zip(chat.tokens, chat.trainMask).filter(\.1).map(\.0)
        #expect(trained == template.tokenizer.encode32("{\"answer\": 1}") + [Int32(template.endID)])
        #expect(chat.tokens.first == Int32(template.startID))
    }

    @Test func truncationIsCountedAndEmptyExamplesDropped() throws {
        let long = ChatExample(messages: [.user("u"), .assistant(String(repeating: "a", count: 50))], line: 1)
        let unreachable = ChatExample(messages: [.user(String(repeating: "u", count: 50)), .assistant("a")], line: 2)
        let data = try TrainingData.tokenize([long, unreachable], encoder: ByteChatEncoder(), seq: 30, allTokens: false)
        #expect(data.truncated == 2)
        #expect(data.emptyAfterTruncation == 1)
        #expect(data.examples.count == 1 && data.examples[0].tokens.count == 30)
    }

    @Test(arguments: BatchLayout.allCases)
    func batchesShiftTargetsAndKeepExamplesApart(layout: BatchLayout) throws {
        let examples = (0..<5).map { i in
            TokenizedExample(tokens: (0..<(4 + i)).map { Int32(10 * i + $0 + 3) }, trainMask: (0..<(4 + i)).map { $0 >= 2 }, line: i + 1)
        }
        let data = TrainingData(examples: examples, truncated: 0, emptyAfterTruncation: 0)
        let rows = data.rows(order: [0, 1, 2, 3, 4], seq: 16, layout: layout)
        #expect(rows.joined().sorted() == [0, 1, 2, 3, 4])
        if layout == .packed { #expect(rows.count < 5) } else { #expect(rows.count == 5) }
        let batch = data.batch(rows: rows, seq: 16, padToken: 0)
        var seen = 0
        for (r, row) in rows.enumerated() {
            var position = 0
            for index in row {
                let ex = examples[index]
                for i in 0..<ex.tokens.count {
                    let p = r * batch.seqLen + position + i
                    #expect(batch.tokens[p] == ex.tokens[i])
                    #expect(Int(batch.segmentStarts[p]) == position)
                    let expected: Int32 = (i + 1 < ex.tokens.count && ex.trainMask[i + 1]) ? ex.tokens[i + 1] : -1
                    #expect(batch.targets[p] == expected)
                    if expected >= 0 { seen += 1 }
                }
                position += ex.tokens.count
            }
        }
        #expect(batch.targetCount == seen)
        #expect(seen == examples.reduce(0) { $0 + $1.trainMask.dropFirst().filter { $0 }.count })
    }

    @Test func splitIsSeededAndDisjoint() {
        let examples = (0..<20).map { TokenizedExample(tokens: [1, 2], trainMask: [false, true], line: $0) }
        let data = TrainingData(examples: examples, truncated: 0, emptyAfterTruncation: 0)
        let a = data.split(validationFraction: 0.1, seed: 3), b = data.split(validationFraction: 0.1, seed: 3)
        #expect(a.train == b.train && a.validation == b.validation)
        #expect(a.validation.count == 2)
        #expect(Set(a.train).isDisjoint(with: a.validation) && a.train.count + a.validation.count == 20)
    }
}
