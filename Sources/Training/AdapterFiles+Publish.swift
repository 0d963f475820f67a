// Putting adapter files in place all at once: the new files are written into a hidden staging
// folder (`adapters/.NAME.saving-PID`) beside the adapter, the adapter's other files (checkpoint,
// settings, log) are hard-linked in, and the staging folder is swapped with the adapter folder in
// one rename. A kill at any moment leaves the old adapter or the new one under NAME, and at most a
// hidden folder that listings ignore and the next save removes.
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension AdapterFiles {
    /// Replaces the files named in `files` (name → bytes) inside `directory` in one step, keeping
    /// the folder's other files.
    static func publish(_ files: [String: [UInt8]], into directory: URL) throws {
        let fileManager = FileManager.default
        let parent = directory.deletingLastPathComponent()
        let name = directory.lastPathComponent
        try fileManager.createDirectory(at: parent, withIntermediateDirectories: true)
        recoverInterruptedSave(of: name, in: parent)
        let staging = parent.appendingPathComponent(".\(name).saving-\(getpid())")
        try fileManager.createDirectory(at: staging, withIntermediateDirectories: false)
        do {
            for (file, bytes) in files {
                try DurableFiles.writeSynced(bytes, to: staging.appendingPathComponent(file))
            }
            var isDirectory: ObjCBool = false
            let exists = fileManager.fileExists(atPath: directory.path, isDirectory: &isDirectory)
            if exists {
                guard isDirectory.boolValue else {
                    throw TrainingError.writeFailed(path: directory.path, reason: "a file is in the way of the adapter folder")
                }
                for item in try fileManager.contentsOfDirectory(atPath: directory.path)
                    where !item.hasPrefix(".") && files[item] == nil {
                    try keep(directory.appendingPathComponent(item), in: staging.appendingPathComponent(item))
                }
            }
            DurableFiles.syncDirectory(staging)
            DurableFiles.testPause("adapter folder staged in \(staging.lastPathComponent)")
            if !exists {
                guard rename(staging.path, directory.path) == 0 else {
                    throw TrainingError.writeFailed(path: directory.path, reason: "rename failed (\(String(cString: strerror(errno))))")
                }
            } else if DurableFiles.exchange(staging, directory) {
                try? fileManager.removeItem(at: staging)  // now holds the old files
            } else {
                // No atomic exchange here: move the old folder aside, the new one in, then drop the
                // old. A kill between the two renames is repaired by `recoverInterruptedSave`.
                let replaced = parent.appendingPathComponent(".\(name).replaced-\(getpid())")
                guard rename(directory.path, replaced.path) == 0 else {
                    throw TrainingError.writeFailed(path: directory.path, reason: "rename failed (\(String(cString: strerror(errno))))")
                }
                guard rename(staging.path, directory.path) == 0 else {
                    let reason = String(cString: strerror(errno))
                    rename(replaced.path, directory.path)
                    throw TrainingError.writeFailed(path: directory.path, reason: "rename failed (\(reason))")
                }
                try? fileManager.removeItem(at: replaced)
            }
            DurableFiles.syncDirectory(parent)
        } catch {
            try? fileManager.removeItem(at: staging)
            throw error
        }
    }

    /// Carries one item of the old adapter folder into the staged one: files are hard-linked (or
    /// copied), folders rebuilt with their contents linked the same way, symbolic links recreated.
    /// Nothing in the old folder is moved, so a save killed half-way leaves it whole.
    private static func keep(_ source: URL, in destination: URL) throws {
        let fileManager = FileManager.default
        let kind = (try? fileManager.attributesOfItem(atPath: source.path))?[.type] as? FileAttributeType
        switch kind {
        case .typeRegular?:
            try DurableFiles.linkOrCopy(source, to: destination)
        case .typeDirectory?:
            try fileManager.createDirectory(at: destination, withIntermediateDirectories: false)
            for item in try fileManager.contentsOfDirectory(atPath: source.path) {
                try keep(source.appendingPathComponent(item), in: destination.appendingPathComponent(item))
            }
        case .typeSymbolicLink?:
            let target = try fileManager.destinationOfSymbolicLink(atPath: source.path)
            try fileManager.createSymbolicLink(atPath: destination.path, withDestinationPath: target)
        default:
            break  // sockets, pipes, devices: nothing an adapter folder should hold
        }
    }

    /// Cleans up after a save that was killed: removes staging folders of adapter `name`, and puts
    /// back a folder moved aside when the new one never arrived.
    static func recoverInterruptedSave(of name: String, in parent: URL) {
        let fileManager = FileManager.default
        guard let items = try? fileManager.contentsOfDirectory(atPath: parent.path) else { return }
        let directory = parent.appendingPathComponent(name)
        for item in items.sorted() {
            let url = parent.appendingPathComponent(item)
            if item.hasPrefix(".\(name).saving-") {
                try? fileManager.removeItem(at: url)
            } else if item.hasPrefix(".\(name).replaced-") {
                if !fileManager.fileExists(atPath: directory.path) {
                    rename(url.path, directory.path)
                } else {
                    try? fileManager.removeItem(at: url)
                }
            }
        }
    }

    /// Adapter folders that a save left hidden (`.NAME.saving-…`, `.NAME.replaced-…`), by NAME.
    static func interruptedSaveNames(in parent: URL) -> Set<String> {
        let items = (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? []
        var names: Set<String> = []
        for item in items where item.hasPrefix(".") {
            for marker in [".saving-", ".replaced-"] {
                if let range = item.range(of: marker, options: .backwards) {
                    names.insert(String(item[item.index(after: item.startIndex)..<range.lowerBound]))
                }
            }
        }
        return names
    }

    /// Whether a live process is saving adapter `name` (its hidden folders end in its PID).
    static func saveInProgress(of name: String, in parent: URL) -> Bool {
        let items = (try? FileManager.default.contentsOfDirectory(atPath: parent.path)) ?? []
        return items.contains { item in
            guard item.hasPrefix(".\(name).saving-") || item.hasPrefix(".\(name).replaced-"),
                  let dash = item.lastIndex(of: "-"), let pid = Int32(item[item.index(after: dash)...]), pid > 0 else { return false }
            return kill(pid, 0) == 0 || errno == EPERM
        }
    }
}
