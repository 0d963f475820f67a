// The screen abstraction: something that shows a cell buffer and delivers input; plus an off-screen one for tests.

/// A place to show frames and read input from. `CursesScreen` is the terminal; `OffscreenScreen` is for tests and benchmarks.
public protocol Screen: AnyObject {
    /// Current size in cells.
    var size: (width: Int, height: Int) { get }
    /// Shows `buffer`, redrawing only cells that differ from the previous frame.
    func present(_ buffer: CellBuffer)
    /// Applies a theme (roles → colours and attributes).
    func apply(_ theme: Theme)
    /// The next pending input event, or nil when none is waiting (never blocks).
    func pollEvent() -> InputEvent?
    /// Restores the terminal; safe to call more than once.
    func shutdown()
}

/// A screen with no terminal: keeps the last frame and counts the cells a real driver would redraw.
public final class OffscreenScreen: Screen {
    public private(set) var size: (width: Int, height: Int)
    public private(set) var lastFrame: CellBuffer
    public private(set) var theme: Theme?
    /// Cells changed by the last `present` (what a terminal driver would have written).
    public private(set) var lastChangedCells = 0
    public private(set) var framesPresented = 0
    private var pending: [InputEvent] = []

    public init(width: Int, height: Int) {
        size = (width, height)
        lastFrame = CellBuffer(width: width, height: height)
    }

    public func present(_ buffer: CellBuffer) {
        var changed = 0
        if buffer.width != lastFrame.width || buffer.height != lastFrame.height {
            changed = buffer.cells.count
        } else {
            for index in buffer.cells.indices where buffer.cells[index] != lastFrame.cells[index] { changed += 1 }
        }
        lastChangedCells = changed
        lastFrame = buffer
        framesPresented += 1
    }

    public func apply(_ theme: Theme) { self.theme = theme }

    /// Queues an input event (a resize also changes `size`).
    public func send(_ event: InputEvent) {
        if case .resize(let width, let height) = event { size = (width, height) }
        pending.append(event)
    }

    public func pollEvent() -> InputEvent? { pending.isEmpty ? nil : pending.removeFirst() }
    public func shutdown() {}
}
