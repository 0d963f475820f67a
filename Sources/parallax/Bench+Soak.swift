// `parallax bench soak`: many questions in a row (or many re-indexes) through the workbench's own
// backend (`LiveBackend`, what the TUI calls), watching resident memory, errors and latency.
import ArgumentParser
import Evaluation
import Foundation
import Indexing
import ModelFiles
import Workbench

struct BenchSoakCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "soak",
        abstract: "Ask N questions through the workbench backend (search, then the RAG and fine-tuned arms), or re-index a changing folder N times; report RSS, errors and latency.",
        discussion: """
            Questions mode (default): each question is searched (hybrid, top 5) and answered by the RAG arm and the \
            fine-tuned arm at the same time, as the TUI does. The fine-tuned arm uses --adapter, else the first adapter \
            in the workspace; with none, only the RAG arm runs (said in the output). RSS is sampled 0.2 s after a question, \
            from the first to the last; start is the reading after a warm-up of 5% of the questions, and "steady" \
            means the middle and end readings stay within 10% of it.
            Re-index mode (--reindex N): copies --documents to a scratch folder, then N times modifies, adds and \
            deletes a few files and re-indexes through the backend (the F2 path); the index is checked at the end.
            """)

    @Option(help: "The workspace folder (index and adapters).")
    var workspace = "samples/handbook/.parallax"

    @Option(help: "The documents the index covers (default: the folder holding the workspace).")
    var documents: String?

    @Option(help: "Questions to ask in a row.")
    var questions = 1000

    @Option(help: "Question source: a QA suite (JSONL); questions are cycled.")
    var suite = "samples/qa/handbook-qa.jsonl"

    @Option(help: "Adapter for the fine-tuned arm (default: the first in the workspace).")
    var adapter: String?

    @Option(name: .customLong("max-tokens"), help: "Tokens per answer (short answers keep 1,000 questions near 15 minutes).")
    var maxTokens = 48

    @Option(name: .customLong("time-limit"), help: "Stop asking after this many seconds and report the questions done (0: no limit).")
    var timeLimit: Double = 0

    @Option(help: "Re-index mode: rounds of modify/add/delete + re-index (0: questions mode).")
    var reindex = 0

    @Flag(help: "Print one JSON object.")
    var json = false

    /// Progress and summary lines: stdout, or stderr with --json (stdout then holds only the JSON).
    var progressLog: @Sendable (String) -> Void {
        let toStderr = json
        return { line in
            if toStderr { FileHandle.standardError.write(Data((line + "\n").utf8)) } else { print(line) }
        }
    }

    func validate() throws {
        guard questions >= 1 else { throw ValidationError("--questions must be at least 1") }
        guard maxTokens >= 1, maxTokens <= 4096 else { throw ValidationError("--max-tokens must be in 1…4096") }
        guard reindex >= 0 else { throw ValidationError("--reindex must be 0 (questions mode) or more rounds") }
    }

    func run() async throws {
        let workspaceURL = URL(fileURLWithPath: workspace).standardizedFileURL
        let documentsURL = documents.map { URL(fileURLWithPath: $0).standardizedFileURL } ?? workspaceURL.deletingLastPathComponent()
        let record: [String: Any]
        if reindex > 0 {
            record = try await SoakReindex(documents: documentsURL, rounds: reindex, log: progressLog).run()
        } else {
            record = try await soakQuestions(workspace: workspaceURL, documents: documentsURL)
        }
        if json {
            let data = try JSONSerialization.data(withJSONObject: record, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        }
    }

    private func soakQuestions(workspace: URL, documents: URL) async throws -> [String: Any] {
        let log = progressLog
        let questionTexts = try SoakSupport.questions(from: URL(fileURLWithPath: suite))
        guard Workspace(directory: workspace).hasIndex else {
            throw ValidationError("no index in \(workspace.path): run `parallax index` first (or pass --workspace)")
        }
        let rssBeforeLoad = MemoryUsage.residentMiB()
        let backend = LiveBackend(configuration: .init(
            workspace: workspace, documentRoots: [documents], modelURL: ModelCache().generatorURL,
            datasetFolders: [], suiteFolders: []))
        try await SoakSupport.waitUntilReady(backend)
        let adapters = try await backend.adapters().map(\.name)
        let chosen = adapter ?? adapters.first
        if let adapter, !adapters.contains(adapter) {
            throw ValidationError("no adapter '\(adapter)' in \(workspace.path); adapters there: \(adapters.joined(separator: ", "))")
        }
        log(chosen.map { "soak: \(questions) questions, RAG arm + fine-tuned arm with adapter \($0), \(maxTokens) tokens each" }
            ?? "soak: \(questions) questions, RAG arm only: the workspace has no adapter for the fine-tuned arm")
        let rssLoaded = MemoryUsage.residentMiB()

        var latencies: [Double] = []
        var errors: [String] = []
        var tokens = 0
        var samples: [(question: Int, rss: Double)] = []
        let started = Date()
        var asked = 0
        for index in 0..<questions {
            try Task.checkCancellation()
            if timeLimit > 0, Date().timeIntervalSince(started) > timeLimit {
                log("time limit of \(Int(timeLimit)) s reached after \(index) questions")
                samples.append((index, await SoakSupport.settledRSS()))
                break
            }
            asked = index + 1
            let question = questionTexts[index % questionTexts.count]
            let begin = Date()
            let outcome = await SoakSupport.ask(backend, question: question, adapter: chosen, maxTokens: maxTokens)
            latencies.append(Date().timeIntervalSince(begin))
            tokens += outcome.tokens
            errors += outcome.errors.map { "question \(index + 1): \($0)" }
            let done = index + 1
            if done == 1 || done == questions || done % max(1, questions / 40) == 0 || done == (questions + 1) / 2 {
                samples.append((done, await SoakSupport.settledRSS()))
                log(String(format: "  %5d/%d  RSS %7.1f MiB  p50 %.2f s  errors %d  (%.0f s)", done, questions,
                           samples.last?.rss ?? 0, Latency(samples: latencies).percentile(0.5), errors.count,
                           Date().timeIntervalSince(started)))
            }
        }
        let total = Date().timeIntervalSince(started)
        // Start is read after a warm-up of 5% of the questions (scratch buffers, caches and the
        // allocator's pools fill during the first ones); the reading after question 1 is reported too.
        let warmup = max(1, questions / 20)
        let first = samples.first?.rss ?? rssLoaded
        let start = samples.first { $0.question >= warmup }?.rss ?? first
        let middle = samples.first { $0.question >= (asked + 1) / 2 }?.rss ?? start
        let end = samples.last?.rss ?? start
        let drift = max(abs(middle - start), abs(end - start)) / max(start, 1)
        let p50 = Latency(samples: latencies).percentile(0.5), p99 = Latency(samples: latencies).percentile(0.99)
        log(String(format: "RSS: before load %.1f, loaded %.1f, after question 1 %.1f, start (after question %d) %.1f, middle %.1f, end %.1f MiB: drift %.1f%% (%@); peak %.1f",
                   rssBeforeLoad, rssLoaded, first, warmup, start, middle, end, drift * 100, drift <= 0.10 ? "steady" : "NOT steady",
                   MemoryUsage.peakResidentMiB()))
        log(String(format: "latency per question (search + both arms): p50 %.3f s, p99 %.3f s, max %.3f s; %d tokens in %.0f s; %d errors",
                   p50, p99, latencies.max() ?? 0, tokens, total, errors.count))
        for error in errors.prefix(10) { log("  error: \(error)") }
        return [
            "benchmark": "soak", "mode": "questions", "questions": questions, "questions_asked": asked,
            "time_limit_s": timeLimit, "max_tokens": maxTokens,
            "arms": chosen == nil ? ["rag"] : ["rag", "ft"], "adapter": chosen ?? NSNull(),
            "rss_before_load_mib": rssBeforeLoad, "rss_loaded_mib": rssLoaded,
            "rss_after_question_1_mib": first, "warmup_questions": warmup,
            "rss_start_mib": start, "rss_middle_mib": middle, "rss_end_mib": end,
            "rss_drift": drift, "rss_steady": drift <= 0.10,
            "rss_series": samples.map { ["question": $0.question, "rss_mib": $0.rss] },
            "latency_p50_s": p50, "latency_p99_s": p99, "latency_max_s": latencies.max() ?? 0,
            "tokens": tokens, "seconds": total, "errors": errors.count, "error_samples": Array(errors.prefix(10)),
            "peak_rss_mib": MemoryUsage.peakResidentMiB(), "loadavg": MemoryUsage.loadAverage(),
        ]
    }
}

/// Pieces shared by both soak modes.
enum SoakSupport {
    /// The questions of a QA suite (only the `question` field is needed).
    static func questions(from url: URL) throws -> [String] {
        let suite = try QASuite(contentsOf: url)
        let texts = suite.items.map(\.question).filter { !$0.isEmpty }
        guard !texts.isEmpty else { throw ValidationError("\(url.path) holds no questions") }
        return texts
    }

    /// Waits for the backend's model and index (throws with the backend's reason when unusable). The
    /// index reads `.none` until the backend has opened it, so the caller checks that one exists first.
    static func waitUntilReady(_ backend: LiveBackend) async throws {
        for await status in backend.statusUpdates() {
            if case .unavailable(let why) = status.model { throw ValidationError("model unavailable: \(why)") }
            if case .unavailable(let why) = status.index { throw ValidationError("index unavailable: \(why)") }
            if case .ready = status.model, case .ready = status.index { return }
        }
    }

    /// One question the way the TUI asks it: search, then both arms concurrently, each stream read to its end.
    static func ask(_ backend: LiveBackend, question: String, adapter: String?, maxTokens: Int) async -> (tokens: Int, errors: [String]) {
        let hits: [Workbench.SearchHit]
        do { hits = try await backend.search(question, mode: .hybrid, topK: 5) } catch {
            return (0, ["search: \(error)"])
        }
        var requests = [ArmRequest(arm: .rag, question: question, passages: hits, adapter: nil, adapterScale: 1, maxTokens: maxTokens)]
        if let adapter {
            requests.append(ArmRequest(arm: .ft, question: question, passages: [], adapter: adapter, adapterScale: 1, maxTokens: maxTokens))
        }
        return await withTaskGroup(of: (Int, [String]).self) { group in
            for request in requests {
                group.addTask {
                    var tokens = 0
                    var finished = false
                    for await event in backend.generate(request) {
                        switch event {
                        case .token: break
                        case .finished(let stats): tokens = stats.tokenCount; finished = true
                        case .failed(let reason): return (0, ["\(request.arm.rawValue) arm: \(reason)"])
                        }
                    }
                    return (tokens, finished ? [] : ["\(request.arm.rawValue) arm: stream ended without finishing"])
                }
            }
            var total = 0
            var errors: [String] = []
            for await (tokens, armErrors) in group {
                total += tokens
                errors += armErrors
            }
            return (total, errors)
        }
    }

    /// Resident memory once the tasks of the last question or round have wound down: arm and
    /// indexing tasks release their buffers just after their streams finish, so an immediate
    /// reading can still include them.
    static func settledRSS() async -> Double {
        try? await Task.sleep(nanoseconds: 200_000_000)
        return MemoryUsage.residentMiB()
    }
}
