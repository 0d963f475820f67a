// The off-screen grid views paint into: one grapheme per cell, wide graphemes followed by a continuation cell.

/// One terminal cell: a grapheme (or a continuation of the wide grapheme to its left) and a style role.
public struct Cell: Equatable, Sendable {
    /// The grapheme shown; empty for the right half of a wide grapheme.
    public var text: String
    /// 1 or 2 for a grapheme's first cell, 0 for a continuation cell.
    public var width: UInt8
    public var role: StyleRole

    public init(text: String = " ", width: UInt8 = 1, role: StyleRole = .normal) {
        self.text = text
        self.width = width
        self.role = role
    }

    public static let blank = Cell()
    public var isContinuation: Bool { width == 0 }
}

/// A rectangle in cell coordinates.
public struct Rect: Equatable, Sendable, CustomStringConvertible {
    public var x: Int, y: Int, width: Int, height: Int
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x; self.y = y; self.width = max(0, width); self.height = max(0, height)
    }
    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public var isEmpty: Bool { width <= 0 || height <= 0 }
    public func contains(x px: Int, y py: Int) -> Bool { px >= x && px < maxX && py >= y && py < maxY }
    /// The rectangle shrunk by `by` cells on every side.
    public func inset(_ by: Int) -> Rect { Rect(x: x + by, y: y + by, width: width - 2 * by, height: height - 2 * by) }
    public var description: String { "(\(x),\(y) \(width)×\(height))" }
}

/// A width × height grid of cells; writes outside the grid are clipped, never trapped.
public struct CellBuffer: Equatable, Sendable {
    public private(set) var width: Int
    public private(set) var height: Int
    /// Row-major cells, `height * width` of them.
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int, fill: Cell = .blank) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.cells = Array(repeating: fill, count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        guard x >= 0, y >= 0, x < width, y < height else { return .blank }
        return cells[y * width + x]
    }

    /// Fills `rect` (clipped) with `character` in `role`.
    public mutating func fill(_ rect: Rect, with character: Character = " ", role: StyleRole) {
        let w = DisplayWidth.of(character)
        for row in max(0, rect.y)..<min(height, rect.maxY) {
            if w == 2 {
                var column = max(0, rect.x)
                while column + 1 < min(width, rect.maxX) {
                    _ = put(character, x: column, y: row, role: role)
                    column += 2
                }
            } else {
                for column in max(0, rect.x)..<min(width, rect.maxX) {
                    setCell(x: column, y: row, Cell(text: String(character), width: 1, role: role))
                }
            }
        }
    }

    /// Sets the style role of every cell in `rect` without touching the text.
    public mutating func setRole(_ role: StyleRole, in rect: Rect) {
        for row in max(0, rect.y)..<min(height, rect.maxY) {
            for column in max(0, rect.x)..<min(width, rect.maxX) { cells[row * width + column].role = role }
        }
    }

    /// Writes one grapheme at (x, y); returns the columns it took (0 if it did not fit or is invisible).
    @discardableResult
    public mutating func put(_ character: Character, x: Int, y: Int, role: StyleRole, limit: Int? = nil) -> Int {
        guard y >= 0, y < height, x >= 0 else { return 0 }
        let right = min(width, limit ?? width)
        var w = DisplayWidth.of(character)
        var text = String(character)
        if character == "\t" || (w == 0 && character.unicodeScalars.first.map({ $0.value < 0x20 || $0.value == 0x7F }) ?? false) {
            text = " "; w = 1 // control characters never reach the terminal
        }
        guard w > 0, x + w <= right else { return 0 }
        setCell(x: x, y: y, Cell(text: text, width: UInt8(w), role: role))
        if w == 2 { setCell(x: x + 1, y: y, Cell(text: "", width: 0, role: role)) }
        return w
    }

    /// Writes `string` from (x, y) on one line, stopping at `maxWidth` columns; returns columns used.
    @discardableResult
    public mutating func put(_ string: String, x: Int, y: Int, role: StyleRole, maxWidth: Int? = nil) -> Int {
        let limit = maxWidth.map { x + $0 } ?? width
        var column = x
        for character in string {
            if character == "\n" || character == "\r\n" { break }
            let used = put(character, x: column, y: y, role: role, limit: limit)
            if used == 0 && DisplayWidth.of(character) > 0 { break }
            column += used
        }
        return column - x
    }

    /// Copies `other` into this buffer with its top-left corner at (x, y), clipped.
    public mutating func blit(_ other: CellBuffer, x: Int, y: Int) {
        for row in 0..<other.height where y + row >= 0 && y + row < height {
            for column in 0..<other.width where x + column >= 0 && x + column < width {
                setCell(x: x + column, y: y + row, other[column, row])
            }
        }
    }

    /// A copy of the cells inside `rect`.
    public func cropped(to rect: Rect) -> CellBuffer {
        var out = CellBuffer(width: rect.width, height: rect.height)
        for row in 0..<rect.height {
            for column in 0..<rect.width { out.cells[row * rect.width + column] = self[rect.x + column, rect.y + row] }
        }
        return out
    }

    /// Keeps wide graphemes whole: overwriting half of one blanks the other half.
    private mutating func setCell(x: Int, y: Int, _ cell: Cell) {
        guard x >= 0, y >= 0, x < width, y < height else { return }
        let index = y * width + x
        let old = cells[index]
        if old.width == 2, x + 1 < width, cell.width != 2 { cells[index + 1] = Cell(role: cells[index + 1].role) }
        if old.isContinuation, x > 0, !cell.isContinuation { cells[index - 1] = Cell(role: cells[index - 1].role) }
        cells[index] = cell
        if cell.width == 2, x + 1 >= width { cells[index] = Cell(role: cell.role) }
    }

    /// The text layer, one line per row, continuation cells omitted (so wide graphemes line up in a terminal).
    public var textLines: [String] {
        (0..<height).map { row in
            var line = ""
            for column in 0..<width {
                let cell = cells[row * width + column]
                if !cell.isContinuation { line += cell.text }
            }
            return line
        }
    }

    /// The style layer, one role code per cell.
    public var roleLines: [String] {
        (0..<height).map { row in String((0..<width).map { cells[row * width + $0].role.code }) }
    }

    /// Whether `text` appears anywhere in the text layer (handy in tests).
    public func contains(_ text: String) -> Bool { textLines.contains { $0.contains(text) } }
}
