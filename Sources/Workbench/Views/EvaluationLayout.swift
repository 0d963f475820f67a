// Where the Evaluate view's parts go for a terminal size: used by painting and by the reducer (scrolling, paging).

/// The rectangles of the Evaluate view's results and answers pages.
struct EvaluationLayout {
    /// Inside the view's border.
    let inner: Rect
    /// Progress or run description (one row).
    let status: Rect
    /// The per-arm table: a header row and one row per arm.
    let table: Rect
    /// Bar charts (nil when the question list has the room).
    let charts: Rect?
    /// Charts side by side per row of charts.
    let chartColumns: Int
    /// The question list with its header row (nil when the charts have the room).
    let questions: Rect?
    /// Whether charts and questions each get their own room (no Tab switching needed).
    let showsBoth: Bool

    /// The four metrics charted.
    static let chartCount = 4

    init(main: Rect, arms: Int, section: EvaluationState.Section) {
        inner = main.inset(1)
        status = Rect(x: inner.x, y: inner.y, width: inner.width, height: min(1, inner.height))
        let tableHeight = min(max(0, inner.height - 1), arms + 1)
        table = Rect(x: inner.x, y: inner.y + 1, width: inner.width, height: tableHeight)
        let top = table.maxY + 1
        let room = max(0, inner.maxY - top)
        // Two charts across (long bars) when the height allows, all four across on wide but short terminals.
        let twoRows = 2 * (arms + 1) + 1
        let columns = inner.width >= 56 && (room >= twoRows + 1 + 10 || inner.width < 140) ? 2 : (inner.width >= 140 ? 4 : 1)
        chartColumns = columns
        let chartRows = (Self.chartCount + columns - 1) / columns
        let chartHeight = chartRows * (arms + 1) + (chartRows - 1)
        let minimumQuestions = 6
        if room >= chartHeight + 1 + minimumQuestions {
            showsBoth = true
            charts = Rect(x: inner.x, y: top, width: inner.width, height: chartHeight)
            questions = Rect(x: inner.x, y: top + chartHeight + 1, width: inner.width, height: room - chartHeight - 1)
        } else {
            // One of the two below the table, with a hint row at the bottom; the charts may use the blank row.
            showsBoth = false
            let area = Rect(x: inner.x, y: top, width: inner.width, height: max(0, room - 1))
            let chartArea = room > chartHeight ? area : Rect(x: inner.x, y: table.maxY, width: inner.width, height: room)
            charts = section == .charts ? chartArea : nil
            questions = section == .questions ? area : nil
        }
    }

    /// Question rows visible in the list (its header row excluded).
    var visibleQuestions: Int { max(1, (questions?.height ?? 0) - 1) }

    /// The question header (up to two rows of question, one of gold answers) and the answer panes below it:
    /// 2×2 on narrow terminals, all side by side when each pane gets at least 36 columns.
    static func answerPanes(main: Rect, count: Int) -> (header: Rect, panes: [Rect]) {
        let inner = main.inset(1)
        let header = Rect(x: inner.x, y: inner.y, width: inner.width, height: min(inner.height >= 16 ? 3 : 2, inner.height))
        let area = Rect(x: inner.x, y: header.maxY, width: inner.width, height: max(0, inner.height - header.height))
        guard count > 0 else { return (header, []) }
        let across = count <= 2 || area.width / count >= 36 ? count : 2
        let down = (count + across - 1) / across
        var panes: [Rect] = []
        for index in 0..<count {
            let column = index % across, row = index / across
            let width = area.width / across, height = area.height / down
            let x = area.x + column * width, y = area.y + row * height
            panes.append(Rect(x: x, y: y, width: column == across - 1 ? area.maxX - x : width,
                              height: row == down - 1 ? area.maxY - y : height))
        }
        return (header, panes)
    }
}
