// The workspace's adapters: `.parallax/adapters/NAME/` folders, listed, described, removed and
// loaded as `LoRAWeights` for inference.
import Foundation
import ModelFiles
import Models

/// Adapters kept under `WORKSPACE/adapters/`.
public struct AdapterStore: Sendable {
    /// The `adapters` folder.
    public let root: URL

    /// The store of a workspace folder (e.g. `.parallax`).
    public init(workspace: URL) { root = workspace.appendingPathComponent("adapters") }

    /// What `parallax adapters list/show` prints about one adapter.
    public struct Info: Sendable, Codable, Equatable {
        public var name: String
        public var path: String
        public var rank: Int?
        public var alpha: Double?
        public var targets: [String]
        public var settings: TrainingSettings?
        public var steps: Int?
        public var finalLoss: Double?
        public var bestValidationLoss: Double?
        public var hasCheckpoint: Bool
        public var sizeBytes: Int
    }

    /// The folder of adapter `name`. Throws `PathSafetyError` when the name is not a safe single path
    /// component (`SafeName`) or when the folder, with symbolic links resolved, is not inside the
    /// workspace (e.g. `adapters/NAME` is a link to another place): training never writes through it.
    public func directory(named name: String) throws -> URL {
        try SafeName.validate(name, kind: "adapter")
        let directory = root.appendingPathComponent(name)
        try ConfinedPath.check(directory, inside: root.deletingLastPathComponent(), what: "adapter '\(name)'")
        return directory
    }

    /// Whether `name` is an acceptable adapter name (`SafeName`).
    public static func isValidName(_ name: String) -> Bool { SafeName.isValid(name) }

    /// Names of the adapters present (folders holding adapter_config.json), sorted. Hidden
    /// folders (a save in progress, or one a kill interrupted) are never listed; an interrupted
    /// save is repaired first when no save is running (see `AdapterFiles.publish`).
    public func names() -> [String] {
        for name in AdapterFiles.interruptedSaveNames(in: root) where !AdapterFiles.saveInProgress(of: name, in: root) {
            AdapterFiles.recoverInterruptedSave(of: name, in: root)
        }
        let items = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        // Folders that could not be used by name (bad names, links out of the workspace) are not listed.
        return items.filter {
            !$0.hasPrefix(".") && (try? directory(named: $0)) != nil
                && FileManager.default.fileExists(atPath: root.appendingPathComponent($0).appendingPathComponent(AdapterFiles.configFile).path)
        }.sorted()
    }

    /// Folders under `adapters/` that hold an adapter but are not listed by `names()`, each with
    /// why: a name that is not a safe path component (say, a PEFT folder copied in as "my adapter"),
    /// or a link out of the workspace. Listings show these so an adapter never vanishes unexplained.
    public func unlisted() -> [(folder: String, reason: String)] {
        let items = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return items.sorted().compactMap { item in
            guard !item.hasPrefix("."),
                  FileManager.default.fileExists(atPath: root.appendingPathComponent(item).appendingPathComponent(AdapterFiles.configFile).path)
            else { return nil }
            do { _ = try directory(named: item) } catch { return (item, "\(error)") }
            return nil
        }
    }

    /// Details of one adapter.
    public func info(named name: String) throws -> Info {
        let dir = try directory(named: name)
        let configURL = dir.appendingPathComponent(AdapterFiles.configFile)
        guard let data = try? Data(contentsOf: configURL) else {
            throw TrainingError.adapterNotFound(name: name, directory: root.path)
        }
        let config = (try? JSONGuard.object(from: data)) as? [String: Any] ?? [:]
        let settings = (try? Data(contentsOf: dir.appendingPathComponent(AdapterFiles.settingsFile)))
            .flatMap { try? JSONDecoder().decode(TrainingSettings.self, from: $0) }
        var info = Info(name: name, path: dir.path, rank: (config["r"] as? NSNumber)?.intValue,
                        alpha: (config["lora_alpha"] as? NSNumber)?.doubleValue,
                        targets: (config["target_modules"] as? [String]) ?? [], settings: settings,
                        hasCheckpoint: FileManager.default.fileExists(atPath: dir.appendingPathComponent(TrainingCheckpoint.fileName).path),
                        sizeBytes: 0)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        info.sizeBytes = files.reduce(0) { total, file in
            let attributes = try? FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent(file).path)
            return total + ((attributes?[.size] as? NSNumber)?.intValue ?? 0)
        }
        if let log = try? String(contentsOf: dir.appendingPathComponent(AdapterFiles.logFile), encoding: .utf8) {
            for line in log.split(separator: "\n") {
                guard let object = (try? JSONGuard.object(from: Data(line.utf8))) as? [String: Any] else { continue }
                switch object["event"] as? String {
                case "step": info.steps = object["step"] as? Int; info.finalLoss = object["loss"] as? Double
                case "validation":
                    if let loss = object["loss"] as? Double { info.bestValidationLoss = min(info.bestValidationLoss ?? loss, loss) }
                default: break
                }
            }
        }
        return info
    }

    /// Deletes adapter `name` and everything in its folder.
    public func remove(named name: String) throws {
        let dir = try directory(named: name)
        guard FileManager.default.fileExists(atPath: dir.path) else {
            throw TrainingError.adapterNotFound(name: name, directory: root.path)
        }
        do { try FileManager.default.removeItem(at: dir) } catch {
            throw TrainingError.writeFailed(path: dir.path, reason: "\(error)")
        }
    }

    /// The adapter's weights for a model shaped like `config` (q/k B rows in GGUF order): what
    /// inference applies at run time.
    public func weights(named name: String, config: LlamaTrainingConfig) throws -> LoRAWeights {
        let dir = try directory(named: name)
        guard FileManager.default.fileExists(atPath: dir.appendingPathComponent(AdapterFiles.configFile).path) else {
            throw TrainingError.adapterNotFound(name: name, directory: root.path)
        }
        return try AdapterFiles.load(from: dir, config: config)
    }
}
