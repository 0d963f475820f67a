// libFuzzer target: the format-compliance checker and answer metrics, which read model output.
import Evaluation
import FuzzSupport
import Inference

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFormatCompliance(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    guard let answer = Fuzz.text(start, count) else { return 0 }
    for format in AnswerFormat.allCases {
        let verdict = FormatValidator.check(answer, format: format)
        Fuzz.require(verdict.compliant == (verdict.reason == nil), "a verdict with compliant=\(verdict.compliant) and reason \(verdict.reason ?? "nil")")
        _ = FormatValidator.answerText(of: answer, format: format)
    }
    let golds = ["42", "per diem", ""]
    for score in [AnswerMetrics.exactMatch(answer, golds: golds), AnswerMetrics.f1(answer, golds: golds),
                  AnswerMetrics.goldContained(answer, golds: golds)] {
        Fuzz.require(score >= 0 && score <= 1, "a metric outside [0, 1]: \(score)")
    }
    let citations = AnswerMetrics.citations(in: answer)
    _ = AnswerMetrics.citationSupport(answer: answer, passages: ["the per diem is 42", answer], golds: golds)
    _ = citations
    return 0
}

/// The entry point SwiftPM links as `main`: libFuzzer's driver.
@_cdecl("FuzzFormatCompliance_main")
public func fuzzFormatComplianceMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    Fuzz.runDriver(argc, argv)
}
