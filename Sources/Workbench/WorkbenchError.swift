// The Workbench module's one error type: each case says what went wrong and what to do.
import Foundation

/// Errors the workbench reports to the user (as a message line, never a crash).
public enum WorkbenchError: Error, Equatable, Sendable, CustomStringConvertible {
    case themeUnreadable(path: String, reason: String)
    case themeInvalid(path: String, reason: String)
    case themeNotFound(name: String, available: [String])
    case unknownCommand(String, suggestions: [String])
    case badArgument(command: String, value: String, expected: String)
    case unavailable(feature: String, reason: String)
    case fileUnwritable(path: String, reason: String)
    case terminalUnavailable(reason: String)

    public var description: String {
        switch self {
        case .themeUnreadable(let path, let reason):
            return "cannot read theme file \(path): \(reason); check the path and permissions"
        case .themeInvalid(let path, let reason):
            return "theme file \(path) is not a valid theme: \(reason); see themes/dark.json for the format"
        case .themeNotFound(let name, let available):
            return "no theme named '\(name)'; available: \(available.joined(separator: ", "))"
        case .unknownCommand(let name, let suggestions):
            let hint = suggestions.isEmpty ? "press Tab after ':' to see the commands" : "did you mean \(suggestions.joined(separator: ", "))?"
            return "unknown command ':\(name)'; \(hint)"
        case .badArgument(let command, let value, let expected):
            return ":\(command) does not accept '\(value)'; expected \(expected)"
        case .unavailable(let feature, let reason):
            return "\(feature) is not available: \(reason)"
        case .fileUnwritable(let path, let reason):
            return "could not write \(path): \(reason); check that the workspace folder is writable"
        case .terminalUnavailable(let reason):
            return "cannot open the terminal UI: \(reason); run it in an interactive terminal (TERM set, at least 60×16)"
        }
    }
}

/// Writes `data` to `url` atomically (temp file in the same folder, then rename).
func writeAtomically(_ data: Data, to url: URL) throws {
    let folder = url.deletingLastPathComponent()
    do {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let temp = folder.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).tmp")
        try data.write(to: temp)
        // rename(2) replaces an existing file atomically (FileManager.replaceItemAt fails here on Linux).
        guard rename(temp.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temp)
            throw WorkbenchError.fileUnwritable(path: url.path, reason: reason)
        }
    } catch let error as WorkbenchError {
        throw error
    } catch {
        throw WorkbenchError.fileUnwritable(path: url.path, reason: error.localizedDescription)
    }
}
