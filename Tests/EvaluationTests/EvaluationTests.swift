// Metrics, format validators and the suite reader, on hand-worked cases.
import Foundation
import Testing
@testable import Evaluation
import Inference
@testable import ModelFiles

@Suite struct AnswerMetricTests {
    @Test(arguments: [
        ("The Eiffel Tower!", "eiffel tower"),
        ("  A  cat,   an apple ", "cat apple"),
        ("€42.50 per-day", "42 50 per day"),
        ("Ünïcode — dash", "ünïcode dash"),
    ])
    func normalisation(input: String, expected: String) {
        #expect(normalizeAnswer(input) == expected)
    }

    @Test func exactMatchAndF1() {
        #expect(AnswerMetrics.exactMatch("The 42 days.", golds: ["42 days"]) == 1)
        #expect(AnswerMetrics.exactMatch("42 days a year", golds: ["42 days"]) == 0)
        // prediction "42 days per year" vs gold "42 days": precision 2/4, recall 1 → F1 = 2/3.
        #expect(abs(AnswerMetrics.f1("42 days per year", golds: ["42 days", "six weeks"]) - 2.0 / 3.0) < 1e-12)
        #expect(AnswerMetrics.f1("nothing", golds: ["42 days"]) == 0)
        // Repeated tokens count once per occurrence in the gold.
        #expect(abs(AnswerMetrics.f1("days days days", golds: ["42 days"]) - 0.4) < 1e-12)
    }

    @Test func containmentUsesWholeTokens() {
        #expect(AnswerMetrics.goldContained("The limit is €42 per day.", golds: ["42"]) == 1)
        #expect(AnswerMetrics.goldContained("The limit is 420 per day.", golds: ["42"]) == 0)
        #expect(AnswerMetrics.goldContained("Model KX-200 ships in May", golds: ["kx 200"]) == 1)
        #expect(AnswerMetrics.goldContained("anything", golds: ["!!!"]) == 0)
    }

    @Test func citationsAreParsed() {
        #expect(AnswerMetrics.citations(in: "See [2] and [1, 3][2]. Not [x] or [12a].") == [2, 1, 3])
        #expect(AnswerMetrics.citations(in: "no citations") == [])
    }

    @Test func citationSupport() {
        let passages = ["The per diem is 55 euros.", "Leave is 30 days."]
        #expect(AnswerMetrics.citationSupport(answer: "It is 30 days [2].", passages: passages, golds: ["30 days"]) == 1)
        #expect(AnswerMetrics.citationSupport(answer: "It is 30 days [1].", passages: passages, golds: ["30 days"]) == 0)
        #expect(AnswerMetrics.citationSupport(answer: "It is 30 days.", passages: passages, golds: ["30 days"]) == nil)
        #expect(AnswerMetrics.citationSupport(answer: "See [7].", passages: passages, golds: ["30 days"]) == nil)
        #expect(AnswerMetrics.retrievalHit(passages: passages, golds: ["55 euros"]) == 1)
        #expect(AnswerMetrics.retrievalHit(passages: passages, golds: ["56 euros"]) == 0)
    }
}

@Suite struct FormatComplianceTests {
    @Test(arguments: [
        (#"{"answer": "30 days", "confidence": 0.9, "sources": [1]}"#, true),
        (#"  {"answer": "x", "confidence": 1, "sources": []}  "#, true),
        (#"```json {"answer": "x", "confidence": 1, "sources": []} ```"#, false),
        (#"{"answer": "x", "confidence": 1.5, "sources": []}"#, false),
        (#"{"answer": "x", "confidence": true, "sources": []}"#, false),
        (#"{"answer": 3, "confidence": 0.5, "sources": []}"#, false),
        (#"{"answer": "x", "sources": []}"#, false),
        (#"{"answer": "x", "confidence": 0.5, "sources": "1"}"#, false),
        (#"{"answer": "x", "confidence": 0.5, "sources": []"#, false),
        ("The answer is 30 days.", false),
    ])
    func json(answer: String, compliant: Bool) {
        #expect(FormatValidator.checkJSON(answer).compliant == compliant)
    }

    static let goodRecord = """
        <record><type>clinical</type><date>2025-03-14</date><parties><party role="patient">A. B.</party></parties>
        <summary>Knee pain &amp; swelling</summary><findings><finding>effusion</finding></findings><outcome>rest</outcome></record>
        """

    @Test func wellFormedRecord() throws {
        #expect(FormatValidator.checkXML(Self.goodRecord) == .ok)
        let root = try XMLDocumentParser.parse(Self.goodRecord)
        #expect(root.child("summary")?.text == "Knee pain & swelling")
        #expect(root.child("parties")?.child("party")?.attributes["role"] == "patient")
    }

    @Test(arguments: [
        "<record><type>x</type></record>",                         // missing children
        "<record><type>x</record>",                                  // mismatched
        "<record><type>x</type>",                                    // unclosed
        "<other/>",                                                  // wrong root
        "<record a=1></record>",                                     // unquoted attribute
        "<record>&bogus;</record>",                                  // unknown entity
        "text <record/>",                                            // text before root
        "<record/><record/>",                                        // two roots
        "",
    ])
    func malformedRecords(answer: String) {
        #expect(!FormatValidator.checkXML(answer).compliant)
    }

    @Test func deepNestingIsBounded() {
        let deepXML = String(repeating: "<a>", count: 100_000) + String(repeating: "</a>", count: 100_000)
        #expect(throws: XMLParseError.tooDeep(limit: 256)) { try XMLDocumentParser.parse(deepXML) }
        let deepJSON = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(!FormatValidator.checkJSON("{\"answer\": \(deepJSON)}").compliant)
        #expect(throws: JSONGuardError.tooDeep(limit: 64)) { try JSONGuard.object(from: Data(deepJSON.utf8)) }
    }

    @Test func answerTextComesFromTheJSONField() {
        #expect(FormatValidator.answerText(of: #"{"answer": "30 days", "confidence": 1, "sources": []}"#, format: .json) == "30 days")
        #expect(FormatValidator.answerText(of: "30 days", format: .json) == "30 days")
    }
}

@Suite struct QASuiteTests {
    @Test func readsLinesAndReportsErrorsByLine() throws {
        let good = """
            {"id": "q1", "question": "How long?", "answers": ["30 days", "30"]}

            // comment
            {"id": 2, "question": "Format?", "answers": ["x"], "format": "json"}
            """
        let suite = try QASuite(jsonl: Data(good.utf8), path: "s.jsonl")
        #expect(suite.items.map(\.id) == ["q1", "2"])
        #expect(suite.items[1].format == .json)

        #expect(throws: EvaluationError.malformedLine(path: "s.jsonl", line: 2, reason: "\"answers\" must be a non-empty list of strings")) {
            try QASuite(jsonl: Data("{\"id\":\"a\",\"question\":\"q\",\"answers\":[\"x\"]}\n{\"id\":\"b\",\"question\":\"q\",\"answers\":[]}".utf8), path: "s.jsonl")
        }
        #expect(throws: EvaluationError.duplicateID(path: "s.jsonl", id: "a", line: 2)) {
            try QASuite(jsonl: Data("{\"id\":\"a\",\"question\":\"q\",\"answers\":[\"x\"]}\n{\"id\":\"a\",\"question\":\"q\",\"answers\":[\"y\"]}".utf8), path: "s.jsonl")
        }
        #expect(throws: EvaluationError.emptySuite(path: "s.jsonl")) { try QASuite(jsonl: Data("\n\n".utf8), path: "s.jsonl") }
        let deep = String(repeating: "[", count: 100_000)
        #expect(throws: EvaluationError.self) { try QASuite(jsonl: Data(deep.utf8), path: "s.jsonl") }
    }
}
