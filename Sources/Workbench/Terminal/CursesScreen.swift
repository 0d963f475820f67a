// The terminal driver: shows cell buffers through ncursesw (redrawing only changed cells) and reads keys and mouse.
// The only file that imports CNCurses.
import CNCurses
import Foundation

/// An ncurses-backed `Screen`. Create one per process; `shutdown()` (or a fatal signal) restores the terminal.
public final class CursesScreen: Screen {
    private let window: UnsafeMutablePointer<WINDOW>
    private var previous: CellBuffer?
    private var pairs: [StyleRole: (pair: Int16, attributes: attr_t)] = [:]
    private var closed = false
    private let colourCount: Int
    public private(set) var size: (width: Int, height: Int)

    /// Opens the terminal in raw mode with the keypad, mouse and colours switched on.
    public init() throws {
        setlocale(LC_ALL, "")
        guard isatty(0) == 1, isatty(1) == 1 else {
            throw WorkbenchError.terminalUnavailable(reason: "standard input/output is not a terminal")
        }
        guard parallax_newterm() != nil, let window = parallax_stdscr() else {
            throw WorkbenchError.terminalUnavailable(reason: "ncurses could not start for TERM=\(ProcessInfo.processInfo.environment["TERM"] ?? "unset")")
        }
        self.window = window
        set_escdelay(25)
        raw()
        noecho()
        nonl()
        keypad(window, true)
        nodelay(window, true)
        curs_set(0)
        mousemask(parallax_mouse_mask(), nil)
        mouseinterval(0)
        if has_colors() {
            start_color()
            use_default_colors()
            colourCount = Int(parallax_colors())
        } else {
            colourCount = 0
        }
        size = (Int(getmaxx(window)), Int(getmaxy(window)))
        CursesScreen.installFatalSignalHandlers()
    }

    deinit { shutdown() }

    /// Restores the terminal (leaves the alternate screen, shows the cursor). Safe to call twice.
    public func shutdown() {
        guard !closed else { return }
        closed = true
        curs_set(1)
        endwin()
    }

    /// On a crash signal, restore the terminal before the default action (core dump / exit) happens.
    static func installFatalSignalHandlers() {
        for signalNumber in [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP] {
            signal(signalNumber) { received in
                endwin()
                signal(received, SIG_DFL)
                raise(received)
            }
        }
    }

    public func apply(_ theme: Theme) {
        pairs = [:]
        for (index, role) in StyleRole.allCases.enumerated() {
            let style = theme.style(for: role)
            let pair = Int16(index + 1)
            var attributes: attr_t = 0
            if style.bold { attributes |= parallax_a_bold() }
            if style.underline { attributes |= parallax_a_underline() }
            if style.reverse { attributes |= parallax_a_reverse() }
            if style.dim { attributes |= parallax_a_dim() }
            if colourCount > 0 {
                let wide = colourCount >= 256
                let fg = (wide ? style.foreground : style.foreground8 ?? style.foreground.map { $0 & 7 }) ?? -1
                let bg = (wide ? style.background : style.background8 ?? style.background.map { $0 & 7 }) ?? -1
                init_pair(pair, Int16(min(fg, colourCount - 1)), Int16(min(bg, colourCount - 1)))
                pairs[role] = (pair, attributes)
            } else {
                pairs[role] = (0, attributes)
            }
        }
        previous = nil // colours changed: repaint everything
    }

    public func present(_ buffer: CellBuffer) {
        guard !closed else { return }
        let full = previous == nil || previous?.width != buffer.width || previous?.height != buffer.height
        if full { werase(window) }
        for row in 0..<buffer.height {
            var first = -1, last = -1
            for column in 0..<buffer.width where full || buffer[column, row] != previous?[column, row] {
                if first < 0 { first = column }
                last = column
            }
            guard first >= 0 else { continue }
            if buffer[first, row].isContinuation, first > 0 { first -= 1 }
            for column in first...last { draw(buffer[column, row], x: column, y: row) }
        }
        previous = buffer
        wnoutrefresh(window)
        doupdate()
    }

    private func draw(_ cell: Cell, x: Int, y: Int) {
        guard !cell.isContinuation else { return }
        let style = pairs[cell.role] ?? (0, 0)
        var characters: [wchar_t] = cell.text.unicodeScalars.prefix(4).map { wchar_t(bitPattern: $0.value) }
        if characters.isEmpty { characters = [wchar_t(32)] }
        characters.append(0)
        var complex = cchar_t()
        _ = setcchar(&complex, characters, style.attributes, style.pair, nil)
        _ = mvwadd_wch(window, Int32(y), Int32(x), &complex)
    }

    public func pollEvent() -> InputEvent? {
        guard !closed else { return nil }
        var character: wint_t = 0
        let result = wget_wch(window, &character)
        if result == ERR { return nil }
        if result == KEY_CODE_YES { return keyCode(Int32(bitPattern: character)) }
        let value = UInt32(character)
        switch value {
        case 10, 13: return .key(.enter)
        case 9: return .key(.tab)
        case 8, 127: return .key(.backspace)
        case 27:
            var next: wint_t = 0
            let more = wget_wch(window, &next)
            if more == OK, let scalar = Unicode.Scalar(UInt32(next)) { return .key(.meta(Character(scalar))) }
            return .key(.escape)
        case 1...26: return .key(.control(Character(Unicode.Scalar(value + 96) ?? "a")))
        default:
            guard let scalar = Unicode.Scalar(value) else { return nil }
            return .key(.character(Character(scalar)))
        }
    }

    private func keyCode(_ code: Int32) -> InputEvent? {
        switch code {
        case KEY_UP: return .key(.up)
        case KEY_DOWN: return .key(.down)
        case KEY_LEFT: return .key(.left)
        case KEY_RIGHT: return .key(.right)
        case KEY_HOME: return .key(.home)
        case KEY_END: return .key(.end)
        case KEY_PPAGE: return .key(.pageUp)
        case KEY_NPAGE: return .key(.pageDown)
        case KEY_BACKSPACE: return .key(.backspace)
        case KEY_DC: return .key(.delete)
        case KEY_ENTER: return .key(.enter)
        case KEY_BTAB: return .key(.backTab)
        case KEY_RESIZE:
            size = (Int(getmaxx(window)), Int(getmaxy(window)))
            previous = nil
            return .resize(width: size.width, height: size.height)
        case KEY_MOUSE:
            var event = MEVENT()
            guard getmouse(&event) == OK else { return nil }
            let state = event.bstate
            let kind: MouseEvent.Kind
            if state & parallax_button4_pressed() != 0 { kind = .wheelUp }
            else if state & parallax_button5_pressed() != 0 { kind = .wheelDown }
            else if state & parallax_button1_pressed() != 0 { kind = .press }
            else if state & parallax_button1_released() != 0 { kind = .release }
            else { return nil }
            return .mouse(MouseEvent(kind: kind, x: Int(event.x), y: Int(event.y)))
        default:
            for n in 1...12 where code == parallax_key_f(Int32(n)) { return .key(.function(n)) }
            return nil
        }
    }
}
