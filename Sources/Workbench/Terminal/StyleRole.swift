// Semantic style roles: views paint roles, themes map roles to colours.

/// What a cell means on screen; a theme decides how each role looks.
public enum StyleRole: String, CaseIterable, Sendable, Codable, Hashable {
    case normal, dim, title, paneBorder, paneBorderFocused, paneTitle, paneTitleFocused
    case selection, hitScoreBar, hitRank, hitDocument, hitHeading, excluded
    case previewText, previewChunk, queryTermHighlight, citation
    case answerText, answerStats, armTitle, streaming
    case queryPrompt, queryText, cursor, statusLine, statusAccent
    case functionKey, functionLabel, message, error, success
    case paletteText, paletteMatch, popup, popupBorder, chartLoss, chartValLoss, progressBar
    case fieldLabel, fieldValue, fieldFocused, documentChanged, documentUnindexed
    /// The four evaluation arms' colours (table labels, chart bars, answer panes).
    case armBase, armRAG, armFT, armFTRAG

    /// One character naming the role in snapshot files (unique per role).
    public var code: Character {
        switch self {
        case .normal: "."
        case .dim: ","
        case .title: "T"
        case .paneBorder: "b"
        case .paneBorderFocused: "B"
        case .paneTitle: "p"
        case .paneTitleFocused: "P"
        case .selection: "S"
        case .hitScoreBar: "#"
        case .hitRank: "r"
        case .hitDocument: "d"
        case .hitHeading: "h"
        case .excluded: "x"
        case .previewText: "v"
        case .previewChunk: "V"
        case .queryTermHighlight: "H"
        case .citation: "c"
        case .answerText: "a"
        case .answerStats: "n"
        case .armTitle: "A"
        case .streaming: "~"
        case .queryPrompt: ">"
        case .queryText: "q"
        case .cursor: "_"
        case .statusLine: "s"
        case .statusAccent: "$"
        case .functionKey: "K"
        case .functionLabel: "k"
        case .message: "m"
        case .error: "E"
        case .success: "O"
        case .paletteText: ":"
        case .paletteMatch: ";"
        case .popup: "o"
        case .popupBorder: "+"
        case .chartLoss: "L"
        case .chartValLoss: "l"
        case .progressBar: "="
        case .fieldLabel: "f"
        case .fieldValue: "F"
        case .fieldFocused: "*"
        case .documentChanged: "g"
        case .documentUnindexed: "u"
        case .armBase: "1"
        case .armRAG: "2"
        case .armFT: "3"
        case .armFTRAG: "4"
        }
    }
}
