// Walks the folders to index: recursive, skipping hidden entries and `.parallax` workspaces,
// naming each file by its path relative to the parent of the folder it was found in.
//
// Symbolic links (a deliberate policy, so a collection cannot pull in files from elsewhere):
// - a link to a file inside the same collection folder is indexed once, under the file's real path;
// - a link to a folder is never followed (a folder inside the collection is walked anyway; this also
//   rules out loops);
// - a link to anything outside the collection folder is not read and is listed as skipped
//   ("symbolic link out of the collection"). A path named directly on the command line may itself be
//   a link: it is resolved first, and the collection is what it points to.
import Foundation

/// A file found by the scanner.
public struct ScannedFile: Sendable, Equatable {
    public var url: URL
    /// `FOLDER/sub/file.md` for files found in FOLDER; `file.md` for a file named directly.
    public var relativePath: String
    /// Seconds since 1970.
    public var modified: Double
    public var size: Int
    /// Set when the file must not be read (a link out of the collection); the indexer lists it as skipped.
    public var skipReason: SkipReason? = nil
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
                let full = url.standardizedFileURL.resolvingSymlinksInPath().path
                if isSymbolicLink(url) {
                    walker.skipDescendants()
                    if full != rootPath && !full.hasPrefix(rootPath + "/") {
                        // Named where the link is (the walker lists it under the resolved root).
                        let linkPath = prefix + "/" + url.standardizedFileURL.path.dropFirst(rootPath.count + 1)
                        if seen.insert(linkPath).inserted {
                            result.files.append(ScannedFile(url: url, relativePath: linkPath, modified: 0, size: 0,
                                                            skipReason: .linkOutsideCollection(target: full)))
                        }
                        continue
                    }
                    var isFolder: ObjCBool = false
                    if FileManager.default.fileExists(atPath: full, isDirectory: &isFolder), isFolder.boolValue { continue }
                }
                let values = try? url.resourceValues(forKeys: Set(keys))
                if values?.isDirectory == true {
                    if let skipped, full == skipped { walker.skipDescendants() }
                    continue
                }
                guard values?.isRegularFile == true else { continue }
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

    /// Whether `url` itself is a symbolic link (not followed).
    private static func isSymbolicLink(_ url: URL) -> Bool {
        (try? FileManager.default.attributesOfItem(atPath: url.path)[.type] as? FileAttributeType) == .typeSymbolicLink
    }

    private static func scanned(_ url: URL, relativePath: String, keys: [URLResourceKey]) -> ScannedFile? {
        guard let values = try? url.resourceValues(forKeys: Set(keys)) else { return nil }
        return ScannedFile(url: url, relativePath: relativePath,
                           modified: values.contentModificationDate?.timeIntervalSince1970 ?? 0,
                           size: values.fileSize ?? 0)
    }
}
