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

    public init(id: String, kind: String, createdAt: String, suite: String, suiteSHA256: String, arms: [ArmKind],
                settings: [String: String], fingerprints: [String: String], summaries: [ArmSummary]) {
        self.id = id
        self.kind = kind
        self.createdAt = createdAt
        self.suite = suite
        self.suiteSHA256 = suiteSHA256
        self.arms = arms
        self.settings = settings
        self.fingerprints = fingerprints
        self.summaries = summaries
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
    @discardableResult
    public func save(manifest: RunManifest, answers: [ScoredAnswer], report: String) throws -> URL {
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

    /// The scored answers of a run.
    public func answers(of id: String) throws -> [ScoredAnswer] {
        try SafeName.validate(id, kind: "run")
        let url = directory.appendingPathComponent(id).appendingPathComponent("answers.jsonl")
        let data = try Data(contentsOf: url)
        return try data.split(separator: UInt8(ascii: "\n")).map { try JSONDecoder().decode(ScoredAnswer.self, from: Data($0)) }
    }
}
