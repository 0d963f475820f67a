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
        screen = session.waitFor(what: "a failure message") { $0.contains("failed") || $0.contains("⚠") }
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
        // The Evaluate view lists the suites it can run (the bundled QA suite among them).
        #expect(session.waitFor("Evaluate a QA suite").contains("handbook-qa.jsonl"))
        try session.send("Escape")
        #expect(!session.waitFor { !$0.contains("Evaluate a QA suite") }.contains("Evaluate a QA suite"))

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
