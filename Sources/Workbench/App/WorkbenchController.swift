// The UI loop: input events and backend messages in, state updates, effects out, frames to the screen.
import Foundation

/// Ties a `Screen`, an `AppState`, and a backend together. Single-threaded: call it from one thread only.
public final class WorkbenchController {
    public private(set) var state: AppState
    public let screen: any Screen
    public let inbox: Inbox
    let runner: EffectRunner
    let themes: ThemeLibrary
    let noColor: Bool
    let workspace: URL
    private var dirty = true
    public private(set) var framesRendered = 0

    /// - Parameters:
    ///   - workspace: the `.parallax` folder (history, exports, adapters).
    ///   - noColor: strip colours from every theme (NO_COLOR).
    public init(screen: any Screen, backend: any WorkbenchBackend, workspace: URL, themes: ThemeLibrary,
                themeName: String = "dark", noColor: Bool = false) {
        self.screen = screen
        self.inbox = Inbox()
        self.runner = EffectRunner(backend: backend, inbox: inbox, workspace: workspace)
        self.themes = themes
        self.noColor = noColor
        self.workspace = workspace
        var state = AppState(width: screen.size.width, height: screen.size.height, workspacePath: workspace.path)
        state.history = QueryHistory.load(from: workspace.appendingPathComponent("history"))
        state.themeNames = themes.names
        self.state = state
        setTheme(noColor && themeName == "dark" ? "monochrome" : themeName, announce: false)
    }

    /// Starts background work (status, document and adapter lists) and paints the first frame.
    public func start() {
        runner.start()
        renderIfNeeded()
    }

    /// Stops background work.
    public func stop() { runner.stop() }

    public var shouldQuit: Bool { state.quitRequested }

    /// Applies one input event and runs its effects.
    public func process(_ event: InputEvent) {
        let (outcome, effects) = state.handle(event)
        perform(effects)
        if outcome.contains(.redraw) || outcome.contains(.quit) { dirty = true }
    }

    /// Applies every message waiting in the inbox.
    public func processMessages() {
        for message in inbox.drain() {
            let (outcome, effects) = state.receive(message)
            perform(effects)
            if outcome.contains(.redraw) { dirty = true }
        }
    }

    /// Paints and presents a frame if anything changed since the last one.
    public func renderIfNeeded() {
        guard dirty else { return }
        dirty = false
        screen.present(ScreenRenderer.render(state))
        framesRendered += 1
    }

    private func perform(_ effects: [Effect]) {
        for effect in effects {
            if case .setTheme(let name) = effect { setTheme(name, announce: true) } else { runner.run(effect) }
        }
    }

    /// Loads and applies a theme; a bad or missing file becomes an error message, never a crash.
    func setTheme(_ name: String, announce: Bool) {
        do {
            var theme = try themes.theme(named: name)
            if noColor { theme = theme.monochrome }
            screen.apply(theme)
            state.themeName = name
            if announce { state.message = StatusMessage("theme \(name)" + (noColor ? " (NO_COLOR: attributes only)" : "")) }
        } catch {
            if !announce { screen.apply(noColor ? Theme.fallback.monochrome : Theme.fallback) }
            state.message = StatusMessage(String(describing: error), isError: true)
        }
        dirty = true
    }

    /// Runs until the user quits: waits on the terminal and the inbox with poll(), never blocking on the backend.
    public func runLoop(inputFD: Int32 = 0) {
        start()
        while !shouldQuit {
            var fds = [pollfd(fd: inputFD, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: inbox.wakeReadFD, events: Int16(POLLIN), revents: 0)]
            _ = poll(&fds, nfds_t(inbox.wakeReadFD >= 0 ? 2 : 1), 100)
            if fds[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 {
                state.quitRequested = true // the terminal went away: stop instead of spinning
                break
            }
            while let event = screen.pollEvent() {
                process(event)
                if shouldQuit { break }
            }
            processMessages()
            renderIfNeeded()
        }
        stop()
    }
}
