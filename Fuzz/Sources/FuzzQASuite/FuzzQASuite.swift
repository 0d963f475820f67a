// libFuzzer target: the QA suite JSONL reader (ids, questions, answers, answer formats).
import Evaluation
import Foundation
import FuzzSupport

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzQASuite(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let data = Data(Fuzz.bytes(start, count))
    guard let suite = try? QASuite(jsonl: data, path: "fuzz.jsonl") else { return 0 }
    Fuzz.require(!suite.items.isEmpty, "a suite loaded with no items")
    Fuzz.require(Set(suite.items.map(\.id)).count == suite.items.count, "duplicate ids loaded")
    for item in suite.items {
        Fuzz.require(!item.question.isEmpty && !item.answers.isEmpty, "item \(item.id) has no question or answers")
        // Scoring a suite item against itself must not trap (metrics read the same strings later).
        _ = AnswerMetrics.f1(item.question, golds: item.answers)
        _ = AnswerMetrics.exactMatch(item.answers[0], golds: item.answers)
    }
    return 0
}

/// The entry point SwiftPM links as `main`: libFuzzer's driver.
@_cdecl("FuzzQASuite_main")
public func fuzzQASuiteMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    Fuzz.runDriver(argc, argv)
}
