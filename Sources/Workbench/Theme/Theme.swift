// Themes as data: JSON files in themes/ map each style role to a 256-colour index, an 8-colour fallback and attributes.
import Foundation

/// How one role looks: colours for 256- and 8-colour terminals plus attributes.
public struct RoleStyle: Equatable, Sendable {
    /// 256-colour palette indices; nil means the terminal's default colour.
    public var foreground: Int?
    public var background: Int?
    /// 0–7 fallbacks used on 8-colour terminals; nil means default.
    public var foreground8: Int?
    public var background8: Int?
    public var bold = false
    public var underline = false
    public var reverse = false
    public var dim = false

    public init(foreground: Int? = nil, background: Int? = nil, foreground8: Int? = nil, background8: Int? = nil,
                bold: Bool = false, underline: Bool = false, reverse: Bool = false, dim: Bool = false) {
        self.foreground = foreground; self.background = background
        self.foreground8 = foreground8; self.background8 = background8
        self.bold = bold; self.underline = underline; self.reverse = reverse; self.dim = dim
    }

    /// The same attributes without any colour (NO_COLOR, monochrome terminals).
    public var withoutColour: RoleStyle {
        RoleStyle(bold: bold, underline: underline, reverse: reverse, dim: dim)
    }

    /// A short stable description for snapshots, e.g. "fg=39/6 bold".
    public var summary: String {
        func colour(_ c256: Int?, _ c8: Int?) -> String { "\(c256.map(String.init) ?? "-")/\(c8.map(String.init) ?? "-")" }
        var parts = ["fg=\(colour(foreground, foreground8))", "bg=\(colour(background, background8))"]
        if bold { parts.append("bold") }
        if underline { parts.append("underline") }
        if reverse { parts.append("reverse") }
        if dim { parts.append("dim") }
        return parts.joined(separator: " ")
    }
}

/// A named mapping from every style role to a style.
public struct Theme: Equatable, Sendable {
    public var name: String
    public var styles: [StyleRole: RoleStyle]

    public init(name: String, styles: [StyleRole: RoleStyle]) {
        self.name = name
        self.styles = styles
    }

    /// The style for `role`, falling back to `normal` for roles the file leaves out.
    public func style(for role: StyleRole) -> RoleStyle { styles[role] ?? styles[.normal] ?? RoleStyle() }

    /// This theme with colours removed (attributes kept), for NO_COLOR and terminals without colour.
    public var monochrome: Theme {
        Theme(name: name, styles: styles.mapValues { $0.withoutColour })
    }

    /// A last-resort theme used only when no theme file can be found: attributes only.
    public static let fallback = Theme(name: "fallback", styles: [
        .normal: RoleStyle(), .paneBorderFocused: RoleStyle(bold: true), .paneTitleFocused: RoleStyle(bold: true),
        .selection: RoleStyle(reverse: true), .queryTermHighlight: RoleStyle(underline: true),
        .citation: RoleStyle(bold: true, underline: true), .error: RoleStyle(bold: true), .cursor: RoleStyle(reverse: true),
        .statusLine: RoleStyle(reverse: true), .functionKey: RoleStyle(reverse: true), .dim: RoleStyle(dim: true),
        .fieldFocused: RoleStyle(reverse: true), .progressBar: RoleStyle(reverse: true),
    ])
}
