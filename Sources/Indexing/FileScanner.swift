// Walks the folders to index: recursive, skipping hidden entries and `.parallax` workspaces,
// naming each file by its path relative to the parent of the folder it was found in.
import Foundation

/// A file found by the scanner.
public struct ScannedFile: Sendable, Equatable {
    public var url: URL
    /// `FOLDER/sub/file.md` for files found in FOLDER; `file.md` for a file named directly.
    public var relativePath: String
    /// Seconds since 1970.
    public var modified: Double
    public var size: Int
}

/// The result of scanning the paths given to the indexer.
public struct ScanResult: Sendable {
    public var files: [ScannedFile] = []
    /// Path prefixes this scan is authoritative for: indexed files under them that were not
    /// found again are removed. A folder gives `FOLDER/`, a file its own path.
    public var scopes: [String] = []

    /// Whether an indexed path lies in the scanned scope.
    public func covers(_ path: String) -> Bool {
        scopes.contains { scope in scope.hasSuffix("/") ? path.hasPrefix(scope) : path == scope }
    }
}

enum FileScanner {
    static func scan(_ paths: [URL], skipping workspace: URL?) throws -> ScanResult {
        var result = ScanResult()
        var seen: Set<String> = []
        let keys: [URLResourceKey] = [.isRegularFileKey, .isDirectoryKey, .contentModificationDateKey, .fileSizeKey]
        let skipped = workspace?.standardizedFileURL.resolvingSymlinksInPath().path
        for path in paths {
            let root = path.standardizedFileURL
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory) else {
                throw IndexingError.pathNotFound(path.path)
            }
            if !isDirectory.boolValue {
                let name = root.lastPathComponent
                result.scopes.append(name)
                if seen.insert(name).inserted, let file = scanned(root, relativePath: name, keys: keys) { result.files.append(file) }
                continue
            }
            let prefix = root.resolvingSymlinksInPath().lastPathComponent
            result.scopes.append(prefix + "/")
            let rootPath = root.resolvingSymlinksInPath().path
            guard let walker = FileManager.default.enumerator(at: root.resolvingSymlinksInPath(), includingPropertiesForKeys: keys,
                                                              options: [.skipsHiddenFiles, .skipsPackageDescendants]) else { continue }
            for case let url as URL in walker {
                let name = url.lastPathComponent
                if name.hasPrefix(".") || name == Workspace.folderName {
                    walker.skipDescendants()
                    continue
                }
                let values = try? url.resourceValues(forKeys: Set(keys))
                if values?.isDirectory == true {
                    if let skipped, url.standardizedFileURL.resolvingSymlinksInPath().path == skipped { walker.skipDescendants() }
                    continue
                }
                guard values?.isRegularFile == true else { continue }
                let full = url.standardizedFileURL.resolvingSymlinksInPath().path
                guard full.hasPrefix(rootPath + "/") else { continue }
                let relative = prefix + "/" + full.dropFirst(rootPath.count + 1)
                if seen.insert(relative).inserted, let file = scanned(url, relativePath: relative, keys: keys) {
                    result.files.append(file)
                }
            }
        }
        result.files.sort { $0.relativePath < $1.relativePath }
        return result
    }

    private static func scanned(_ url: URL, relativePath: String, keys: [URLResourceKey]) -> ScannedFile? {
        guard let values = try? url.resourceValues(forKeys: Set(keys)) else { return nil }
        return ScannedFile(url: url, relativePath: relativePath,
                           modified: values.contentModificationDate?.timeIntervalSince1970 ?? 0,
                           size: values.fileSize ?? 0)
    }
}
