// The evaluator, summaries, report and run store, driven by a scripted answerer.
import Foundation
import Testing
@testable import Evaluation
import Inference

/// Answers by a fixed script: the RAG arms quote the passage, FT answers in JSON, base guesses.
struct ScriptedAnswerer: QAAnswerer {
    let corpus = ["The per diem in Oslo is 95 euros.", "Annual leave is 28 days.", "The canteen opens at 8:00."]

    func retrieve(_ question: String, topK: Int) async throws -> [PromptPassage] {
        let keywords = ["diem", "leave", "canteen"].filter { question.contains($0) }
        return corpus.filter { p in keywords.contains { p.contains($0) } }.prefix(topK).map { PromptPassage(source: "doc", text: $0) }
    }

    func answer(_ item: QAItem, arm: ArmKind, format: AnswerFormat, passages: [PromptPassage]) async throws -> ArmAnswer {
        let fact = passages.first.map { "\($0.text) [1]" } ?? "I think it is 10."
        let text: String
        switch arm {
        case .base, .rag: text = fact
        case .ft, .ftrag: text = #"{"answer": "\#(fact)", "confidence": 0.8, "sources": [1]}"#
        }
        return ArmAnswer(text: text, passages: passages.map(\.text), promptTokens: 10 + 50 * passages.count, generatedTokens: 12,
                         timeToFirstToken: 0.1, seconds: 0.5, cpuSeconds: 1.0)
    }
}

@Suite struct QARunTests {
    let items = [
        QAItem(id: "1", question: "What is the per diem in Oslo?", answers: ["95 euros"], format: .json),
        QAItem(id: "2", question: "How many days of annual leave?", answers: ["28 days"], format: .json),
    ]

    @Test func armsAreScoredAndSummarised() async throws {
        let evaluator = QAEvaluator(arms: ArmKind.allCases, topK: 3)
        let progressCount = Counter()
        let results = try await evaluator.run(items, answerer: ScriptedAnswerer()) { _ in progressCount.increment() }
        #expect(results.count == 8 && progressCount.value == 8)
        let summaries = evaluator.summaries(of: results)
        let byArm = Dictionary(uniqueKeysWithValues: summaries.map { ($0.arm, $0) })
        #expect(byArm[.base]?.goldContained == 0)
        #expect(byArm[.rag]?.goldContained == 1)
        #expect(byArm[.ft]?.goldContained == 0)
        #expect(byArm[.ftrag]?.goldContained == 1)
        #expect(byArm[.base]?.formatCompliance == 0)
        #expect(byArm[.ft]?.formatCompliance == 1 && byArm[.ftrag]?.formatCompliance == 1)
        #expect(byArm[.rag]?.citationSupport == 1 && byArm[.base]?.citationSupport == nil)
        #expect(byArm[.base]?.retrievalRecall == 1)
        #expect(byArm[.rag]?.meanPromptTokens == 60)

        let report = QAReport(title: "t", summaries: summaries, topK: 3,
                              training: TrainingCost(adapter: "json", seconds: 300, cpuSeconds: 590, steps: 100, tokens: 40_000),
                              update: UpdateCost(reindexSeconds: 2.5, reindexCPUSeconds: 4, retrainSeconds: 120, retrainCPUSeconds: 235,
                                                 ragAccuracyAfter: 0.9, staleAdapterAccuracy: 0.1, retrainedAdapterAccuracy: 0.4, changedQuestions: 20))
        let md = report.markdown()
        #expect(md.contains("| RAG | 2 | "))
        #expect(md.contains("re-index 2.5 s, 4.0 CPU-s"))
        #expect(md.contains("re-train 120.0 s, 235.0 CPU-s"))
        let ideal = try #require(report.comparisonRows().last)
        #expect(ideal.fineTuning.contains("must follow a format (compliance 100.0% vs 0.0% for Base)"))
        #expect(ideal.rag.contains("questions about your documents (gold-contained 100.0% vs 0.0% for Base)"))
    }

    @Test func cancellationStopsTheRun() async {
        let task = Task { try await QAEvaluator(arms: [.base]).run(items, answerer: ScriptedAnswerer()) }
        task.cancel()
        await #expect(throws: CancellationError.self) { try await task.value }
    }

    @Test func armLists() throws {
        #expect(try ArmKind.parseList("base, rag,both") == [.base, .rag, .ftrag])
        #expect(throws: ArmListError.unknownArm("rgb")) { try ArmKind.parseList("rgb") }
        #expect(throws: ArmListError.empty) { try ArmKind.parseList(" , ") }
    }

    @Test func runStoreSavesAtomicallyAndLists() async throws {
        let workspace = FileManager.default.temporaryDirectory.appendingPathComponent("runs-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: workspace) }
        let store = RunStore(workspace: workspace)
        let evaluator = QAEvaluator(arms: [.rag])
        let results = try await evaluator.run(items, answerer: ScriptedAnswerer())
        let id = RunStore.newID()
        let manifest = RunManifest(id: id, kind: "qa", createdAt: "now", suite: "s", suiteSHA256: "x", arms: [.rag],
                                   settings: ["seed": "0"], fingerprints: ["model": "abc"], summaries: evaluator.summaries(of: results))
        // A leftover partial folder from a killed run is never listed.
        try FileManager.default.createDirectory(at: store.directory.appendingPathComponent(".dead.partial"), withIntermediateDirectories: true)
        try store.save(manifest: manifest, answers: results, report: "# r")
        #expect(store.list().map(\.id) == [id])
        let reloaded = try store.answers(of: id)
        #expect(reloaded.map(\.id) == results.map(\.id) && reloaded.map(\.answer.text) == results.map(\.answer.text))
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func increment() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
