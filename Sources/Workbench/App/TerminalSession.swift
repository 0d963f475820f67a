// Running the workbench in the real terminal: screen set-up, signal handling, and restoring the terminal on every exit.
import Dispatch
import Foundation

/// Opens the curses screen, runs the UI loop, and always restores the terminal (quit, Ctrl-C, SIGTERM, SIGHUP,
/// SIGINT, or a fatal signal).
public enum TerminalSession {
    /// Runs the workbench until the user quits or a signal (SIGTERM, SIGHUP, SIGINT, SIGQUIT) asks it to.
    /// Blocks the calling thread: run it on a dedicated thread (`runOnDedicatedThread`), never on Swift's
    /// cooperative pool. Background jobs may still be running when it returns; a program should then end
    /// with `exitNow(status:)`.
    /// - Parameters:
    ///   - workspace: the `.parallax` folder (created if missing).
    ///   - theme: theme name; `NO_COLOR` in the environment strips colours.
    public static func run(backend: any WorkbenchBackend, workspace: URL, theme: String = "dark") throws {
        try? FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
        let screen = try CursesScreen()
        defer { screen.shutdown() }
        let noColor = !(ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
        let controller = WorkbenchController(screen: screen, backend: backend, workspace: workspace,
                                             themes: .standard(workspace: workspace), themeName: theme, noColor: noColor)
        let inbox = controller.inbox
        var sources: [any DispatchSourceSignal] = []
        for signalNumber in [SIGTERM, SIGHUP, SIGINT, SIGQUIT] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler { inbox.post(.quit) }
            source.resume()
            sources.append(source)
        }
        defer {
            for source in sources { source.cancel() }
            for signalNumber in [SIGTERM, SIGHUP, SIGINT, SIGQUIT] { signal(signalNumber, SIG_DFL) }
        }
        controller.runLoop()
    }

    /// Ends the process at once with `status`, after the terminal was restored: flushes stdio and
    /// calls `_exit`, skipping at-exit handlers. Quitting (F10, Ctrl-C, SIGTERM, SIGHUP) may happen
    /// while a generation, training or indexing job is mid-flight on other threads; a normal `exit`
    /// then runs OpenBLAS's shutdown, which joins its worker threads and was seen to hang forever
    /// (`gotoblas_quit` → `blas_thread_shutdown_` → `pthread_join` on a spinning worker). Nothing
    /// is lost by skipping it: the index, checkpoints and adapters are written crash-safely (a
    /// job cut short leaves the previous complete state), and history/export writes are atomic.
    public static func exitNow(status: Int32) -> Never {
        fflush(nil)
        _exit(status)
    }

    /// Runs `body` on a dedicated thread (the UI loop blocks in poll()) and waits for it without tying up
    /// Swift's cooperative thread pool.
    public static func runOnDedicatedThread(_ body: @escaping @Sendable () throws -> Void) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let thread = Thread {
                do { try body(); continuation.resume() } catch { continuation.resume(throwing: error) }
            }
            thread.name = "parallax-ui"
            thread.stackSize = 8 << 20
            thread.start()
        }
    }
}
