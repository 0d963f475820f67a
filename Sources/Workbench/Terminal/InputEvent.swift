// Input events as the workbench sees them, independent of ncurses key codes.

/// A key the user pressed.
public enum Key: Equatable, Sendable, Hashable {
    case character(Character)
    /// Ctrl plus a letter, e.g. `.control("a")` for Ctrl-A.
    case control(Character)
    case enter, escape, tab, backTab, backspace, delete
    case up, down, left, right, home, end, pageUp, pageDown
    case function(Int)
    /// Alt/Meta plus a character (ESC prefix), e.g. `.meta("b")`.
    case meta(Character)
}

/// A mouse action at a cell.
public struct MouseEvent: Equatable, Sendable {
    public enum Kind: Equatable, Sendable { case press, release, wheelUp, wheelDown }
    public var kind: Kind
    public var x: Int
    public var y: Int
    public init(kind: Kind, x: Int, y: Int) { self.kind = kind; self.x = x; self.y = y }
}

/// Everything the terminal can tell the workbench.
public enum InputEvent: Equatable, Sendable {
    case key(Key)
    case mouse(MouseEvent)
    case resize(width: Int, height: Int)
}
