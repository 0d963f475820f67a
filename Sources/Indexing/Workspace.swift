// Where an index lives: a `.parallax` folder next to the documents, or one named with --workspace.
import Foundation

/// A Parallax workspace folder (`index.sqlite`, `adapters/`, `runs/`).
public struct Workspace: Sendable, Equatable {
    public static let folderName = ".parallax"
    public static let indexFileName = "index.sqlite"
    public let directory: URL

    public init(directory: URL) { self.directory = directory.standardizedFileURL }

    /// The index database.
    public var indexURL: URL { directory.appendingPathComponent(Self.indexFileName) }

    /// Whether the workspace already has an index.
    public var hasIndex: Bool { FileManager.default.fileExists(atPath: indexURL.path) }

    /// The default workspace for indexing `paths`: `.parallax` inside the first folder, or next
    /// to the first file.
    public static func `default`(forIndexing paths: [URL]) -> Workspace {
        guard let first = paths.first else { return current() }
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: first.path, isDirectory: &isDirectory)
        let base = exists && isDirectory.boolValue ? first : first.deletingLastPathComponent()
        return Workspace(directory: base.appendingPathComponent(folderName, isDirectory: true))
    }

    /// `.parallax` in the current folder.
    public static func current() -> Workspace {
        Workspace(directory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            .appendingPathComponent(folderName, isDirectory: true))
    }

    /// Opens the existing index (throws `IndexingError.noIndex` when there is none).
    public func openIndex() throws -> IndexStore {
        guard hasIndex else { throw IndexingError.noIndex(workspace: directory.path) }
        return try IndexStore(url: indexURL, create: false)
    }
}
