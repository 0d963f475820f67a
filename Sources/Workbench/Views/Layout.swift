// Where everything goes for a given terminal size; used by painting and by mouse hit-testing.

/// The rectangles of the browse screen for one terminal size.
public struct Layout: Equatable, Sendable {
    public var queryLine: Rect
    public var documents: Rect
    public var hits: Rect
    public var preview: Rect
    public var answers: Rect
    /// The area full-screen views (Index, Train, Adapters, Evaluate) use.
    public var main: Rect
    public var messageLine: Rect
    public var statusLine: Rect
    public var functionBar: Rect

    public init(width: Int, height: Int) {
        queryLine = Rect(x: 0, y: 0, width: width, height: 1)
        let paneHeight = max(0, height - 4)
        main = Rect(x: 0, y: 1, width: width, height: paneHeight)
        let leftWidth = min(56, max(24, width * 3 / 10))
        let documentsHeight = max(4, paneHeight * 3 / 10)
        documents = Rect(x: 0, y: 1, width: leftWidth, height: documentsHeight)
        hits = Rect(x: 0, y: 1 + documentsHeight, width: leftWidth, height: paneHeight - documentsHeight)
        let previewHeight = max(5, paneHeight * 2 / 5)
        preview = Rect(x: leftWidth, y: 1, width: width - leftWidth, height: previewHeight)
        answers = Rect(x: leftWidth, y: 1 + previewHeight, width: width - leftWidth, height: paneHeight - previewHeight)
        messageLine = Rect(x: 0, y: height - 3, width: width, height: 1)
        statusLine = Rect(x: 0, y: height - 2, width: width, height: 1)
        functionBar = Rect(x: 0, y: height - 1, width: width, height: 1)
    }

    /// The arm boxes inside the answers pane, left to right.
    public func armRects(count: Int) -> [Rect] {
        guard count > 0 else { return [] }
        let each = answers.width / count
        return (0..<count).map { index in
            let x = answers.x + index * each
            let w = index == count - 1 ? answers.maxX - x : each
            return Rect(x: x, y: answers.y, width: w, height: answers.height)
        }
    }

    /// The pane under a point, if any.
    public func pane(atX x: Int, y: Int) -> Focus? {
        if queryLine.contains(x: x, y: y) { return .query }
        if documents.contains(x: x, y: y) { return .documents }
        if hits.contains(x: x, y: y) { return .hits }
        if preview.contains(x: x, y: y) { return .preview }
        if answers.contains(x: x, y: y) { return .answers }
        return nil
    }

    /// Rows each hit takes in the Hits pane.
    public static let rowsPerHit = 2
    /// How many hits fit in the Hits pane.
    public var visibleHits: Int { max(1, (hits.height - 2) / Layout.rowsPerHit) }
}
