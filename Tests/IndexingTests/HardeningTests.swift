// Hostile collections: a 500 MB file, symbolic links out of the folder (and a loop), JSON nested
// 100,000 deep in a BEIR corpus, and pdftotext run without a shell and under a time limit.
import Foundation
import Testing
@testable import Indexing
import ModelFiles

@Suite("Indexing hardening")
struct IndexingHardeningTests {
    /// A sparse file of `bytes` (no disk blocks used, nothing to write).
    static func sparseFile(at url: URL, bytes: UInt64) throws {
        _ = FileManager.default.createFile(atPath: url.path, contents: Data("# Big\n\nstarts like text\n".utf8))
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: bytes)
        try handle.close()
    }

    func makeIndexer(_ folder: TemporaryFolder) throws -> Indexer {
        Indexer(workspace: Workspace(directory: folder.url.appendingPathComponent("docs/.parallax")),
                embedder: HashingEmbedder(), chunker: try Chunker(maxTokens: 60, overlapTokens: 10))
    }

    @Test func fiveHundredMegabyteFileIsSkippedUnread() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try folder.write("docs/small.md", "# Small\n\n" + sampleSentences(4, seed: 3))
        let big = folder.url.appendingPathComponent("docs/huge.txt")
        try Self.sparseFile(at: big, bytes: 500_000_000)
        // The loader refuses it from its size alone.
        #expect(DocumentLoader().load(url: big) == .skipped(.tooLarge(bytes: 500_000_000)))
        let summary = try makeIndexer(folder).run(paths: [folder.url.appendingPathComponent("docs")])
        #expect(summary.added == ["docs/small.md"])
        let skipped = try #require(summary.skipped.first { $0.path == "docs/huge.txt" })
        #expect(skipped.reason == .tooLarge(bytes: 500_000_000))
        #expect(skipped.reason.description.contains("476 MiB") && skipped.reason.description.contains("64 MiB"))
    }

    @Test func symbolicLinksNeverLeaveTheCollection() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let fm = FileManager.default
        try folder.write("docs/real/page.md", "# Page\n\nThe inside page about kettles.")
        try folder.write("outside/secret.txt", "a secret outside the collection")
        try folder.write("outside/deeper/more.md", "# More\n\nmore secrets")
        let docs = folder.url.appendingPathComponent("docs")
        let outside = folder.url.appendingPathComponent("outside")
        try fm.createSymbolicLink(at: docs.appendingPathComponent("secret-link.txt"), withDestinationURL: outside.appendingPathComponent("secret.txt"))
        try fm.createSymbolicLink(at: docs.appendingPathComponent("outside-folder"), withDestinationURL: outside)
        try fm.createSymbolicLink(at: docs.appendingPathComponent("etc"), withDestinationURL: URL(fileURLWithPath: "/etc"))
        try fm.createSymbolicLink(at: docs.appendingPathComponent("alias.md"), withDestinationURL: docs.appendingPathComponent("real/page.md"))
        try fm.createSymbolicLink(atPath: docs.appendingPathComponent("real/loop").path, withDestinationPath: "..")

        let scan = try FileScanner.scan([docs], skipping: docs.appendingPathComponent(".parallax"))
        let readable = scan.files.filter { $0.skipReason == nil }.map(\.relativePath)
        #expect(readable == ["docs/real/page.md"])
        let refused = Set(scan.files.filter { $0.skipReason != nil }.map(\.relativePath))
        #expect(refused == ["docs/secret-link.txt", "docs/outside-folder", "docs/etc"])

        let summary = try makeIndexer(folder).run(paths: [docs])
        #expect(summary.added == ["docs/real/page.md"])
        let reasons = Dictionary(uniqueKeysWithValues: summary.skipped.map { ($0.path, $0.reason) })
        #expect(reasons["docs/secret-link.txt"] == .linkOutsideCollection(target: outside.resolvingSymlinksInPath().appendingPathComponent("secret.txt").path))
        #expect(reasons["docs/etc"]?.category == "link out of the collection")
        let store = try Workspace(directory: docs.appendingPathComponent(".parallax")).openIndex()
        defer { try? store.close() }
        #expect(try store.bm25(match: "secret OR secrets", limit: 10).isEmpty)
    }

    @Test func beirCorpusLineNested100000DeepIsRefused() {
        let deep = #"{"_id": "x", "text": "# + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
        let good = #"{"_id": "d1", "title": "Kettles", "text": "The Zephyr kettle."}"#
        guard case .loaded(let items) = BEIRCorpusReader.items(fromJSONL: deep + "\n" + good) else {
            Issue.record("the good record was not loaded")
            return
        }
        #expect(items.map(\.itemID) == ["d1"])
        guard case .skipped(.notBEIRCorpus(let why)) = BEIRCorpusReader.items(fromJSONL: deep) else {
            Issue.record("a corpus of one 100,000-deep line was not refused")
            return
        }
        #expect(why.contains("nested"))
    }

    /// A stand-in for pdftotext: a shell script (the test's own; Parallax never runs a shell).
    /// A stand-in `pdftotext`. The executable is written by `install` in a child process, never
    /// opened for writing here: tests run in parallel and others start processes, and a child
    /// forked while this process held the file open for writing would inherit that descriptor and
    /// make exec fail with ETXTBSY ("Text file busy"), as CI saw once.
    static func fakeTool(_ folder: TemporaryFolder, body: String) throws -> URL {
        try folder.write("bin/pdftotext.sh", "#!/bin/sh\n" + body + "\n")
        let source = folder.url.appendingPathComponent("bin/pdftotext.sh")
        let url = folder.url.appendingPathComponent("bin/pdftotext")
        let install = Process()
        install.executableURL = URL(fileURLWithPath: "/usr/bin/install")
        install.arguments = ["-m", "755", source.path, url.path]
        try install.run()
        install.waitUntilExit()
        try #require(install.terminationStatus == 0)
        return url
    }

    @Test func pdftotextGetsTheFileNameAsOneArgumentWithoutAShell() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let record = folder.url.appendingPathComponent("args.txt")
        let tool = try Self.fakeTool(folder, body: "printf '%s\\n' \"$@\" > '\(record.path)'\nprintf 'PDF text' > \"$5\"")
        let name = "a; touch PWNED $(touch PWNED2) `touch PWNED3`.pdf"
        try folder.write("docs/\(name)", "%PDF-1.4 not really")
        let pdf = folder.url.appendingPathComponent("docs/\(name)")
        let outcome = PDFTextExtractor(timeout: 10, tool: tool).load(url: pdf, maxBytes: 1 << 20)
        #expect(outcome == .loaded([SourceItem(text: "PDF text", format: .plain)]))
        let arguments = try String(contentsOf: record, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(arguments.count == 5)
        #expect(Array(arguments.prefix(4)) == ["-enc", "UTF-8", "-q", pdf.path])
        for marker in ["PWNED", "PWNED2", "PWNED3"] {
            #expect(!FileManager.default.fileExists(atPath: folder.url.appendingPathComponent("docs/\(marker)").path))
            #expect(!FileManager.default.fileExists(atPath: FileManager.default.currentDirectoryPath + "/\(marker)"))
        }
    }

    @Test func pdftotextThatHangsIsKilledAtTheTimeLimit() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        // Ignores SIGTERM, so the extractor has to escalate to SIGKILL.
        let tool = try Self.fakeTool(folder, body: "trap '' TERM\nwhile :; do sleep 1; done")
        try folder.write("docs/slow.pdf", "%PDF-1.4")
        let outcome = PDFTextExtractor(timeout: 0.3, tool: tool).load(url: folder.url.appendingPathComponent("docs/slow.pdf"), maxBytes: 1 << 20)
        #expect(outcome == .skipped(.pdfFailed("timed out after 0.3 s")))
    }

    @Test func pdftotextThatCannotStartSaysWhy() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try folder.write("bin/pdftotext", "#!/bin/sh\nexit 0\n")  // not executable
        try folder.write("docs/a.pdf", "%PDF-1.4")
        let pdf = folder.url.appendingPathComponent("docs/a.pdf")
        let denied = PDFTextExtractor(timeout: 10, tool: folder.url.appendingPathComponent("bin/pdftotext"))
        #expect(denied.load(url: pdf, maxBytes: 1 << 20) == .skipped(.pdfFailed("could not start: Permission denied")))
        let missing = PDFTextExtractor(timeout: 10, tool: folder.url.appendingPathComponent("bin/nothing"))
        #expect(missing.load(url: pdf, maxBytes: 1 << 20) == .skipped(.pdfFailed("could not start: No such file or directory")))
    }
}

extension IndexingHardeningTests {
    @Test func beirQueriesFileOverTheLimitIsRefusedUnread() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let queries = folder.url.appendingPathComponent("queries.jsonl")
        try Self.sparseFile(at: queries, bytes: 500_000_000)
        do {
            _ = try BEIRCorpusReader.queries(at: queries)
            Issue.record("a 500 MB queries file was read")
        } catch let error as IndexingError {
            #expect(error.description.contains("over the 256 MiB limit"))
        }
    }
}

extension IndexingHardeningTests {
    @Test func indexFileLinkedOutOfTheWorkspaceIsRefused() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try folder.write("docs/page.md", "# Page\n\nkettles")
        try folder.write("elsewhere/victim.sqlite", "precious")
        let workspace = folder.url.appendingPathComponent("docs/.parallax")
        try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(at: workspace.appendingPathComponent("index.sqlite"),
                                                   withDestinationURL: folder.url.appendingPathComponent("elsewhere/victim.sqlite"))
        #expect(throws: PathSafetyError.self) { try makeIndexer(folder).run(paths: [folder.url.appendingPathComponent("docs")]) }
        #expect(try String(contentsOf: folder.url.appendingPathComponent("elsewhere/victim.sqlite"), encoding: .utf8) == "precious")
    }
}
