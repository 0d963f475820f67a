// Crash-safe file and folder writes for adapters and checkpoints: write to a hidden temporary
// beside the target, fsync, rename over the target, fsync the folder. A kill at any moment leaves
// the old file or the new one, never a torn one; hidden temporaries are ignored by readers.
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum DurableFiles {
    /// Writes `bytes` to `url` atomically and durably.
    static func write(_ bytes: [UInt8], to url: URL) throws {
        let temporary = temporaryURL(for: url)
        try writeSynced(bytes, to: temporary)
        guard rename(temporary.path, url.path) == 0 else {
            let code = errno
            unlink(temporary.path)
            throw TrainingError.writeFailed(path: url.path, reason: "rename failed (\(String(cString: strerror(code))))")
        }
        syncDirectory(url.deletingLastPathComponent())
    }

    /// A hidden name beside `url` for a file being written (`.NAME.tmp-PID`).
    static func temporaryURL(for url: URL) -> URL {
        url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())")
    }

    /// Writes and fsyncs a file (not atomic by itself).
    static func writeSynced(_ bytes: [UInt8], to url: URL) throws {
        do {
            guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
                throw TrainingError.writeFailed(path: url.path, reason: "cannot create the file (check the folder's permissions)")
            }
            let handle = try FileHandle(forWritingTo: url)
            defer { try? handle.close() }
            try handle.write(contentsOf: bytes)
            try handle.synchronize()
        } catch let error as TrainingError {
            throw error
        } catch {
            throw TrainingError.writeFailed(path: url.path, reason: "\(error)")
        }
    }

    /// Makes renames inside `directory` durable (best effort: some file systems refuse).
    static func syncDirectory(_ directory: URL) {
        let descriptor = open(directory.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        fsync(descriptor)
        close(descriptor)
    }

    /// Swaps two paths atomically with renameat2(RENAME_EXCHANGE) when the kernel and file
    /// system offer it (looked up at run time: glibc's header hides it from Swift).
    static func exchange(_ a: URL, _ b: URL) -> Bool {
        #if os(Linux)
        typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else { return false }
        let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
        let renameExchange: UInt32 = 1 << 1
        return renameat2(AT_FDCWD, a.path, AT_FDCWD, b.path, renameExchange) == 0
        #else
        return false
        #endif
    }

    /// Hard-links `source` to `destination` (copies when links are not possible).
    static func linkOrCopy(_ source: URL, to destination: URL) throws {
        if link(source.path, destination.path) == 0 { return }
        do { try FileManager.default.copyItem(at: source, to: destination) } catch {
            throw TrainingError.writeFailed(path: destination.path, reason: "\(error)")
        }
    }

    /// Test hook: with PARALLAX_TEST_PAUSE_IN_CHECKPOINT=SECONDS, names each point of a checkpoint
    /// write on standard error and sleeps there, so a test can kill the process at that point;
    /// with SECONDS@N it names every point but sleeps only at the N-th (counted from 1), so a test
    /// on a slow machine cannot miss it. Never set it in normal use.
    static func testPause(_ point: String) {
        guard let text = ProcessInfo.processInfo.environment["PARALLAX_TEST_PAUSE_IN_CHECKPOINT"] else { return }
        let parts = text.split(separator: "@", maxSplits: 1)
        guard let seconds = parts.first.flatMap({ Double($0) }), seconds > 0 else { return }
        let only = parts.count == 2 ? Int(parts[1]) : nil
        let count = PausePoints.shared.next()
        FileHandle.standardError.write(Data("checkpoint test pause: \(point)\n".utf8))
        if only == nil || only == count { usleep(UInt32(min(seconds, 60) * 1_000_000)) }
    }
}

/// How many test pause points this process has passed.
private final class PausePoints: @unchecked Sendable {
    static let shared = PausePoints()
    private let lock = NSLock()
    private var passed = 0

    func next() -> Int { lock.withLock { passed += 1; return passed } }
}
