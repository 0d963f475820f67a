// The workbench receives SIGTERM, SIGHUP or Ctrl-C while it generates, trains or re-indexes:
// the process must exit, leave the alternate screen (the shell shows again), and leave the
// workspace consistent: the index passes `parallax index --check` and holds the old or the new
// content, every listed adapter loads (exports), and the next `parallax index` completes.
// By default each job meets one signal and each signal one job (3 sessions, a diagonal of the
// 3 × 3 matrix: each costs a model load); PARALLAX_E2E_ALL_SIGNALS=1 runs all nine,
// PARALLAX_E2E_SIGNAL_CASES="training SIGTERM,indexing C-c" the ones named.
import Foundation
import Testing

@Suite(.serialized, .enabled(if: EndToEnd.ready, EndToEnd.skipReason))
struct TUIKillTests {
    static let handbook = LiveWorkbenchTests.handbook

    static var cases: [String] {
        if let chosen = ProcessInfo.processInfo.environment["PARALLAX_E2E_SIGNAL_CASES"] {  // e.g. "training SIGTERM,indexing C-c"
            return chosen.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        if ProcessInfo.processInfo.environment["PARALLAX_E2E_ALL_SIGNALS"] != nil {
            return ["generation", "training", "indexing"].flatMap { job in ["SIGTERM", "SIGHUP", "C-c"].map { "\(job) \($0)" } }
        }
        return ["generation SIGTERM", "training SIGHUP", "indexing C-c"]
    }

    /// A collection copied from the sample and indexed once; each case copies it.
    static let template: Result<URL, any Error> = Result {
        let folder = try EndToEnd.temporaryFolder()
        try FileManager.default.copyItem(at: handbook, to: folder.appendingPathComponent("docs"))
        try? FileManager.default.removeItem(at: folder.appendingPathComponent("docs/.parallax"))
        let bin = try #require(ParallaxBinary.fromEnvironment() ?? EndToEnd.binary.map { ParallaxBinary(url: URL(fileURLWithPath: $0)) })
        let index = try bin.run(["index", folder.appendingPathComponent("docs").path, "--workspace", folder.appendingPathComponent(".parallax").path])
        try #require(index.status == 0, "indexing the sample failed: \(index.stderr)")
        return folder
    }

    @Test(arguments: cases)
    func signalDuringAJobRestoresTheTerminalAndKeepsTheWorkspace(_ scenario: String) throws {
        let parts = scenario.split(separator: " ").map(String.init)
        let (job, how) = (parts[0], parts[1])
        let bin = try #require(EndToEnd.binary.map { ParallaxBinary(url: URL(fileURLWithPath: $0)) })
        let folder = try EndToEnd.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let template = try Self.template.get()
        for item in ["docs", ".parallax"] {
            try FileManager.default.copyItem(at: template.appendingPathComponent(item), to: folder.appendingPathComponent(item))
        }
        let docs = folder.appendingPathComponent("docs")
        let workspace = folder.appendingPathComponent(".parallax").path
        if job == "indexing" {
            // Give the re-index work: every Markdown file changes.
            let files = FileManager.default.enumerator(atPath: docs.path)?.compactMap { $0 as? String }.filter { $0.hasSuffix(".md") } ?? []
            for file in files {
                let url = docs.appendingPathComponent(file)
                try (try String(contentsOf: url, encoding: .utf8) + "\n\nRevised after the audit of \(file).\n").write(to: url, atomically: true, encoding: .utf8)
            }
        }
        let before = try Self.digest(bin, workspace)

        let session = try EndToEnd.startWorkbench(in: folder, width: 160, height: 48, extra: "--documents '\(docs.path)'")
        defer { session.close() }
        session.waitFor("39 docs", timeout: 90)
        switch job {
        case "generation":
            try session.type("How many days of annual leave do employees get?")
            try session.send("Enter")
            session.waitFor("Hits 1/5", timeout: 120)
        case "training":
            try session.send("F3")
            session.waitFor("Train a LoRA adapter")
            try session.send("Down", "C-u")
            try session.type("sig")
            for _ in 0..<5 { try session.send("Down") }
            try session.send("C-u")
            try session.type("40")
            try session.send("Enter")
            session.waitFor(timeout: 180, what: "a training step") { $0.contains("sig · running") && $0.contains("tok/s") }
        default:
            try session.send("F2")
            session.waitFor("Index · F2/Esc back")
            try session.send("Enter")
            session.waitFor("embedding chunks", timeout: 120)
        }

        if how == "C-c" {
            try session.send("C-c")
        } else {
            let child = Self.childProcess(of: try session.panePID())
            try #require(child > 0, "no parallax process under the pane's shell")
            kill(child, how == "SIGTERM" ? SIGTERM : SIGHUP)
        }
        let screen = session.waitFor("PARALLAX-EXIT=", timeout: 60)
        #expect(screen.contains("PARALLAX-EXIT=0"), "\(scenario): \(screen)")
        #expect(try session.format("#{alternate_on}") == "0", "\(scenario): the alternate screen is still on")

        // The workspace: a sound index holding the old or the new content; the next run completes it.
        let after = try Self.digest(bin, workspace)
        let complete = try bin.run(["index", docs.path, "--workspace", workspace])
        #expect(complete.status == 0, "\(scenario): \(complete.stderr)")
        let updated = try Self.digest(bin, workspace)
        #expect(after == before || after == updated, "\(scenario): the index is neither the old nor the new state")
        if job != "indexing" { #expect(after == before, "\(scenario): the index changed") }

        // Adapters: nothing hidden or half-written is listed; each listed adapter loads.
        let list = try bin.run(["adapters", "list", "--json", "--workspace", workspace])
        #expect(list.status == 0, "\(scenario): \(list.stderr)")
        let names = ((try? JSONSerialization.jsonObject(with: Data(list.stdout.utf8))) as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        for name in names {
            #expect(!name.hasPrefix("."))
            let out = folder.appendingPathComponent("\(name).gguf").path
            let export = try bin.run(["adapters", "export", name, "--gguf", out, "--workspace", workspace])
            #expect(export.status == 0, "\(scenario): listed adapter \(name) does not load: \(export.stderr)")
        }
    }

    /// `parallax index --check --json`: integrity must hold; returns the content digest.
    static func digest(_ bin: ParallaxBinary, _ workspace: String) throws -> String {
        let check = try bin.run(["index", "--check", "--json", "--workspace", workspace])
        #expect(check.status == 0, "index check: \(check.stdout) \(check.stderr)")
        let object = (try? JSONSerialization.jsonObject(with: Data(check.stdout.utf8))) as? [String: Any]
        return try #require(object?["digest"] as? String, "no digest in: \(check.stdout)")
    }

    /// The first child of `pid` (the workbench under the pane's shell), read from /proc.
    static func childProcess(of pid: Int32) -> Int32 {
        let path = "/proc/\(pid)/task/\(pid)/children"
        for _ in 0..<40 {
            if let text = try? String(contentsOfFile: path, encoding: .utf8),
               let first = text.split(separator: " ").first, let child = Int32(first) { return child }
            usleep(50_000)
        }
        return 0
    }
}
