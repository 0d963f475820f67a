// Names users give to what Parallax stores (adapters, runs, themes), and the check that a path
// Parallax is about to write stays inside the folder it belongs to (the workspace or the model cache).
//
// Policy (see README "Where Parallax writes"): Parallax writes only inside the workspace and the
// model cache, with two exceptions the user names explicitly on the command line and that may be
// anywhere: `--report FILE` and `adapters export --gguf FILE`. Names read from files (a QA suite,
// a dataset, a BEIR corpus, a theme, an adapter's config) never choose where anything is written.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A name that becomes one path component: ASCII letters, digits, `-`, `_` and `.`, starting with a
/// letter or digit, 1 to `SafeName.maxLength` characters. So it can never be `..`, contain `/`, be
/// hidden, look like a flag or differ from itself after Unicode normalisation.
public enum SafeName {
    /// The longest name accepted.
    public static let maxLength = 100

    /// Whether `name` is acceptable (see the type's rules).
    public static func isValid(_ name: String) -> Bool { problem(with: name) == nil }

    /// Returns `name` unchanged when it is acceptable; throws `PathSafetyError.invalidName` saying what is wrong.
    /// - Parameter kind: what the name is for ("adapter", "run", "theme"), used in the message.
    @discardableResult
    public static func validate(_ name: String, kind: String) throws(PathSafetyError) -> String {
        if let reason = problem(with: name) { throw .invalidName(kind: kind, name: name, reason: reason) }
        return name
    }

    static func problem(with name: String) -> String? {
        if name.isEmpty { return "it is empty" }
        if name.utf8.count > maxLength { return "it is longer than \(maxLength) characters" }
        for scalar in name.unicodeScalars where !isAllowed(scalar) {
            if scalar == "/" || scalar == "\\" { return "it contains '\(scalar)' (a name is not a path)" }
            return "it contains \(scalar.isASCII && scalar.value >= 0x20 ? "'\(scalar)'" : "U+\(String(scalar.value, radix: 16, uppercase: true))")"
        }
        if let first = name.unicodeScalars.first, !isAlphanumeric(first) { return "it must start with a letter or digit" }
        return nil
    }

    private static func isAlphanumeric(_ s: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s)
    }

    private static func isAllowed(_ s: Unicode.Scalar) -> Bool { isAlphanumeric(s) || s == "-" || s == "_" || s == "." }
}

/// Keeps writes inside a root folder, with symbolic links and `..` resolved.
public enum ConfinedPath {
    /// `url` with `.`/`..` removed and every symbolic link in its existing part resolved (the part that
    /// does not exist yet is appended as written, after `..` removal).
    public static func resolved(_ url: URL) -> URL {
        var existing = url.standardizedFileURL
        var rest: [String] = []
        while !FileManager.default.fileExists(atPath: existing.path) && existing.path != "/" {
            rest.insert(existing.lastPathComponent, at: 0)
            existing = existing.deletingLastPathComponent()
        }
        var real = existing
        if let pointer = realpath(existing.path, nil) {
            real = URL(fileURLWithPath: String(cString: pointer))
            free(pointer)
        }
        for component in rest { real.appendPathComponent(component) }
        return real.standardizedFileURL
    }

    /// Whether `url` (resolved) is `root` (resolved) or lies inside it.
    public static func isInside(_ url: URL, root: URL) -> Bool {
        let path = resolved(url).path, base = resolved(root).path
        return path == base || path.hasPrefix(base == "/" ? "/" : base + "/")
    }

    /// Returns `url` when it (with links resolved) lies inside `root`; throws `PathSafetyError.outside` otherwise.
    /// - Parameter what: what is being written there ("adapter 'x'", "run 20260101-…"), for the message.
    @discardableResult
    public static func check(_ url: URL, inside root: URL, what: String) throws(PathSafetyError) -> URL {
        guard isInside(url, root: root) else {
            throw .outside(what: what, path: url.path, resolved: resolved(url).path, root: resolved(root).path)
        }
        return url
    }
}

/// A name or path that would make Parallax read or write where it must not.
public enum PathSafetyError: Error, Equatable, CustomStringConvertible {
    /// A user-given name is not a safe single path component.
    case invalidName(kind: String, name: String, reason: String)
    /// A path (after resolving `..` and symbolic links) leaves the folder it must stay in.
    case outside(what: String, path: String, resolved: String, root: String)

    public var description: String {
        switch self {
        case let .invalidName(kind, name, reason):
            "invalid \(kind) name '\(name)': \(reason). Use 1–\(SafeName.maxLength) characters: letters a–z A–Z, digits, "
                + "'-', '_' and '.', starting with a letter or digit."
        case let .outside(what, path, resolved, root):
            "refusing to use \(what) at \(path): it resolves to \(resolved), outside \(root) (a symbolic link or '..' "
                + "points out of the workspace). Remove the link or move the files into \(root)."
        }
    }
}
