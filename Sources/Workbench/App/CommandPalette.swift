// The `:` command palette: the command list, parsing, and Tab completion of commands and their arguments.

/// A parsed palette command.
public enum PaletteCommand: Equatable, Sendable {
    case topK(Int)
    case mode(RetrievalMode)
    case adapter(String?)
    case scale(Double)
    case arms([ArmKind])
    case theme(String)
    case reindex
    case export
    case open(MainView)
    case help
    case quit
}

/// What completion can offer besides fixed words.
public struct PaletteContext: Equatable, Sendable {
    public var adapters: [String]
    public var themes: [String]
    public init(adapters: [String], themes: [String]) { self.adapters = adapters; self.themes = themes }
}

/// The palette's commands, argument parsing and completion.
public enum CommandPalette {
    /// Every command with a one-line description (shown in the completion list and in help).
    public static let commands: [(name: String, usage: String)] = [
        ("topk", "topk N — number of hits (1–50)"),
        ("mode", "mode hybrid|bm25|dense — retrieval mode"),
        ("adapter", "adapter NAME|none — adapter for the fine-tuned arms"),
        ("scale", "scale X — adapter scale (0–2)"),
        ("arms", "arms rag,ft,both — which answer arms run"),
        ("theme", "theme NAME — switch colour theme"),
        ("reindex", "reindex — re-index the collection"),
        ("export", "export — save query, hits and answers as Markdown"),
        ("train", "train — open the Train view (F3)"),
        ("index", "index — open the Index view (F2)"),
        ("adapters", "adapters — open the Adapters view (F4)"),
        ("evaluate", "evaluate — open the Evaluate view (F5)"),
        ("help", "help — show every key"),
        ("quit", "quit — leave the workbench"),
    ]

    /// Candidate completions for the whole palette line `text` (each a full replacement line).
    public static func completions(for text: String, context: PaletteContext) -> [String] {
        let trimmedLeading = String(text.drop { $0 == " " })
        guard let space = trimmedLeading.firstIndex(of: " ") else {
            let prefix = trimmedLeading.lowercased()
            return commands.map(\.name).filter { $0.hasPrefix(prefix) }
                .map { argumentWords(for: $0, context: context) == nil ? $0 : $0 + " " }
        }
        let name = String(trimmedLeading[..<space]).lowercased()
        let argument = String(trimmedLeading[trimmedLeading.index(after: space)...]).trimmingCharacters(in: .whitespaces)
        guard let words = argumentWords(for: name, context: context) else { return [] }
        if name == "arms" {
            var parts = argument.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let last = (parts.popLast() ?? "").lowercased()
            let head = parts.isEmpty ? "" : parts.joined(separator: ",") + ","
            return words.filter { $0.hasPrefix(last) && !parts.contains($0) }.map { "arms \(head)\($0)" }
        }
        return words.filter { $0.lowercased().hasPrefix(argument.lowercased()) }.map { "\(name) \($0)" }
    }

    /// The words an argument can take, or nil for commands without arguments.
    static func argumentWords(for name: String, context: PaletteContext) -> [String]? {
        switch name {
        case "topk": ["3", "5", "8", "10", "20"]
        case "mode": RetrievalMode.allCases.map(\.rawValue)
        case "adapter": context.adapters + ["none"]
        case "scale": ["0", "0.25", "0.5", "0.75", "1", "1.5", "2"]
        case "arms": ArmKind.allCases.map(\.rawValue)
        case "theme": context.themes
        default: nil
        }
    }

    /// The longest common prefix of `strings`.
    public static func commonPrefix(_ strings: [String]) -> String {
        guard var prefix = strings.first else { return "" }
        for string in strings.dropFirst() {
            while !string.hasPrefix(prefix) { prefix.removeLast() }
        }
        return prefix
    }

    /// Parses a palette line (without the leading ':').
    public static func parse(_ text: String) throws -> PaletteCommand {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let name = parts.first?.lowercased() else {
            throw WorkbenchError.unknownCommand("", suggestions: [])
        }
        let argument = parts.dropFirst().joined(separator: " ")
        func requireArgument(_ expected: String) throws -> String {
            guard !argument.isEmpty else { throw WorkbenchError.badArgument(command: name, value: "", expected: expected) }
            return argument
        }
        switch name {
        case "topk":
            let value = try requireArgument("a whole number from 1 to 50")
            guard let k = Int(value), (1...50).contains(k) else {
                throw WorkbenchError.badArgument(command: name, value: value, expected: "a whole number from 1 to 50")
            }
            return .topK(k)
        case "mode":
            let value = try requireArgument("hybrid, bm25 or dense")
            guard let mode = RetrievalMode(rawValue: value.lowercased()) else {
                throw WorkbenchError.badArgument(command: name, value: value, expected: "hybrid, bm25 or dense")
            }
            return .mode(mode)
        case "adapter":
            let value = try requireArgument("an adapter name (Tab lists them) or none")
            return .adapter(value.lowercased() == "none" ? nil : value)
        case "scale":
            let value = try requireArgument("a number from 0 to 2")
            guard let scale = Double(value), scale.isFinite, (0...2).contains(scale) else {
                throw WorkbenchError.badArgument(command: name, value: value, expected: "a number from 0 to 2")
            }
            return .scale(scale)
        case "arms":
            let value = try requireArgument("a comma list of rag, ft, both")
            var arms: [ArmKind] = []
            for word in value.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) {
                guard let arm = ArmKind(rawValue: word) else {
                    throw WorkbenchError.badArgument(command: name, value: word, expected: "a comma list of rag, ft, both")
                }
                if !arms.contains(arm) { arms.append(arm) }
            }
            guard !arms.isEmpty else { throw WorkbenchError.badArgument(command: name, value: value, expected: "a comma list of rag, ft, both") }
            return .arms(arms)
        case "theme": return .theme(try requireArgument("a theme name (Tab lists them)"))
        case "reindex": return .reindex
        case "export": return .export
        case "train": return .open(.train)
        case "index": return .open(.index)
        case "adapters": return .open(.adapters)
        case "evaluate", "eval": return .open(.evaluate)
        case "help": return .help
        case "quit", "q": return .quit
        default:
            let close = commands.map(\.name).filter { $0.hasPrefix(String(name.prefix(2))) || editDistance($0, name) <= 2 }
            throw WorkbenchError.unknownCommand(name, suggestions: close)
        }
    }

    /// Levenshtein distance, for "did you mean" suggestions.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        guard !x.isEmpty else { return y.count }
        guard !y.isEmpty else { return x.count }
        var previous = Array(0...y.count)
        for i in 1...x.count {
            var current = [i] + Array(repeating: 0, count: y.count)
            for j in 1...y.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[y.count]
    }
}
