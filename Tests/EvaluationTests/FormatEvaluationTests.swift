// Held-out prompt extraction and compliance summaries of the format evaluation.
import Foundation
import Testing
@testable import Evaluation
import Inference

@Suite struct FormatEvaluationTests {
    @Test func promptsStopAtTheLastUserTurn() throws {
        let jsonl = """
            {"messages": [{"role": "system", "content": "S"}, {"role": "user", "content": "Q1"}, {"role": "assistant", "content": "{}"}]}

            {"messages": [{"role": "user", "content": "A"}, {"role": "assistant", "content": "B"}, {"role": "user", "content": "C"}, {"role": "assistant", "content": "D"}]}
            """
        let prompts = try FormatEvaluation.prompts(fromChatJSONL: Data(jsonl.utf8), path: "t.jsonl")
        #expect(prompts.map { $0.map(\.content) } == [["S", "Q1"], ["A", "B", "C"]])
        #expect(throws: EvaluationError.malformedLine(path: "t.jsonl", line: 1, reason: "no user message")) {
            try FormatEvaluation.prompts(fromChatJSONL: Data(#"{"messages": [{"role": "system", "content": "S"}]}"#.utf8), path: "t.jsonl")
        }
        #expect(throws: EvaluationError.self) {
            try FormatEvaluation.prompts(fromChatJSONL: Data(#"{"messages": [{"role": "wizard", "content": "S"}]}"#.utf8), path: "t.jsonl")
        }
    }

    @Test func summariesPerVariant() {
        let outcomes = [
            FormatEvaluation.Outcome(variant: .base, example: 0, answer: "x", compliant: false, violation: "v", generatedTokens: 10),
            FormatEvaluation.Outcome(variant: .base, example: 1, answer: "{}", compliant: true, violation: nil, generatedTokens: 20),
            FormatEvaluation.Outcome(variant: .adapter, example: 0, answer: "{}", compliant: true, violation: nil, generatedTokens: 8),
        ]
        let s = FormatEvaluation.summaries(outcomes)
        #expect(s.map(\.variant) == [.base, .adapter])
        #expect(s[0].compliance == 0.5 && s[0].meanGeneratedTokens == 15)
        #expect(s[1].compliance == 1 && s[1].examples == 1)
    }
}
