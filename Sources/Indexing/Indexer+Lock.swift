// One indexing run per workspace at a time: an advisory lock (flock) on `index.lock`, released
// by the kernel when the process ends, however it ends (quit, crash, SIGKILL).
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An exclusive lock on a workspace's `index.lock`, held for the length of one run.
final class IndexRunLock {
    static let fileName = "index.lock"
    private var descriptor: Int32

    /// Takes the lock, or throws at once when another run holds it.
    init(workspace: URL) throws {
        let path = workspace.appendingPathComponent(Self.fileName).path
        try? FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw IndexingError.database("cannot open the lock file \(path) (errno \(errno)); check the workspace folder's permissions")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            close(descriptor)
            descriptor = -1
            throw IndexingError.database("another `parallax index` run (or the workbench) is updating \(workspace.path); "
                                         + "wait for it to finish and run this again")
        }
    }

    /// Releases the lock (also done when the process ends).
    func release() {
        guard descriptor >= 0 else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}
