// End-to-end: the real `parallax` binary under tmux: panes and status line render, help and palette open,
// resize reflows, and every way out (F10, Ctrl-C, SIGTERM) restores the terminal.
import Foundation
import Testing

/// The binary under test: $PARALLAX_BIN (set by `make test`), else the package's .build/release/parallax.
enum EndToEnd {
    static let binary: String? = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let candidates = [ProcessInfo.processInfo.environment["PARALLAX_BIN"],
                          root.appendingPathComponent(".build/release/parallax").path].compactMap { $0 }
        for candidate in candidates {
            let path = candidate.hasPrefix("/") ? candidate : root.appendingPathComponent(candidate).path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }()

    static var ready: Bool { binary != nil && TmuxSession.executable != nil }
    static let skipReason: Comment = "needs tmux and the parallax binary (set PARALLAX_BIN or build .build/release/parallax)"

    /// A fresh temporary folder with a workspace inside.
    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("parallax-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Starts the workbench in tmux; the shell prints a marker with the exit status when it ends.
    static func startWorkbench(in folder: URL, width: Int = 100, height: Int = 30, extra: String = "") throws -> TmuxSession {
        let binary = binary ?? "parallax"
        let command = "'\(binary)' tui --workspace '\(folder.path)/.parallax' \(extra); echo PARALLAX-EXIT=$?; exec sleep 120"
        return try TmuxSession(command: command, directory: folder, width: width, height: height,
                               environment: ["TERM": "tmux-256color", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"])
    }
}

@Suite(.serialized, .enabled(if: EndToEnd.ready, EndToEnd.skipReason))
struct WorkbenchEndToEndTests {
    @Test func panesStatusLineHelpPaletteResizeAndQuit() throws {
        let folder = try EndToEnd.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let session = try EndToEnd.startWorkbench(in: folder)
        defer { session.close() }

        // Panes, status line and function-key bar render.
        var screen = session.waitFor("F10Quit")
        for text in ["Ask›", "Documents", "Hits", "Preview", "RAG · base + passages", "Fine-tuned · adapter", "top-k 5", "F1Help"] {
            #expect(screen.contains(text), "missing \(text) in:\n\(screen)")
        }
        #expect(try session.format("#{alternate_on}") == "1")

        // A question is taken, recorded in history, and answered honestly (no fake answers in the real binary).
        try session.type("what is the per diem?")
        try session.send("Enter")
        screen = session.waitFor("failed")
        #expect(screen.contains("failed") || screen.contains("⚠"), "\(screen)")
        let history = folder.appendingPathComponent(".parallax/history")
        for _ in 0..<40 where !FileManager.default.fileExists(atPath: history.path) { usleep(50_000) }
        #expect((try? String(contentsOf: history, encoding: .utf8))?.contains("what is the per diem?") == true)

        // ? opens the key help (focus is on the hits after asking); Escape closes it.
        try session.send("?")
        screen = session.waitFor("Keys · Esc closes")
        #expect(screen.contains("step through hits"), "\(screen)")
        try session.send("Escape")
        screen = session.waitFor { !$0.contains("Keys · Esc closes") }
        #expect(!screen.contains("Keys · Esc closes"))

        // : opens the palette; Tab completes a command and lists the themes.
        try session.send(":")
        session.waitFor("completions")
        try session.type("th")
        try session.send("Tab")
        screen = session.waitFor("theme monochrome")
        #expect(screen.contains(":theme"), "\(screen)")
        try session.type("light")
        try session.send("Enter")
        screen = session.waitFor("theme light")
        #expect(screen.contains("theme light"), "\(screen)")

        // F3 opens Train; F2 Index; F5 Evaluate shows the unavailable state; Escape returns.
        try session.send("F3")
        #expect(session.waitFor("Train a LoRA adapter").contains("Learning rate"))
        try session.send("F5")
        #expect(session.waitFor("evaluation not available yet").contains("Evaluate"))
        try session.send("Escape")
        #expect(session.waitFor("Preview").contains("Hits"))

        // Resize reflows at once; too small shows a short message; growing back restores the layout.
        try session.resize(width: 140, height: 40)
        screen = session.waitFor { screen in
            let rows = screen.split(separator: "\n", omittingEmptySubsequences: false)
            return rows.indices.contains(39) && rows[39].hasPrefix("F1Help")
        }
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count >= 40, "expected 40 rows, got \(lines.count)")
        #expect(lines.indices.contains(39) && lines[39].hasPrefix("F1Help"), "\(screen)")
        #expect(lines.contains { $0.hasSuffix("╮") && $0.count == 140 }, "\(screen)")
        try session.resize(width: 50, height: 12)
        #expect(session.waitFor("too small").contains("50×12"))
        try session.resize(width: 100, height: 30)
        #expect(session.waitFor("F10Quit").contains("Documents"))

        // F10 quits with status 0 and the terminal is restored (alternate screen gone, shell output visible).
        try session.send("F10")
        screen = session.waitFor("PARALLAX-EXIT=")
        #expect(screen.contains("PARALLAX-EXIT=0"), "\(screen)")
        #expect(!screen.contains("F10Quit"), "\(screen)")
        #expect(try session.format("#{alternate_on}") == "0")
    }

    @Test(arguments: ["C-c", "SIGTERM", "SIGHUP"])
    func everyWayOutRestoresTheTerminal(_ how: String) throws {
        let folder = try EndToEnd.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let session = try EndToEnd.startWorkbench(in: folder, width: 80, height: 24)
        defer { session.close() }
        session.waitFor("F10Quit")
        if how == "C-c" {
            try session.send("C-c")
        } else {
            let shell = try session.panePID()
            let child = try childProcess(of: shell)
            try #require(child > 0, "no parallax process under the pane's shell")
            kill(child, how == "SIGTERM" ? SIGTERM : SIGHUP)
        }
        let screen = session.waitFor("PARALLAX-EXIT=")
        #expect(screen.contains("PARALLAX-EXIT=0"), "\(screen)")
        #expect(try session.format("#{alternate_on}") == "0")
    }

    /// The first child of `pid` (the workbench under the pane's shell), read from /proc.
    func childProcess(of pid: Int32) throws -> Int32 {
        let path = "/proc/\(pid)/task/\(pid)/children"
        for _ in 0..<40 {
            if let text = try? String(contentsOfFile: path, encoding: .utf8),
               let first = text.split(separator: " ").first, let child = Int32(first) { return child }
            usleep(50_000)
        }
        return 0
    }
}

/// The default generator model, if the cache has it (same lookup as `ModelCache`).
enum SampleModel {
    static var present: Bool {
        let environment = ProcessInfo.processInfo.environment
        let root = environment["PARALLAX_MODELS"].map { URL(fileURLWithPath: $0) }
            ?? environment["XDG_CACHE_HOME"].map { URL(fileURLWithPath: $0).appendingPathComponent("parallax/models") }
            ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/parallax/models")
        return FileManager.default.fileExists(atPath: root.appendingPathComponent("SmolLM2-135M-Instruct.Q4_1.gguf").path)
    }
    static let sampleFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("samples/handbook")
    static var ready: Bool { EndToEnd.ready && present && FileManager.default.fileExists(atPath: sampleFolder.path) }
}

@Suite(.serialized, .enabled(if: SampleModel.ready, "needs tmux, the parallax binary, the default model and samples/handbook"))
struct WorkbenchSampleSessionTests {
    /// The real models on the sample handbook: ask, wait for the arms, step through hits, train a tiny adapter from F3
    /// and see it become selectable, quit cleanly.
    @Test func askStepTrainAndQuitOnTheSampleWorkspace() throws {
        let folder = try EndToEnd.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let handbook = folder.appendingPathComponent("handbook")
        try FileManager.default.copyItem(at: SampleModel.sampleFolder, to: handbook)
        let binary = EndToEnd.binary ?? "parallax"
        let workspace = handbook.appendingPathComponent(".parallax").path
        let command = "'\(binary)' index '\(handbook.path)' --workspace '\(workspace)' >/dev/null && "
            + "'\(binary)' tui --workspace '\(workspace)'; echo PARALLAX-EXIT=$?; exec sleep 120"
        let session = try TmuxSession(command: command, directory: handbook, width: 120, height: 36,
                                      environment: ["TERM": "tmux-256color", "LANG": "C.UTF-8"])
        defer { session.close() }

        var screen = session.waitFor(timeout: 180) { $0.contains("F10Quit") && $0.contains("chunks") }
        try #require(screen.contains("F10Quit"), "the workbench did not start:\n\(screen)")
        #expect(screen.contains("travel.md") || screen.contains("Documents"), "\(screen)")

        // Ask; both arms end (the fine-tuned arm reports that it needs an adapter until one is trained).
        try session.type("What is the per diem for domestic travel?")
        try session.send("Enter")
        screen = session.waitFor(timeout: 240) { $0.contains("TTFT") && $0.contains("jobs idle") }
        #expect(screen.contains("TTFT"), "the RAG arm did not finish:\n\(screen)")
        #expect(screen.contains("Hits 1/"), "\(screen)")
        #expect(screen.contains("travel.md"), "\(screen)")
        #expect(screen.contains("hybrid top-k 5"), "\(screen)")

        // Step through the hits.
        try session.send("j")
        #expect(session.waitFor("Hits 2/").contains("Preview · hit 2"))

        // Train a two-step adapter from F3; it becomes selectable in F4.
        try session.send("F3")
        session.waitFor("Train a LoRA adapter")
        for _ in 0..<6 { try session.send("Down") }
        try session.send("BSpace", "BSpace", "BSpace")
        try session.type("2")
        try session.send("Enter")
        screen = session.waitFor(timeout: 600) { $0.contains("training finished") || $0.contains("training failed") }
        #expect(screen.contains("training finished"), "\(screen)")
        try session.send("F4")
        #expect(session.waitFor("my-adapter").contains("my-adapter"))

        try session.send("F10")
        screen = session.waitFor("PARALLAX-EXIT=")
        #expect(screen.contains("PARALLAX-EXIT=0"), "\(screen)")
        #expect(try session.format("#{alternate_on}") == "0")
    }
}
