// A scripted, deterministic backend for tests, snapshots and `parallax bench tui`: no models, canned data.
import Foundation

/// A fake backend over a small built-in handbook. Search ranks chunks by word overlap; arms stream canned
/// answers word by word; training and indexing report scripted progress. Delays are configurable (zero in tests).
public struct ScriptedBackend: WorkbenchBackend {
    /// Pauses between streamed events.
    public struct Timing: Sendable {
        public var token: Duration
        public var firstToken: Duration
        public var trainingStep: Duration
        public var indexStep: Duration
        public init(token: Duration = .zero, firstToken: Duration = .zero, trainingStep: Duration = .zero, indexStep: Duration = .zero) {
            self.token = token; self.firstToken = firstToken; self.trainingStep = trainingStep; self.indexStep = indexStep
        }
        public static let instant = Timing()
        /// Roughly what a person would see with the real model.
        public static let realistic = Timing(token: .milliseconds(8), firstToken: .milliseconds(120),
                                             trainingStep: .milliseconds(50), indexStep: .milliseconds(20))
    }

    /// One chunk of the scripted corpus.
    public struct Chunk: Sendable {
        public var id: Int64
        public var path: String
        public var headings: [String]
        public var text: String
    }

    public var timing: Timing
    public var chunks: [Chunk]
    public var status: BackendStatus
    public var adapterList: [AdapterSummary]

    public init(timing: Timing = .instant) {
        self.timing = timing
        self.chunks = ScriptedBackend.handbook
        self.status = BackendStatus(model: .ready(name: "SmolLM2-135M-Instruct (scripted)"),
                                    index: .ready(documents: 4, chunks: ScriptedBackend.handbook.count))
        self.adapterList = [AdapterSummary(name: "concise-json", rank: 8, alpha: 16, targets: ["q", "v"],
                                           dataset: "json_answers.jsonl", validationLoss: 1.42)]
    }

    static let handbook: [Chunk] = [
        Chunk(id: 1, path: "handbook/policies/travel.md", headings: ["Travel", "Per diem"],
              text: "The per diem for domestic travel is 45 euros per day. Meals already paid by the company are deducted from the per diem."),
        Chunk(id: 2, path: "handbook/policies/travel.md", headings: ["Travel", "Booking"],
              text: "Book flights and hotels through the travel desk at least two weeks before departure. 出張 bookings abroad need approval."),
        Chunk(id: 3, path: "handbook/policies/leave.md", headings: ["Leave", "Annual leave"],
              text: "Employees receive 25 days of annual leave per year. Unused leave carries over until the end of March."),
        Chunk(id: 4, path: "handbook/policies/leave.md", headings: ["Leave", "Sick leave"],
              text: "Report sick leave to your manager before 10:00 on the first day. A doctor's note is needed after three days."),
        Chunk(id: 5, path: "handbook/it/security.md", headings: ["Security", "Passwords"],
              text: "Passwords must be at least 14 characters long and are never shared. Use the company password manager 🔐."),
        Chunk(id: 6, path: "handbook/it/equipment.md", headings: ["Equipment", "Laptops"],
              text: "Every employee gets a laptop on the first day. Report lost or stolen equipment to IT within 24 hours."),
        Chunk(id: 7, path: "handbook/policies/travel.md", headings: ["Travel", "Expenses"],
              text: "Submit travel expenses within 30 days with receipts. Expenses above 500 euros need a manager's approval."),
    ]

    public func statusUpdates() -> AsyncStream<BackendStatus> {
        let status = self.status
        return AsyncStream { continuation in continuation.yield(status) }
    }

    public func documents() async throws -> [DocumentSummary] {
        var counts: [String: Int] = [:]
        for chunk in chunks { counts[chunk.path, default: 0] += 1 }
        var list = counts.keys.sorted().map { DocumentSummary(path: $0, chunkCount: counts[$0] ?? 0) }
        list.append(DocumentSummary(path: "handbook/notes/draft.md", chunkCount: 0, state: .unindexed))
        return list
    }

    public func documentText(path: String) async throws -> String {
        let parts = chunks.filter { $0.path == path }
        guard !parts.isEmpty else { throw WorkbenchError.unavailable(feature: "document \(path)", reason: "not in the index") }
        return parts.map { "## \($0.headings.last ?? "")\n\n\($0.text)\n" }.joined(separator: "\n")
    }

    public func search(_ query: String, mode: RetrievalMode, topK: Int) async throws -> [SearchHit] {
        let terms = Set(QueryTerms.extract(from: query))
        var scored: [(chunk: Chunk, overlap: Int, dense: Double)] = []
        for chunk in chunks {
            let words = Set(QueryTerms.words(in: chunk.text) + chunk.headings.flatMap { QueryTerms.words(in: $0) })
            let overlap = terms.filter { term in words.contains { $0.hasPrefix(term) } }.count
            let dense = Double(overlap) / Double(max(1, terms.count)) * 0.6 + Double(chunk.id % 3) * 0.05 + 0.2
            scored.append((chunk, overlap, dense))
        }
        let bm25Order = scored.sorted { ($0.overlap, -$0.chunk.id) > ($1.overlap, -$1.chunk.id) }.filter { $0.overlap > 0 }
        let denseOrder = scored.sorted { ($0.dense, -$0.chunk.id) > ($1.dense, -$1.chunk.id) }
        var hits: [SearchHit] = []
        for entry in scored {
            let bRank = bm25Order.firstIndex { $0.chunk.id == entry.chunk.id }.map { $0 + 1 }
            let dRank = denseOrder.firstIndex { $0.chunk.id == entry.chunk.id }.map { $0 + 1 }
            let fused: Double
            switch mode {
            case .hybrid: fused = (bRank.map { 1 / Double(60 + $0) } ?? 0) + (dRank.map { 1 / Double(60 + $0) } ?? 0)
            case .bm25: fused = Double(entry.overlap)
            case .dense: fused = entry.dense
            }
            if mode == .bm25 && bRank == nil { continue }
            let offset = chunks.filter { $0.path == entry.chunk.path && $0.id < entry.chunk.id }
                .reduce(0) { $0 + $1.text.utf8.count + ($1.headings.last ?? "").utf8.count + 7 }
            let start = offset + (entry.chunk.headings.last ?? "").utf8.count + 5
            hits.append(SearchHit(chunkID: entry.chunk.id, documentPath: entry.chunk.path, headingPath: entry.chunk.headings,
                                  text: entry.chunk.text, span: start..<(start + entry.chunk.text.utf8.count), fusedScore: fused,
                                  bm25Rank: mode == .dense ? nil : bRank, bm25Score: bRank.map { _ in Double(entry.overlap) * 2.1 },
                                  denseRank: mode == .bm25 ? nil : dRank, denseCosine: mode == .bm25 ? nil : entry.dense))
        }
        hits.sort { ($0.fusedScore, -$0.chunkID) > ($1.fusedScore, -$1.chunkID) }
        return Array(hits.prefix(max(0, topK)))
    }

    /// The canned answer an arm gives (exposed so tests can check what streamed).
    public static func answer(for request: ArmRequest) -> String {
        switch request.arm {
        case .rag, .both:
            guard let first = request.passages.first else { return "I don't know: no passages were retrieved." }
            let sentence = first.text.split(separator: ".").first.map(String.init) ?? first.text
            let prefix = request.arm == .both ? "{\"answer\": \"" : ""
            let suffix = request.arm == .both ? "\"}" : ""
            return "\(prefix)\(sentence) [1].\(request.passages.count > 1 ? " See also [2]." : "")\(suffix)"
        case .ft:
            let who = request.adapter.map { "adapter \($0) ×\(String(format: "%.2f", request.adapterScale))" } ?? "the base model"
            return "{\"answer\": \"From memory (\(who)): I believe the policy covers this, but I cannot cite it.\"}"
        }
    }

    public func generate(_ request: ArmRequest) -> AsyncStream<ArmEvent> {
        let timing = self.timing
        let words = ScriptedBackend.answer(for: request).split(separator: " ", omittingEmptySubsequences: false)
        return AsyncStream { continuation in
            let task = Task {
                let clock = ContinuousClock()
                let start = clock.now
                if timing.firstToken > .zero { try? await Task.sleep(for: timing.firstToken) }
                var count = 0
                var firstAt = clock.now
                for (index, word) in words.enumerated() {
                    if Task.isCancelled { break }
                    if index == 0 { firstAt = clock.now } else if timing.token > .zero { try? await Task.sleep(for: timing.token) }
                    continuation.yield(.token(index == 0 ? String(word) : " " + word))
                    count += 1
                }
                let elapsed = firstAt.duration(to: clock.now)
                let ttft = start.duration(to: firstAt)
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
                continuation.yield(.finished(ArmStats(
                    timeToFirstToken: Double(ttft.components.seconds) + Double(ttft.components.attoseconds) * 1e-18,
                    tokensPerSecond: seconds > 0 ? Double(max(0, count - 1)) / seconds : 0, tokenCount: count)))
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    public func adapters() async throws -> [AdapterSummary] { adapterList }

    public func datasets() async throws -> [DatasetSummary] {
        [DatasetSummary(name: "json_answers.jsonl", path: "samples/datasets/json_answers.jsonl", exampleCount: 200),
         DatasetSummary(name: "concise_style.jsonl", path: "samples/datasets/concise_style.jsonl", exampleCount: 150)]
    }

    public func train(_ config: TrainingConfig) -> AsyncStream<TrainingEvent> {
        let timing = self.timing
        return AsyncStream { continuation in
            let task = Task {
                let total = max(1, config.steps)
                for step in 1...total {
                    if timing.trainingStep > .zero { try? await Task.sleep(for: timing.trainingStep) }
                    if Task.isCancelled { continuation.yield(.cancelled); continuation.finish(); return }
                    let loss = 2.8 * exp(-Double(step) / Double(total) * 1.5) + 0.4
                    let validation: Double? = step % 5 == 0 || step == total ? loss + 0.15 : nil
                    continuation.yield(.progress(TrainingProgress(
                        step: step, totalSteps: total, loss: loss, validationLoss: validation,
                        learningRate: config.learningRate, tokensPerSecond: 850,
                        secondsRemaining: Double(total - step) * 0.05)))
                }
                continuation.yield(.finished(AdapterSummary(name: config.adapterName, rank: config.rank, alpha: config.alpha,
                    targets: config.targets, dataset: URL(fileURLWithPath: config.datasetPath).lastPathComponent,
                    validationLoss: 2.8 * exp(-1.5) + 0.55)))
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    public func reindex(addingFolders: [String]) -> AsyncStream<IndexEvent> {
        let timing = self.timing
        let paths = Array(Set(chunks.map(\.path))).sorted()
        return AsyncStream { continuation in
            let task = Task {
                for (index, path) in paths.enumerated() {
                    if timing.indexStep > .zero { try? await Task.sleep(for: timing.indexStep) }
                    if Task.isCancelled { break }
                    continuation.yield(.progress(IndexProgress(phase: "embedding", done: index + 1, total: paths.count, currentPath: path)))
                }
                continuation.yield(.finished(IndexSummary(documents: paths.count, chunks: chunks.count, added: 0,
                                                          changed: 1, removed: 0, seconds: 0.4)))
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    public func evaluationSuites() async throws -> [String] { ["handbook_qa.jsonl"] }
}
