// End-to-end on the live backend: the real binary under tmux on the indexed sample collection.
// A question gets hits and a streamed RAG answer; hits can be stepped through; a tiny training
// job started from F3 yields an adapter that becomes selectable; F10 quits cleanly.
import Foundation
import Testing

@Suite(.serialized, .enabled(if: EndToEnd.ready, EndToEnd.skipReason))
struct LiveWorkbenchTests {
    static let handbook = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("samples/handbook")

    /// Indexes the sample into `folder/.parallax` with the real binary.
    static func indexSample(into folder: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try #require(EndToEnd.binary))
        process.arguments = ["index", handbook.path, "--workspace", folder.appendingPathComponent(".parallax").path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "indexing the sample failed")
    }

    @Test func askStepTrainSelectAndQuit() throws {
        let folder = try EndToEnd.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.indexSample(into: folder)
        let session = try EndToEnd.startWorkbench(in: folder, width: 160, height: 48,
                                                  extra: "--documents '\(Self.handbook.path)'")
        defer { session.close() }

        // Model and index load in the background; the status line reports them.
        var screen = session.waitFor("39 docs", timeout: 60)
        #expect(screen.contains("39 docs") && screen.contains("SmolLM2-135M-Instruct") && screen.contains("228 chunks"), "\(screen)")

        // A question: ranked hits with both retrievers' ranks, the chunk in its document, and
        // the RAG arm's streamed answer with its timings.
        try session.type("How many days of annual leave do employees get?")
        try session.send("Enter")
        screen = session.waitFor(timeout: 180) { $0.contains("TTFT") && $0.contains("tok/s") }
        #expect(screen.contains("Hits 1/5"), "\(screen)")
        #expect(screen.contains("leave.md › Leave Policy"), "\(screen)")
        #expect(screen.contains("B1 D1"), "the top hit is first for BM25 and dense:\n\(screen)")
        #expect(screen.contains("Full-time employees receive 27 days"), "the preview shows the chunk:\n\(screen)")
        #expect(screen.contains("5 passages"))
        #expect(screen.contains("no adapter selected"), "the fine-tuned arm says what it needs:\n\(screen)")

        // Step to the next hit.
        try session.send("j")
        screen = session.waitFor("Hits 2/5")
        #expect(screen.contains("Hits 2/5") && screen.contains("Preview · hit 2"), "\(screen)")

        // Train a tiny adapter from F3 (3 steps), then select it.
        try session.send("F3")
        screen = session.waitFor("Train a LoRA adapter")
        try session.send("Down", "C-u")
        try session.type("e2e-tiny")
        for _ in 0..<5 { try session.send("Down") }
        try session.send("C-u")
        try session.type("3")
        try session.send("Enter")
        screen = session.waitFor("e2e-tiny · finished", timeout: 300)
        #expect(screen.contains("e2e-tiny · finished") && screen.contains("loss"), "\(screen)")
        // ESC and the next key in one write read as Alt+key (as in any curses program): pause like a person.
        try session.send("Escape")
        usleep(300_000)
        try session.type(":adapter e2e-tiny")
        try session.send("Enter")
        screen = session.waitFor("adapter e2e-tiny ×1.00")
        #expect(screen.contains("adapter e2e-tiny ×1.00"), "the new adapter is selectable:\n\(screen)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent(".parallax/adapters/e2e-tiny/adapter_model.safetensors").path))

        // With the adapter selected the fine-tuned arm regenerates: both arms now finish with an answer.
        screen = session.waitFor(timeout: 240) { $0.components(separatedBy: "TTFT").count == 3 }
        #expect(screen.components(separatedBy: "TTFT").count == 3, "both arms finish with their timings:\n\(screen)")
        #expect(!screen.contains("no adapter selected"), "\(screen)")

        // Quit: the program ends with status 0 and leaves the alternate screen.
        try session.send("F10")
        screen = session.waitFor("PARALLAX-EXIT=0")
        #expect(screen.contains("PARALLAX-EXIT=0"), "\(screen)")
        #expect(try session.format("#{alternate_on}") == "0")
    }
}
