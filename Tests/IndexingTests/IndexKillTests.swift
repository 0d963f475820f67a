// Kills `parallax index` with SIGKILL at random moments of a large in-place re-index and checks
// that the index then opens, passes SQLite's and FTS5's integrity checks, and holds exactly the
// old or the new content (a digest of documents, chunks, vectors and FTS terms); then that the
// next run completes the update. Runs the real binary (PARALLAX_BIN, or .build/release/parallax)
// with the real embedder; skipped with a message when the embedding model is not in the cache.
import Foundation
import TestSupport
import Testing
@testable import Indexing

@Suite(.serialized) struct IndexKillTests {
    static let trials = 20

    @Test func sigkillDuringReindexLeavesTheOldOrTheNewIndex() throws {
        guard RealModelTests.embedder() != nil else { return }
        let binary = try #require(KillHarness.binary(), "build the parallax binary first (make test sets PARALLAX_BIN)")
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let workspace = folder.url.appendingPathComponent("ws")
        let corpora = ["a", "b"].map { folder.url.appendingPathComponent($0).appendingPathComponent("docs") }
        try Self.writeCorpora(a: corpora[0], b: corpora[1])

        // The two states, each reached by a complete run: a full build of A, then B in place.
        let build = try KillHarness.run(binary, ["index", corpora[0].path, "--workspace", workspace.path])
        try #require(build.status == 0, "first index failed")
        let digestA = try Self.check(workspace, "after building A")
        let started = Date()
        let update = try KillHarness.run(binary, ["index", corpora[1].path, "--workspace", workspace.path])
        let window = Date().timeIntervalSince(started)
        try #require(update.status == 0, "re-index to B failed")
        let digestB = try Self.check(workspace, "after updating to B")
        try #require(digestA != digestB)
        let digests = [digestA, digestB]

        // Kill the update at random moments; the workspace starts in B, so the first target is A.
        var random = KillHarness.SeededRandom.fromEnvironment()
        print("IndexKillTests: seed \(random.seed) (PARALLAX_KILL_SEED=\(random.seed) repeats it), "
              + "re-index window \(String(format: "%.2f", window)) s, \(Self.trials) kills")
        var state = 1
        var outcomes: [String] = []
        for trial in 0..<Self.trials {
            let target = 1 - state
            let delay = random.uniform(0, window)
            let ended = try KillHarness.runAndKill(binary, ["index", corpora[target].path, "--workspace", workspace.path],
                                                   after: delay)
            #expect(ended.exitedCleanlyOrKilled, "trial \(trial): index failed on its own (\(ended))")
            let digest = try Self.check(workspace, "trial \(trial), kill at \(String(format: "%.2f", delay)) s")
            #expect(digests.contains(digest), "trial \(trial): the index is neither the old nor the new state (kill at \(delay) s)")
            if digest == digests[target] {
                state = target
                outcomes.append(ended.killed ? "new (killed after commit)" : "new (finished)")
            } else {
                outcomes.append("old")
            }
        }
        print("IndexKillTests outcomes: " + outcomes.enumerated().map { "\($0.offset):\($0.element)" }.joined(separator: " "))

        // The next run completes whatever update was cut short.
        let target = 1 - state
        let finish = try KillHarness.run(binary, ["index", corpora[target].path, "--workspace", workspace.path])
        #expect(finish.status == 0)
        #expect(try Self.check(workspace, "after the completing run") == digests[target])
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: workspace.path)
        #expect(!leftovers.contains { $0.contains("building") })
    }

    /// Opens the index, records integrity problems as test issues, and returns its content digest.
    static func check(_ workspace: URL, _ context: String) throws -> String {
        let store = try IndexStore(url: workspace.appendingPathComponent(Workspace.indexFileName), create: false)
        defer { try? store.close() }
        let problems = try store.integrityProblems()
        #expect(problems.isEmpty, "\(context): \(problems.prefix(5))")
        return try store.contentDigest()
    }

    /// Two collections with the same file names: a tenth identical (same bytes and times), a
    /// tenth only in A, a tenth only in B, the rest with other text.
    static func writeCorpora(a: URL, b: URL) throws {
        let count = 80
        let fixedDate = Date(timeIntervalSince1970: 1_700_000_000)
        for i in 0..<count {
            let name = "section-\(i / 20)/doc-\(i).md"
            func text(_ variant: Int) -> String {
                "# Document \(i)\n\n## Part one\n\n" + sampleSentences(12, seed: i * 7 + variant)
                    + "\n\n## Part two\n\n" + sampleSentences(12, seed: i * 13 + variant + 1)
            }
            let inA = i % 10 != 2, inB = i % 10 != 1
            let same = i % 10 == 0
            for (root, variant, present) in [(a, 0, inA), (b, 1, inB)] where present {
                let url = root.appendingPathComponent(name)
                try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try Data(text(same ? 0 : variant).utf8).write(to: url)
                let date = same ? fixedDate : fixedDate.addingTimeInterval(Double(variant * 1000 + i))
                try FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: url.path)
            }
        }
    }
}
