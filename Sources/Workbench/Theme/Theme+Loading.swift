// Reading theme files (JSON) and finding the themes folder.
import Foundation
import ModelFiles

extension Theme {
    /// The names of the eight basic colours accepted as 8-colour fallbacks ("default" means none).
    static let basicColourNames = ["black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"]

    /// Parses a theme from JSON:
    /// `{"name": "dark", "roles": {"paneBorder": {"fg": 244, "fg8": "white", "bold": true}, …}}`.
    /// `fg`/`bg` are 0–255 palette indices (or null for the terminal default); `fg8`/`bg8` are basic colour
    /// names or 0–7. Roles left out use `normal`; unknown roles and keys are errors, so typos are caught.
    public static func parse(_ data: Data, path: String) throws -> Theme {
        let object: Any
        do { object = try JSONGuard.object(from: data) } catch {
            throw WorkbenchError.themeInvalid(path: path, reason: "not JSON (\(error))")
        }
        guard let root = object as? [String: Any] else {
            throw WorkbenchError.themeInvalid(path: path, reason: "the top level must be an object")
        }
        guard let name = root["name"] as? String, !name.isEmpty else {
            throw WorkbenchError.themeInvalid(path: path, reason: "missing \"name\" (a non-empty string)")
        }
        guard let roles = root["roles"] as? [String: Any] else {
            throw WorkbenchError.themeInvalid(path: path, reason: "missing \"roles\" (an object of role → style)")
        }
        var styles: [StyleRole: RoleStyle] = [:]
        for (key, value) in roles {
            guard let role = StyleRole(rawValue: key) else {
                throw WorkbenchError.themeInvalid(path: path, reason: "unknown role \"\(key)\"")
            }
            guard let fields = value as? [String: Any] else {
                throw WorkbenchError.themeInvalid(path: path, reason: "role \"\(key)\" must map to an object")
            }
            styles[role] = try parseStyle(fields, role: key, path: path)
        }
        if styles[.normal] == nil { styles[.normal] = RoleStyle() }
        return Theme(name: name, styles: styles)
    }

    private static func parseStyle(_ fields: [String: Any], role: String, path: String) throws -> RoleStyle {
        var style = RoleStyle()
        for (key, value) in fields {
            switch key {
            case "fg": style.foreground = try colour256(value, role: role, key: key, path: path)
            case "bg": style.background = try colour256(value, role: role, key: key, path: path)
            case "fg8": style.foreground8 = try colour8(value, role: role, key: key, path: path)
            case "bg8": style.background8 = try colour8(value, role: role, key: key, path: path)
            case "bold", "underline", "reverse", "dim":
                guard let flag = value as? Bool else {
                    throw WorkbenchError.themeInvalid(path: path, reason: "\(role).\(key) must be true or false")
                }
                switch key {
                case "bold": style.bold = flag
                case "underline": style.underline = flag
                case "reverse": style.reverse = flag
                default: style.dim = flag
                }
            default:
                throw WorkbenchError.themeInvalid(path: path, reason: "\(role) has unknown key \"\(key)\" (use fg, bg, fg8, bg8, bold, underline, reverse, dim)")
            }
        }
        return style
    }

    private static func colour256(_ value: Any, role: String, key: String, path: String) throws -> Int? {
        if value is NSNull { return nil }
        if let number = value as? Int, (0...255).contains(number), !(value is Bool) { return number }
        throw WorkbenchError.themeInvalid(path: path, reason: "\(role).\(key) must be a colour index 0–255 or null")
    }

    private static func colour8(_ value: Any, role: String, key: String, path: String) throws -> Int? {
        if value is NSNull { return nil }
        if let name = value as? String {
            if name == "default" { return nil }
            if let index = basicColourNames.firstIndex(of: name.lowercased()) { return index }
        } else if let number = value as? Int, (0...7).contains(number), !(value is Bool) {
            return number
        }
        throw WorkbenchError.themeInvalid(path: path,
            reason: "\(role).\(key) must be one of \(basicColourNames.joined(separator: ", ")), default, or 0–7")
    }

    /// Loads the theme file at `url`.
    public static func load(from url: URL) throws -> Theme {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw WorkbenchError.themeUnreadable(path: url.path, reason: error.localizedDescription)
        }
        return try parse(data, path: url.path)
    }
}

/// The theme files available to the workbench: `<workspace>/themes`, `./themes`, and the `themes/` folder
/// of the source tree the binary was built from, searched in that order.
public struct ThemeLibrary: Sendable {
    public var folders: [URL]

    public init(folders: [URL]) { self.folders = folders }

    /// The usual search path for a workspace.
    public static func standard(workspace: URL?) -> ThemeLibrary {
        var folders: [URL] = []
        if let workspace { folders.append(workspace.appendingPathComponent("themes")) }
        if let env = ProcessInfo.processInfo.environment["PARALLAX_THEMES"] { folders.append(URL(fileURLWithPath: env)) }
        folders.append(URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent("themes"))
        // .build/release/parallax → the package root's themes/.
        let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        var folder = executable.deletingLastPathComponent()
        for _ in 0..<4 {
            folders.append(folder.appendingPathComponent("themes"))
            folder = folder.deletingLastPathComponent()
        }
        let sourceRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        folders.append(sourceRoot.appendingPathComponent("themes"))
        return ThemeLibrary(folders: folders)
    }

    /// Theme names (file names without `.json`), sorted, first folder wins.
    public var names: [String] {
        var seen = Set<String>()
        for folder in folders {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            for file in files where file.hasSuffix(".json") { seen.insert(String(file.dropLast(5))) }
        }
        return seen.sorted()
    }

    /// Loads the theme called `name`.
    public func theme(named name: String) throws -> Theme {
        guard SafeName.isValid(name) else { throw WorkbenchError.themeNotFound(name: name, available: names) }
        for folder in folders {
            let url = folder.appendingPathComponent("\(name).json")
            if FileManager.default.fileExists(atPath: url.path) { return try Theme.load(from: url) }
        }
        throw WorkbenchError.themeNotFound(name: name, available: names)
    }
}
