// Evaluation runs on disk: `.parallax/runs/ID/` with per-question answers, a manifest that
// pins what was measured (model, index, adapter hashes, settings, seed) and the report.
import Foundation
import Inference
import ModelFiles

public struct RunManifest: Sendable, Codable {
    public var id: String
    public var kind: String
    public var createdAt: String
    public var suite: String
    public var suiteSHA256: String
    public var arms: [ArmKind]
    public var settings: [String: String]
    /// Name → SHA-256 of the model, index and adapter files the run used.
    public var fingerprints: [String: String]
    public var summaries: [ArmSummary]
    /// The adapter's training cost (qa runs with an adapter).
    public var training: TrainingCost?
    /// What absorbing the change set cost (update runs, and qa runs that folded one in).
    public var update: UpdateCost?

    public init(id: String, kind: String, createdAt: String, suite: String, suiteSHA256: String, arms: [ArmKind],
                settings: [String: String], fingerprints: [String: String], summaries: [ArmSummary],
                training: TrainingCost? = nil, update: UpdateCost? = nil) {
        self.id = id
        self.kind = kind
        self.createdAt = createdAt
        self.suite = suite
        self.suiteSHA256 = suiteSHA256
        self.arms = arms
        self.settings = settings
        self.fingerprints = fingerprints
        self.summaries = summaries
        self.training = training
        self.update = update
    }
}

public struct RunStore: Sendable {
    public let directory: URL

    /// Runs kept under `workspace/runs`.
    public init(workspace: URL) { directory = workspace.appendingPathComponent("runs", isDirectory: true) }

    /// A fresh run id: UTC time plus a random suffix, safe as a folder name.
    public static func newID(date: Date = Date()) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let suffix = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        return "\(formatter.string(from: date))-\(suffix)"
    }

    /// Writes a run atomically: everything goes to a hidden temporary folder, renamed into place last.
    /// `reportJSON`, when given, is kept as report.json next to report.md.
    @discardableResult
    public func save(manifest: RunManifest, answers: [ScoredAnswer], report: String, reportJSON: Data? = nil) throws -> URL {
        let fm = FileManager.default
        try SafeName.validate(manifest.id, kind: "run")
        try ConfinedPath.check(directory, inside: directory.deletingLastPathComponent(), what: "the runs folder")
        try fm.createDirectory(at: directory, withIntermediateDirectories: true)
        let final = directory.appendingPathComponent(manifest.id, isDirectory: true)
        let temporary = directory.appendingPathComponent(".\(manifest.id).partial", isDirectory: true)
        try? fm.removeItem(at: temporary)
        try fm.createDirectory(at: temporary, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        var lines = Data()
        for answer in answers {
            lines.append(try encoder.encode(answer))
            lines.append(UInt8(ascii: "\n"))
        }
        try lines.write(to: temporary.appendingPathComponent("answers.jsonl"))
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        try encoder.encode(manifest).write(to: temporary.appendingPathComponent("manifest.json"))
        try Data(report.utf8).write(to: temporary.appendingPathComponent("report.md"))
        if let reportJSON { try reportJSON.write(to: temporary.appendingPathComponent("report.json")) }
        try fm.moveItem(at: temporary, to: final)
        return final
    }

    /// Completed runs, newest first (partial folders are never listed).
    public func list() -> [RunManifest] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else { return [] }
        return names.filter { !$0.hasPrefix(".") }.sorted(by: >).compactMap { name in
            let url = directory.appendingPathComponent(name).appendingPathComponent("manifest.json")
            return (try? Data(contentsOf: url)).flatMap { try? JSONDecoder().decode(RunManifest.self, from: $0) }
        }
    }

    /// The manifest of one completed run.
    public func manifest(of id: String) throws -> RunManifest {
        guard !id.isEmpty, !id.hasPrefix("."), !id.contains("/") else {
            throw EvaluationError.runNotFound(id: id, directory: directory.path)
        }
        let url = directory.appendingPathComponent(id).appendingPathComponent("manifest.json")
        guard let data = try? Data(contentsOf: url) else { throw EvaluationError.runNotFound(id: id, directory: directory.path) }
        do { return try JSONDecoder().decode(RunManifest.self, from: data) } catch {
            throw EvaluationError.cannotRead(path: url.path, reason: "not a run manifest (\(error))")
        }
    }

    /// The knowledge-update cost of an `eval update` run; `"latest"` picks the newest such run
    /// that recorded one.
    public func updateCost(ofRun id: String) throws -> UpdateCost {
        if id == "latest" {
            guard let newest = list().first(where: { $0.kind == "update" && $0.update != nil }), let cost = newest.update else {
                throw EvaluationError.runNotFound(id: "latest update run", directory: directory.path)
            }
            return cost
        }
        let manifest = try manifest(of: id)
        guard manifest.kind == "update" else { throw EvaluationError.wrongRunKind(id: id, kind: manifest.kind, expected: "update") }
        guard let cost = manifest.update else {
            throw EvaluationError.cannotRead(path: id, reason: "this update run predates stored costs: run `parallax eval update` again")
        }
        return cost
    }

    /// The scored answers of a run.
    public func answers(of id: String) throws -> [ScoredAnswer] {
        try SafeName.validate(id, kind: "run")
        let url = directory.appendingPathComponent(id).appendingPathComponent("answers.jsonl")
        let data = try Data(contentsOf: url)
        return try data.split(separator: UInt8(ascii: "\n")).map { try JSONDecoder().decode(ScoredAnswer.self, from: Data($0)) }
    }
}
