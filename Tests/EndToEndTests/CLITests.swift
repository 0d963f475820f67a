// The real `parallax` binary as a user runs it: index the bundled sample, search it, ask a
// question with the base and RAG arms, and check the errors a user gets for bad input.
import Foundation
import Testing

/// Runs the binary named by PARALLAX_BIN (set by `make test`).
struct ParallaxBinary {
    let url: URL

    static func fromEnvironment() -> ParallaxBinary? {
        guard let path = ProcessInfo.processInfo.environment["PARALLAX_BIN"],
              FileManager.default.isExecutableFile(atPath: path) else { return nil }
        return ParallaxBinary(url: URL(fileURLWithPath: path))
    }

    /// The repository root (the sample lives there), found from this file's location.
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    struct Output { let status: Int32; let stdout: String; let stderr: String }

    func run(_ arguments: [String]) throws -> Output {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                      stderr: String(decoding: stderr, as: UTF8.self))
    }
}

@Suite(.serialized) struct CLIEndToEndTests {
    static let workspace = FileManager.default.temporaryDirectory.appendingPathComponent("parallax-e2e-\(getpid())")

    func binary() throws -> ParallaxBinary {
        try #require(ParallaxBinary.fromEnvironment(), "set PARALLAX_BIN to the built binary (make test does)")
    }

    @Test func indexSearchAndAskOnTheSample() throws {
        let bin = try binary()
        let handbook = ParallaxBinary.repositoryRoot.appendingPathComponent("samples/handbook").path
        defer { try? FileManager.default.removeItem(at: Self.workspace) }

        let index = try bin.run(["index", handbook, "--workspace", Self.workspace.path])
        #expect(index.status == 0, "\(index.stderr)")
        #expect(index.stdout.contains("39 added"))

        // A second run over unchanged files costs nothing.
        let again = try bin.run(["index", handbook, "--workspace", Self.workspace.path])
        #expect(again.status == 0 && again.stdout.contains("39 unchanged"))

        let search = try bin.run(["search", "per diem for a Tier A city", "--workspace", Self.workspace.path, "--json", "--top-k", "3"])
        #expect(search.status == 0, "\(search.stderr)")
        let hits = try #require((try JSONSerialization.jsonObject(with: Data(search.stdout.utf8)) as? [String: Any])?["hits"] as? [[String: Any]])
        #expect(hits.count == 3)
        #expect((hits.first?["doc"] as? String)?.hasSuffix("policies/travel.md") == true)
        #expect(hits.allSatisfy { $0["bm25_rank"] != nil && $0["dense_rank"] != nil && $0["text"] is String })

        let ask = try bin.run(["ask", "What is the per diem in a Tier A city?", "--workspace", Self.workspace.path,
                               "--arms", "base,rag", "--json", "--max-tokens", "40"])
        #expect(ask.status == 0, "\(ask.stderr)")
        let answer = try #require(try JSONSerialization.jsonObject(with: Data(ask.stdout.utf8)) as? [String: Any])
        let arms = try #require(answer["arms"] as? [[String: Any]])
        #expect(arms.map { $0["arm"] as? String } == ["base", "rag"])
        let rag = try #require(arms.last)
        // The RAG arm read the passages: its prompt is far longer than the base arm's.
        #expect((rag["prompt_tokens"] as? Int ?? 0) > 4 * (arms[0]["prompt_tokens"] as? Int ?? 0))
        #expect(!(rag["text"] as? String ?? "").isEmpty)
    }

    @Test func clearErrorsForBadInput() throws {
        let bin = try binary()
        let empty = FileManager.default.temporaryDirectory.appendingPathComponent("parallax-empty-\(getpid())")
        let noIndex = try bin.run(["ask", "anything", "--workspace", empty.path])
        #expect(noIndex.status == 1 && noIndex.stderr.contains("parallax index"))
        let noAdapter = try bin.run(["ask", "anything", "--workspace", empty.path, "--arms", "ft"])
        #expect(noAdapter.status != 0 && noAdapter.stderr.contains("adapter"))
        let badArms = try bin.run(["eval", "qa", "--suite", "/nonexistent.jsonl"])
        #expect(badArms.status != 0 && badArms.stderr.contains("/nonexistent.jsonl"))
        let badName = try bin.run(["ask", "q", "--workspace", empty.path, "--adapter", "../../etc", "--arms", "base"])
        #expect(badName.status != 0 && badName.stderr.contains("adapter"))
    }
}
