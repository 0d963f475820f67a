// End-to-end on the live backend: the Evaluate view (F5) of the real binary under tmux on the indexed sample.
// A 2-question run of base and RAG finishes with the table and charts, one question opens with both answers
// side by side, the run is stored next to a `parallax eval qa` run, and that CLI run opens in the view too.
import Foundation
import Testing

@Suite(.serialized, .enabled(if: EndToEnd.ready, EndToEnd.skipReason))
struct LiveEvaluateTests {
    static let suite = LiveWorkbenchTests.handbook.deletingLastPathComponent().appendingPathComponent("qa/handbook-qa.jsonl")

    /// Runs the binary with `arguments` and returns its exit status.
    static func run(_ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(EndToEnd.binary))
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// The answer text and gold-contained score of one (question, arm) in a stored run's answers.jsonl.
    static func answer(id: String, arm: String, run: String, in workspace: URL) throws -> String? {
        let data = try Data(contentsOf: workspace.appendingPathComponent("runs/\(run)/answers.jsonl"))
        for line in data.split(separator: UInt8(ascii: "\n")) {
            guard let object = try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                  object["id"] as? String == id, object["arm"] as? String == arm,
                  let answer = object["answer"] as? [String: Any], let text = answer["text"] as? String else { continue }
            return "\(text) · contained \(object["goldContained"] ?? "?")"
        }
        return nil
    }

    /// Stored run folders in the workspace.
    static func runs(in workspace: URL) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: workspace.appendingPathComponent("runs").path)) ?? [])
            .filter { !$0.hasPrefix(".") }.sorted()
    }

    @Test func runTwoQuestionsSeeTableChartsAndAnswersThenOpenACLIRun() throws {
        let folder = try EndToEnd.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try LiveWorkbenchTests.indexSample(into: folder)
        let workspace = folder.appendingPathComponent(".parallax")
        // A run made by the CLI first: it must show up in the view's list of past runs.
        let status = try Self.run(["eval", "qa", "--suite", Self.suite.path, "--limit", "1", "--arms", "base",
                                   "--workspace", workspace.path, "--json"])
        try #require(status == 0, "parallax eval qa failed")
        let cliRun = try #require(Self.runs(in: workspace).first)

        let session = try EndToEnd.startWorkbench(in: folder, width: 100, height: 30,
                                                  extra: "--documents '\(LiveWorkbenchTests.handbook.path)'")
        defer { session.close() }
        var screen = session.waitFor(timeout: 60) { $0.contains("39 docs") && $0.contains("SmolLM2") }

        // F5: the form, the bundled suite and the CLI run in the list; no adapter, so base and RAG only.
        try session.send("F5")
        screen = session.waitFor(timeout: 20) { $0.contains("Evaluate a QA suite") && $0.contains(cliRun) }
        #expect(screen.contains("handbook-qa.jsonl") && screen.contains("no adapter selected"), "\(screen)")
        // Questions: 20 → 10 → 5 → 2.
        try session.send("Down", "Left", "Left", "Left")
        screen = session.waitFor("◂ first 2 ▸")
        try session.send("Enter")

        // Live progress, then the finished run with its table and charts.
        screen = session.waitFor(timeout: 120, what: "the finished run") { $0.contains("evaluation finished") }
        for text in ["gold-contained", "token F1", "format compliance", "seconds per answer", "Base", "RAG", "R@5", "█"] {
            #expect(screen.contains(text), "missing \(text) in:\n\(screen)")
        }
        #expect(screen.contains("2 questions × 2 arms, stored as runs/"), "\(screen)")
        let stored = Self.runs(in: workspace)
        #expect(stored.count == 2, "the TUI run is stored next to the CLI run: \(stored)")
        let tuiRun = stored.first { $0 != cliRun } ?? ""
        let manifest = try String(contentsOf: workspace.appendingPathComponent("runs/\(tuiRun)/manifest.json"), encoding: .utf8)
        #expect(manifest.contains("\"kind\" : \"qa\"") && manifest.contains("\"source\" : \"workbench\""), "\(manifest)")
        // The same question through the same arm gives the same scored answer from the CLI and the TUI (greedy decoding).
        let cliBase = try Self.answer(id: "q001", arm: "base", run: cliRun, in: workspace)
        let tuiBase = try Self.answer(id: "q001", arm: "base", run: tuiRun, in: workspace)
        #expect(cliBase != nil && cliBase == tuiBase, "CLI: \(String(describing: cliBase))\nTUI: \(String(describing: tuiBase))")

        // The question list, then the first question's answers side by side.
        try session.send("Down")
        screen = session.waitFor("question 2/2")
        try session.send("Up", "Enter")
        screen = session.waitFor(timeout: 10, what: "the answers page") { $0.contains("Question q001 (1/2)") && $0.contains("gold:") }
        #expect(screen.contains("Base ✓ gold") || screen.contains("Base ✗ gold"), "\(screen)")
        #expect(screen.contains("RAG ✓ gold") || screen.contains("RAG ✗ gold"), "\(screen)")
        #expect(screen.contains("14 March 2009"), "the gold answer is shown:\n\(screen)")

        // Esc back to the results, Esc to the form; the CLI run opens with its one question.
        try session.send("Escape")
        usleep(300_000)
        screen = session.waitFor("Evaluation results")
        try session.send("Escape")
        usleep(300_000)
        screen = session.waitFor("Past runs (2)")
        try session.send("Tab", "Down", "Enter")
        screen = session.waitFor(timeout: 10, what: "the CLI run") { $0.contains("run \(cliRun)") && $0.contains("1 question ·") }
        #expect(screen.contains("run \(cliRun)") && screen.contains("Base"), "\(screen)")

        try session.send("F10")
        screen = session.waitFor("PARALLAX-EXIT=0")
        #expect(screen.contains("PARALLAX-EXIT=0"), "\(screen)")
    }
}
